/* record.c — a record assembled field by field into an arena, within the size limits. */
#include "csvbatch/record.h"

#include <stdlib.h>
#include <string.h>

enum csvb_err csvb_record_init(struct csvb_record *rec, size_t max_size, struct csvb_diag *d)
{
    memset(rec, 0, sizeof *rec);
    rec->max_size = max_size;
    rec->arena_cap = 4096;
    rec->arena = malloc(rec->arena_cap);
    if (rec->arena == NULL)
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    return CSVB_OK;
}

void csvb_record_fini(struct csvb_record *rec)
{
    free(rec->fields);
    free(rec->offsets);
    free(rec->arena);
    rec->fields = NULL;
    rec->offsets = NULL;
    rec->arena = NULL;
    rec->nfields = rec->cap = rec->len = rec->arena_cap = 0;
}

enum csvb_err csvb_record_check(const struct csvb_record *rec, size_t field_len, unsigned long line,
                                struct csvb_diag *d)
{
    size_t max = rec->max_size;
    if (field_len > max)
        return csvb_diag_set(d, CSVB_E_LIMIT, line,
                             "expected fields of at most %zu bytes (--max-field-size), found a "
                             "larger one",
                             max);
    if (rec->len + field_len > max)
        return csvb_diag_set(d, CSVB_E_LIMIT, line,
                             "expected records of at most %zu bytes (--max-field-size), found a "
                             "larger one",
                             max);
    return CSVB_OK;
}

/* Makes room for one more field. Errors: CSVB_E_LIMIT, CSVB_E_NOMEM. */
static enum csvb_err reserve(struct csvb_record *rec, unsigned long line, struct csvb_diag *d)
{
    if (rec->nfields < rec->cap)
        return CSVB_OK;
    if (rec->nfields >= CSVB_RECORD_MAX_FIELDS)
        return csvb_diag_set(d, CSVB_E_LIMIT, line,
                             "expected at most %zu fields in a record, found more",
                             CSVB_RECORD_MAX_FIELDS);
    size_t cap = rec->cap ? rec->cap * 2 : 64;
    struct csvb_field *f = realloc(rec->fields, cap * sizeof *f);
    if (f == NULL)
        return csvb_diag_set(d, CSVB_E_NOMEM, line, "out of memory");
    rec->fields = f;
    size_t *o = realloc(rec->offsets, cap * sizeof *o);
    if (o == NULL)
        return csvb_diag_set(d, CSVB_E_NOMEM, line, "out of memory");
    rec->offsets = o;
    rec->cap = cap;
    return CSVB_OK;
}

enum csvb_err csvb_record_add_slow(struct csvb_record *rec, const char *data, size_t len,
                                   unsigned long line, struct csvb_diag *d)
{
    enum csvb_err e = reserve(rec, line, d);
    if (e == CSVB_OK)
        e = csvb_record_check(rec, len, line, d);
    if (e != CSVB_OK)
        return e;
    if (rec->len + len > rec->arena_cap) {
        size_t cap = rec->arena_cap ? rec->arena_cap : 4096;
        while (cap < rec->len + len)
            cap *= 2;
        char *a = realloc(rec->arena, cap);
        if (a == NULL)
            return csvb_diag_set(d, CSVB_E_NOMEM, line, "out of memory");
        rec->arena = a;
        rec->arena_cap = cap;
    }
    if (len > 0)
        memcpy(rec->arena + rec->len, data, len);
    rec->offsets[rec->nfields] = rec->len;
    rec->fields[rec->nfields].len = len;
    rec->len += len;
    rec->nfields++;
    return CSVB_OK;
}

void csvb_record_seal(struct csvb_record *rec)
{
    for (size_t i = 0; i < rec->nfields; i++)
        rec->fields[i].ptr = rec->arena + rec->offsets[i];
}

void csvb_record_clear(struct csvb_record *rec)
{
    rec->nfields = 0;
    rec->len = 0;
}
