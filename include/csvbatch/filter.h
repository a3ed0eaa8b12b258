/* filter.h — a pure predicate over a row: every condition must hold. */
#ifndef CSVBATCH_FILTER_H
#define CSVBATCH_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "csvbatch/diag.h"
#include "csvbatch/options.h"
#include "csvbatch/reader.h"

struct csvb_condition {
    size_t column;
    const char *value; /* borrowed */
    size_t value_len;
    bool negate;
};

#define CSVB_FILTER_MAX 32

struct csvb_filter {
    struct csvb_condition conds[CSVB_FILTER_MAX];
    size_t nconds; /* 0 = every row passes */
    bool case_sensitive;
};

/* Resolves the --where conditions of opt against header into f. Errors: CSVB_E_SCHEMA. */
enum csvb_err csvb_filter_bind(struct csvb_filter *f, const struct csvb_options *opt,
                               const struct csvb_row *header, struct csvb_diag *d);

/* True when row satisfies every condition. row must have as many fields as the header. */
bool csvb_filter_match(const struct csvb_filter *f, const struct csvb_row *row);

#endif
