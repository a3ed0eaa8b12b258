/* report_github.h — GitHub Actions: workflow commands (annotations) and the Markdown step
 * summary. Pure text to a FILE: the caller decides where (stdout, GITHUB_STEP_SUMMARY). */
#ifndef CSVBATCH_REPORT_GITHUB_H
#define CSVBATCH_REPORT_GITHUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "csvbatch/diag.h"
#include "csvbatch/options.h" /* enum csvb_annotations (--annotations auto|github|none) */
#include "csvbatch/report.h"
#include "csvbatch/result.h"
#include "csvbatch/results.h"
#include "csvbatch/rusage.h"

/* Whether workflow commands are printed: github yes, none no, auto when github_actions (the value
 * of GITHUB_ACTIONS, NULL when unset) is exactly "true", as the runner sets it. */
bool csvb_github_enabled(enum csvb_annotations mode, const char *github_actions);

/* The escaping GitHub documents for workflow commands (actions/toolkit, packages/core/src/
 * command.ts, escapeData and escapeProperty): data (the message) '%' -> %25, CR -> %0D,
 * LF -> %0A; a property value (file, title) also ':' -> %3A and ',' -> %2C. Other bytes are kept
 * as they are. Returns a new string the caller frees with free(), or NULL when out of memory. */
char *csvb_github_escape_data(const char *s);
char *csvb_github_escape_property(const char *s);

/* Prints one workflow command line, "::LEVEL file=FILE,line=N,title=TITLE::MESSAGE\n", with
 * file omitted when NULL, line when 0, title when NULL (and "::LEVEL::MESSAGE" when all three
 * are). level is "error", "warning" or "notice"; anything else (NULL too) prints as "error".
 * Values are escaped as above; other control characters (all below 0x20 but tab, and 0x7F) are
 * first rendered as the text \xNN, as csvbatch's diagnostics on stderr render them, so that a
 * file name cannot write an escape sequence into the job log. */
void csvb_github_annotate(FILE *out, const char *level, const char *file, unsigned long line,
                          const char *title, const char *message);

/* The annotation for one file's result: "error" for a failed file, "notice" for a skipped one
 * with a message, nothing for a success; title "csvbatch", line from r->diag. */
void csvb_github_annotate_result(FILE *out, const char *path, const struct csvb_result *r);

/* One row of the step summary. All borrowed. */
struct csvb_github_file {
    const char *path;                 /* the input, as the table shows it */
    const char *output;               /* the output written, NULL when none */
    const struct csvb_result *result; /* status, rows, the diagnostic */
};

/* Writes the Markdown step summary: a heading, a table (File, Status, Rows, Output, Error) with
 * the failed files first and the others after them, each group in input order, then the totals
 * (seconds: the run's wall time) and, when usage is non-NULL, peak memory and CPU time. Cells are
 * escaped so that no text can change the table: Markdown's special characters (\ ` * _ [ ] < >
 * | ~ & $) get a backslash, control characters and bytes that are not UTF-8 show as \xNN (a line
 * feed as \n). Returns 0, or -1 when writing to out failed. */
int csvb_github_summary(FILE *out, const struct csvb_github_file *files, size_t n, double seconds,
                        const struct csvb_rusage *usage);

/* Appends the step summary to the file at path (GITHUB_STEP_SUMMARY), creating it if missing,
 * with a checked close. Errors: CSVB_E_IO naming path. */
enum csvb_err csvb_github_summary_append(const char *path, const struct csvb_github_file *files,
                                         size_t n, double seconds, const struct csvb_rusage *usage,
                                         struct csvb_diag *d);

/* ---- The run, from the summary's data (main calls these when annotations are on). ---- */

/* The workflow commands of a run to out: one "::notice title=csvbatch::TEXT" per notice of the
 * list (list->notices), then csvb_github_annotate_result for each job, in input order. */
void csvb_report_github_annotations(FILE *out, const struct csvb_joblist *list,
                                    const struct csvb_results *results);

/* Appends the run's step summary (csvb_github_summary_append: every job, its output as the
 * summary shows it, the totals' wall time and, with t->have_usage, the usage) to path. */
enum csvb_err csvb_report_github_summary(const char *path, const struct csvb_joblist *list,
                                         const struct csvb_results *results,
                                         const struct csvb_totals *t, struct csvb_diag *d);

#endif
