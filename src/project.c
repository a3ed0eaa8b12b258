/* project.c — the output columns: the selected input columns, then the stamp. */
#include "csvbatch/project.h"

#include "csvbatch/text.h"

#include <stdlib.h>
#include <string.h>

#include "csvbatch/schema.h"

/* Copies the output header names into p->names and points p->header at them. */
static enum csvb_err copy_header(struct csvb_projection *p,
                                 const struct csvb_projection_config *cfg,
                                 const struct csvb_row *header, const char *stamp_column,
                                 struct csvb_diag *d)
{
    size_t total = stamp_column ? strlen(stamp_column) : 0;
    for (size_t i = 0; i < p->ncolumns; i++)
        total += p->columns[i] == CSVB_NO_COLUMN ? strlen(cfg->columns[i])
                                                 : header->fields[p->columns[i]].len;
    p->names = malloc(total + 1);
    p->header = calloc(p->nout ? p->nout : 1, sizeof *p->header);
    if (p->names == NULL || p->header == NULL)
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    size_t used = 0;
    for (size_t i = 0; i < p->nout; i++) {
        const char *src;
        size_t len;
        if (i < p->ncolumns && p->columns[i] == CSVB_NO_COLUMN) {
            src = cfg->columns[i];
            len = strlen(src);
        } else if (i < p->ncolumns) {
            src = header->fields[p->columns[i]].ptr;
            len = header->fields[p->columns[i]].len;
        } else {
            src = stamp_column;
            len = strlen(stamp_column);
        }
        if (len > 0)
            memcpy(p->names + used, src, len);
        p->header[i].ptr = p->names + used;
        p->header[i].len = len;
        used += len;
    }
    return CSVB_OK;
}

enum csvb_err csvb_projection_bind(struct csvb_projection *p,
                                   const struct csvb_projection_config *cfg,
                                   const struct csvb_row *header, struct csvb_diag *d)
{
    memset(p, 0, sizeof *p);
    size_t nsel = cfg->all_columns ? header->nfields : cfg->ncolumns;
    p->columns = calloc(nsel ? nsel : 1, sizeof *p->columns);
    p->out = calloc(nsel + 1, sizeof *p->out);
    if (p->columns == NULL || p->out == NULL)
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    for (size_t i = 0; i < nsel; i++) {
        if (cfg->all_columns) {
            p->columns[i] = i;
            continue;
        }
        enum csvb_err e = csvb_schema_lookup_in(header, cfg->delimiter, cfg->columns[i], "output",
                                                cfg->absent_is_null, &p->columns[i], d);
        if (e != CSVB_OK)
            return e;
    }
    p->ncolumns = nsel;
    p->nout = nsel;
    const char *stamp_column = cfg->stamp_column;
    if (stamp_column != NULL) {
        size_t slen = strlen(stamp_column);
        for (size_t i = 0; i < nsel; i++) {
            const char *name = p->columns[i] == CSVB_NO_COLUMN ? cfg->columns[i]
                                                               : header->fields[p->columns[i]].ptr;
            size_t len =
                p->columns[i] == CSVB_NO_COLUMN ? strlen(name) : header->fields[p->columns[i]].len;
            if (csvb_text_ieq(name, len, stamp_column, slen))
                return csvb_diag_set(d, CSVB_E_SCHEMA, header->line,
                                     "expected output columns with distinct names, found "
                                     "'%s' both selected and as the stamp column (use "
                                     "--stamp-column NAME or --no-stamp)",
                                     stamp_column);
        }
        p->stamp = cfg->stamp;
        p->stamp_len = strlen(cfg->stamp);
        p->nout = nsel + 1;
    }
    return copy_header(p, cfg, header, stamp_column, d);
}

const struct csvb_field *csvb_project(struct csvb_projection *p, const struct csvb_row *row)
{
    for (size_t i = 0; i < p->ncolumns; i++)
        p->out[i] = p->columns[i] == CSVB_NO_COLUMN ? (struct csvb_field){NULL, 0}
                                                    : row->fields[p->columns[i]];
    if (p->stamp != NULL) {
        p->out[p->ncolumns].ptr = p->stamp;
        p->out[p->ncolumns].len = p->stamp_len;
    }
    return p->out;
}

void csvb_projection_fini(struct csvb_projection *p)
{
    if (p == NULL)
        return;
    free(p->columns);
    free(p->out);
    free(p->header);
    free(p->names);
    p->columns = NULL;
    p->out = NULL;
    p->header = NULL;
    p->names = NULL;
}
