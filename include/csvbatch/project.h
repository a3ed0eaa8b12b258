/* project.h — pure mapping of a row to the output fields: borrowed pointers, no allocation. */
#ifndef CSVBATCH_PROJECT_H
#define CSVBATCH_PROJECT_H

#include <stdbool.h>
#include <stddef.h>

#include "csvbatch/diag.h"
#include "csvbatch/reader.h"

/* What the projection needs to know of the run (built once by plan; borrowed by every bind). */
struct csvb_projection_config {
    const char *const *columns; /* ncolumns names to select, in output order */
    size_t ncolumns;
    bool all_columns;         /* '*': every input column, in input order (columns unused) */
    const char *stamp_column; /* name of the stamp column; NULL = no stamp column */
    const char *stamp;        /* its value in every row */
    bool absent_is_null;      /* a selected column the header lacks is $null (PowerShell) */
    char delimiter;           /* the input's, to show its header as read in messages; 0: ',' */
};

struct csvb_projection {
    size_t *columns; /* owned: input index of each output column */
    size_t ncolumns;
    const char *stamp; /* borrowed; NULL = no stamp column */
    size_t stamp_len;
    struct csvb_field *out;    /* owned scratch: ncolumns (+1) fields */
    struct csvb_field *header; /* owned: output header fields, pointing into names */
    char *names;               /* owned copy of the output header names */
    size_t nout;               /* fields per output row */
};

/* Resolves cfg's columns (or every column) against header; the stamp column, when configured,
 * follows. Errors: CSVB_E_SCHEMA (missing/ambiguous column, or an output column named like the
 * stamp column), CSVB_E_NOMEM. Call csvb_projection_fini afterwards, also on error. */
enum csvb_err csvb_projection_bind(struct csvb_projection *p,
                                   const struct csvb_projection_config *cfg,
                                   const struct csvb_row *header, struct csvb_diag *d);

/* Maps row to p->out (borrowing the row's fields and the stamp); returns p->out. */
const struct csvb_field *csvb_project(struct csvb_projection *p, const struct csvb_row *row);

/* Frees what bind allocated. NULL-safe, safe to call twice. */
void csvb_projection_fini(struct csvb_projection *p);

#endif
