/* sniff.c — -d auto: the delimiter a sample agrees on, and the peek source that holds it. */
#include "csvbatch/sniff.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/codec.h"
#include "csvbatch/diag.h"
#include "csvbatch/lenient.h"
#include "csvbatch/text.h"

enum { AT_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED };

/* The widths under one candidate: the header's (0 when it is not complete in the sample) and
 * how many complete records after it have exactly, fewer or more fields. */
struct widths {
    size_t header, exact, shorter, longer;
};

static void count_record(struct widths *w, size_t fields)
{
    if (w->header == 0)
        w->header = fields;
    else if (fields == w->header)
        w->exact++;
    else if (fields < w->header)
        w->shorter++;
    else
        w->longer++;
}

/* Splits the sample into records under delim (the rule in sniff.h), in one pass; stops after the
 * header when it has one field (the candidate cannot agree). */
static struct widths widths_under(const unsigned char *p, size_t len, bool complete,
                                  unsigned char delim)
{
    struct widths w = {0, 0, 0, 0};
    size_t fields = 0;
    bool started = false, skip_lf = false;
    int state = AT_START;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = p[i];
        if (skip_lf) {
            skip_lf = false;
            if (c == '\n')
                continue;
        }
        if (state == QUOTED) {
            if (c == '"')
                state = QUOTE_IN_QUOTED;
            continue;
        }
        if (c == '\n' || c == '\r') {
            skip_lf = c == '\r';
            if (!started)
                continue; /* an empty line: no record */
            count_record(&w, fields + 1);
            if (w.header == 1)
                return w;
            fields = 0, started = false, state = AT_START;
            continue;
        }
        started = true;
        if (c == delim) {
            fields++, state = AT_START;
        } else if (state == AT_START || state == QUOTE_IN_QUOTED) {
            /* after a quote in quotes: a doubled quote is one quote; text after a closing quote
             * continues the field */
            state = c == '"' ? QUOTED : UNQUOTED;
        }
    }
    if (complete && started)
        count_record(&w, fields + 1);
    return w;
}

void csvb_sniff_sample(const char *data, size_t len, bool complete, char fallback,
                       struct csvb_sniff *out)
{
    size_t bom = csvb_sniff_skip(data, len, 0);
    const unsigned char *p = (const unsigned char *)data + bom;
    len -= bom;
    memset(out, 0, sizeof *out);
    static const char cands[] = CSVB_SNIFF_CANDIDATES;
    for (unsigned i = 0; i < 4; i++) {
        struct widths w = widths_under(p, len, complete, (unsigned char)cands[i]);
        out->fields[i] = w.header;
        out->shorter[i] = w.shorter;
        out->longer[i] = w.longer;
        out->exact[i] = w.exact;
        /* most records (more than half) as wide as the header: a ragged row or two (--on-bad-row
         * pad's business) does not hide the delimiter */
        if (w.header > 1 && (w.exact > w.shorter + w.longer || /* the header alone: */
                             w.exact + w.shorter + w.longer == 0))
            out->agree |= 1u << i;
    }
    out->delimiter = csvb_sniff_other(out, '\0', fallback);
    if (out->delimiter == '\0')
        out->delimiter = fallback;
}

/* A strict reading of a sample (Python's, lenient.h) and the widths of its records. */
struct strict_read {
    size_t fields, header, records, odd; /* odd: complete records not as wide as the header */
};

static void strict_field(void *ctx, const char *data, size_t len)
{
    (void)data;
    (void)len;
    ((struct strict_read *)ctx)->fields++;
}

static void strict_record(void *ctx)
{
    struct strict_read *r = ctx;
    if (r->records++ == 0)
        r->header = r->fields;
    else if (r->fields != r->header)
        r->odd++;
    r->fields = 0;
}

/* Whether a comment line line[0..n) is worded as one: its character, then a blank, the
 * character again or nothing ("# note", "## note", "#"), never a value such as #FF0000 or #1. */
static bool worded_comment(const char *line, size_t n)
{
    return n < 2 || line[1] == ' ' || line[1] == '\t' || line[1] == line[0] || line[1] == '\r' ||
           line[1] == '\n';
}

/* The width of line[0..n) read alone (Python's non-strict reading, its first record). */
static size_t line_width(const char *line, size_t n, char delimiter, char escape)
{
    struct strict_read r = {0};
    struct csvb_lenient *l = csvb_lenient_new_dialect(
        delimiter, escape, false, (struct csvb_csvfeed_calls){strict_field, strict_record, &r});
    if (l == NULL)
        return 0;
    csvb_lenient_piece(l, line, n);
    csvb_lenient_finish(l);
    csvb_lenient_free(l);
    return r.header;
}

/* Whether data[0..len) reads strictly under delimiter and escape ('\0': none): nothing refused
 * (an input cut in a field counts only when the sample is complete) and every record after the
 * header as wide as it, with at least one. Pieces end at each CR and LF, as the reader feeds.
 * comment ('\0': none): a line that starts with it where a record would start is skipped, as
 * the reader skips it; *comments counts them, and *fits those as wide as the header. */
static bool reads_strictly_commented(const char *data, size_t len, bool complete, char delimiter,
                                     char escape, char comment, size_t *comments, size_t *fits)
{
    struct strict_read r = {0};
    struct csvb_lenient *l = csvb_lenient_new_dialect(
        delimiter, escape, true, (struct csvb_csvfeed_calls){strict_field, strict_record, &r});
    if (l == NULL)
        return false;
    bool ok = true, at_line_start = true, in_comment = false;
    size_t lead[CSVB_SNIFF_PREAMBLE_MAX], nlead = 0; /* widths of comments before the header */
    for (size_t i = 0; ok && i < len;) {
        size_t j = i;
        while (j < len && data[j] != '\n' && data[j] != '\r')
            j++;
        size_t end = j < len ? j + 1 : len;
        if (!in_comment && comment != '\0' && at_line_start && data[i] == comment &&
            !csvb_lenient_in_record(l)) {
            in_comment = true;
            (*comments)++;
            /* one that could be a record: as wide as the header (later: before it) */
            size_t w = worded_comment(data + i, j - i)
                           ? 0
                           : line_width(data + i, j - i, delimiter, escape);
            if (w > 0 && r.records > 0 && w == r.header)
                (*fits)++;
            else if (w > 0 && r.records == 0 && nlead < sizeof lead / sizeof lead[0])
                lead[nlead++] = w;
            else if (w > 0 && r.records == 0)
                ok = false; /* too many to remember: not a sample to decide on */
        }
        if (!in_comment)
            ok = csvb_lenient_piece(l, data + i, end - i) == end - i;
        if (j < len)
            in_comment = false;
        at_line_start = j < len;
        i = end;
    }
    if (ok && complete)
        ok = csvb_lenient_finish(l);
    csvb_lenient_free(l);
    for (size_t k = 0; k < nlead; k++)
        *fits += lead[k] == r.header;
    return ok && r.records >= 2 && r.odd == 0;
}

static bool reads_strictly(const char *data, size_t len, bool complete, char delimiter, char escape)
{
    size_t comments = 0, fits = 0;
    return reads_strictly_commented(data, len, complete, delimiter, escape, '\0', &comments, &fits);
}

/* Whether data[0..len) holds the escape character right before a quote, the delimiter or a line
 * break: what only an escape character would make text. */
static bool escaped_byte(const char *data, size_t len, char delimiter)
{
    for (const char *p = data, *end = data + len;
         (p = memchr(p, CSVB_SNIFF_ESCAPE, (size_t)(end - p))) != NULL && p + 1 < end; p++)
        if (p[1] == '"' || p[1] == delimiter || p[1] == '\n' || p[1] == '\r')
            return true;
    return false;
}

char csvb_sniff_escape(const char *data, size_t len, bool complete, char delimiter)
{
    if (delimiter == CSVB_SNIFF_ESCAPE || !escaped_byte(data, len, delimiter))
        return '\0';
    if (reads_strictly(data, len, complete, delimiter, '\0') ||
        !reads_strictly(data, len, complete, delimiter, CSVB_SNIFF_ESCAPE))
        return '\0';
    return CSVB_SNIFF_ESCAPE;
}

char csvb_sniff_comment(const char *data, size_t len, bool complete, char delimiter, char escape)
{
    if (delimiter == CSVB_SNIFF_COMMENT || escape == CSVB_SNIFF_COMMENT ||
        memchr(data, CSVB_SNIFF_COMMENT, len) == NULL)
        return '\0';
    if (reads_strictly(data, len, complete, delimiter, escape))
        return '\0';
    size_t comments = 0, fits = 0;
    bool ok = reads_strictly_commented(data, len, complete, delimiter, escape, CSVB_SNIFF_COMMENT,
                                       &comments, &fits);
    return ok && comments > 0 && fits == 0 ? CSVB_SNIFF_COMMENT : '\0';
}

void csvb_sniff_extras(const char *data, size_t len, bool complete, char delimiter,
                       bool escape_auto, bool comment_auto, char *escape, char *comment)
{
    if (escape_auto)
        *escape = csvb_sniff_escape(data, len, complete, delimiter);
    if (comment_auto)
        *comment = csvb_sniff_comment(data, len, complete, delimiter, *escape);
}

size_t csvb_sniff_skip(const char *data, size_t len, size_t lines)
{
    size_t at = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (; lines > 0 && at < len; lines--) {
        const char *nl = memchr(data + at, '\n', len - at);
        at = nl != NULL ? (size_t)(nl - data) + 1 : len;
    }
    return at;
}

/* True when every line of data[0..len) (whole lines) looks like a preamble before a header of
 * `width` fields: blank, a comment (starting with '#'), or at most half as wide (a title, a
 * date): a line nearly as wide as the header is more likely a header one field short. */
static bool preamble_like(const char *data, size_t len, unsigned char delim, size_t width)
{
    const unsigned char *p = (const unsigned char *)data, *end = p + len;
    while (p < end) {
        const unsigned char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl != NULL ? (size_t)(nl - p) + 1 : (size_t)(end - p);
        if (p[0] != '#' && widths_under(p, n, true, delim).header * 2 > width)
            return false;
        p += n;
    }
    return true;
}

size_t csvb_sniff_preamble(const char *data, size_t len, bool complete, char fallback, char used)
{
    static const char cands[] = CSVB_SNIFF_CANDIDATES;
    const char *u = used != '\0' ? strchr(cands, used) : NULL;
    if (used != '\0' && u == NULL)
        return 0; /* -d with another character: the sniffer has no view of it */
    size_t at = csvb_sniff_skip(data, len, 0), start = at;
    for (size_t k = 1; k <= CSVB_SNIFF_PREAMBLE_MAX; k++) {
        const char *nl = memchr(data + at, '\n', len - at);
        if (nl == NULL)
            return 0; /* the header would lie beyond the sample */
        at = (size_t)(nl - data) + 1;
        struct csvb_sniff s;
        csvb_sniff_sample(data + at, len - at, complete, fallback, &s);
        size_t i = u != NULL ? (size_t)(u - cands) : (size_t)(strchr(cands, s.delimiter) - cands);
        if ((s.agree & (1u << i)) != 0 && s.exact[i] > 0 &&
            preamble_like(data + start, at - start, (unsigned char)cands[i], s.fields[i]))
            return k;
    }
    return 0;
}

/* True when line[0..n) (one line, its line feed excluded) is one a preamble may hold for
 * --skip-lines auto: blank, a comment (starts with '#'), or a single field read strictly under
 * any candidate delimiter: text with no candidate delimiter and no quote, or one quoted field
 * ("" for a quote inside) with nothing after its closing quote. A line with a stray quote, or
 * split by a delimiter, may be a damaged header: it is not skipped unasked. */
static bool plain_preamble_line(const char *line, size_t n)
{
    if (n > 0 && line[n - 1] == '\r')
        n--;
    size_t i = 0;
    while (i < n && (line[i] == ' ' || line[i] == '\t'))
        i++;
    if (i == n || line[0] == '#')
        return true;
    if (line[0] != '"') { /* unquoted: no candidate delimiter, no quote */
        for (const char *c = CSVB_SNIFF_CANDIDATES "\""; *c != '\0'; c++)
            if (memchr(line, *c, n) != NULL)
                return false;
        return true;
    }
    for (i = 1; i < n; i++) {
        if (line[i] != '"')
            continue;
        if (i + 1 < n && line[i + 1] == '"') {
            i++; /* a doubled quote: one quote, inside */
            continue;
        }
        return i + 1 == n; /* the closing quote ends the line */
    }
    return false; /* still open at the line end */
}

size_t csvb_sniff_auto_skip(const char *data, size_t len, bool complete, char fallback, char used,
                            struct csvb_sniff *out)
{
    static const char cands[] = CSVB_SNIFF_CANDIDATES;
    csvb_sniff_sample(data, len, complete, fallback, out);
    char delim = used != '\0' ? used : out->delimiter;
    const char *u = strchr(cands, delim);
    if (u == NULL || (out->agree & (1u << (u - cands))) != 0)
        return 0; /* another -d character (the sniffer has no view of it), or it agrees */
    size_t k = csvb_sniff_preamble(data, len, complete, fallback, used);
    if (k == 0)
        return 0;
    size_t start = csvb_sniff_skip(data, len, 0), at = csvb_sniff_skip(data, len, k);
    for (size_t p = start; p < at;) {
        const char *nl = memchr(data + p, '\n', at - p);
        size_t end = nl != NULL ? (size_t)(nl - data) : at;
        if (!plain_preamble_line(data + p, end - p))
            return 0; /* left to the hint: the file fails as it did */
        p = end + 1;
    }
    csvb_sniff_sample(data + at, len - at, complete, fallback, out);
    return k;
}

char csvb_sniff_other(const struct csvb_sniff *s, char used, char fallback)
{
    static const char cands[] = CSVB_SNIFF_CANDIDATES;
    const char *f = strchr(cands, fallback);
    if (fallback != '\0' && f != NULL && fallback != used && (s->agree & (1u << (f - cands))))
        return fallback;
    for (unsigned i = 0; i < 4; i++)
        if ((s->agree & (1u << i)) && cands[i] != used)
            return cands[i];
    return '\0';
}

/* The preamble hint's k (csvb_sniff_hint), 0 when there is none to name. */
static size_t hinted_preamble(const struct csvb_sniff *s, const struct csvb_sniff_bytes *bytes,
                              char used, char fallback, bool explicit, size_t skipped,
                              const struct csvb_diag *d)
{
    static const char cands[] = CSVB_SNIFF_CANDIDATES;
    const char *u = strchr(cands, used);
    if (d == NULL || (used != '\0' && u != NULL && (s->agree & (1u << (u - cands))) != 0))
        return 0; /* the header as read agrees with the records: no preamble hides it */
    size_t k = csvb_sniff_preamble(bytes->data, bytes->len, bytes->complete, fallback,
                                   explicit ? used : '\0');
    return k != skipped && k < d->line ? k : 0;
}

void csvb_sniff_hint(const struct csvb_sniff *s, const struct csvb_sniff_bytes *bytes, char used,
                     char fallback, bool explicit, bool short_record, size_t skipped,
                     struct csvb_diag *d)
{
    char other = csvb_sniff_other(s, used, fallback);
    size_t preamble = other == '\0' && !short_record
                          ? hinted_preamble(s, bytes, used, fallback, explicit, skipped, d)
                          : 0;
    if (preamble > 0) {
        if (preamble == 1)
            csvb_diag_hint(d, "the first line looks like a preamble before the header: "
                              "--skip-lines 1");
        else
            csvb_diag_hint(d,
                           "the first %zu lines look like a preamble before the header: "
                           "--skip-lines %zu",
                           preamble, preamble);
        return;
    }
    if (other == '\0') {
        static const char cands[] = CSVB_SNIFF_CANDIDATES;
        const char *u = strchr(cands, used);
        bool wider = u == NULL || used == '\0' || s->longer[u - cands] > 0;
        /* pad reads the file when its short records are all there is to fix (in the sample);
         * skip would only drop data: not offered as a way to read the file */
        if (short_record && !wider)
            csvb_diag_hint(d, "--on-bad-row pad fills short records with empty fields");
        return;
    }
    /* ; and | are shell operators: the option is written as it must be typed */
    const char *name = csvb_sniff_delimiter_name(other);
    bool quote = other == ';' || other == '|';
    csvb_diag_hint(d, "the file looks %s-separated: -d %s%s%s%s", csvb_sniff_delimiter_word(other),
                   quote ? "'" : "", name, quote ? "'" : "", explicit ? ", or -d auto" : "");
}

char csvb_sniff_ext_delimiter(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash != NULL ? slash + 1 : path;
    size_t zlen = 0;
    csvb_compression_from_name(base, &zlen);
    size_t n = strlen(base) - zlen;
    return n >= 4 && csvb_text_ieq(base + n - 4, 4, ".tsv", 4) ? '\t' : ',';
}

const char *csvb_sniff_delimiter_name(char delimiter)
{
    static const char names[][2] = {
        [','] = ",", [';'] = ";", ['|'] = "|", [':'] = ":", [' '] = " ",
    };
    if (delimiter == '\t')
        return "tab";
    unsigned char c = (unsigned char)delimiter;
    return c < sizeof names / sizeof names[0] && names[c][0] != '\0' ? names[c] : "?";
}

const char *csvb_sniff_delimiter_word(char delimiter)
{
    switch (delimiter) {
    case ',':
        return "comma";
    case '\t':
        return "tab";
    case ';':
        return "semicolon";
    case '|':
        return "pipe";
    default:
        return NULL;
    }
}

bool csvb_peek_init(struct csvb_peek *p, struct csvb_source inner, size_t want)
{
    memset(p, 0, sizeof *p);
    p->inner = inner;
    if (want == 0)
        return true;
    if ((p->buf = malloc(want)) == NULL)
        return false;
    while (p->len < want) {
        long n = inner.fill(inner.ctx, p->buf + p->len, want - p->len);
        if (n <= 0) {
            p->ended = true;
            p->err = n < 0 ? (errno != 0 ? errno : EIO) : 0;
            break;
        }
        p->len += (size_t)n;
    }
    return true;
}

long csvb_peek_fill(void *ctx, char *dst, size_t cap)
{
    struct csvb_peek *p = ctx;
    if (p->pos < p->len) {
        size_t n = p->len - p->pos < cap ? p->len - p->pos : cap;
        memcpy(dst, p->buf + p->pos, n);
        p->pos += n;
        return (long)n;
    }
    if (p->ended) {
        if (p->err == 0)
            return 0;
        errno = p->err;
        return -1;
    }
    return p->inner.fill(p->inner.ctx, dst, cap);
}

void csvb_peek_fini(struct csvb_peek *p)
{
    if (p == NULL)
        return;
    free(p->buf);
    p->buf = NULL;
    p->len = p->pos = 0;
}
