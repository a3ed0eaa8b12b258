/* report.c — what the summary renderers share: totals, status words, the columns and their
 * cells; and the choice of renderer. */
#include "csvbatch/report.h"

#include <stdio.h>
#include <string.h>

static const char *const col_names[CSVB_REPORT_NCOLS] = {
    "File",       "Status", "RowsRead", "RowsWritten", "RowsRejected",
    "RowsPadded", "Output", "Dialect",  "Time",        "Error"};
static const bool col_right[CSVB_REPORT_NCOLS] = {false, false, true,  true, true,
                                                  true,  false, false, true, false};

const char *csvb_status_name(enum csvb_status s)
{
    switch (s) {
    case CSVB_STATUS_SUCCESS:
        return "Success";
    case CSVB_STATUS_FAILED:
        return "Failed";
    case CSVB_STATUS_SKIPPED:
        return "Skipped";
    case CSVB_STATUS_UNCHANGED:
        return "Unchanged";
    }
    return "?";
}

void csvb_totals_sum(const struct csvb_results *results, size_t n, double wall,
                     struct csvb_totals *t)
{
    memset(t, 0, sizeof *t);
    t->files = n;
    t->seconds = wall;
    struct csvb_result buf;
    for (size_t i = 0; i < n; i++) {
        const struct csvb_result *r = csvb_results_get(results, i, &buf);
        t->succeeded += r->status == CSVB_STATUS_SUCCESS;
        t->failed += r->status == CSVB_STATUS_FAILED;
        t->skipped += r->status == CSVB_STATUS_SKIPPED;
        t->unchanged += r->status == CSVB_STATUS_UNCHANGED;
        t->rows_read += r->rows_read;
        t->rows_written += r->rows_written;
        t->rows_rejected += r->rows_rejected;
        t->rows_padded += r->rows_padded;
        t->bytes_read += r->bytes_read;
        t->bytes_written += r->bytes_written;
    }
}

const char *csvb_report_error(const struct csvb_result *r, char *buf, size_t size)
{
    if (r->diag.code == CSVB_OK && r->diag.message[0] == '\0')
        buf[0] = '\0';
    else if (r->diag.line > 0)
        snprintf(buf, size, "line %lu: %s", r->diag.line, r->diag.message);
    else
        snprintf(buf, size, "%s", r->diag.message);
    return buf;
}

const char *csvb_report_output(const struct csvb_job *job, const struct csvb_result *r)
{
    bool done = r->status == CSVB_STATUS_SUCCESS || r->status == CSVB_STATUS_UNCHANGED;
    return done && job->output_path != NULL ? job->output_path : NULL;
}

const char *csvb_report_col_name(enum csvb_report_col c)
{
    return c < CSVB_REPORT_NCOLS ? col_names[c] : "?";
}

bool csvb_report_col_right(enum csvb_report_col c)
{
    return c < CSVB_REPORT_NCOLS && col_right[c];
}

size_t csvb_report_columns(unsigned shown, bool csv, enum csvb_report_col cols[CSVB_REPORT_NCOLS])
{
    static const enum csvb_report_col csv_order[CSVB_REPORT_NCOLS] = {
        /* A column added later goes at the end: scripts read the CSV by position too. */
        CSVB_REPORT_FILE,   CSVB_REPORT_STATUS, CSVB_REPORT_READ, CSVB_REPORT_WRITTEN,
        CSVB_REPORT_OUTPUT, CSVB_REPORT_ERROR,  CSVB_REPORT_TIME, CSVB_REPORT_REJECTED,
        CSVB_REPORT_PADDED, CSVB_REPORT_DIALECT};
    size_t n = 0;
    for (int k = 0; k < CSVB_REPORT_NCOLS; k++) {
        enum csvb_report_col c = csv ? csv_order[k] : (enum csvb_report_col)k;
        if ((c != CSVB_REPORT_REJECTED || (shown & CSVB_REPORT_SHOW_REJECTED)) &&
            (c != CSVB_REPORT_PADDED || (shown & CSVB_REPORT_SHOW_PADDED)) &&
            (c != CSVB_REPORT_DIALECT || (shown & CSVB_REPORT_SHOW_DIALECT)))
            cols[n++] = c;
    }
    return n;
}

const char *csvb_report_dialect(const struct csvb_result_dialect *dl, char *buf, size_t size)
{
    if (dl->delimiter == '\0') {
        buf[0] = '\0';
        return buf;
    }
    char one[2] = {dl->delimiter, '\0'};
    /* "," alone before ", ENCODING" would read as a typo: the comma is named */
    char skipped[40] = "";
    if (dl->skip_lines > 0)
        snprintf(skipped, sizeof skipped, ", %u line%s skipped", (unsigned)dl->skip_lines,
                 dl->skip_lines == 1 ? "" : "s");
    char escape[40] = "";
    if (dl->escape != '\0')
        snprintf(escape, sizeof escape, ", %s escapes",
                 dl->escape == '\\' ? "backslash" : (char[]){dl->escape, '\0'});
    char comment[40] = "";
    if (dl->comment != '\0')
        snprintf(comment, sizeof comment, ", %c comments", dl->comment);
    snprintf(buf, size, "%s%s%s%s%s%s%s",
             dl->delimiter == '\t'  ? "tab"
             : dl->delimiter == ',' ? "comma"
                                    : one,
             dl->encoding[0] != '\0' ? ", " : "", dl->encoding,
             dl->quotes_lenient ? ", lenient" : "", escape, comment, skipped);
    return buf;
}

unsigned csvb_report_shown(const struct csvb_options *opt, const struct csvb_results *results,
                           size_t n, bool table)
{
    unsigned shown = (opt->skip_bad_rows ? CSVB_REPORT_SHOW_REJECTED : 0u) |
                     (opt->pad_bad_rows ? CSVB_REPORT_SHOW_PADDED : 0u);
    struct csvb_result buf;
    for (size_t i = 0; table && i < n; i++) {
        const struct csvb_result_dialect *dl = &csvb_results_get(results, i, &buf)->dialect;
        if ((dl->delimiter != '\0' && dl->delimiter != ',') || dl->encoding[0] != '\0' ||
            dl->quotes_lenient || dl->skip_lines > 0 || dl->escape != '\0' || dl->comment != '\0')
            return shown | CSVB_REPORT_SHOW_DIALECT;
    }
    return shown;
}

const char *csvb_report_cell(const struct csvb_job *job, const struct csvb_result *r,
                             enum csvb_report_col c, bool csv, struct csvb_report_cell *buf)
{
    const char *o;
    switch (c) {
    case CSVB_REPORT_FILE:
        return job->path;
    case CSVB_REPORT_STATUS:
        return csvb_status_name(r->status);
    case CSVB_REPORT_READ:
        snprintf(buf->number, sizeof buf->number, "%llu", (unsigned long long)r->rows_read);
        return buf->number;
    case CSVB_REPORT_WRITTEN:
        snprintf(buf->number, sizeof buf->number, "%llu", (unsigned long long)r->rows_written);
        return buf->number;
    case CSVB_REPORT_REJECTED:
        snprintf(buf->number, sizeof buf->number, "%llu", (unsigned long long)r->rows_rejected);
        return buf->number;
    case CSVB_REPORT_PADDED:
        snprintf(buf->number, sizeof buf->number, "%llu", (unsigned long long)r->rows_padded);
        return buf->number;
    case CSVB_REPORT_OUTPUT:
        o = csvb_report_output(job, r);
        return o != NULL ? o : "";
    case CSVB_REPORT_DIALECT:
        return csvb_report_dialect(&r->dialect, buf->number, sizeof buf->number);
    case CSVB_REPORT_TIME:
        snprintf(buf->number, sizeof buf->number, csv ? "%.6f" : "%.3fs", r->seconds);
        return buf->number;
    case CSVB_REPORT_ERROR:
    case CSVB_REPORT_NCOLS:
        break;
    }
    return csvb_report_error(r, buf->error, sizeof buf->error);
}

int csvb_report_write(FILE *out, const struct csvb_options *opt, const struct csvb_joblist *list,
                      const struct csvb_results *results, const struct csvb_totals *t, bool color)
{
    return csvb_report_write_fit(out, opt, list, results, t, color, 0);
}

int csvb_report_write_fit(FILE *out, const struct csvb_options *opt,
                          const struct csvb_joblist *list, const struct csvb_results *results,
                          const struct csvb_totals *t, bool color, size_t columns)
{
    int rc;
    if (opt->format == CSVB_FORMAT_JSON)
        rc = csvb_report_json(out, opt, list, results, t);
    else if (opt->format == CSVB_FORMAT_CSV)
        rc = csvb_report_csv(out, opt, list, results);
    else
        rc = csvb_report_table_fit(out, opt, list, results, t, color, columns);
    if (fflush(out) != 0 || ferror(out))
        rc = -1;
    return rc;
}
