/* lenient.c — Python's csv grammar as a state machine (the rules: lenient.h). The states are
 * _csv.c's: START_RECORD, START_FIELD, IN_FIELD, IN_QUOTED_FIELD and QUOTE_IN_QUOTED_FIELD, and
 * with an escape character ESCAPED_CHAR, AFTER_ESCAPED_CRNL and ESCAPE_IN_QUOTED_FIELD; EAT_CRNL
 * is not needed because the reader hands over CR and LF as the last byte of a piece and a record
 * ends at the first of them. */
#include "csvbatch/lenient.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* With an escape character, _csv.c's ESCAPED_CHAR, AFTER_ESCAPED_CRNL and
 * ESCAPE_IN_QUOTED_FIELD too. */
enum state {
    START_RECORD,
    START_FIELD,
    IN_FIELD,
    IN_QUOTED,
    QUOTE_IN_QUOTED,
    ESCAPED,       /* after the escape character outside quotes: the next byte is text */
    AFTER_ESCAPED, /* after an escaped CR or LF: IN_FIELD, but the input may not end here */
    ESCAPED_IN_QUOTED
};

struct csvb_lenient {
    struct csvb_csvfeed_calls calls;
    unsigned char delimiter;
    int escape; /* the escape character, or -1 */
    bool strict;
    enum state state;
    enum csvb_lenient_stop stop;
    char *field;
    size_t len, cap;
    bool nomem;
};

struct csvb_lenient *csvb_lenient_new_dialect(char delimiter, char escape, bool strict,
                                              struct csvb_csvfeed_calls calls)
{
    struct csvb_lenient *l = calloc(1, sizeof *l);
    if (l == NULL)
        return NULL;
    l->calls = calls;
    l->delimiter = (unsigned char)delimiter;
    l->escape = escape != '\0' ? (unsigned char)escape : -1;
    l->strict = strict;
    l->state = START_RECORD;
    return l;
}

struct csvb_lenient *csvb_lenient_new(char delimiter, struct csvb_csvfeed_calls calls)
{
    return csvb_lenient_new_dialect(delimiter, '\0', false, calls);
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

/* The run of unquoted field bytes at s[0..n): up to a delimiter, CR, LF or the escape
 * character (quotes are text). */
static size_t plain_run(const struct csvb_lenient *l, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (unsigned char)s[i] != l->delimiter && s[i] != '\r' && s[i] != '\n' &&
           (unsigned char)s[i] != l->escape)
        i++;
    return i;
}

/* One escaped byte: text whatever it is; next: the state after it. */
static size_t escaped(struct csvb_lenient *l, const char *s, size_t n, enum state next)
{
    l->state = next;
    return add(l, s, 1) ? 1 : n;
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
        else if (c == l->escape)
            l->state = ESCAPED;
        else if (c == l->delimiter)
            save_field(l, START_FIELD);
        else
            l->state = IN_FIELD;
        return l->state == IN_FIELD ? 0 : 1;
    case ESCAPED: /* an escaped CR or LF is text, and the record goes on past it */
        return escaped(l, s, n, eol ? AFTER_ESCAPED : IN_FIELD);
    case ESCAPED_IN_QUOTED:
        return escaped(l, s, n, IN_QUOTED);
    case AFTER_ESCAPED:
    case IN_FIELD: {
        l->state = IN_FIELD;
        size_t run = plain_run(l, s, n);
        if (run > 0)
            return add(l, s, run) ? run : n;
        if (eol)
            end_record(l);
        else if (c == l->escape)
            l->state = ESCAPED;
        else
            save_field(l, START_FIELD);
        return 1;
    }
    case IN_QUOTED: {
        size_t run = 0;
        while (run < n && s[run] != '"' && (unsigned char)s[run] != l->escape)
            run++; /* delimiters and line breaks are text here */
        if (run > 0)
            return add(l, s, run) ? run : n;
        l->state = c == '"' ? QUOTE_IN_QUOTED : ESCAPED_IN_QUOTED;
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
        else if (l->strict) {
            l->stop = CSVB_LENIENT_AFTER_QUOTE; /* "',' expected after '\"'" */
            return 0;
        } else { /* text after a closing quote continues the field: this byte is text even
                    when it is the escape character (_csv.c adds it as it is) */
            l->state = IN_FIELD;
            return add(l, s, 1) ? 1 : n;
        }
        return 1;
    }
    return 1;
}

size_t csvb_lenient_piece(struct csvb_lenient *l, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && !l->nomem && l->stop == CSVB_LENIENT_READING)
        i += step(l, s + i, n - i);
    if (l->nomem)
        l->stop = CSVB_LENIENT_NOMEM;
    return l->stop == CSVB_LENIENT_NOMEM ? 0 : i;
}

enum csvb_lenient_stop csvb_lenient_stopped(const struct csvb_lenient *l)
{
    return l->stop;
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
    if (l->nomem || l->stop != CSVB_LENIENT_READING)
        return false;
    /* _csv.c's end of a line, at the end of the input: an escape character there escapes a
     * line feed (it is the field's last byte); then "unexpected end of data" strictly, as for a
     * quoted field left open or an escaped line break the input ends after. */
    if ((l->state == ESCAPED || l->state == ESCAPED_IN_QUOTED) && !add(l, "\n", 1)) {
        l->stop = CSVB_LENIENT_NOMEM;
        return false;
    }
    bool open = l->state == IN_QUOTED || l->state == ESCAPED_IN_QUOTED || l->state == ESCAPED ||
                l->state == AFTER_ESCAPED;
    if (l->strict && open) {
        l->stop = CSVB_LENIENT_OPEN_AT_END;
        return false;
    }
    if (l->state != START_RECORD)
        end_record(l); /* an open quoted field (or a last line without its line end) */
    return true;
}

void csvb_lenient_reset(struct csvb_lenient *l)
{
    l->len = 0;
    l->state = START_RECORD;
    l->nomem = false;
    l->stop = CSVB_LENIENT_READING;
}
