/* report_json.c — the summary as JSON, and the --report run-report file (JSON too). The only
 * user of jansson: no string is ever escaped by hand. */
#include "csvbatch/report.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csvbatch/atomic.h"
#include "csvbatch/utf8.h"
#include "csvbatch/writer.h"

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
        unsigned cp;
        size_t len = csvb_utf8_decode(p + i, n - i, &cp);
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
    return s == CSVB_STATUS_SUCCESS     ? "success"
           : s == CSVB_STATUS_FAILED    ? "failed"
           : s == CSVB_STATUS_UNCHANGED ? "unchanged"
                                        : "skipped";
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
        csvb_report_error(r, err, sizeof err);
        json_object_set_new(f, "path", json_text(list->jobs[i].path));
        json_object_set_new(f, "status", json_string(status_json(r->status)));
        json_object_set_new(f, "rows_read", json_integer((json_int_t)r->rows_read));
        json_object_set_new(f, "rows_written", json_integer((json_int_t)r->rows_written));
        json_object_set_new(f, "rows_rejected", json_integer((json_int_t)r->rows_rejected));
        json_object_set_new(f, "bytes_read", json_integer((json_int_t)r->bytes_read));
        json_object_set_new(f, "bytes_written", json_integer((json_int_t)r->bytes_written));
        const char *z = csvb_compression_name(r->compression);
        json_object_set_new(f, "compression", z != NULL ? json_string(z) : json_null());
        json_object_set_new(f, "bytes_decompressed",
                            z != NULL ? json_integer((json_int_t)r->bytes_decompressed)
                                      : json_null());
        json_object_set_new(f, "output", json_text(csvb_report_output(&list->jobs[i], r)));
        json_object_set_new(f, "error", err[0] ? json_text(err) : json_null());
        json_object_set_new(f, "line",
                            r->diag.line ? json_integer((json_int_t)r->diag.line) : json_null());
        json_object_set_new(f, "seconds", json_real(r->seconds));
        if (r->status == CSVB_STATUS_UNCHANGED) { /* the run whose output this still is */
            json_t *by = json_object();
            json_object_set_new(by, "stamp", json_text(r->written_stamp));
            json_object_set_new(by, "recorded_at", json_text(r->written_at));
            json_object_set_new(f, "written_by", by);
        }
        json_array_append_new(files, f);
    }
    json_object_set_new(root, "files", files);
    json_object_set_new(tot, "files", json_integer((json_int_t)t->files));
    json_object_set_new(tot, "succeeded", json_integer((json_int_t)t->succeeded));
    json_object_set_new(tot, "failed", json_integer((json_int_t)t->failed));
    json_object_set_new(tot, "skipped", json_integer((json_int_t)t->skipped));
    if (opt->incremental)
        json_object_set_new(tot, "unchanged", json_integer((json_int_t)t->unchanged));
    json_object_set_new(tot, "rows_read", json_integer((json_int_t)t->rows_read));
    json_object_set_new(tot, "rows_written", json_integer((json_int_t)t->rows_written));
    json_object_set_new(tot, "rows_rejected", json_integer((json_int_t)t->rows_rejected));
    json_object_set_new(tot, "bytes_read", json_integer((json_int_t)t->bytes_read));
    json_object_set_new(tot, "bytes_written", json_integer((json_int_t)t->bytes_written));
    json_object_set_new(tot, "seconds", json_real(t->seconds));
    if (t->have_usage) {
        json_object_set_new(tot, "peak_rss_bytes",
                            json_integer((json_int_t)t->usage.peak_rss_bytes));
        json_object_set_new(tot, "cpu_user_seconds", json_real(t->usage.cpu_user_seconds));
        json_object_set_new(tot, "cpu_system_seconds", json_real(t->usage.cpu_system_seconds));
    }
    json_object_set_new(root, "totals", tot);
    return root;
}

int csvb_report_json(FILE *out, const struct csvb_options *opt, const struct csvb_joblist *list,
                     const struct csvb_result *results, const struct csvb_totals *t)
{
    json_t *root = summary_json(opt, list, results, t);
    int rc = root != NULL && json_dumpf(root, out, JSON_INDENT(2)) == 0 && fputc('\n', out) != EOF
                 ? 0
                 : -1;
    json_decref(root);
    return rc;
}

/* One option, as the options visitor (options.h) describes it, into the JSON object ctx. */
static void option_json(void *ctx, const char *key, const struct csvb_opt_value *v)
{
    json_t *value = json_null();
    if (v->kind == CSVB_VALUE_BOOL)
        value = json_boolean(v->boolean);
    else if (v->kind == CSVB_VALUE_INT)
        value = json_integer((json_int_t)v->integer);
    else if (v->kind == CSVB_VALUE_REAL)
        value = json_real(v->real);
    else if (v->kind == CSVB_VALUE_STRING)
        value = json_text(v->string);
    else if (v->kind == CSVB_VALUE_LIST) {
        value = json_array();
        for (size_t i = 0; i < v->count; i++)
            json_array_append_new(value, json_text(v->list[i]));
    }
    json_object_set_new(ctx, key, value);
}

/* The options in effect, as the report records them. */
static json_t *options_json(const struct csvb_options *opt, int threads)
{
    json_t *o = json_object();
    csvb_options_describe(opt, threads, option_json, o);
    return o;
}

/* The share (--shard) and each file's place in the whole job list. */
static void shard_json(json_t *root, const struct csvb_shard *s)
{
    json_t *o = json_object(), *files = json_object_get(root, "files");
    json_object_set_new(o, "index", json_integer(s->index));
    json_object_set_new(o, "count", json_integer(s->count));
    json_object_set_new(o, "plan_digest", json_string(s->plan_digest));
    json_object_set_new(o, "files_total", json_integer((json_int_t)s->total));
    json_object_set_new(root, "shard", o);
    for (size_t i = 0; i < json_array_size(files) && i < s->n; i++)
        json_object_set_new(json_array_get(files, i), "index",
                            json_integer((json_int_t)s->positions[i]));
}

int csvb_report_file(const char *path, const struct csvb_options *opt,
                     const struct csvb_joblist *list, const struct csvb_result *results,
                     const struct csvb_totals *t, const struct csvb_run_info *info,
                     struct csvb_diag *d)
{
    return csvb_report_file_ex(path, opt, list, results, t, info, NULL, d);
}

int csvb_report_file_ex(const char *path, const struct csvb_options *opt,
                        const struct csvb_joblist *list, const struct csvb_result *results,
                        const struct csvb_totals *t, const struct csvb_run_info *info,
                        const struct csvb_report_extra *extra, struct csvb_diag *d)
{
    const struct csvb_report_extra none = {NULL, NULL}, *x = extra != NULL ? extra : &none;
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
    json_t *given = x->options_json != NULL ? json_loads(x->options_json, 0, NULL) : NULL;
    json_object_set_new(root, "options", given != NULL ? given : options_json(opt, info->threads));
    json_t *summary = summary_json(opt, list, results, t);
    json_object_update(root, summary);
    json_decref(summary);
    if (x->shard != NULL)
        shard_json(root, x->shard);
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
