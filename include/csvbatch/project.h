/* project.h — pure mapping of a row to the output fields: borrowed pointers, no allocation. */
#ifndef CSVBATCH_PROJECT_H
#define CSVBATCH_PROJECT_H

#include <stddef.h>

#include "csvbatch/diag.h"
#include "csvbatch/options.h"
#include "csvbatch/reader.h"

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

/* Resolves --select (or Name,ID; '*' = every column) against header; the stamp column (unless
 * --no-stamp) follows. Errors: CSVB_E_SCHEMA (missing/ambiguous column, or an output column
 * named like the stamp column), CSVB_E_NOMEM. Call csvb_projection_fini afterwards, also on
 * error. */
enum csvb_err csvb_projection_bind(struct csvb_projection *p, const struct csvb_options *opt,
                                   const char *stamp, const struct csvb_row *header,
                                   struct csvb_diag *d);

/* Maps row to p->out (borrowing the row's fields and the stamp); returns p->out. */
const struct csvb_field *csvb_project(struct csvb_projection *p, const struct csvb_row *row);

/* Frees what bind allocated. NULL-safe, safe to call twice. */
void csvb_projection_fini(struct csvb_projection *p);

#endif
