/* report_csv.c — the summary as CSV, encoded by the output writer (one quoting rule for all). */
#include "csvbatch/report.h"

#include <string.h>

#include "csvbatch/writer.h"

int csvb_report_csv(FILE *out, const struct csvb_options *opt, const struct csvb_joblist *list,
                    const struct csvb_results *results)
{
    /* The writer goes to the descriptor: what out holds goes first. A stream without one
     * (fileno -1) would make a count-only writer that silently drops everything. */
    int fd = fileno(out);
    if (fflush(out) != 0 || fd < 0)
        return -1;
    struct csvb_writer w;
    if (csvb_writer_init(&w, fd, (size_t)64 << 10, ',') != CSVB_OK)
        return -1;
    enum csvb_report_col cols[CSVB_REPORT_NCOLS];
    size_t ncols = csvb_report_columns(csvb_report_shown(opt, results, list->n, false), true, cols);
    struct csvb_report_cell bufs[CSVB_REPORT_NCOLS];
    struct csvb_field f[CSVB_REPORT_NCOLS];
    for (size_t k = 0; k < ncols; k++) {
        const char *name = cols[k] == CSVB_REPORT_TIME ? "Seconds" : csvb_report_col_name(cols[k]);
        f[k] = (struct csvb_field){name, strlen(name)};
    }
    enum csvb_err e = csvb_writer_row(&w, f, ncols);
    struct csvb_result buf;
    for (size_t i = 0; i < list->n && e == CSVB_OK; i++) {
        const struct csvb_result *r = csvb_results_get(results, i, &buf);
        for (size_t k = 0; k < ncols; k++) {
            const char *v = csvb_report_cell(&list->jobs[i], r, cols[k], true, &bufs[k]);
            f[k] = (struct csvb_field){v, strlen(v)};
        }
        e = csvb_writer_row(&w, f, ncols);
    }
    if (e == CSVB_OK)
        e = csvb_writer_flush(&w);
    csvb_writer_fini(&w);
    return e == CSVB_OK ? 0 : -1;
}
