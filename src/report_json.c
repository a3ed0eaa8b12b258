/* report_json.c — the summary as JSON, and the --report run-report file (JSON too). The only
 * user of jansson: no string is ever escaped by hand. */
#include "csvbatch/report.h"

#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* A path that is not UTF-8 cannot be told from its U+FFFD form: key (e.g. "path_hex") is set
 * to its bytes in lower-case hex, so a program can find the file again. Not set otherwise. */
static void set_hex_if_not_utf8(json_t *obj, const char *key, const char *s)
{
    if (s == NULL)
        return;
    size_t n = strlen(s), i = 0;
    for (unsigned cp; i < n;) {
        size_t len = csvb_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (len == 0)
            break;
        i += len;
    }
    if (i == n)
        return; /* UTF-8: "path" says it all */
    static const char hex[] = "0123456789abcdef";
    char *h = malloc(2 * n + 1);
    if (h == NULL)
        return;
    for (size_t k = 0; k < n; k++) {
        h[2 * k] = hex[(unsigned char)s[k] >> 4];
        h[2 * k + 1] = hex[(unsigned char)s[k] & 0xF];
    }
    h[2 * n] = '\0';
    json_object_set_new(obj, key, json_string(h));
    free(h);
}

/* What a file was read with: "delimiter" (the character), "encoding" ("utf-8" when not
 * transcoded), "quotes" ("strict" or "lenient"), "escape" (the character, null for none), "comment"
 * (likewise), "skip_lines" (lines dropped before the header); all null for a file that was not
 * read. */
static void dialect_json(json_t *f, const struct csvb_result_dialect *dl)
{
    char delim[2] = {dl->delimiter, '\0'};
    bool read = dl->delimiter != '\0';
    json_object_set_new(f, "delimiter", read ? json_string(delim) : json_null());
    json_object_set_new(f, "encoding",
                        read ? json_text(dl->encoding[0] ? dl->encoding : "utf-8") : json_null());
    json_object_set_new(
        f, "quotes", read ? json_string(dl->quotes_lenient ? "lenient" : "strict") : json_null());
    char esc[2] = {dl->escape, '\0'};
    json_object_set_new(f, "escape", read && dl->escape != '\0' ? json_string(esc) : json_null());
    char com[2] = {dl->comment, '\0'};
    json_object_set_new(f, "comment", read && dl->comment != '\0' ? json_string(com) : json_null());
    json_object_set_new(f, "skip_lines", read ? json_integer(dl->skip_lines) : json_null());
}

static const char *status_json(enum csvb_status s)
{
    return s == CSVB_STATUS_SUCCESS     ? "success"
           : s == CSVB_STATUS_FAILED    ? "failed"
           : s == CSVB_STATUS_UNCHANGED ? "unchanged"
                                        : "skipped";
}

/* File i's entry of the summary (with --shard, its place in the whole job list last). Caller
 * json_decref()s it. */
static json_t *file_json(const struct csvb_joblist *list, const struct csvb_results *results,
                         size_t i, const struct csvb_shard *shard)
{
    char err[CSVB_DIAG_MESSAGE_MAX + 32];
    struct csvb_result buf;
    const struct csvb_result *r = csvb_results_get(results, i, &buf);
    json_t *f = json_object();
    csvb_report_error(r, err, sizeof err);
    json_object_set_new(f, "path", json_text(list->jobs[i].path));
    set_hex_if_not_utf8(f, "path_hex", list->jobs[i].path);
    json_object_set_new(f, "status", json_string(status_json(r->status)));
    json_object_set_new(f, "rows_read", json_integer((json_int_t)r->rows_read));
    json_object_set_new(f, "rows_written", json_integer((json_int_t)r->rows_written));
    json_object_set_new(f, "rows_rejected", json_integer((json_int_t)r->rows_rejected));
    json_object_set_new(f, "rows_padded", json_integer((json_int_t)r->rows_padded));
    json_object_set_new(f, "bytes_read", json_integer((json_int_t)r->bytes_read));
    json_object_set_new(f, "bytes_written", json_integer((json_int_t)r->bytes_written));
    const char *z = csvb_compression_name(r->compression);
    json_object_set_new(f, "compression", z != NULL ? json_string(z) : json_null());
    json_object_set_new(f, "bytes_decompressed",
                        z != NULL ? json_integer((json_int_t)r->bytes_decompressed) : json_null());
    json_object_set_new(f, "output", json_text(csvb_report_output(&list->jobs[i], r)));
    set_hex_if_not_utf8(f, "output_hex", csvb_report_output(&list->jobs[i], r));
    dialect_json(f, &r->dialect);
    json_object_set_new(f, "error", err[0] ? json_text(err) : json_null());
    json_object_set_new(f, "hint", r->diag.hint[0] ? json_text(r->diag.hint) : json_null());
    json_object_set_new(f, "line",
                        r->diag.line ? json_integer((json_int_t)r->diag.line) : json_null());
    json_object_set_new(f, "seconds", json_real(r->seconds));
    if (r->status == CSVB_STATUS_UNCHANGED) { /* the run whose output this still is */
        json_t *by = json_object();
        json_object_set_new(by, "stamp", json_text(r->written_stamp));
        json_object_set_new(by, "recorded_at", json_text(r->written_at));
        json_object_set_new(f, "written_by", by);
    }
    if (shard != NULL && i < shard->n)
        json_object_set_new(f, "index", json_integer((json_int_t)shard->positions[i]));
    return f;
}

/* The summary's totals. Caller json_decref()s it. */
static json_t *totals_json(const struct csvb_options *opt, const struct csvb_totals *t)
{
    json_t *tot = json_object();
    json_object_set_new(tot, "files", json_integer((json_int_t)t->files));
    json_object_set_new(tot, "succeeded", json_integer((json_int_t)t->succeeded));
    json_object_set_new(tot, "failed", json_integer((json_int_t)t->failed));
    json_object_set_new(tot, "skipped", json_integer((json_int_t)t->skipped));
    if (opt->incremental)
        json_object_set_new(tot, "unchanged", json_integer((json_int_t)t->unchanged));
    json_object_set_new(tot, "rows_read", json_integer((json_int_t)t->rows_read));
    json_object_set_new(tot, "rows_written", json_integer((json_int_t)t->rows_written));
    json_object_set_new(tot, "rows_rejected", json_integer((json_int_t)t->rows_rejected));
    json_object_set_new(tot, "rows_padded", json_integer((json_int_t)t->rows_padded));
    json_object_set_new(tot, "bytes_read", json_integer((json_int_t)t->bytes_read));
    json_object_set_new(tot, "bytes_written", json_integer((json_int_t)t->bytes_written));
    json_object_set_new(tot, "seconds", json_real(t->seconds));
    if (t->have_usage) {
        json_object_set_new(tot, "peak_rss_bytes",
                            json_integer((json_int_t)t->usage.peak_rss_bytes));
        json_object_set_new(tot, "cpu_user_seconds", json_real(t->usage.cpu_user_seconds));
        json_object_set_new(tot, "cpu_system_seconds", json_real(t->usage.cpu_system_seconds));
    }
    return tot;
}

/* Streaming (issue 13 item 11): the document is written member by member, one file's object at
 * a time, in exactly the bytes json_dumpf(JSON_INDENT(2)) gives for the whole tree, so memory
 * does not grow with the number of files (a whole tree held about 1.6 KB per file). */

/* Writes v as jansson's JSON_INDENT(2) does at nesting `depth` (its lines after the first
 * indented by 2 x depth), and consumes v. Returns false on error. */
static bool put_value(FILE *out, json_t *v, int depth)
{
    char *text = v != NULL ? json_dumps(v, JSON_INDENT(2) | JSON_ENCODE_ANY) : NULL;
    json_decref(v);
    if (text == NULL)
        return false;
    bool ok = true;
    for (const char *p = text; ok && *p != '\0';) {
        const char *nl = strchr(p, '\n');
        size_t len = nl != NULL ? (size_t)(nl - p) + 1 : strlen(p);
        ok = fwrite(p, 1, len, out) == len &&
             (nl == NULL || nl[1] == '\0' || fprintf(out, "%*s", 2 * depth, "") >= 0);
        p += len;
    }
    free(text);
    return ok;
}

/* `"key": value` at nesting depth 1, after a comma unless it is the first member; consumes v. */
static bool put_member(FILE *out, const char *key, json_t *v, bool *first)
{
    bool ok = fprintf(out, "%s\n  \"%s\": ", *first ? "{" : ",", key) >= 0 && put_value(out, v, 1);
    *first = false;
    return ok;
}

/* The share (--shard): index, count, plan digest and the whole list's length. */
static json_t *shard_json(const struct csvb_shard *s)
{
    json_t *o = json_object();
    json_object_set_new(o, "index", json_integer(s->index));
    json_object_set_new(o, "count", json_integer(s->count));
    json_object_set_new(o, "plan_digest", json_string(s->plan_digest));
    json_object_set_new(o, "files_total", json_integer((json_int_t)s->total));
    return o;
}

/* The summary's members (dry_run, files, totals, and with a shard "shard"), after `first` as
 * put_member's. */
static bool put_summary(FILE *out, const struct csvb_options *opt, const struct csvb_joblist *list,
                        const struct csvb_results *results, const struct csvb_totals *t,
                        const struct csvb_shard *shard, bool *first)
{
    bool ok = put_member(out, "dry_run", json_boolean(opt->dry_run), first) &&
              fputs(",\n  \"files\": [", out) != EOF;
    for (size_t i = 0; ok && i < list->n; i++)
        ok = fputs(i > 0 ? ",\n    " : "\n    ", out) != EOF &&
             put_value(out, file_json(list, results, i, shard), 2);
    ok = ok && fputs(list->n > 0 ? "\n  ]" : "]", out) != EOF;
    return ok && put_member(out, "totals", totals_json(opt, t), first) &&
           (shard == NULL || put_member(out, "shard", shard_json(shard), first)) &&
           fputs("\n}\n", out) != EOF;
}

int csvb_report_json(FILE *out, const struct csvb_options *opt, const struct csvb_joblist *list,
                     const struct csvb_results *results, const struct csvb_totals *t)
{
    bool first = true;
    return put_summary(out, opt, list, results, t, NULL, &first) ? 0 : -1;
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

/* The run report's members, in order: the run's facts, the options, then the summary's. */
static bool put_report(FILE *out, const struct csvb_options *opt, const struct csvb_joblist *list,
                       const struct csvb_results *results, const struct csvb_totals *t,
                       const struct csvb_run_info *info, const struct csvb_report_extra *x)
{
    bool first = true;
    json_t *signal = info->signal ? json_string(info->signal == 2    ? "SIGINT"
                                                : info->signal == 15 ? "SIGTERM"
                                                                     : "SIGHUP")
                                  : json_null();
    bool ok = put_member(out, "tool", json_string("csvbatch"), &first) &&
              put_member(out, "version", json_string(CSVB_VERSION), &first) &&
              put_member(out, "started_at", json_text(info->started_at), &first) &&
              put_member(out, "finished_at", json_text(info->finished_at), &first) &&
              put_member(out, "stamp", json_text(info->stamp), &first) &&
              put_member(out, "exit_code", json_integer(info->exit_code), &first);
    if (!ok) {
        json_decref(signal);
        return false;
    }
    json_t *given = x->options_json != NULL ? json_loads(x->options_json, 0, NULL) : NULL;
    return put_member(out, "interrupted_by", signal, &first) &&
           put_member(out, "options", given != NULL ? given : options_json(opt, info->threads),
                      &first) &&
           put_summary(out, opt, list, results, t, x->shard, &first);
}

int csvb_report_file(const char *path, const struct csvb_options *opt,
                     const struct csvb_joblist *list, const struct csvb_results *results,
                     const struct csvb_totals *t, const struct csvb_run_info *info,
                     struct csvb_diag *d)
{
    return csvb_report_file_ex(path, opt, list, results, t, info, NULL, d);
}

int csvb_report_file_ex(const char *path, const struct csvb_options *opt,
                        const struct csvb_joblist *list, const struct csvb_results *results,
                        const struct csvb_totals *t, const struct csvb_run_info *info,
                        const struct csvb_report_extra *extra, struct csvb_diag *d)
{
    const struct csvb_report_extra none = {NULL, NULL}, *x = extra != NULL ? extra : &none;
    struct csvb_atomic a;
    mode_t mask = umask(0);
    umask(mask);
    if (csvb_atomic_open(&a, path, false, 0666 & ~mask, d) != CSVB_OK)
        return -1;
    /* Through a stdio stream on a second descriptor: the atomic keeps its own for the commit. */
    int fd = dup(a.fd);
    FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (out == NULL && fd >= 0)
        close(fd);
    bool ok = out != NULL && put_report(out, opt, list, results, t, info, x);
    int err = out == NULL ? errno : ferror(out) || !ok ? (errno != 0 ? errno : EIO) : 0;
    if (out != NULL && fclose(out) != 0 && err == 0)
        err = errno != 0 ? errno : EIO;
    if (err != 0 || !ok) {
        csvb_diag_errno(d, CSVB_E_IO, err != 0 ? err : EIO, "cannot write %s", path);
        csvb_atomic_abort(&a);
        return -1;
    }
    return csvb_atomic_commit(&a, opt->fsync, d) == CSVB_OK ? 0 : -1;
}
