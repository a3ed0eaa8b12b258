/* merge_reports.h — `csvbatch merge-reports`: the shards' --report files of one run put back
 * together into the one summary of the whole run (the present layer's renderers), one exit code. */
#ifndef CSVBATCH_MERGE_REPORTS_H
#define CSVBATCH_MERGE_REPORTS_H

#include <stddef.h>

#include "csvbatch/report_read.h"

/* The worse of two exit codes by the tool's rules (README "Errors and exit codes"): an
 * interruption (128 + signal) over a usage error (2) over a failure (1) over success (0); of two
 * interruptions, the first. */
int csvb_merge_worst_exit(int a, int b);

/* Checks that docs[0..n) (named by paths[]) are the shares 1..N of one plan, each once: CSVB_OK,
 * or CSVB_E_IO with d saying which is missing ("share 2 of 4 is missing"), given twice ("share 2
 * of 4 is given twice: A and B"), not a share's report, or from another plan (another count or
 * plan digest, "A is from another plan than B"). Then *order (caller frees) gets, for each file
 * of the whole run in input order, doc * total + file, where total = files_total; CSVB_E_IO when
 * the files' indexes do not cover 0..total-1 once each. */
enum csvb_err csvb_merge_reports_check(const struct csvb_report_doc *docs, const char *const *paths,
                                       size_t n, size_t **order, size_t *total,
                                       struct csvb_diag *d);

/* The subcommand: argv[0] is "merge-reports", then [--format table|csv|json] [--report FILE]
 * REPORT...; prints the merged summary on stdout, errors on stderr. Returns the exit status:
 * the worst of the shards' (csvb_merge_worst_exit), 1 when a report cannot be read or the shares
 * do not fit together (or the summary or --report cannot be written), 2 for a usage error. */
int csvb_merge_reports_main(int argc, char **argv);

#endif
