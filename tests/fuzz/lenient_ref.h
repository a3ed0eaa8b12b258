/* lenient_ref.h — the fuzz target's reference for --quotes lenient and strict: CPython's _csv.c
 * reader loop (strict=False or strict=True, default dialect, or with an escapechar for --escape)
 * written plainly over the whole input,
 * independent of lenient.c's piece feeding, with the reader's conventions: a UTF-8 BOM stripped,
 * blank lines (Python's []) dropped, each record tagged with the line it starts on (LF, CRLF, lone
 * CR). It serialises rows as fuzz_reader.c's on_row does, so the two captures compare byte for
 * byte. */
#ifndef CSVB_FUZZ_LENIENT_REF_H
#define CSVB_FUZZ_LENIENT_REF_H

enum ref_state {
    REF_START_RECORD,
    REF_START_FIELD,
    REF_IN_FIELD,
    REF_IN_QUOTED,
    REF_QUOTE_IN_QUOTED,
    REF_ESCAPED,           /* ESCAPED_CHAR */
    REF_AFTER_ESCAPED,     /* AFTER_ESCAPED_CRNL */
    REF_ESCAPED_IN_QUOTED, /* ESCAPE_IN_QUOTED_FIELD */
    REF_COMMENT            /* --comment: a line that starts with it at record start (not Python) */
};

struct ref {
    struct capture *out;
    struct capture fields; /* the record in progress: (len, bytes) pairs */
    struct capture field;
    size_t nfields, longest;
    unsigned long line;
};

static void ref_save(struct ref *r)
{
    put(&r->fields, &r->field.len, sizeof r->field.len);
    put(&r->fields, r->field.text, r->field.len);
    r->longest = r->field.len > r->longest ? r->field.len : r->longest;
    r->field.len = 0;
    r->nfields++;
}

static void ref_record(struct ref *r)
{
    ref_save(r);
    put(r->out, "R", 1);
    put(r->out, &r->nfields, sizeof r->nfields);
    put(r->out, &r->line, sizeof r->line);
    put(r->out, r->fields.text, r->fields.len);
    r->fields.len = 0;
    r->nfields = 0;
}

/* The reference rows of data[0..size) into out; returns the longest field (the caller skips the
 * comparison when it is over the reader's limit). strict: Python's strict=True, which raises
 * (*raised, out holding the records before) at text after a closing quote and at a quoted field
 * open at the end; a quote inside an unquoted field is text in both. */
static size_t python_reference_dialect(const uint8_t *data, size_t size, bool strict, int escape,
                                       int comment, bool *raised, struct capture *out)
{
    *raised = false;
    struct ref r = {out, {NULL, 0, 0, NULL}, {NULL, 0, 0, NULL}, 0, 0, 1};
    put(&r.fields, "", 0);
    put(&r.field, "", 0);
    size_t i = size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    enum ref_state st = REF_START_RECORD;
    unsigned long line = 1;
    for (; i < size; i++) {
        char c = (char)data[i];
        bool eol = c == '\r' || c == '\n';
        if (st == REF_COMMENT && eol)
            st = REF_START_RECORD; /* its line end: a blank line after it is none */
        else if (st == REF_START_RECORD && (unsigned char)c == comment)
            st = REF_COMMENT;
        else if (st == REF_START_RECORD) {
            if (!eol) {
                st = REF_START_FIELD;
                r.line = line;
            }
        }
        switch (st) {
        case REF_START_RECORD:
        case REF_COMMENT:
            break;
        case REF_START_FIELD:
            if (eol) {
                ref_record(&r);
                st = REF_START_RECORD;
            } else if (c == '"') {
                st = REF_IN_QUOTED;
            } else if ((unsigned char)c == escape) {
                st = REF_ESCAPED;
            } else if (c == ',') {
                ref_save(&r);
            } else {
                put(&r.field, &c, 1);
                st = REF_IN_FIELD;
            }
            break;
        case REF_ESCAPED:
            put(&r.field, &c, 1);
            st = eol ? REF_AFTER_ESCAPED : REF_IN_FIELD;
            break;
        case REF_ESCAPED_IN_QUOTED:
            put(&r.field, &c, 1);
            st = REF_IN_QUOTED;
            break;
        case REF_AFTER_ESCAPED:
        case REF_IN_FIELD:
            st = REF_IN_FIELD;
            if (eol) {
                ref_record(&r);
                st = REF_START_RECORD;
            } else if ((unsigned char)c == escape) {
                st = REF_ESCAPED;
            } else if (c == ',') {
                ref_save(&r);
                st = REF_START_FIELD;
            } else {
                put(&r.field, &c, 1);
            }
            break;
        case REF_IN_QUOTED:
            if ((unsigned char)c == escape)
                st = REF_ESCAPED_IN_QUOTED;
            else if (c == '"')
                st = REF_QUOTE_IN_QUOTED;
            else
                put(&r.field, &c, 1);
            break;
        case REF_QUOTE_IN_QUOTED:
            if (c == '"') {
                put(&r.field, &c, 1);
                st = REF_IN_QUOTED;
            } else if (c == ',') {
                ref_save(&r);
                st = REF_START_FIELD;
            } else if (eol) {
                ref_record(&r);
                st = REF_START_RECORD;
            } else if (strict) {
                *raised = true;
                size = i; /* nothing after it is read */
            } else {
                put(&r.field, &c, 1);
                st = REF_IN_FIELD;
            }
            break;
        }
        if (c == '\n' ? !(i > 0 && data[i - 1] == '\r') : c == '\r')
            line++;
    }
    /* the end of the last line (_csv.c's EOL), then of the data: an escape character there
     * escapes a line feed; an input cut in a field raises strictly ("unexpected end of data") */
    bool cut = false;
    if (!*raised && (st == REF_ESCAPED || st == REF_ESCAPED_IN_QUOTED)) {
        put(&r.field, "\n", 1);
        cut = true;
    }
    cut = cut || st == REF_AFTER_ESCAPED || st == REF_IN_QUOTED;
    if (strict && cut && !*raised)
        *raised = true;
    else if (st != REF_START_RECORD && st != REF_COMMENT && !*raised)
        ref_record(&r); /* a last line without its end, or a quote open to the end */
    free(r.fields.text);
    free(r.field.text);
    return r.longest;
}

static size_t python_reference(const uint8_t *data, size_t size, bool strict, bool *raised,
                               struct capture *out)
{
    return python_reference_dialect(data, size, strict, -1, -1, raised, out);
}

#endif
