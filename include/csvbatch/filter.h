/* filter.h — a pure predicate over a row: every condition must hold. */
#ifndef CSVBATCH_FILTER_H
#define CSVBATCH_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "csvbatch/diag.h"
#include "csvbatch/reader.h"

/* One condition as configured: COLUMN = VALUE, or COLUMN != VALUE when negate. Borrowed. */
struct csvb_filter_rule {
    const char *column;
    const char *value;
    size_t value_len;
    bool negate;
};

/* What the filter needs to know of the run (built once by plan; borrowed by every bind). */
struct csvb_filter_config {
    const struct csvb_filter_rule *rules; /* nrules entries; none = every row passes */
    size_t nrules;
    bool case_sensitive; /* false: ASCII case-insensitive, as PowerShell's -eq */
    bool absent_is_null; /* a column the header lacks is $null (PowerShell), not an error */
    char delimiter;      /* the input's, to show its header as read in messages; 0: ',' */
};

struct csvb_condition {
    size_t column;     /* CSVB_NO_COLUMN when absent_is_null found no such column */
    const char *value; /* borrowed from the rule */
    size_t value_len;
    bool negate;
};

struct csvb_filter {
    struct csvb_condition *conds; /* owned: nconds entries */
    size_t nconds;
    bool case_sensitive;
};

/* Resolves cfg's rules against header into f (which it initialises). Errors: CSVB_E_SCHEMA (a
 * missing or ambiguous column, message listing the header), CSVB_E_NOMEM. Call
 * csvb_filter_fini afterwards, also on error. */
enum csvb_err csvb_filter_bind(struct csvb_filter *f, const struct csvb_filter_config *cfg,
                               const struct csvb_row *header, struct csvb_diag *d);

/* True when row satisfies every condition. row must have as many fields as the header. A field
 * with a NULL ptr is $null: it equals nothing. */
bool csvb_filter_match(const struct csvb_filter *f, const struct csvb_row *row);

/* Frees what bind allocated. NULL-safe, safe to call twice. */
void csvb_filter_fini(struct csvb_filter *f);

#endif
