/* report_table.c — the summary for people: an aligned table (like Format-Table -AutoSize), the
 * totals line, and the previews of the first output rows. */
#include "csvbatch/report.h"

#include <stdlib.h>
#include <string.h>

#include "csvbatch/color.h"
#include "csvbatch/text.h"

/* Writes n spaces. */
static void pad(FILE *out, size_t n)
{
    for (; n > 0; n--)
        fputc(' ', out);
}

/* Writes n dashes: the underline of a header cell. */
static void dashes(FILE *out, size_t n)
{
    for (; n > 0; n--)
        fputc('-', out);
}

/* One cell, escaped, padded to width columns: on the left when right-aligned, else on the right
 * unless it is the last cell of its line (no trailing blanks). */
static void put_cell(FILE *out, const char *s, size_t width, bool right, bool last)
{
    size_t len = strlen(s), w = csvb_text_escaped_width(s, len), gap = width > w ? width - w : 0;
    if (right)
        pad(out, gap);
    csvb_text_put_escaped(out, s, len);
    if (!right && !last)
        pad(out, gap);
}

/* The table's lines: the titles, their dashes, one line per file; with color, each Status cell
 * in its status's colour (never the last column: Error follows it). */
static void table_rows(FILE *out, const struct csvb_joblist *list,
                       const struct csvb_result *results, const enum csvb_report_col *cols,
                       size_t ncols, const size_t *width, bool color)
{
    struct csvb_report_cell buf;
    for (long row = -2; row < (long)list->n; row++) {
        for (size_t k = 0; k < ncols; k++) {
            const char *text = csvb_report_col_name(cols[k]);
            if (row >= 0)
                text = csvb_report_cell(&list->jobs[row], &results[row], cols[k], false, &buf);
            if (k == ncols - 1 && text[0] == '\0')
                break; /* no trailing blanks when the last cell is empty */
            if (k > 0)
                fputc(' ', out);
            if (row == -1) {
                size_t n = strlen(text);
                if (csvb_report_col_right(cols[k]))
                    pad(out, width[k] - n);
                dashes(out, n);
                if (!csvb_report_col_right(cols[k]) && k != ncols - 1)
                    pad(out, width[k] - n);
            } else if (color && row >= 0 && cols[k] == CSVB_REPORT_STATUS) {
                csvb_color_cell(out, csvb_color_status(results[row].status), text, strlen(text),
                                k == ncols - 1 ? 0 : width[k], true);
            } else {
                put_cell(out, text, width[k], csvb_report_col_right(cols[k]), k == ncols - 1);
            }
        }
        fputc('\n', out);
    }
}

/* "N files: ... in S s (R MB/s)." and, in a dry run, the reminder that nothing was written. */
static void totals_line(FILE *out, const struct csvb_options *opt, const struct csvb_totals *t)
{
    char rb[CSVB_TEXT_BYTES_MAX], wb[CSVB_TEXT_BYTES_MAX];
    csvb_text_bytes(t->bytes_read, rb, sizeof rb);
    csvb_text_bytes(t->bytes_written, wb, sizeof wb);
    double rate = t->seconds > 0 ? (double)t->bytes_read / 1e6 / t->seconds : 0.0;
    const char *written = opt->dry_run ? "would be written" : "written";
    fprintf(out, "\n%zu file%s: %zu succeeded, %zu failed, %zu skipped", t->files,
            t->files == 1 ? "" : "s", t->succeeded, t->failed, t->skipped);
    if (opt->incremental)
        fprintf(out, ", %zu unchanged", t->unchanged);
    fprintf(out, ". %llu row%s read, %llu %s", (unsigned long long)t->rows_read,
            t->rows_read == 1 ? "" : "s", (unsigned long long)t->rows_written, written);
    if (opt->skip_bad_rows)
        fprintf(out, ", %llu rejected", (unsigned long long)t->rows_rejected);
    if (opt->pad_bad_rows)
        fprintf(out, ", %llu padded", (unsigned long long)t->rows_padded);
    fprintf(out, ". %s read, %s %s in %.3f s (%.1f MB/s)", rb, wb, written, t->seconds, rate);
    if (t->have_usage) {
        /* MiB, as the step summary and top(1) say memory, not the decimal units of files. */
        fprintf(out, ", peak %.1f MiB, CPU %.2f s user, %.2f s sys",
                (double)t->usage.peak_rss_bytes / 1048576.0, t->usage.cpu_user_seconds,
                t->usage.cpu_system_seconds);
    }
    fputs(".\n", out);
    if (opt->dry_run)
        fprintf(out, "Dry run: nothing was written.\n");
}

int csvb_report_table(FILE *out, const struct csvb_options *opt, const struct csvb_joblist *list,
                      const struct csvb_result *results, const struct csvb_totals *t, bool color)
{
    enum csvb_report_col cols[CSVB_REPORT_NCOLS];
    size_t ncols = csvb_report_columns(csvb_report_shown(opt, results, list->n, true), false, cols);
    size_t width[CSVB_REPORT_NCOLS];
    struct csvb_report_cell buf;
    for (size_t k = 0; k < ncols; k++) {
        width[k] = strlen(csvb_report_col_name(cols[k]));
        for (size_t i = 0; i < list->n; i++) {
            const char *text = csvb_report_cell(&list->jobs[i], &results[i], cols[k], false, &buf);
            size_t w = csvb_text_escaped_width(text, strlen(text));
            if (w > width[k])
                width[k] = w;
        }
    }
    table_rows(out, list, results, cols, ncols, width, color);
    totals_line(out, opt, t);
    return ferror(out) ? -1 : 0;
}

/* The field of row r in column k, "" past the row's end. */
static const struct csvb_field *preview_cell(const struct csvb_rowcopy *r, size_t k)
{
    static const struct csvb_field none = {"", 0};
    return k < r->nfields ? &r->fields[k] : &none;
}

/* One file's preview: the title, then the rows, the header (rows[0]) underlined. */
static int preview_one(FILE *out, const char *path, const struct csvb_rows *p)
{
    size_t ncols = p->rows[0].nfields, data_rows = p->n - 1;
    size_t *width = calloc(ncols ? ncols : 1, sizeof *width);
    if (width == NULL)
        return -1;
    for (size_t r = 0; r < p->n; r++) {
        for (size_t k = 0; k < ncols; k++) {
            const struct csvb_field *f = preview_cell(&p->rows[r], k);
            size_t w = csvb_text_escaped_width(f->ptr, f->len);
            width[k] = w > width[k] ? w : width[k];
        }
    }
    fputs("\nPreview of ", out);
    csvb_text_put_escaped(out, path, strlen(path));
    fprintf(out, " (%zu row%s):\n", data_rows, data_rows == 1 ? "" : "s");
    for (size_t r = 0; r < p->n; r++) {
        for (int underline = 0; underline < (r == 0 ? 2 : 1); underline++) {
            for (size_t k = 0; k < ncols; k++) {
                const struct csvb_field *f = preview_cell(&p->rows[r], k);
                size_t w = csvb_text_escaped_width(f->ptr, f->len);
                bool last = k + 1 == ncols;
                if (underline)
                    dashes(out, w);
                else
                    csvb_text_put_escaped(out, f->ptr, f->len);
                if (!last) {
                    pad(out, width[k] - w);
                    fputc(' ', out);
                }
            }
            fputc('\n', out);
        }
    }
    free(width);
    return 0;
}

int csvb_report_previews(FILE *out, const struct csvb_joblist *list,
                         const struct csvb_result *results)
{
    int rc = 0;
    for (size_t i = 0; i < list->n; i++)
        if (results[i].preview.n > 0 && preview_one(out, list->jobs[i].path, &results[i].preview))
            rc = -1;
    return rc != 0 || ferror(out) ? -1 : 0;
}
