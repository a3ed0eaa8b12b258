/* transcode.c — the encoding filter: BOMs, --encoding auto's decision, iconv conversion with
 * the line and column of a bad byte, and a pass-through for UTF-8. */
#include "csvbatch/transcode.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/charset.h"
#include "csvbatch/detect.h"
#include "csvbatch/utf8.h"

const char *csvb_transcode_bom(const unsigned char *d, size_t n, size_t *len)
{
    static const struct {
        unsigned char bytes[4];
        size_t len;
        const char *name;
    } marks[] = {/* UTF-32LE first: its mark begins with UTF-16LE's */
                 {{0xFF, 0xFE, 0x00, 0x00}, 4, "utf-32le"},
                 {{0x00, 0x00, 0xFE, 0xFF}, 4, "utf-32be"},
                 {{0xEF, 0xBB, 0xBF, 0}, 3, "utf-8"},
                 {{0xFF, 0xFE, 0, 0}, 2, "utf-16le"},
                 {{0xFE, 0xFF, 0, 0}, 2, "utf-16be"}};
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        if (n >= marks[i].len && memcmp(d, marks[i].bytes, marks[i].len) == 0) {
            *len = marks[i].len;
            return marks[i].name;
        }
    }
    *len = 0;
    return NULL;
}

void csvb_transcode_canonical(const char *name, char *out, size_t size)
{
    static const char *const aliases[][2] = {
        {"latin1", "iso-8859-1"},   {"iso8859-1", "iso-8859-1"},  {"iso_8859-1", "iso-8859-1"},
        {"l1", "iso-8859-1"},       {"cp1252", "windows-1252"},   {"ms-ansi", "windows-1252"},
        {"mac", "macintosh"},       {"csmacintosh", "macintosh"}, {"sjis", "shift_jis"},
        {"shift-jis", "shift_jis"}, {"ms_kanji", "shift_jis"},    {"utf16", "utf-16"},
        {"utf32", "utf-32"},        {"utf16le", "utf-16le"},      {"utf16be", "utf-16be"},
        {"utf32le", "utf-32le"},    {"utf32be", "utf-32be"},      {"gb-18030", "gb18030"}};
    if (size == 0)
        return;
    out[0] = '\0';
    if (name == NULL || csvb_charset_is_utf8(name))
        return;
    size_t i = 0;
    for (; name[i] != '\0' && i + 1 < size; i++)
        out[i] = name[i] >= 'A' && name[i] <= 'Z' ? (char)(name[i] - 'A' + 'a') : name[i];
    out[i] = '\0';
    for (size_t a = 0; a < sizeof aliases / sizeof aliases[0]; a++)
        if (strcmp(out, aliases[a][0]) == 0)
            snprintf(out, size, "%s", aliases[a][1]);
}

/* True when s[0..n) is UTF-8 without NUL; a sequence cut at the end counts unless at_end. */
static bool sample_is_utf8(const char *s, size_t n, bool at_end)
{
    struct csvb_utf8 v;
    csvb_utf8_init(&v);
    enum csvb_utf8_fault fault;
    if (csvb_utf8_check(&v, (const unsigned char *)s, n, &fault) != n)
        return false;
    return !at_end || csvb_utf8_complete(&v);
}

static bool is_letter(unsigned cp)
{
    return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
           (cp >= 0xC0 && cp < 0x2000 && cp != 0xD7 && cp != 0xF7);
}

/* What makes decoded UTF-8 text[0..n) implausible, into why (left alone when nothing does): a
 * control character but tab, CR and LF (C0, DEL, C1: Mac Roman's "ë" read as Latin-1 is U+0091),
 * or an opening quote right after a letter (Mac Roman's "ë" read as windows-1252 is "‘":
 * "Chlo‘"). *prev_letter carries the last character's kind across calls. */
static void implausible(const char *text, size_t n, bool *prev_letter, const char *name, char *why,
                        size_t why_size)
{
    const unsigned char *u = (const unsigned char *)text;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t len = csvb_utf8_decode(u + i, n - i, &cp);
        if (len == 0) {
            cp = u[i];
            len = 1;
        }
        if ((cp < 0x20 && cp != '\t' && cp != '\r' && cp != '\n') || (cp >= 0x7F && cp < 0xA0)) {
            snprintf(why, why_size,
                     "the detector guesses %s, but that reads the control "
                     "character U+%04X",
                     name, cp);
            return;
        }
        if ((cp == 0x2018 || cp == 0x201C) && *prev_letter) {
            snprintf(why, why_size,
                     "the detector guesses %s, but that reads an opening quote "
                     "U+%04X right after a letter",
                     name, cp);
            return;
        }
        *prev_letter = is_letter(cp);
        i += len;
    }
}

/* Decodes sample in `name`: "" when it reads as text, else why not (into why). */
static void check_decodes(const char *name, const char *sample, size_t n, bool at_end, char *why,
                          size_t why_size)
{
    struct csvb_charset *cs = csvb_charset_new(name);
    if (cs == NULL) {
        snprintf(why, why_size, "the detector guesses %s, which iconv does not know", name);
        return;
    }
    why[0] = '\0';
    const char *in = sample;
    size_t left = n;
    bool prev_letter = false;
    while (why[0] == '\0') {
        char text[4096], *o = text;
        size_t room = sizeof text;
        enum csvb_charset_step step = csvb_charset_convert(cs, &in, &left, &o, &room);
        implausible(text, (size_t)(o - text), &prev_letter, name, why, why_size);
        if (why[0] != '\0')
            break;
        if (step == CSVB_CHARSET_INVALID || (step == CSVB_CHARSET_INCOMPLETE && at_end))
            snprintf(why, why_size,
                     "the detector guesses %s, but byte 0x%02X (offset %zu) is "
                     "not valid in it",
                     name, (unsigned char)*in, (size_t)(in - sample));
        else if (step != CSVB_CHARSET_OUT_FULL)
            break;
    }
    csvb_charset_free(cs);
}

enum csvb_transcode_guess csvb_transcode_guess(const char *sample, size_t n, bool at_end,
                                               char *name, size_t name_size, char *why,
                                               size_t why_size)
{
    char raw[CSVB_TRANSCODE_NAME_MAX];
    if (name_size > 0)
        name[0] = '\0';
    if (why_size > 0)
        why[0] = '\0';
    if (sample_is_utf8(sample, n, at_end))
        return CSVB_GUESS_UTF8;
    size_t high = 0;
    for (size_t i = 0; i < n; i++)
        high += (unsigned char)sample[i] >= 0x80;
    if (high < CSVB_TRANSCODE_EVIDENCE) {
        snprintf(why, why_size, "only %zu byte%s of the sample %s not ASCII: too few to tell", high,
                 high == 1 ? "" : "s", high == 1 ? "is" : "are");
        return CSVB_GUESS_UNSURE;
    }
    csvb_detect_guess(sample, n, raw, sizeof raw);
    csvb_transcode_canonical(raw, name, name_size);
    if (raw[0] == '\0' || csvb_charset_is_utf8(raw) || strcmp(name, "ascii") == 0) {
        snprintf(why, why_size, "the file is not UTF-8 and the detector has no guess");
        return CSVB_GUESS_UNSURE;
    }
    check_decodes(name, sample, n, at_end, why, why_size);
    return why[0] == '\0' ? CSVB_GUESS_FOUND : CSVB_GUESS_UNSURE;
}

struct csvb_transcode {
    struct csvb_source inner;
    char requested[CSVB_TRANSCODE_NAME_MAX];
    char encoding[CSVB_TRANSCODE_NAME_MAX]; /* in force, canonical; "" = UTF-8 */
    struct csvb_charset *cs;                /* NULL: pass-through */
    bool started, inner_eof, flushed;
    uint64_t raw_bytes;
    size_t raw_pos, raw_len;
    char out[16]; /* converted bytes a small dst had no room for */
    size_t out_pos, out_len;
    unsigned long line, col; /* of the next converted byte; col in characters */
    bool prev_cr;
    unsigned long error_line;
    char message[256];
    char raw[CSVB_TRANSCODE_SAMPLE];
};

struct csvb_transcode *csvb_transcode_new(struct csvb_source inner, const char *encoding)
{
    struct csvb_transcode *t = malloc(sizeof *t);
    if (t == NULL)
        return NULL;
    memset(t, 0, offsetof(struct csvb_transcode, raw));
    t->inner = inner;
    t->line = 1;
    snprintf(t->requested, sizeof t->requested, "%s", encoding != NULL ? encoding : "");
    return t;
}

void csvb_transcode_free(struct csvb_transcode *t)
{
    if (t == NULL)
        return;
    csvb_charset_free(t->cs);
    free(t);
}

const char *csvb_transcode_encoding(const struct csvb_transcode *t)
{
    return t->encoding;
}
uint64_t csvb_transcode_raw_bytes(const struct csvb_transcode *t)
{
    return t->raw_bytes;
}
const char *csvb_transcode_message(const struct csvb_transcode *t)
{
    return t->message;
}
unsigned long csvb_transcode_line(const struct csvb_transcode *t)
{
    return t->error_line;
}

/* Moves the unconverted bytes to the front and reads more: 0, or -1 with errno from inner. */
static int refill(struct csvb_transcode *t)
{
    memmove(t->raw, t->raw + t->raw_pos, t->raw_len - t->raw_pos);
    t->raw_len -= t->raw_pos;
    t->raw_pos = 0;
    long got = t->inner.fill(t->inner.ctx, t->raw + t->raw_len, sizeof t->raw - t->raw_len);
    if (got < 0)
        return -1;
    t->inner_eof = got == 0;
    t->raw_len += (size_t)got;
    t->raw_bytes += (uint64_t)got;
    return 0;
}

static long fail(struct csvb_transcode *t, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static long fail(struct csvb_transcode *t, unsigned long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    // NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): va_start is on the line above
    vsnprintf(t->message, sizeof t->message, fmt, ap);
    va_end(ap);
    t->error_line = line;
    errno = EILSEQ;
    return -1;
}

/* Decides the encoding from the first bytes (the rules in transcode.h). */
static long start(struct csvb_transcode *t)
{
    bool is_auto = strcmp(t->requested, "auto") == 0;
    size_t want = is_auto ? sizeof t->raw : 4;
    while (t->raw_len < want && !t->inner_eof)
        if (refill(t) != 0)
            return -1;
    t->started = true;
    size_t bom_len;
    const char *bom = csvb_transcode_bom((const unsigned char *)t->raw, t->raw_len, &bom_len);
    char name[CSVB_TRANSCODE_NAME_MAX], why[200];
    if (bom != NULL) {
        snprintf(name, sizeof name, "%s", bom);
        if (!csvb_charset_is_utf8(bom))
            t->raw_pos = bom_len; /* the reader strips a UTF-8 mark itself */
    } else if (is_auto) {
        enum csvb_transcode_guess g = csvb_transcode_guess(t->raw, t->raw_len, t->inner_eof, name,
                                                           sizeof name, why, sizeof why);
        if (g == CSVB_GUESS_UNSURE)
            return fail(t, 0,
                        "--encoding auto cannot tell the encoding: %s (name it with "
                        "--encoding NAME)",
                        why);
        if (g == CSVB_GUESS_UTF8)
            name[0] = '\0';
    } else {
        snprintf(name, sizeof name, "%s", t->requested);
    }
    csvb_transcode_canonical(name, t->encoding, sizeof t->encoding);
    if (t->encoding[0] == '\0')
        return 0;
    if ((t->cs = csvb_charset_new(t->encoding)) == NULL)
        return errno == ENOMEM ? -1 : fail(t, 0, "iconv cannot read the encoding %s", t->encoding);
    return 0;
}

/* Advances line and column over converted text[0..n). */
static void track(struct csvb_transcode *t, const char *text, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\n' || c == '\r') {
            if (!(c == '\n' && t->prev_cr))
                t->line++;
            t->col = 0;
        } else if ((c & 0xC0) != 0x80) {
            t->col++;
        }
        t->prev_cr = c == '\r';
    }
}

/* Converts into out[0..room): the count, or -1 (errno set; EILSEQ with the message). */
static long convert(struct csvb_transcode *t, char *out, size_t room)
{
    char *o = out;
    for (;;) {
        if (t->raw_pos == t->raw_len && !t->inner_eof) {
            if (refill(t) != 0)
                return -1;
            continue;
        }
        const char *in = t->raw_pos < t->raw_len ? t->raw + t->raw_pos : NULL;
        size_t left = t->raw_len - t->raw_pos;
        if (in == NULL && t->flushed)
            break;
        t->flushed = in == NULL;
        enum csvb_charset_step step = csvb_charset_convert(t->cs, &in, &left, &o, &room);
        t->raw_pos = t->raw_len - left;
        if (o > out || step == CSVB_CHARSET_OUT_FULL)
            break;
        if (step == CSVB_CHARSET_INVALID)
            return fail(t, t->line, "column %lu: expected %s text, found invalid byte 0x%02X",
                        t->col + 1, t->encoding, (unsigned char)t->raw[t->raw_pos]);
        if (step == CSVB_CHARSET_INCOMPLETE && t->inner_eof)
            return fail(t, t->line,
                        "column %lu: expected %s text, found a truncated multi-byte sequence at "
                        "end of file",
                        t->col + 1, t->encoding);
        if (step == CSVB_CHARSET_INCOMPLETE && refill(t) != 0)
            return -1;
    }
    track(t, out, (size_t)(o - out));
    return (long)(o - out);
}

long csvb_transcode_fill(void *ctx, char *dst, size_t cap)
{
    struct csvb_transcode *t = ctx;
    if (t->message[0] != '\0') {
        errno = EILSEQ;
        return -1;
    }
    if (!t->started && start(t) != 0)
        return -1;
    if (t->cs == NULL) { /* UTF-8: what the first fills read ahead, then straight through */
        if (t->raw_pos == t->raw_len) {
            long got = t->inner.fill(t->inner.ctx, dst, cap);
            t->raw_bytes += got > 0 ? (uint64_t)got : 0;
            return got;
        }
        size_t n = t->raw_len - t->raw_pos < cap ? t->raw_len - t->raw_pos : cap;
        memcpy(dst, t->raw + t->raw_pos, n);
        t->raw_pos += n;
        return (long)n;
    }
    if (t->out_pos == t->out_len) {
        if (cap >= sizeof t->out)
            return convert(t, dst, cap);
        long got = convert(t, t->out, sizeof t->out);
        if (got <= 0)
            return got;
        t->out_pos = 0;
        t->out_len = (size_t)got;
    }
    size_t n = t->out_len - t->out_pos < cap ? t->out_len - t->out_pos : cap;
    memcpy(dst, t->out + t->out_pos, n);
    t->out_pos += n;
    return (long)n;
}
