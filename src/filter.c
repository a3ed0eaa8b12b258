/* filter.c — the row predicate: every --where condition must hold (default Status=Active). */
#include "csvbatch/filter.h"

#include "csvbatch/text.h"

#include <stdlib.h>
#include <string.h>

#include "csvbatch/schema.h"

enum csvb_err csvb_filter_bind(struct csvb_filter *f, const struct csvb_filter_config *cfg,
                               const struct csvb_row *header, struct csvb_diag *d)
{
    memset(f, 0, sizeof *f);
    f->case_sensitive = cfg->case_sensitive;
    if (cfg->nrules == 0)
        return CSVB_OK;
    if ((f->conds = calloc(cfg->nrules, sizeof *f->conds)) == NULL)
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    for (size_t i = 0; i < cfg->nrules; i++) {
        const struct csvb_filter_rule *r = &cfg->rules[i];
        struct csvb_condition *c = &f->conds[i];
        enum csvb_err e = csvb_schema_lookup_in(header, cfg->delimiter, r->column, "filter",
                                                cfg->absent_is_null, &c->column, d);
        if (e != CSVB_OK)
            return e;
        c->value = r->value;
        c->value_len = r->value_len;
        c->negate = r->negate;
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
                      : csvb_text_ieq(v->ptr, v->len, c->value, c->value_len);
        if (eq == c->negate)
            return false;
    }
    return true;
}

void csvb_filter_fini(struct csvb_filter *f)
{
    if (f == NULL)
        return;
    free(f->conds);
    f->conds = NULL;
    f->nconds = 0;
}
