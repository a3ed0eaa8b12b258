/* csvfeed.c — the one door to libcsv: strict and lenient parsing fed one line piece at a time.
 *
 * libcsv keeps its state in fields that csv.h shows but does not promise (pstate, entry_pos...).
 * We read none of them: where the parser is comes from its callbacks and from `at`, our model of
 * the grammar libcsv implements, which tests/test_csvfeed.c pins against libcsv's behaviour.
 * libcsv runs without CSV_STRICT in both modes, so that a quote inside an unquoted field is text
 * (as Python's csv reads it, strict or not); libcsv's strict mode would refuse it, and has no
 * option that refuses only the rest. The model runs over a piece before libcsv sees it (inside
 * a field with memchr, so a field costs little more than libcsv alone; a whole line with no
 * quote, outside quotes, needs no walk at all), and stops at what libcsv without CSV_STRICT
 * would read otherwise than we want: text after a closing quote.
 * Strict mode refuses it there (libcsv would go on in quoted mode), and refuses an open quoted
 * field at the end of input (libcsv's CSV_STRICT_FINI works only with CSV_STRICT). PowerShell
 * mode makes libcsv end the field there (a delimiter drops the closing quote and the blanks
 * after it, as libcsv does before any delimiter), keeps what it gave, and lets it parse the rest
 * as a new unquoted field that we glue on. Python's non-strict grammar (--quotes lenient) is not
 * libcsv's in either mode (see lenient.h): that mode forwards every call to lenient.c. */
#include "csvbatch/csvfeed.h"

#include <csv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/lenient.h"

/* Our model of libcsv's position (not libcsv's own constants: it keeps its own). */
enum at { AT_RECORD_START, AT_FIELD_START, IN_UNQUOTED, IN_QUOTED, AFTER_QUOTE };

enum step { STEP_OK, STEP_TEXT_AFTER_QUOTE, STEP_REFUSED };

struct buffer {
    char *data;
    size_t len, cap;
};

struct csvb_csvfeed {
    struct csv_parser parser;
    struct csvb_csvfeed_calls calls;
    unsigned char delimiter;
    bool lenient;
    enum at at;
    size_t held;   /* bytes libcsv holds for the field in progress */
    size_t blanks; /* of those, the trailing blanks libcsv would drop */
    bool nomem;
    enum csvb_csvfeed_refusal refusal;
    struct buffer blank_bytes; /* lenient: the blanks after the last closing quote */
    struct buffer glue;        /* lenient: the start of a field that goes on unquoted */
    bool capturing;            /* the next field is the glue's start */
    bool glued;                /* the next field is the glue's end */
    struct csvb_lenient *py;   /* CSVB_CSVFEED_PYTHON: every call goes there instead */
};

static bool append(struct csvb_csvfeed *f, struct buffer *b, const void *s, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n)
            cap = cap > SIZE_MAX / 2 ? b->len + n : cap * 2;
        char *p = realloc(b->data, cap);
        if (p == NULL) {
            f->nomem = true;
            return false;
        }
        b->data = p;
        b->cap = cap;
    }
    if (n > 0)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    return true;
}

static void on_field(void *data, size_t len, void *ctx)
{
    struct csvb_csvfeed *f = ctx;
    if (f->capturing) {
        append(f, &f->glue, data, len);
        return;
    }
    if (f->glued) {
        f->glued = false;
        if (append(f, &f->glue, data, len))
            f->calls.field(f->calls.ctx, f->glue.data, f->glue.len);
        f->glue.len = 0;
        return;
    }
    f->calls.field(f->calls.ctx, data, len);
}

static void on_record(int c, void *ctx)
{
    (void)c;
    struct csvb_csvfeed *f = ctx;
    f->calls.record(f->calls.ctx);
}

static int never_blank(unsigned char c)
{
    (void)c;
    return 0;
}

static bool blank(const struct csvb_csvfeed *f, unsigned char c)
{
    return f->lenient && (c == ' ' || c == '\t') && c != f->delimiter;
}

static void end_field(struct csvb_csvfeed *f, enum at next)
{
    f->at = next;
    f->held = f->blanks = 0;
}

static enum step at_start(struct csvb_csvfeed *f, unsigned char c)
{
    if (blank(f, c))
        return STEP_OK; /* lenient: blanks before a field are skipped */
    if (c == '\r' || c == '\n')
        end_field(f, AT_RECORD_START); /* ends the record, or is a blank line */
    else if (c == f->delimiter)
        end_field(f, AT_FIELD_START);
    else if (c == '"')
        f->at = IN_QUOTED;
    else {
        f->at = IN_UNQUOTED;
        f->held = 1;
    }
    return STEP_OK;
}

static enum step after_quote(struct csvb_csvfeed *f, unsigned char c)
{
    if (c == f->delimiter)
        end_field(f, AT_FIELD_START);
    else if (c == '\r' || c == '\n')
        end_field(f, AT_RECORD_START);
    else if (blank(f, c)) {
        f->held++;
        f->blanks++;
        append(f, &f->blank_bytes, &c, 1);
    } else if (c == '"' && f->blanks == 0) {
        f->at = IN_QUOTED; /* a doubled quote: libcsv already holds one */
    } else if (c == '"') {
        if (!f->lenient)
            return STEP_REFUSED;
        f->held++; /* lenient: a quote after blanks is text, still after a quote */
        f->blanks = f->blank_bytes.len = 0;
    } else {
        return f->lenient ? STEP_TEXT_AFTER_QUOTE : STEP_REFUSED;
    }
    return STEP_OK;
}

/* Moves the model over byte c, unless it is refused or (lenient) text after a closing quote. */
static enum step model_byte(struct csvb_csvfeed *f, unsigned char c)
{
    switch (f->at) {
    case AT_RECORD_START:
    case AT_FIELD_START:
        return at_start(f, c);
    case IN_UNQUOTED:
        if (c == f->delimiter)
            end_field(f, AT_FIELD_START);
        else if (c == '\r' || c == '\n')
            end_field(f, AT_RECORD_START);
        else {
            f->held++;
            f->blanks = blank(f, c) ? f->blanks + 1 : 0;
        }
        return STEP_OK;
    case IN_QUOTED:
        f->held++;
        if (c == '"') {
            f->at = AFTER_QUOTE;
            f->blanks = f->blank_bytes.len = 0;
        }
        return STEP_OK;
    case AFTER_QUOTE:
        return after_quote(f, c);
    }
    return STEP_OK;
}

/* Strict: how far the model goes over s[0..n) before a byte it refuses (n: none). Inside a
 * field, content is skipped with memchr: a long field streamed in pieces costs little more. */
static size_t model_strict(struct csvb_csvfeed *f, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        const char *stop = NULL;
        if (f->at == IN_QUOTED)
            stop = memchr(s + i, '"', n - i);
        else if (f->at == IN_UNQUOTED)
            stop = memchr(s + i, (char)f->delimiter, n - i);
        if (f->at == IN_QUOTED || f->at == IN_UNQUOTED) {
            /* a line end can only be the last byte; leave it to model_byte */
            size_t to = stop != NULL ? (size_t)(stop - s) : n - 1;
            if (to > i) {
                f->held += to - i;
                i = to;
            }
        }
        if (model_byte(f, (unsigned char)s[i]) != STEP_OK)
            return i;
        i++;
    }
    return n;
}

static size_t strict_piece(struct csvb_csvfeed *f, const char *s, size_t n)
{
    /* A whole line's end with no quote in it, outside quotes, ends its record: nothing there
     * can be refused, so the model only learns the record ended (the common slow-path piece). */
    bool plain = n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r') && f->at != IN_QUOTED &&
                 f->at != AFTER_QUOTE && memchr(s, '"', n) == NULL;
    size_t ok = plain ? n : model_strict(f, s, n);
    if (plain)
        end_field(f, AT_RECORD_START);
    if (ok > 0 && csv_parse(&f->parser, s, ok, on_field, on_record, f) != ok)
        f->nomem = true;
    if (f->nomem)
        f->refusal = CSVB_CSVFEED_NOMEM;
    else if (ok < n)
        f->refusal = CSVB_CSVFEED_AFTER_QUOTE; /* the only byte the strict model refuses */
    return f->nomem ? 0 : ok;
}

/* Lenient: the field in progress goes on unquoted with byte c (see the top of this file). */
static bool continue_unquoted(struct csvb_csvfeed *f, unsigned char c)
{
    f->capturing = true;
    size_t ended = csv_parse(&f->parser, &f->delimiter, 1, on_field, on_record, f);
    f->capturing = false;
    if (ended != 1 || f->nomem || !append(f, &f->glue, f->blank_bytes.data, f->blank_bytes.len))
        return false;
    f->glued = true;
    if (csv_parse(&f->parser, &c, 1, on_field, on_record, f) != 1)
        return false;
    f->at = IN_UNQUOTED; /* libcsv holds the same bytes, less the quote, plus c */
    f->blanks = 0;
    return true;
}

static size_t lenient_piece(struct csvb_csvfeed *f, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && model_byte(f, (unsigned char)s[j]) == STEP_OK)
            j++;
        if (j > i && csv_parse(&f->parser, s + i, j - i, on_field, on_record, f) != j - i)
            f->nomem = true;
        if (f->nomem || (j < n && !continue_unquoted(f, (unsigned char)s[j]))) {
            f->refusal = CSVB_CSVFEED_NOMEM;
            return i;
        }
        i = j + 1;
    }
    return n;
}

struct csvb_csvfeed *csvb_csvfeed_new(char delimiter, enum csvb_csvfeed_mode mode,
                                      struct csvb_csvfeed_calls calls)
{
    return csvb_csvfeed_new_escaped(delimiter, mode, '\0', calls);
}

struct csvb_csvfeed *csvb_csvfeed_new_escaped(char delimiter, enum csvb_csvfeed_mode mode,
                                              char escape, struct csvb_csvfeed_calls calls)
{
    bool lenient = mode == CSVB_CSVFEED_POWERSHELL;
    struct csvb_csvfeed *f = calloc(1, sizeof *f);
    if (f == NULL)
        return NULL;
    bool python = mode == CSVB_CSVFEED_PYTHON || (escape != '\0' && !lenient);
    if (python && (f->py = csvb_lenient_new_dialect(delimiter, escape, mode == CSVB_CSVFEED_STRICT,
                                                    calls)) == NULL) {
        free(f);
        return NULL;
    }
    if (csv_init(&f->parser, 0) != 0) { /* not CSV_STRICT: see the top of this file */
        csvb_lenient_free(f->py);
        free(f);
        return NULL;
    }
    f->calls = calls;
    f->delimiter = (unsigned char)delimiter;
    f->lenient = lenient;
    f->at = AT_RECORD_START;
    csv_set_delim(&f->parser, f->delimiter);
    if (!lenient)
        csv_set_space_func(&f->parser, never_blank);
    csv_set_blk_size(&f->parser, (size_t)64 << 10); /* big fields grow in few steps */
    return f;
}

void csvb_csvfeed_free(struct csvb_csvfeed *f)
{
    if (f == NULL)
        return;
    csv_free(&f->parser);
    csvb_lenient_free(f->py);
    free(f->blank_bytes.data);
    free(f->glue.data);
    free(f);
}

size_t csvb_csvfeed_piece(struct csvb_csvfeed *f, const char *s, size_t n)
{
    f->refusal = CSVB_CSVFEED_ACCEPTED;
    if (f->py != NULL) {
        size_t done = csvb_lenient_piece(f->py, s, n);
        if (done < n)
            f->refusal = csvb_lenient_stopped(f->py) == CSVB_LENIENT_AFTER_QUOTE
                             ? CSVB_CSVFEED_AFTER_QUOTE
                             : CSVB_CSVFEED_NOMEM;
        return done;
    }
    return f->lenient ? lenient_piece(f, s, n) : strict_piece(f, s, n);
}

enum csvb_csvfeed_refusal csvb_csvfeed_refused(const struct csvb_csvfeed *f)
{
    return f->refusal;
}

bool csvb_csvfeed_in_record(const struct csvb_csvfeed *f)
{
    if (f->py != NULL)
        return csvb_lenient_in_record(f->py);
    return f->at != AT_RECORD_START;
}

size_t csvb_csvfeed_pending(const struct csvb_csvfeed *f)
{
    return f->py != NULL ? csvb_lenient_pending(f->py) : f->held;
}

static void back_to_start(struct csvb_csvfeed *f)
{
    end_field(f, AT_RECORD_START);
    f->blank_bytes.len = f->glue.len = 0;
    f->capturing = f->glued = false;
}

bool csvb_csvfeed_finish(struct csvb_csvfeed *f)
{
    f->refusal = CSVB_CSVFEED_ACCEPTED;
    if (f->py != NULL) {
        if (csvb_lenient_finish(f->py))
            return true;
        if (csvb_lenient_stopped(f->py) == CSVB_LENIENT_NOMEM)
            f->refusal = CSVB_CSVFEED_NOMEM;
        return false; /* strict: the input ends cut in a field */
    }
    if (!f->lenient && f->at == IN_QUOTED)
        return false; /* strict: a quoted field open at the end of input */
    if (csv_fini(&f->parser, on_field, on_record, f) != 0)
        return false;
    back_to_start(f);
    if (f->nomem) {
        f->refusal = CSVB_CSVFEED_NOMEM;
        return false;
    }
    return true;
}

void csvb_csvfeed_reset(struct csvb_csvfeed *f)
{
    if (f->py != NULL)
        csvb_lenient_reset(f->py);
    csv_fini(&f->parser, NULL, NULL, NULL); /* without CSV_STRICT_FINI it drops an open field */
    back_to_start(f);
    f->nomem = false;
    f->refusal = CSVB_CSVFEED_ACCEPTED;
}
