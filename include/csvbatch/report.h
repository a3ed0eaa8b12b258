/* report.h — results to a table, CSV or JSON summary. */
#ifndef CSVBATCH_REPORT_H
#define CSVBATCH_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "csvbatch/enumerate.h"
#include "csvbatch/options.h"
#include "csvbatch/result.h"

struct csvb_totals {
    size_t files, succeeded, failed, skipped;
    uint64_t rows_read, rows_written, bytes_read, bytes_written;
    double seconds; /* wall time of the whole run */
};

/* Sums results into t (seconds = wall, given). */
void csvb_totals_sum(const struct csvb_result *results, size_t n, double wall,
                     struct csvb_totals *t);

/* Renders the summary in format to out. Returns 0, or -1 when writing out failed. */
int csvb_report_write(FILE *out, enum csvb_format format, bool dry_run,
                      const struct csvb_joblist *list, const struct csvb_result *results,
                      const struct csvb_totals *t);

/* The status word used in the table and CSV ("Success", "Failed", "Skipped"). */
const char *csvb_status_name(enum csvb_status s);

#endif
