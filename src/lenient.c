/* lenient.c — Python's non-strict csv grammar as a state machine (the rules: lenient.h). The
 * states are _csv.c's: START_RECORD, START_FIELD, IN_FIELD, IN_QUOTED_FIELD and
 * QUOTE_IN_QUOTED_FIELD; EAT_CRNL is not needed because the reader hands over CR and LF as the
 * last byte of a piece and a record ends at the first of them. */
#include "csvbatch/lenient.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum state { START_RECORD, START_FIELD, IN_FIELD, IN_QUOTED, QUOTE_IN_QUOTED };

struct csvb_lenient {
    struct csvb_csvfeed_calls calls;
    unsigned char delimiter;
    enum state state;
    char *field;
    size_t len, cap;
    bool nomem;
};

struct csvb_lenient *csvb_lenient_new(char delimiter, struct csvb_csvfeed_calls calls)
{
    struct csvb_lenient *l = calloc(1, sizeof *l);
    if (l == NULL)
        return NULL;
    l->calls = calls;
    l->delimiter = (unsigned char)delimiter;
    l->state = START_RECORD;
    return l;
}

void csvb_lenient_free(struct csvb_lenient *l)
{
    if (l == NULL)
        return;
    free(l->field);
    free(l);
}

static bool add(struct csvb_lenient *l, const char *s, size_t n)
{
    if (l->len + n > l->cap) {
        size_t cap = l->cap ? l->cap : 256;
        while (cap < l->len + n)
            cap = cap > SIZE_MAX / 2 ? l->len + n : cap * 2;
        char *p = realloc(l->field, cap);
        if (p == NULL) {
            l->nomem = true;
            return false;
        }
        l->field = p;
        l->cap = cap;
    }
    memcpy(l->field + l->len, s, n);
    l->len += n;
    return true;
}

static void save_field(struct csvb_lenient *l, enum state next)
{
    l->calls.field(l->calls.ctx, l->len > 0 ? l->field : "", l->len);
    l->len = 0;
    l->state = next;
}

static void end_record(struct csvb_lenient *l)
{
    save_field(l, START_RECORD);
    l->calls.record(l->calls.ctx);
}

/* The run of unquoted field bytes at s[0..n): up to a delimiter, CR or LF (quotes are text). */
static size_t plain_run(const struct csvb_lenient *l, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (unsigned char)s[i] != l->delimiter && s[i] != '\r' && s[i] != '\n')
        i++;
    return i;
}

/* One step at s[0..n) (n >= 1): returns the bytes consumed. */
static size_t step(struct csvb_lenient *l, const char *s, size_t n)
{
    unsigned char c = (unsigned char)s[0];
    bool eol = c == '\r' || c == '\n';
    switch (l->state) {
    case START_RECORD:
        if (eol)
            return 1; /* a blank line, or the LF of a CRLF: no record */
        l->state = START_FIELD;
        return 0;
    case START_FIELD:
        if (eol)
            end_record(l);
        else if (c == '"')
            l->state = IN_QUOTED;
        else if (c == l->delimiter)
            save_field(l, START_FIELD);
        else
            l->state = IN_FIELD;
        return l->state == IN_FIELD ? 0 : 1;
    case IN_FIELD: {
        size_t run = plain_run(l, s, n);
        if (run > 0)
            return add(l, s, run) ? run : n;
        if (eol)
            end_record(l);
        else
            save_field(l, START_FIELD);
        return 1;
    }
    case IN_QUOTED: {
        size_t run = 0;
        while (run < n && s[run] != '"')
            run++; /* delimiters and line breaks are text here */
        if (run > 0)
            return add(l, s, run) ? run : n;
        l->state = QUOTE_IN_QUOTED;
        return 1;
    }
    case QUOTE_IN_QUOTED:
        if (c == '"') {
            l->state = IN_QUOTED;
            return add(l, "\"", 1) ? 1 : n;
        }
        if (eol)
            end_record(l);
        else if (c == l->delimiter)
            save_field(l, START_FIELD);
        else
            l->state = IN_FIELD; /* text after a closing quote continues the field */
        return l->state == IN_FIELD ? 0 : 1;
    }
    return 1;
}

size_t csvb_lenient_piece(struct csvb_lenient *l, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && !l->nomem)
        i += step(l, s + i, n - i);
    return l->nomem ? 0 : n;
}

bool csvb_lenient_in_record(const struct csvb_lenient *l)
{
    return l->state != START_RECORD;
}

size_t csvb_lenient_pending(const struct csvb_lenient *l)
{
    return l->len;
}

bool csvb_lenient_finish(struct csvb_lenient *l)
{
    if (l->nomem)
        return false;
    if (l->state != START_RECORD)
        end_record(l); /* an open quoted field (or a last line without its line end) */
    return true;
}

void csvb_lenient_reset(struct csvb_lenient *l)
{
    l->len = 0;
    l->state = START_RECORD;
    l->nomem = false;
}
