/* report.h — results to a table, CSV or JSON summary. */
#ifndef CSVBATCH_REPORT_H
#define CSVBATCH_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "csvbatch/outputs.h"
#include "csvbatch/options.h"
#include "csvbatch/result.h"

struct csvb_totals {
    size_t files, succeeded, failed, skipped;
    uint64_t rows_read, rows_written, rows_rejected, bytes_read, bytes_written;
    double seconds; /* wall time of the whole run */
};

/* Sums results into t (seconds = wall, given). */
void csvb_totals_sum(const struct csvb_result *results, size_t n, double wall,
                     struct csvb_totals *t);

/* Renders the summary in opt->format to out. Returns 0, or -1 when writing out failed. */
int csvb_report_write(FILE *out, const struct csvb_options *opt, const struct csvb_joblist *list,
                      const struct csvb_result *results, const struct csvb_totals *t);

/* Prints, for every file with preview rows, an aligned table of them (header included). */
void csvb_report_previews(FILE *out, const struct csvb_joblist *list,
                          const struct csvb_result *results);

/* What the run report adds to the summary. Strings borrowed. */
struct csvb_run_info {
    const char *started_at, *finished_at; /* UTC ISO 8601 */
    const char *stamp;
    int exit_code;
    int signal;  /* 0, or the signal that interrupted the run */
    int threads; /* -j in effect */
};

/* Writes the JSON run report (tool, version, times, stamp, exit code, options, then the summary)
 * to path atomically. Returns 0, or -1 with d filled. */
int csvb_report_file(const char *path, const struct csvb_options *opt,
                     const struct csvb_joblist *list, const struct csvb_result *results,
                     const struct csvb_totals *t, const struct csvb_run_info *info,
                     struct csvb_diag *d);

/* The status word used in the table and CSV ("Success", "Failed", "Skipped"). */
const char *csvb_status_name(enum csvb_status s);

#endif
