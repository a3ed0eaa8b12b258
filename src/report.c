/* report.c — the run summary as an aligned table (like Format-Table -AutoSize), CSV or JSON.
 * JSON goes through jansson so that no string is ever escaped by hand. */
#include "csvbatch/report.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/utf8.h"
#include "csvbatch/writer.h"

enum { COL_FILE, COL_STATUS, COL_READ, COL_WRITTEN, COL_OUTPUT, COL_TIME, COL_ERROR, NCOLS };

static const char *const col_names[NCOLS] = {"File",   "Status", "RowsRead", "RowsWritten",
                                             "Output", "Time",   "Error"};
static const bool col_right[NCOLS] = {false, false, true, true, false, true, false};

const char *csvb_status_name(enum csvb_status s)
{
    switch (s) {
    case CSVB_STATUS_SUCCESS:
        return "Success";
    case CSVB_STATUS_FAILED:
        return "Failed";
    case CSVB_STATUS_SKIPPED:
        return "Skipped";
    }
    return "?";
}

void csvb_totals_sum(const struct csvb_result *results, size_t n, double wall,
                     struct csvb_totals *t)
{
    memset(t, 0, sizeof *t);
    t->files = n;
    t->seconds = wall;
    for (size_t i = 0; i < n; i++) {
        const struct csvb_result *r = &results[i];
        t->succeeded += r->status == CSVB_STATUS_SUCCESS;
        t->failed += r->status == CSVB_STATUS_FAILED;
        t->skipped += r->status == CSVB_STATUS_SKIPPED;
        t->rows_read += r->rows_read;
        t->rows_written += r->rows_written;
        t->bytes_read += r->bytes_read;
        t->bytes_written += r->bytes_written;
    }
}

/* The error text of a result: "line N: message", the message, or "" when none. */
static void error_text(const struct csvb_result *r, char *buf, size_t size)
{
    if (r->diag.code == CSVB_OK && r->diag.message[0] == '\0')
        buf[0] = '\0';
    else if (r->diag.line > 0)
        snprintf(buf, size, "line %lu: %s", r->diag.line, r->diag.message);
    else
        snprintf(buf, size, "%s", r->diag.message);
}

static const char *output_text(const struct csvb_job *j, const struct csvb_result *r)
{
    return r->status == CSVB_STATUS_SUCCESS && j->output_path != NULL ? j->output_path : NULL;
}

/* Display width: code points, control characters shown as '?' (one column each). */
static size_t display_width(const char *s)
{
    size_t w = 0;
    for (; *s != '\0'; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

static void put_cell(FILE *out, const char *s, size_t width, bool right, bool last)
{
    size_t w = display_width(s), pad = width > w ? width - w : 0;
    if (right)
        fprintf(out, "%*s", (int)pad, "");
    for (const char *p = s; *p != '\0'; p++)
        fputc((unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p, out);
    if (!right && !last)
        fprintf(out, "%*s", (int)pad, "");
}

static void human_bytes(uint64_t b, char *buf, size_t size)
{
    if (b < 1000)
        snprintf(buf, size, "%llu B", (unsigned long long)b);
    else if (b < 1000000)
        snprintf(buf, size, "%.1f KB", (double)b / 1e3);
    else if (b < 1000000000)
        snprintf(buf, size, "%.1f MB", (double)b / 1e6);
    else
        snprintf(buf, size, "%.2f GB", (double)b / 1e9);
}

static int write_table(FILE *out, bool dry_run, const struct csvb_joblist *list,
                       const struct csvb_result *results, const struct csvb_totals *t)
{
    size_t n = list->n;
    char(*cells)[NCOLS][64] = calloc(n + 1, sizeof *cells);
    char **errors = calloc(n + 1, sizeof *errors);
    if (cells == NULL || errors == NULL) {
        free(cells);
        free(errors);
        return -1;
    }
    size_t width[NCOLS];
    for (int c = 0; c < NCOLS; c++)
        width[c] = strlen(col_names[c]);
    for (size_t i = 0; i < n; i++) {
        const struct csvb_result *r = &results[i];
        const char *o = output_text(&list->jobs[i], r);
        snprintf(cells[i][COL_STATUS], 64, "%s", csvb_status_name(r->status));
        snprintf(cells[i][COL_READ], 64, "%llu", (unsigned long long)r->rows_read);
        snprintf(cells[i][COL_WRITTEN], 64, "%llu", (unsigned long long)r->rows_written);
        snprintf(cells[i][COL_TIME], 64, "%.3fs", r->seconds);
        errors[i] = malloc(CSVB_DIAG_MESSAGE_MAX + 32);
        if (errors[i] != NULL)
            error_text(r, errors[i], CSVB_DIAG_MESSAGE_MAX + 32);
        const char *text[NCOLS] = {
            list->jobs[i].path,        cells[i][COL_STATUS], cells[i][COL_READ],
            cells[i][COL_WRITTEN],     o ? o : "",           cells[i][COL_TIME],
            errors[i] ? errors[i] : ""};
        for (int c = 0; c < NCOLS; c++) {
            size_t w = display_width(text[c]);
            if (w > width[c])
                width[c] = w;
        }
    }
    for (int row = -2; row < (int)n; row++) {
        for (int c = 0; c < NCOLS; c++) {
            const char *text;
            char dashes[64];
            if (row == -2) {
                text = col_names[c];
            } else if (row == -1) {
                size_t len = strlen(col_names[c]);
                memset(dashes, '-', len);
                dashes[len] = '\0';
                text = dashes;
            } else {
                size_t i = (size_t)row;
                const char *o = output_text(&list->jobs[i], &results[i]);
                const char *v[NCOLS] = {
                    list->jobs[i].path,        cells[i][COL_STATUS], cells[i][COL_READ],
                    cells[i][COL_WRITTEN],     o ? o : "",           cells[i][COL_TIME],
                    errors[i] ? errors[i] : ""};
                text = v[c];
            }
            if (c == NCOLS - 1 && text[0] == '\0')
                break; /* no trailing blanks when the last cell is empty */
            if (c > 0)
                fputc(' ', out);
            put_cell(out, text, width[c], col_right[c], c == NCOLS - 1);
        }
        fputc('\n', out);
    }
    char rb[32], wb[32];
    human_bytes(t->bytes_read, rb, sizeof rb);
    human_bytes(t->bytes_written, wb, sizeof wb);
    double rate = t->seconds > 0 ? (double)t->bytes_read / 1e6 / t->seconds : 0.0;
    fprintf(out,
            "\n%zu file%s: %zu succeeded, %zu failed, %zu skipped. %llu row%s read, %llu %s. "
            "%s read, %s %s in %.3f s (%.1f MB/s).\n",
            t->files, t->files == 1 ? "" : "s", t->succeeded, t->failed, t->skipped,
            (unsigned long long)t->rows_read, t->rows_read == 1 ? "" : "s",
            (unsigned long long)t->rows_written, dry_run ? "would be written" : "written", rb, wb,
            dry_run ? "would be written" : "written", t->seconds, rate);
    if (dry_run)
        fprintf(out, "Dry run: nothing was written.\n");
    for (size_t i = 0; i < n; i++)
        free(errors[i]);
    free(errors);
    free(cells);
    return 0;
}

static int write_csv(FILE *out, const struct csvb_joblist *list, const struct csvb_result *results)
{
    if (fflush(out) != 0)
        return -1;
    struct csvb_writer w;
    if (csvb_writer_init(&w, fileno(out), 64 * 1024, ',') != CSVB_OK)
        return -1;
    static const char *const head[] = {"File",   "Status", "RowsRead", "RowsWritten",
                                       "Output", "Error",  "Seconds"};
    struct csvb_field f[7];
    for (int c = 0; c < 7; c++)
        f[c] = (struct csvb_field){head[c], strlen(head[c])};
    enum csvb_err e = csvb_writer_row(&w, f, 7);
    char err[CSVB_DIAG_MESSAGE_MAX + 32], rr[32], rw[32], secs[32];
    for (size_t i = 0; i < list->n && e == CSVB_OK; i++) {
        const struct csvb_result *r = &results[i];
        const char *o = output_text(&list->jobs[i], r);
        const char *status = csvb_status_name(r->status);
        error_text(r, err, sizeof err);
        snprintf(rr, sizeof rr, "%llu", (unsigned long long)r->rows_read);
        snprintf(rw, sizeof rw, "%llu", (unsigned long long)r->rows_written);
        snprintf(secs, sizeof secs, "%.6f", r->seconds);
        const char *v[7] = {list->jobs[i].path, status, rr, rw, o ? o : "", err, secs};
        for (int c = 0; c < 7; c++)
            f[c] = (struct csvb_field){v[c], strlen(v[c])};
        e = csvb_writer_row(&w, f, 7);
    }
    if (e == CSVB_OK)
        e = csvb_writer_flush(&w);
    csvb_writer_fini(&w);
    return e == CSVB_OK ? 0 : -1;
}

/* Length of the valid UTF-8 character at p (n bytes left), or 0 if p starts no valid one. */
static size_t utf8_char_len(const unsigned char *p, size_t n)
{
    size_t len = p[0] < 0x80 ? 1 : p[0] < 0xE0 ? 2 : p[0] < 0xF0 ? 3 : 4;
    if (len > n)
        return 0;
    struct csvb_utf8 v;
    enum csvb_utf8_fault fault;
    csvb_utf8_init(&v);
    return csvb_utf8_check(&v, p, len, &fault) == len && csvb_utf8_complete(&v) ? len : 0;
}

/* A JSON string of s; bytes that are not UTF-8 (file names can be anything) become U+FFFD. */
static json_t *json_text(const char *s)
{
    if (s == NULL)
        return json_null();
    json_t *j = json_string(s);
    if (j != NULL)
        return j;
    size_t n = strlen(s), used = 0;
    char *clean = malloc(n * 3 + 1);
    if (clean == NULL)
        return json_null();
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t len = utf8_char_len(p + i, n - i);
        if (len == 0) {
            memcpy(clean + used, "\xEF\xBF\xBD", 3);
            used += 3;
            i++;
        } else {
            memcpy(clean + used, p + i, len);
            used += len;
            i += len;
        }
    }
    clean[used] = '\0';
    j = json_string(clean);
    free(clean);
    return j != NULL ? j : json_null();
}

static const char *status_json(enum csvb_status s)
{
    return s == CSVB_STATUS_SUCCESS ? "success" : s == CSVB_STATUS_FAILED ? "failed" : "skipped";
}

static int write_json(FILE *out, bool dry_run, const struct csvb_joblist *list,
                      const struct csvb_result *results, const struct csvb_totals *t)
{
    json_t *root = json_object(), *files = json_array(), *tot = json_object();
    char err[CSVB_DIAG_MESSAGE_MAX + 32];
    json_object_set_new(root, "dry_run", json_boolean(dry_run));
    for (size_t i = 0; i < list->n; i++) {
        const struct csvb_result *r = &results[i];
        json_t *f = json_object();
        error_text(r, err, sizeof err);
        json_object_set_new(f, "path", json_text(list->jobs[i].path));
        json_object_set_new(f, "status", json_string(status_json(r->status)));
        json_object_set_new(f, "rows_read", json_integer((json_int_t)r->rows_read));
        json_object_set_new(f, "rows_written", json_integer((json_int_t)r->rows_written));
        json_object_set_new(f, "bytes_read", json_integer((json_int_t)r->bytes_read));
        json_object_set_new(f, "bytes_written", json_integer((json_int_t)r->bytes_written));
        json_object_set_new(f, "output", json_text(output_text(&list->jobs[i], r)));
        json_object_set_new(f, "error", err[0] ? json_text(err) : json_null());
        json_object_set_new(f, "line",
                            r->diag.line ? json_integer((json_int_t)r->diag.line) : json_null());
        json_object_set_new(f, "seconds", json_real(r->seconds));
        json_array_append_new(files, f);
    }
    json_object_set_new(root, "files", files);
    json_object_set_new(tot, "files", json_integer((json_int_t)t->files));
    json_object_set_new(tot, "succeeded", json_integer((json_int_t)t->succeeded));
    json_object_set_new(tot, "failed", json_integer((json_int_t)t->failed));
    json_object_set_new(tot, "skipped", json_integer((json_int_t)t->skipped));
    json_object_set_new(tot, "rows_read", json_integer((json_int_t)t->rows_read));
    json_object_set_new(tot, "rows_written", json_integer((json_int_t)t->rows_written));
    json_object_set_new(tot, "bytes_read", json_integer((json_int_t)t->bytes_read));
    json_object_set_new(tot, "bytes_written", json_integer((json_int_t)t->bytes_written));
    json_object_set_new(tot, "seconds", json_real(t->seconds));
    json_object_set_new(root, "totals", tot);
    int rc = json_dumpf(root, out, JSON_INDENT(2)) == 0 && fputc('\n', out) != EOF ? 0 : -1;
    json_decref(root);
    return rc;
}

int csvb_report_write(FILE *out, enum csvb_format format, bool dry_run,
                      const struct csvb_joblist *list, const struct csvb_result *results,
                      const struct csvb_totals *t)
{
    int rc;
    if (format == CSVB_FORMAT_JSON)
        rc = write_json(out, dry_run, list, results, t);
    else if (format == CSVB_FORMAT_CSV)
        rc = write_csv(out, list, results);
    else
        rc = write_table(out, dry_run, list, results, t);
    if (fflush(out) != 0 || ferror(out))
        rc = -1;
    return rc;
}
