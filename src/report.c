/* report.c — the run summary as an aligned table (like Format-Table -AutoSize), CSV or JSON.
 * JSON goes through jansson so that no string is ever escaped by hand. */
#include "csvbatch/report.h"

#include <jansson.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/atomic.h"
#include "csvbatch/reader.h"
#include "csvbatch/utf8.h"
#include "csvbatch/writer.h"

enum {
    COL_FILE,
    COL_STATUS,
    COL_READ,
    COL_WRITTEN,
    COL_REJECTED,
    COL_OUTPUT,
    COL_TIME,
    COL_ERROR,
    NCOLS
};

static const char *const col_names[NCOLS] = {"File",         "Status", "RowsRead", "RowsWritten",
                                             "RowsRejected", "Output", "Time",     "Error"};
static const bool col_right[NCOLS] = {false, false, true, true, true, false, true, false};

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
        t->rows_rejected += r->rows_rejected;
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

/* Columns a code point takes in a terminal: 0 for combining marks, 2 for East Asian wide and
 * fullwidth forms and most emoji, else 1. (A fixed table: the report must not depend on the
 * locale, and the workers never set one.) */
static size_t cp_width(unsigned cp)
{
    if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
        (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F) || cp == 0x200B ||
        cp == 0x200D)
        return 0;
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
        (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
        (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
        (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
        (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
        (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
        (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

/* Display width of s in terminal columns; bytes that are not UTF-8 count one each. */
static size_t display_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0;
    while (*p != '\0') {
        unsigned cp = *p;
        size_t len = 1;
        if (*p >= 0xC0 && *p < 0xE0 && (p[1] & 0xC0) == 0x80) {
            cp = ((unsigned)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
            len = 2;
        } else if (*p >= 0xE0 && *p < 0xF0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
            cp = ((unsigned)(p[0] & 0x0F) << 12) | ((unsigned)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
            len = 3;
        } else if (*p >= 0xF0 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 &&
                   (p[3] & 0xC0) == 0x80) {
            cp = ((unsigned)(p[0] & 0x07) << 18) | ((unsigned)(p[1] & 0x3F) << 12) |
                 ((unsigned)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
            len = 4;
        }
        w += cp < 0x80 ? 1 : cp_width(cp);
        p += len;
    }
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

/* The text of column c for result i: numbers and times go into buf (64 bytes), the error into
 * err (CSVB_DIAG_MESSAGE_MAX + 32 bytes). */
static const char *cell(const struct csvb_joblist *list, const struct csvb_result *results,
                        size_t i, int c, bool csv, char *buf, char *err)
{
    const struct csvb_result *r = &results[i];
    const char *o;
    switch (c) {
    case COL_FILE:
        return list->jobs[i].path;
    case COL_STATUS:
        return csvb_status_name(r->status);
    case COL_READ:
        snprintf(buf, 64, "%llu", (unsigned long long)r->rows_read);
        return buf;
    case COL_WRITTEN:
        snprintf(buf, 64, "%llu", (unsigned long long)r->rows_written);
        return buf;
    case COL_REJECTED:
        snprintf(buf, 64, "%llu", (unsigned long long)r->rows_rejected);
        return buf;
    case COL_OUTPUT:
        o = output_text(&list->jobs[i], r);
        return o != NULL ? o : "";
    case COL_TIME:
        snprintf(buf, 64, csv ? "%.6f" : "%.3fs", r->seconds);
        return buf;
    default:
        error_text(r, err, CSVB_DIAG_MESSAGE_MAX + 32);
        return err;
    }
}

/* The columns shown: RowsRejected only where rows can be rejected (--on-bad-row skip). */
static int columns(const struct csvb_options *opt, bool csv, int *cols)
{
    static const int table[] = {COL_FILE,     COL_STATUS, COL_READ, COL_WRITTEN,
                                COL_REJECTED, COL_OUTPUT, COL_TIME, COL_ERROR};
    static const int csv_order[] = {COL_FILE,     COL_STATUS, COL_READ,  COL_WRITTEN,
                                    COL_REJECTED, COL_OUTPUT, COL_ERROR, COL_TIME};
    int n = 0;
    for (int k = 0; k < NCOLS; k++) {
        int c = csv ? csv_order[k] : table[k];
        if (c != COL_REJECTED || opt->skip_bad_rows)
            cols[n++] = c;
    }
    return n;
}

static int write_table(FILE *out, const struct csvb_options *opt, const struct csvb_joblist *list,
                       const struct csvb_result *results, const struct csvb_totals *t)
{
    int cols[NCOLS], ncols = columns(opt, false, cols);
    char buf[64], err[CSVB_DIAG_MESSAGE_MAX + 32];
    size_t width[NCOLS];
    for (int k = 0; k < ncols; k++) {
        width[k] = strlen(col_names[cols[k]]);
        for (size_t i = 0; i < list->n; i++) {
            size_t w = display_width(cell(list, results, i, cols[k], false, buf, err));
            if (w > width[k])
                width[k] = w;
        }
    }
    for (long row = -2; row < (long)list->n; row++) {
        for (int k = 0; k < ncols; k++) {
            const char *text;
            char dashes[64];
            if (row == -2) {
                text = col_names[cols[k]];
            } else if (row == -1) {
                size_t len = strlen(col_names[cols[k]]);
                memset(dashes, '-', len);
                dashes[len] = '\0';
                text = dashes;
            } else {
                text = cell(list, results, (size_t)row, cols[k], false, buf, err);
            }
            if (k == ncols - 1 && text[0] == '\0')
                break; /* no trailing blanks when the last cell is empty */
            if (k > 0)
                fputc(' ', out);
            put_cell(out, text, width[k], col_right[cols[k]], k == ncols - 1);
        }
        fputc('\n', out);
    }
    char rb[32], wb[32];
    human_bytes(t->bytes_read, rb, sizeof rb);
    human_bytes(t->bytes_written, wb, sizeof wb);
    double rate = t->seconds > 0 ? (double)t->bytes_read / 1e6 / t->seconds : 0.0;
    const char *written = opt->dry_run ? "would be written" : "written";
    fprintf(out, "\n%zu file%s: %zu succeeded, %zu failed, %zu skipped. %llu row%s read, %llu %s",
            t->files, t->files == 1 ? "" : "s", t->succeeded, t->failed, t->skipped,
            (unsigned long long)t->rows_read, t->rows_read == 1 ? "" : "s",
            (unsigned long long)t->rows_written, written);
    if (opt->skip_bad_rows)
        fprintf(out, ", %llu rejected", (unsigned long long)t->rows_rejected);
    fprintf(out, ". %s read, %s %s in %.3f s (%.1f MB/s).\n", rb, wb, written, t->seconds, rate);
    if (opt->dry_run)
        fprintf(out, "Dry run: nothing was written.\n");
    return 0;
}

static int write_csv(FILE *out, const struct csvb_options *opt, const struct csvb_joblist *list,
                     const struct csvb_result *results)
{
    if (fflush(out) != 0)
        return -1;
    struct csvb_writer w;
    if (csvb_writer_init(&w, fileno(out), (size_t)64 << 10, ',') != CSVB_OK)
        return -1;
    int cols[NCOLS], ncols = columns(opt, true, cols);
    char bufs[NCOLS][64], err[CSVB_DIAG_MESSAGE_MAX + 32];
    struct csvb_field f[NCOLS];
    for (int k = 0; k < ncols; k++) {
        const char *name = cols[k] == COL_TIME ? "Seconds" : col_names[cols[k]];
        f[k] = (struct csvb_field){name, strlen(name)};
    }
    enum csvb_err e = csvb_writer_row(&w, f, (size_t)ncols);
    for (size_t i = 0; i < list->n && e == CSVB_OK; i++) {
        for (int k = 0; k < ncols; k++) {
            const char *v = cell(list, results, i, cols[k], true, bufs[k], err);
            f[k] = (struct csvb_field){v, strlen(v)};
        }
        e = csvb_writer_row(&w, f, (size_t)ncols);
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

/* The summary as a JSON object: dry_run, files, totals. Caller json_decref()s it. */
static json_t *summary_json(const struct csvb_options *opt, const struct csvb_joblist *list,
                            const struct csvb_result *results, const struct csvb_totals *t)
{
    json_t *root = json_object(), *files = json_array(), *tot = json_object();
    char err[CSVB_DIAG_MESSAGE_MAX + 32];
    json_object_set_new(root, "dry_run", json_boolean(opt->dry_run));
    for (size_t i = 0; i < list->n; i++) {
        const struct csvb_result *r = &results[i];
        json_t *f = json_object();
        error_text(r, err, sizeof err);
        json_object_set_new(f, "path", json_text(list->jobs[i].path));
        json_object_set_new(f, "status", json_string(status_json(r->status)));
        json_object_set_new(f, "rows_read", json_integer((json_int_t)r->rows_read));
        json_object_set_new(f, "rows_written", json_integer((json_int_t)r->rows_written));
        json_object_set_new(f, "rows_rejected", json_integer((json_int_t)r->rows_rejected));
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
    json_object_set_new(tot, "rows_rejected", json_integer((json_int_t)t->rows_rejected));
    json_object_set_new(tot, "bytes_read", json_integer((json_int_t)t->bytes_read));
    json_object_set_new(tot, "bytes_written", json_integer((json_int_t)t->bytes_written));
    json_object_set_new(tot, "seconds", json_real(t->seconds));
    json_object_set_new(root, "totals", tot);
    return root;
}

int csvb_report_write(FILE *out, const struct csvb_options *opt, const struct csvb_joblist *list,
                      const struct csvb_result *results, const struct csvb_totals *t)
{
    int rc;
    if (opt->format == CSVB_FORMAT_JSON) {
        json_t *root = summary_json(opt, list, results, t);
        rc = json_dumpf(root, out, JSON_INDENT(2)) == 0 && fputc('\n', out) != EOF ? 0 : -1;
        json_decref(root);
    } else if (opt->format == CSVB_FORMAT_CSV) {
        rc = write_csv(out, opt, list, results);
    } else {
        rc = write_table(out, opt, list, results, t);
    }
    if (fflush(out) != 0 || ferror(out))
        rc = -1;
    return rc;
}

/* The options in effect, as the report records them. */
static json_t *options_json(const struct csvb_options *opt, int threads)
{
    static const char *const encodings[] = {"utf-8", "latin1", "windows-1252"};
    static const char *const formats[] = {"table", "csv", "json"};
    char delim[2] = {opt->delimiter, '\0'}, out_delim[2] = {opt->out_delimiter, '\0'};
    json_t *o = json_object(), *where = json_array(), *select = json_array();
    json_object_set_new(o, "jobs", json_integer(threads));
    json_object_set_new(o, "delimiter", json_string(delim));
    json_object_set_new(o, "output_delimiter", json_string(out_delim));
    json_object_set_new(o, "encoding", json_string(encodings[opt->encoding]));
    json_object_set_new(o, "format", json_string(formats[opt->format]));
    json_object_set_new(o, "preview", json_integer((json_int_t)opt->preview));
    json_object_set_new(o, "chunk_size", json_integer((json_int_t)opt->chunk_size));
    json_object_set_new(o, "recursive", json_boolean(opt->recursive));
    json_object_set_new(o, "output_dir", json_text(opt->output_dir));
    json_object_set_new(o, "suffix", json_text(opt->suffix));
    for (size_t i = 0; i < opt->nwhere; i++) {
        char *w = NULL;
        if (asprintf(&w, "%s%s%s", opt->where[i].column, opt->where[i].negate ? "!=" : "=",
                     opt->where[i].value) >= 0)
            json_array_append_new(where, json_text(w));
        free(w);
    }
    json_object_set_new(o, "where", where);
    json_object_set_new(o, "all_rows", json_boolean(opt->all_rows));
    json_object_set_new(o, "case_sensitive", json_boolean(opt->case_sensitive));
    if (opt->select_all)
        json_array_append_new(select, json_string("*"));
    for (size_t i = 0; i < opt->nselect; i++)
        json_array_append_new(select, json_text(opt->select[i]));
    if (!opt->select_all && opt->select == NULL) {
        json_array_append_new(select, json_string("Name"));
        json_array_append_new(select, json_string("ID"));
    }
    json_object_set_new(o, "select", select);
    json_object_set_new(o, "stamp_column",
                        opt->no_stamp ? json_null() : json_text(opt->stamp_column));
    json_object_set_new(o, "dry_run", json_boolean(opt->dry_run));
    json_object_set_new(o, "fsync", json_boolean(opt->fsync));
    json_object_set_new(o, "on_bad_row", json_string(opt->skip_bad_rows ? "skip" : "fail"));
    json_object_set_new(o, "rejects", json_boolean(opt->rejects));
    json_object_set_new(o, "compat", json_string(opt->compat ? "powershell" : "none"));
    json_object_set_new(o, "max_failures", json_integer((json_int_t)opt->max_failures));
    json_object_set_new(o, "timeout", opt->timeout > 0 ? json_real(opt->timeout) : json_null());
    json_object_set_new(o, "deadline", opt->deadline > 0 ? json_real(opt->deadline) : json_null());
    return o;
}

int csvb_report_file(const char *path, const struct csvb_options *opt,
                     const struct csvb_joblist *list, const struct csvb_result *results,
                     const struct csvb_totals *t, const struct csvb_run_info *info,
                     struct csvb_diag *d)
{
    json_t *root = json_object();
    json_object_set_new(root, "tool", json_string("csvbatch"));
    json_object_set_new(root, "version", json_string(CSVB_VERSION));
    json_object_set_new(root, "started_at", json_text(info->started_at));
    json_object_set_new(root, "finished_at", json_text(info->finished_at));
    json_object_set_new(root, "stamp", json_text(info->stamp));
    json_object_set_new(root, "exit_code", json_integer(info->exit_code));
    json_object_set_new(root, "interrupted_by",
                        info->signal ? json_string(info->signal == 2    ? "SIGINT"
                                                   : info->signal == 15 ? "SIGTERM"
                                                                        : "SIGHUP")
                                     : json_null());
    json_object_set_new(root, "options", options_json(opt, info->threads));
    json_t *summary = summary_json(opt, list, results, t);
    json_object_update(root, summary);
    json_decref(summary);
    char *text = json_dumps(root, JSON_INDENT(2));
    json_decref(root);
    if (text == NULL)
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory"), -1;
    struct csvb_atomic a;
    int rc = -1;
    mode_t mask = umask(0);
    umask(mask);
    if (csvb_atomic_open(&a, path, false, 0666 & ~mask, d) == CSVB_OK) {
        int err = csvb_write_all(a.fd, text, strlen(text));
        if (err == 0)
            err = csvb_write_all(a.fd, "\n", 1);
        if (err != 0) {
            csvb_diag_errno(d, CSVB_E_IO, err, "cannot write %s", path);
            csvb_atomic_abort(&a);
        } else if (csvb_atomic_commit(&a, opt->fsync, d) == CSVB_OK) {
            rc = 0;
        }
    }
    free(text);
    return rc;
}

/* Preview rendering: the rows are read back from their CSV with the reader. */
struct preview_rows {
    char **cells; /* owned copies, row-major */
    size_t ncols, nrows, cap;
    size_t width[64];
};

static enum csvb_err keep_preview_row(void *ctx, const struct csvb_row *row, bool *stop,
                                      struct csvb_diag *d)
{
    (void)stop;
    (void)d;
    struct preview_rows *p = ctx;
    if (p->nrows == 0)
        p->ncols = row->nfields < 64 ? row->nfields : 64;
    if ((p->nrows + 1) * p->ncols > p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        while (cap < (p->nrows + 1) * p->ncols)
            cap *= 2;
        char **c = realloc(p->cells, cap * sizeof *c);
        if (c == NULL)
            return CSVB_E_NOMEM;
        p->cells = c;
        p->cap = cap;
    }
    for (size_t k = 0; k < p->ncols; k++) {
        const struct csvb_field *f = k < row->nfields ? &row->fields[k] : NULL;
        char *text = strndup(f ? f->ptr : "", f ? f->len : 0);
        for (char *c = text; c != NULL && *c != '\0'; c++)
            if ((unsigned char)*c < 0x20)
                *c = ' '; /* one preview row, one line */
        p->cells[p->nrows * p->ncols + k] = text;
        size_t w = text ? display_width(text) : 0;
        if (w > p->width[k])
            p->width[k] = w;
    }
    p->nrows++;
    return CSVB_OK;
}

void csvb_report_previews(FILE *out, const struct csvb_joblist *list,
                          const struct csvb_result *results)
{
    for (size_t i = 0; i < list->n; i++) {
        if (results[i].preview == NULL)
            continue;
        struct preview_rows p;
        memset(&p, 0, sizeof p);
        struct csvb_reader_config cfg;
        csvb_reader_config_init(&cfg);
        struct csvb_mem_source mem = {results[i].preview, results[i].preview_len, 0, 0};
        struct csvb_diag d;
        csvb_diag_init(&d);
        csvb_reader_run(&cfg, (struct csvb_source){csvb_source_mem_fill, &mem},
                        (struct csvb_sink){keep_preview_row, &p}, NULL, &d);
        fprintf(out, "\nPreview of %s (%zu row%s):\n", list->jobs[i].path,
                p.nrows > 0 ? p.nrows - 1 : 0, p.nrows == 2 ? "" : "s");
        for (size_t r = 0; r < p.nrows; r++) {
            for (int pass = 0; pass < (r == 0 ? 2 : 1); pass++) {
                for (size_t k = 0; k < p.ncols; k++) {
                    const char *text = p.cells[r * p.ncols + k];
                    char dashes[256];
                    if (pass == 1) {
                        size_t len = display_width(text ? text : "");
                        len = len < sizeof dashes - 1 ? len : sizeof dashes - 1;
                        memset(dashes, '-', len);
                        dashes[len] = '\0';
                        text = dashes;
                    }
                    put_cell(out, text ? text : "", p.width[k], false, k + 1 == p.ncols);
                    if (k + 1 < p.ncols)
                        fputc(' ', out);
                }
                fputc('\n', out);
            }
        }
        for (size_t k = 0; k < p.nrows * p.ncols; k++)
            free(p.cells[k]);
        free(p.cells);
    }
}
