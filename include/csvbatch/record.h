/* record.h — the record libcsv's path assembles for the sink: fields copied into an arena (libcsv
 * reuses its buffer), with the limits on field count and size that both parsing paths apply. */
#ifndef CSVBATCH_RECORD_H
#define CSVBATCH_RECORD_H

#include <stddef.h>
#include <string.h>

#include "csvbatch/diag.h"
#include "csvbatch/row.h"

/* A record with more fields than this is refused: bounds memory on hostile input. */
#define CSVB_RECORD_MAX_FIELDS ((size_t)1 << 20)

struct csvb_record {
    struct csvb_field *fields; /* valid after csvb_record_seal */
    size_t *offsets;           /* field starts in arena */
    size_t nfields, cap;
    char *arena;
    size_t len, arena_cap; /* len: bytes of the fields so far */
    size_t max_size;       /* the limit for one field and for the record's fields together */
};

/* An empty record (allocates the arena, so that empty fields point somewhere). Errors:
 * CSVB_E_NOMEM. Free with csvb_record_fini, also after a failed init. */
enum csvb_err csvb_record_init(struct csvb_record *rec, size_t max_size, struct csvb_diag *d);

/* Frees the tables (NULL-safe, safe twice). */
void csvb_record_fini(struct csvb_record *rec);

/* Would a field of field_len bytes fit, alone and after the fields so far? Errors: CSVB_E_LIMIT
 * (the field first, then the record), at `line`. */
enum csvb_err csvb_record_check(const struct csvb_record *rec, size_t field_len, unsigned long line,
                                struct csvb_diag *d);

/* csvb_record_add when a table must grow or a limit is passed. */
enum csvb_err csvb_record_add_slow(struct csvb_record *rec, const char *data, size_t len,
                                   unsigned long line, struct csvb_diag *d);

/* Appends a copy of data[0..len). Errors at `line`: CSVB_E_LIMIT (more than
 * CSVB_RECORD_MAX_FIELDS fields; then the sizes, as csvb_record_check), CSVB_E_NOMEM. Inline:
 * it runs once per field on libcsv's path. */
static inline enum csvb_err csvb_record_add(struct csvb_record *rec, const char *data, size_t len,
                                            unsigned long line, struct csvb_diag *d)
{
    size_t end = rec->len + len;
    if (rec->nfields == rec->cap || len > rec->max_size || end > rec->max_size ||
        end > rec->arena_cap || end < len)
        return csvb_record_add_slow(rec, data, len, line, d);
    if (len > 0)
        memcpy(rec->arena + rec->len, data, len);
    rec->offsets[rec->nfields] = rec->len;
    rec->fields[rec->nfields++].len = len;
    rec->len = end;
    return CSVB_OK;
}

/* Points the fields into the arena: call before handing rec->fields out. */
void csvb_record_seal(struct csvb_record *rec);

/* Empties the record, keeping its tables. */
void csvb_record_clear(struct csvb_record *rec);

#endif
