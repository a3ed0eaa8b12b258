/* report.h — the present layer: results to text for people (an aligned table, the totals line,
 * the previews) and for programs (CSV, JSON, the --report file).
 *
 * One header, one section per renderer: report.c (what they share: totals, status words, the
 * cells), report_table.c, report_csv.c, report_json.c (the only file that includes jansson).
 * Renderers only read the results; they never change them. Text shown on a terminal (table,
 * previews) goes through csvb_text_put_escaped, so a control byte in a path or field cannot
 * move the cursor; CSV and JSON carry every byte (quoted, or as JSON escapes). */
#ifndef CSVBATCH_REPORT_H
#define CSVBATCH_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "csvbatch/outputs.h"
#include "csvbatch/options.h"
#include "csvbatch/result.h"
#include "csvbatch/results.h"
#include "csvbatch/rusage.h"
#include "csvbatch/shard.h"

/* ---- Shared (report.c) ------------------------------------------------------------------- */

struct csvb_totals {
    size_t files, succeeded, failed, skipped;
    size_t unchanged; /* --incremental: outputs up to date, not redone */
    uint64_t rows_read, rows_written, rows_rejected, rows_padded, bytes_read, bytes_written;
    double seconds;           /* wall time of the whole run */
    bool have_usage;          /* usage holds the run's figures (main sets both after the run) */
    struct csvb_rusage usage; /* peak memory and CPU time; shown only when have_usage */
};

/* Sums results[0..n) into t (seconds = wall, given; have_usage false, usage zero). */
void csvb_totals_sum(const struct csvb_results *results, size_t n, double wall,
                     struct csvb_totals *t);

/* The status word used in the table and CSV ("Success", "Failed", "Skipped", "Unchanged"). */
const char *csvb_status_name(enum csvb_status s);

/* Renders the summary in opt->format (table, CSV or JSON) to out and flushes it; color (main's
 * decision for out) colours the table's Status cells, never CSV or JSON. Returns 0, or -1 when
 * writing to out failed. */
int csvb_report_write(FILE *out, const struct csvb_options *opt, const struct csvb_joblist *list,
                      const struct csvb_results *results, const struct csvb_totals *t, bool color);

/* csvb_report_write with the table fitted to `columns` terminal columns (csvb_report_table_fit;
 * 0: printed whole, as for a pipe). CSV and JSON are never fitted. */
int csvb_report_write_fit(FILE *out, const struct csvb_options *opt,
                          const struct csvb_joblist *list, const struct csvb_results *results,
                          const struct csvb_totals *t, bool color, size_t columns);

/* The summary's columns, in table order. */
enum csvb_report_col {
    CSVB_REPORT_FILE,
    CSVB_REPORT_STATUS,
    CSVB_REPORT_READ,
    CSVB_REPORT_WRITTEN,
    CSVB_REPORT_REJECTED,
    CSVB_REPORT_PADDED,
    CSVB_REPORT_OUTPUT,
    CSVB_REPORT_DIALECT,
    CSVB_REPORT_TIME,
    CSVB_REPORT_ERROR,
    CSVB_REPORT_NCOLS
};

/* The column's title ("File", ..., "Time", "Error"; the CSV calls Time "Seconds" itself). */
const char *csvb_report_col_name(enum csvb_report_col c);

/* True for the columns the table aligns right (the counts and the time). */
bool csvb_report_col_right(enum csvb_report_col c);

/* Which optional columns are shown (a bit set for csvb_report_columns). */
enum {
    CSVB_REPORT_SHOW_REJECTED = 1u, /* --on-bad-row skip */
    CSVB_REPORT_SHOW_PADDED = 2u,   /* --on-bad-row pad */
    CSVB_REPORT_SHOW_DIALECT = 4u   /* the table, when some file was not read as plain CSV */
};

/* Fills cols with the columns shown, in table order or (csv) in CSV order (Error before the
 * time); RowsRejected, RowsPadded and Dialect only as shown (CSVB_REPORT_SHOW_*) says, after the
 * others (they came later). Returns how many. */
size_t csvb_report_columns(unsigned shown, bool csv, enum csvb_report_col cols[CSVB_REPORT_NCOLS]);

/* The CSVB_REPORT_SHOW_* bits for opt's run (rejected, padded); with table, Dialect too when a
 * result's dialect is not the default (comma, UTF-8, strict quotes). */
unsigned csvb_report_shown(const struct csvb_options *opt, const struct csvb_results *results,
                           size_t n, bool table);

/* The dialect a file was read with, compactly: the delimiter ("comma" "tab" ";" "|"), then
 * ", ENCODING" when not UTF-8 and ", lenient" for lenient quotes; "" when it was not read. */
const char *csvb_report_dialect(const struct csvb_result_dialect *dl, char *buf, size_t size);

/* Scratch space for one cell's text. */
struct csvb_report_cell {
    char number[64];
    char error[CSVB_DIAG_MESSAGE_MAX + 32];
};

/* The text of column c for a job and its result: borrowed from job, from a static string or
 * from buf (valid until buf is reused). Times are "0.004s" in the table, "0.004123" (seconds,
 * six decimals) in CSV. Never NULL; "" when empty. */
const char *csvb_report_cell(const struct csvb_job *job, const struct csvb_result *r,
                             enum csvb_report_col c, bool csv, struct csvb_report_cell *buf);

/* The error text of a result into buf: "line N: message", the message, or "" when none.
 * Returns buf. */
const char *csvb_report_error(const struct csvb_result *r, char *buf, size_t size);

/* The output path shown for a job: its output when the file succeeded or was Unchanged, else
 * NULL. Borrowed. */
const char *csvb_report_output(const struct csvb_job *job, const struct csvb_result *r);

/* ---- Table (report_table.c) -------------------------------------------------------------- */

/* The summary aligned like Format-Table -AutoSize (wide characters count two columns,
 * combining marks none; no trailing blanks when the last cell is empty), a blank line, the
 * totals line ("N files: ... in S s (R MB/s)." or, with t->have_usage, "... in S s (R MB/s),
 * peak P, CPU U s user, S s sys.") and, in a dry run, "Dry run: nothing was written.". color:
 * the Status cells are green, red or yellow (color.h), padded outside the escape sequences so
 * the visible alignment is that of the plain table. Returns 0, or -1 when writing failed. */
int csvb_report_table(FILE *out, const struct csvb_options *opt, const struct csvb_joblist *list,
                      const struct csvb_results *results, const struct csvb_totals *t, bool color);

/* csvb_report_table fitted to a terminal `columns` wide (0: csvb_report_table itself). When the
 * whole table is wider: first the directory every File cell starts with (and the one every
 * Output cell starts with) is taken off them and said once above the table ("Files and outputs
 * in data/2026/"); if it is still wider, File, Output and Error share the columns the others
 * leave (35, 20 and 45 in a hundred, a column narrower than its share keeping its width), paths
 * cut in their middle and errors at their end, each marked "…" (the full messages are on
 * stderr). The totals line is wrapped at spaces. No line is wider than columns unless the fixed
 * columns alone are. Returns 0, or -1 when writing failed or memory ran out. */
int csvb_report_table_fit(FILE *out, const struct csvb_options *opt,
                          const struct csvb_joblist *list, const struct csvb_results *results,
                          const struct csvb_totals *t, bool color, size_t columns);

/* For every result with preview rows (results[i].preview: the header first), a blank line,
 * "Preview of PATH (K rows):", then the rows aligned, the header underlined with dashes.
 * Returns 0, or -1 when writing to out failed or memory ran out. */
int csvb_report_previews(FILE *out, const struct csvb_joblist *list,
                         const struct csvb_results *results);

/* ---- CSV (report_csv.c) ------------------------------------------------------------------ */

/* The summary as RFC 4180 CSV (header File,Status,RowsRead,RowsWritten,Output,Error,Seconds
 * [,RowsRejected]), written with the writer straight to out's descriptor (out is flushed first).
 * Returns 0, or -1 when writing failed, out has no descriptor, or memory ran out. */
int csvb_report_csv(FILE *out, const struct csvb_options *opt, const struct csvb_joblist *list,
                    const struct csvb_results *results);

/* ---- JSON (report_json.c) ---------------------------------------------------------------- */

/* The summary as one JSON object {"dry_run", "files": [...], "totals": {...}}, indented by
 * two, then a line feed; with t->have_usage the totals end with peak_rss_bytes,
 * cpu_user_seconds and cpu_system_seconds. A path or message that is not UTF-8 has each bad byte
 * replaced by U+FFFD; such a path or output also gets "path_hex" or "output_hex" beside it, its
 * bytes in lower-case hex, so that the file can be found again. Returns 0, or -1 when writing to
 * out failed or memory ran out. */
int csvb_report_json(FILE *out, const struct csvb_options *opt, const struct csvb_joblist *list,
                     const struct csvb_results *results, const struct csvb_totals *t);

/* What the run report adds to the summary. Strings borrowed. */
struct csvb_run_info {
    const char *started_at, *finished_at; /* UTC ISO 8601 */
    const char *stamp;
    int exit_code;
    int signal;  /* 0, or the signal that interrupted the run */
    int threads; /* -j in effect */
};

/* What a sharded run or merge-reports adds to the run report. Borrowed. */
struct csvb_report_extra {
    /* --shard: the report records {"index", "count", "plan_digest", "files_total"} and each
     * file's "index" in the whole job list, so merge-reports can put the shares together. */
    const struct csvb_shard *shard; /* NULL: not sharded */
    const char *options_json;       /* merge-reports: the "options" object as JSON text; NULL:
                                       described from opt */
};

/* Writes the JSON run report (tool, version, times, stamp, exit code, options, then the
 * summary's members) to path atomically (temp file, rename; fsync unless --no-fsync). Returns
 * 0, or -1 with d filled (CSVB_E_NOMEM, CSVB_E_IO naming path). */
int csvb_report_file(const char *path, const struct csvb_options *opt,
                     const struct csvb_joblist *list, const struct csvb_results *results,
                     const struct csvb_totals *t, const struct csvb_run_info *info,
                     struct csvb_diag *d);

/* csvb_report_file with what extra adds (NULL: nothing). */
int csvb_report_file_ex(const char *path, const struct csvb_options *opt,
                        const struct csvb_joblist *list, const struct csvb_results *results,
                        const struct csvb_totals *t, const struct csvb_run_info *info,
                        const struct csvb_report_extra *extra, struct csvb_diag *d);

#endif
