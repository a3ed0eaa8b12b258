/* filter.c — the row predicate: every --where condition must hold (default Status=Active). */
#include "csvbatch/filter.h"

#include <string.h>

#include "csvbatch/schema.h"

enum csvb_err csvb_filter_bind(struct csvb_filter *f, const struct csvb_options *opt,
                               const struct csvb_row *header, struct csvb_diag *d)
{
    f->nconds = 0;
    f->case_sensitive = opt->case_sensitive;
    for (size_t i = 0; i < opt->nwhere && i < CSVB_FILTER_MAX; i++) {
        const struct csvb_where *w = &opt->where[i];
        struct csvb_condition *c = &f->conds[f->nconds];
        enum csvb_err e = csvb_schema_lookup(header, w->column, "filter",
                                             opt->compat == CSVB_COMPAT_POWERSHELL, &c->column, d);
        if (e != CSVB_OK)
            return e;
        c->value = w->value;
        c->value_len = w->value_len;
        c->negate = w->negate;
        f->nconds++;
    }
    return CSVB_OK;
}

bool csvb_filter_match(const struct csvb_filter *f, const struct csvb_row *row)
{
    for (size_t i = 0; i < f->nconds; i++) {
        const struct csvb_condition *c = &f->conds[i];
        if (c->column == CSVB_NO_COLUMN || row->fields[c->column].ptr == NULL) {
            /* PowerShell's $null (absent column, padded field): -eq is false, -ne true */
            if (!c->negate)
                return false;
            continue;
        }
        const struct csvb_field *v = &row->fields[c->column];
        bool eq = f->case_sensitive
                      ? v->len == c->value_len && memcmp(v->ptr, c->value, v->len) == 0
                      : csvb_ascii_ieq(v->ptr, v->len, c->value, c->value_len);
        if (eq == c->negate)
            return false;
    }
    return true;
}
