/* report_github.c — GitHub Actions workflow commands and the Markdown step summary. */
#include "csvbatch/report_github.h"

#include "csvbatch/utf8.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

bool csvb_github_enabled(enum csvb_annotations mode, const char *github_actions)
{
    if (mode == CSVB_ANNOTATIONS_NONE)
        return false;
    if (mode == CSVB_ANNOTATIONS_GITHUB)
        return true;
    return github_actions != NULL && strcmp(github_actions, "true") == 0;
}

/* The escape of c in a command value, or NULL when c stands for itself. The mapping is the
 * toolkit's (packages/core/src/command.ts) and the runner's unescaping (ActionCommand.cs). */
static const char *escape_of(unsigned char c, bool property)
{
    switch (c) {
    case '%':
        return "%25";
    case '\r':
        return "%0D";
    case '\n':
        return "%0A";
    case ':':
        return property ? "%3A" : NULL;
    case ',':
        return property ? "%2C" : NULL;
    default:
        return NULL;
    }
}

static char *escape_new(const char *s, bool property)
{
    char *out = malloc(strlen(s) * 3 + 1); /* an escape is three bytes for one */
    if (out == NULL)
        return NULL;
    char *w = out;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        const char *e = escape_of(*p, property);
        if (e != NULL) {
            memcpy(w, e, 3);
            w += 3;
        } else {
            *w++ = (char)*p;
        }
    }
    *w = '\0';
    return out;
}

char *csvb_github_escape_data(const char *s)
{
    return escape_new(s, false);
}

char *csvb_github_escape_property(const char *s)
{
    return escape_new(s, true);
}

/* A control character that is neither escaped by GitHub nor harmless in a log line. */
static bool is_rendered_control(unsigned char c)
{
    return (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f;
}

static void put_value(FILE *out, const char *s, bool property)
{
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        const char *e = escape_of(*p, property);
        if (e != NULL)
            fputs(e, out);
        else if (is_rendered_control(*p))
            fprintf(out, "\\x%02X", *p);
        else
            fputc(*p, out);
    }
}

void csvb_github_annotate(FILE *out, const char *level, const char *file, unsigned long line,
                          const char *title, const char *message)
{
    if (level == NULL || (strcmp(level, "warning") != 0 && strcmp(level, "notice") != 0))
        level = "error";
    fprintf(out, "::%s", level);
    const char *sep = " ";
    if (file != NULL) {
        fprintf(out, "%sfile=", sep);
        put_value(out, file, true);
        sep = ",";
    }
    if (line > 0) {
        fprintf(out, "%sline=%lu", sep, line);
        sep = ",";
    }
    if (title != NULL) {
        fprintf(out, "%stitle=", sep);
        put_value(out, title, true);
    }
    fputs("::", out);
    put_value(out, message != NULL ? message : "", false);
    fputc('\n', out);
}

void csvb_github_annotate_result(FILE *out, const char *path, const struct csvb_result *r)
{
    if (r->status == CSVB_STATUS_FAILED)
        csvb_github_annotate(out, "error", path, r->diag.line, "csvbatch", r->diag.message);
    else if (r->status != CSVB_STATUS_SUCCESS && r->diag.message[0] != '\0')
        csvb_github_annotate(out, "notice", path, r->diag.line, "csvbatch", r->diag.message);
}

/* One table cell's text, escaped so that it stays one cell of one row (see the header). */
static void put_cell(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        unsigned cp;
        size_t len = c < 0x80 ? 1 : csvb_utf8_decode(p + i, n - i, &cp);
        if (c == '\n')
            fputs("\\\\n", out);
        else if (c < 0x20 || c == 0x7f || len == 0)
            fprintf(out, "\\\\x%02X", c);
        else if (c < 0x80 && strchr("\\`*_[]<>|~&$", c) != NULL)
            fprintf(out, "\\%c", c);
        else
            fwrite(p + i, 1, len, out);
        i += len == 0 ? 1 : len;
    }
}

static const char *status_word(enum csvb_status s)
{
    /* The table's words (report.c's csvb_status_name), kept here so the layer stays narrow. */
    return s == CSVB_STATUS_SUCCESS ? "Success" : s == CSVB_STATUS_FAILED ? "Failed" : "Skipped";
}

static void put_row(FILE *out, const struct csvb_github_file *f)
{
    const struct csvb_result *r = f->result;
    fputs("| ", out);
    put_cell(out, f->path);
    fprintf(out, " | %s | %llu read, %llu written | ", status_word(r->status),
            (unsigned long long)r->rows_read, (unsigned long long)r->rows_written);
    put_cell(out, f->output != NULL ? f->output : "");
    fputs(" | ", out);
    if (r->diag.line > 0 && r->diag.message[0] != '\0')
        fprintf(out, "line %lu: ", r->diag.line);
    put_cell(out, r->diag.message);
    fputs(" |\n", out);
}

static const char *plural(size_t n)
{
    return n == 1 ? "" : "s";
}

/* Where the summary's rows come from: a caller's array, or the run's jobs and results read one
 * at a time (a run keeps its results packed: results.h). */
struct files {
    const struct csvb_github_file *array; /* NULL: list and results */
    const struct csvb_joblist *list;
    const struct csvb_results *results;
    size_t n;
};

/* Row i; its result may be in buf (valid until buf is used again). */
static struct csvb_github_file file_at(const struct files *fs, size_t i, struct csvb_result *buf)
{
    if (fs->array != NULL)
        return fs->array[i];
    const struct csvb_job *job = &fs->list->jobs[i];
    const struct csvb_result *r = csvb_results_get(fs->results, i, buf);
    return (struct csvb_github_file){job->path, csvb_report_output(job, r), r};
}

/* csvb_github_summary, the rows from fs. */
static int summary(FILE *out, const struct files *fs, double seconds,
                   const struct csvb_rusage *usage)
{
    size_t failed = 0, skipped = 0, n = fs->n;
    unsigned long long rows_read = 0, rows_written = 0;
    struct csvb_result buf;
    for (size_t i = 0; i < n; i++) {
        const struct csvb_result *r = file_at(fs, i, &buf).result;
        failed += r->status == CSVB_STATUS_FAILED;
        skipped += r->status == CSVB_STATUS_SKIPPED;
        rows_read += r->rows_read;
        rows_written += r->rows_written;
    }
    if (failed > 0)
        fprintf(out, "## csvbatch: %zu of %zu file%s failed\n\n", failed, n, plural(n));
    else
        fprintf(out, "## csvbatch: %zu file%s, none failed\n\n", n, plural(n));
    fputs("| File | Status | Rows | Output | Error |\n| --- | --- | ---: | --- | --- |\n", out);
    for (int pass = 0; pass < 2; pass++) /* the failed files first */
        for (size_t i = 0; i < n; i++) {
            struct csvb_github_file f = file_at(fs, i, &buf);
            if ((f.result->status == CSVB_STATUS_FAILED) == (pass == 0))
                put_row(out, &f);
        }
    fprintf(out,
            "\n%zu file%s: %zu succeeded, %zu failed, %zu skipped. %llu row%s read, %llu written"
            " in %.3f s.\n",
            n, plural(n), n - failed - skipped, failed, skipped, rows_read,
            rows_read == 1 ? "" : "s", rows_written, seconds);
    if (usage != NULL)
        fprintf(out, "Peak memory %.1f MiB, CPU time %.3f s user, %.3f s system.\n",
                (double)usage->peak_rss_bytes / 1048576.0, usage->cpu_user_seconds,
                usage->cpu_system_seconds);
    fputc('\n', out);
    return fflush(out) != 0 || ferror(out) ? -1 : 0;
}

int csvb_github_summary(FILE *out, const struct csvb_github_file *files, size_t n, double seconds,
                        const struct csvb_rusage *usage)
{
    const struct files fs = {files, NULL, NULL, n};
    return summary(out, &fs, seconds, usage);
}

/* csvb_github_summary_append, the rows from fs. */
static enum csvb_err append(const char *path, const struct files *fs, double seconds,
                            const struct csvb_rusage *usage, struct csvb_diag *d)
{
    FILE *f = fopen(path, "a");
    if (f == NULL)
        return csvb_diag_errno(d, CSVB_E_IO, errno, "cannot open %s", path);
    int written = summary(f, fs, seconds, usage);
    int err = errno;
    if (fclose(f) != 0 && written == 0) {
        written = -1;
        err = errno;
    }
    if (written != 0)
        return csvb_diag_errno(d, CSVB_E_IO, err, "cannot write %s", path);
    return CSVB_OK;
}

enum csvb_err csvb_github_summary_append(const char *path, const struct csvb_github_file *files,
                                         size_t n, double seconds, const struct csvb_rusage *usage,
                                         struct csvb_diag *d)
{
    const struct files fs = {files, NULL, NULL, n};
    return append(path, &fs, seconds, usage, d);
}

void csvb_report_github_annotations(FILE *out, const struct csvb_joblist *list,
                                    const struct csvb_results *results)
{
    for (size_t i = 0; i < list->nnotices; i++)
        csvb_github_annotate(out, "notice", NULL, 0, "csvbatch", list->notices[i]);
    struct csvb_result buf;
    for (size_t i = 0; i < list->n; i++)
        csvb_github_annotate_result(out, list->jobs[i].path, csvb_results_get(results, i, &buf));
}

enum csvb_err csvb_report_github_summary(const char *path, const struct csvb_joblist *list,
                                         const struct csvb_results *results,
                                         const struct csvb_totals *t, struct csvb_diag *d)
{
    const struct files fs = {NULL, list, results, list->n};
    return append(path, &fs, t->seconds, t->have_usage ? &t->usage : NULL, d);
}
