/* report_table.c — the summary for people: an aligned table (like Format-Table -AutoSize), the
 * totals line, and the previews of the first output rows. */
#include "csvbatch/report.h"

#include <stdint.h>
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

/* How the table is fitted to a terminal (columns 0: it is not, every cell is whole). */
struct fit {
    size_t columns;
    const char *in_prefix; /* the directory all File cells start with, taken off them; in_len 0:
                              none */
    size_t in_len;
    const char *out_prefix; /* likewise for the Output cells */
    size_t out_len;
    char buf[4096]; /* a cell cut to its width (escaped: printing it again changes nothing) */
};

/* The text of column c of row i as shown: the cell, less its prefix when fitted and, when it is
 * wider than width, its middle (paths) or its end (the error) cut out. Borrowed from the job,
 * cell or f (valid until the next call). */
static const char *shown(struct fit *f, const struct csvb_joblist *list,
                         const struct csvb_results *results, size_t i, enum csvb_report_col c,
                         size_t width, struct csvb_report_cell *cell)
{
    struct csvb_result r;
    const char *text =
        csvb_report_cell(&list->jobs[i], csvb_results_get(results, i, &r), c, false, cell);
    if (f->columns == 0)
        return text;
    if (c == CSVB_REPORT_FILE && f->in_len > 0)
        text += f->in_len;
    else if (c == CSVB_REPORT_OUTPUT && f->out_len > 0 &&
             strncmp(text, f->out_prefix, f->out_len) == 0)
        text += f->out_len;
    if (width == SIZE_MAX || csvb_text_escaped_width(text, strlen(text)) <= width)
        return text;
    if (c == CSVB_REPORT_ERROR)
        csvb_text_cut(f->buf, sizeof f->buf, text, strlen(text), width);
    else
        csvb_text_elide(f->buf, sizeof f->buf, text, strlen(text), width);
    return f->buf;
}

/* The table's lines: the titles, their dashes, one line per file; with color, each Status cell
 * in its status's colour (never the last column: Error follows it). */
static void table_rows(FILE *out, const struct csvb_joblist *list,
                       const struct csvb_results *results, const enum csvb_report_col *cols,
                       size_t ncols, const size_t *width, bool color, struct fit *f)
{
    struct csvb_report_cell buf;
    for (long row = -2; row < (long)list->n; row++) {
        for (size_t k = 0; k < ncols; k++) {
            const char *text = csvb_report_col_name(cols[k]);
            if (row >= 0)
                text = shown(f, list, results, (size_t)row, cols[k], width[k], &buf);
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
                struct csvb_result r;
                enum csvb_status st = csvb_results_get(results, (size_t)row, &r)->status;
                csvb_color_cell(out, csvb_color_status(st), text, strlen(text),
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

/* Every column's width: its title's or its widest cell's as shown (f: prefixes taken off). */
static void measure(struct fit *f, const struct csvb_joblist *list,
                    const struct csvb_results *results, const enum csvb_report_col *cols,
                    size_t ncols, size_t *width)
{
    struct csvb_report_cell buf;
    for (size_t k = 0; k < ncols; k++) {
        width[k] = strlen(csvb_report_col_name(cols[k]));
        for (size_t i = 0; i < list->n; i++) {
            const char *text = shown(f, list, results, i, cols[k], SIZE_MAX, &buf);
            size_t w = csvb_text_escaped_width(text, strlen(text));
            if (w > width[k])
                width[k] = w;
        }
    }
}

static size_t total_width(const size_t *width, size_t ncols)
{
    size_t sum = ncols > 0 ? ncols - 1 : 0;
    for (size_t k = 0; k < ncols; k++)
        sum += width[k];
    return sum;
}

/* The longest directory prefix ("a/b/", up to a '/') that every File cell (outputs: every
 * non-empty Output cell) starts with; its length, *from the path it is read from. */
static size_t common_dir(const struct csvb_joblist *list, const struct csvb_results *results,
                         bool outputs, const char **from)
{
    size_t len = 0;
    *from = NULL;
    struct csvb_result r;
    for (size_t i = 0; i < list->n; i++) {
        const char *p = outputs
                            ? csvb_report_output(&list->jobs[i], csvb_results_get(results, i, &r))
                            : list->jobs[i].path;
        if (p == NULL || p[0] == '\0')
            continue;
        if (*from == NULL) {
            const char *slash = strrchr(p, '/');
            *from = p;
            len = slash != NULL ? (size_t)(slash - p) + 1 : 0;
            continue;
        }
        size_t k = 0;
        while (k < len && p[k] == (*from)[k])
            k++;
        while (k > 0 && (*from)[k - 1] != '/')
            k--;
        len = k;
    }
    return len;
}

/* The flexible columns (File, Output, Error) share what the others leave of f->columns: each its
 * own width if its share (35, 20, 45 in a hundred) holds it, what is left shared again; never
 * below its title or 6 columns. */
static void shrink(const enum csvb_report_col *cols, size_t ncols, size_t *width, size_t columns)
{
    size_t fixed = ncols > 0 ? ncols - 1 : 0, share[CSVB_REPORT_NCOLS] = {0};
    bool open[CSVB_REPORT_NCOLS] = {false};
    for (size_t k = 0; k < ncols; k++) {
        share[k] = cols[k] == CSVB_REPORT_FILE     ? 35
                   : cols[k] == CSVB_REPORT_OUTPUT ? 20
                   : cols[k] == CSVB_REPORT_ERROR  ? 45
                                                   : 0;
        open[k] = share[k] > 0;
        fixed += open[k] ? 0 : width[k];
    }
    size_t left = columns > fixed ? columns - fixed : 0;
    for (bool changed = true; changed;) {
        size_t shares = 0;
        changed = false;
        for (size_t k = 0; k < ncols; k++)
            shares += open[k] ? share[k] : 0;
        for (size_t k = 0; k < ncols && shares > 0; k++) {
            if (open[k] && width[k] <= left * share[k] / shares) {
                open[k] = false; /* it fits whole: the rest is shared again */
                left -= width[k];
                changed = true;
                break;
            }
        }
        if (changed || shares == 0)
            continue;
        for (size_t k = 0; k < ncols; k++) {
            if (!open[k])
                continue;
            size_t w = left * share[k] / shares, title = strlen(csvb_report_col_name(cols[k]));
            w = w < title ? title : w;
            width[k] = w < 6 ? 6 : w;
        }
    }
}

/* Writes text cut into lines of at most columns (0: as it is) at its spaces. */
static void put_wrapped(FILE *out, const char *text, size_t columns)
{
    if (columns == 0) {
        fputs(text, out);
        return;
    }
    for (const char *line = text; *line != '\0';) {
        size_t len = strcspn(line, "\n"), col = 0;
        for (const char *w = line; w < line + len;) {
            size_t wl = strcspn(w, " \n");
            if (col > 0 && col + 1 + wl > columns) {
                fputc('\n', out);
                col = 0;
            } else if (col > 0) {
                fputc(' ', out);
                col++;
            }
            fwrite(w, 1, wl, out);
            col += wl;
            w += wl;
            w += *w == ' ';
        }
        fputc('\n', out);
        line += len + (line[len] == '\n');
    }
}

/* Fitting needs the prefixes taken off: says which, on one line, cut to the width. */
static void prefix_line(FILE *out, const struct fit *f)
{
    char *line;
    if (f->out_len == 0)
        line = csvb_text_printf("Files in %.*s", (int)f->in_len, f->in_prefix);
    else if (f->in_len == f->out_len && strncmp(f->in_prefix, f->out_prefix, f->in_len) == 0)
        line = csvb_text_printf("Files and outputs in %.*s", (int)f->in_len, f->in_prefix);
    else if (f->in_len == 0)
        line = csvb_text_printf("Outputs in %.*s", (int)f->out_len, f->out_prefix);
    else
        line = csvb_text_printf("Files in %.*s, outputs in %.*s", (int)f->in_len, f->in_prefix,
                                (int)f->out_len, f->out_prefix);
    char cut[1024];
    if (line != NULL) {
        csvb_text_elide(cut, sizeof cut, line, strlen(line), f->columns);
        fprintf(out, "%s\n", cut);
    }
    free(line);
}

int csvb_report_table_fit(FILE *out, const struct csvb_options *opt,
                          const struct csvb_joblist *list, const struct csvb_results *results,
                          const struct csvb_totals *t, bool color, size_t columns)
{
    enum csvb_report_col cols[CSVB_REPORT_NCOLS];
    size_t ncols = csvb_report_columns(csvb_report_shown(opt, results, list->n, true), false, cols);
    size_t width[CSVB_REPORT_NCOLS];
    struct fit *f = calloc(1, sizeof *f);
    if (f == NULL)
        return -1;
    f->columns = columns;
    measure(f, list, results, cols, ncols, width);
    if (columns > 0 && total_width(width, ncols) > columns) {
        /* Paths relative to the directory they share (the argument, most often), said once. */
        f->in_len = common_dir(list, results, false, &f->in_prefix);
        f->out_len = common_dir(list, results, true, &f->out_prefix);
        if (f->in_len + f->out_len > 0)
            prefix_line(out, f);
        measure(f, list, results, cols, ncols, width);
        if (total_width(width, ncols) > columns)
            shrink(cols, ncols, width, columns);
    }
    table_rows(out, list, results, cols, ncols, width, color, f);
    free(f);
    char *totals = NULL;
    size_t size = 0;
    FILE *mem = columns > 0 ? open_memstream(&totals, &size) : NULL;
    totals_line(mem != NULL ? mem : out, opt, t);
    if (mem != NULL && fclose(mem) == 0)
        put_wrapped(out, totals, columns);
    free(totals);
    return ferror(out) ? -1 : 0;
}

int csvb_report_table(FILE *out, const struct csvb_options *opt, const struct csvb_joblist *list,
                      const struct csvb_results *results, const struct csvb_totals *t, bool color)
{
    return csvb_report_table_fit(out, opt, list, results, t, color, 0);
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
                         const struct csvb_results *results)
{
    int rc = 0;
    struct csvb_result buf;
    for (size_t i = 0; i < list->n; i++) {
        const struct csvb_result *r = csvb_results_get(results, i, &buf);
        if (r->preview.n > 0 && preview_one(out, list->jobs[i].path, &r->preview))
            rc = -1;
    }
    return rc != 0 || ferror(out) ? -1 : 0;
}
