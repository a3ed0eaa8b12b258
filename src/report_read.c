/* report_read.c — a JSON run report (--report) read back into jobs and results (merge-reports). */
#include "csvbatch/report_read.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/codec.h"

void csvb_report_doc_fini(struct csvb_report_doc *doc)
{
    if (doc == NULL)
        return;
    for (size_t i = 0; i < doc->n; i++) {
        free(doc->jobs[i].path);
        free(doc->jobs[i].output_path);
        csvb_result_fini(&doc->results[i]);
    }
    free(doc->jobs);
    free(doc->results);
    free(doc->index);
    free(doc->options_json);
    free(doc->stamp);
    free(doc->started_at);
    free(doc->finished_at);
    memset(doc, 0, sizeof *doc);
}

static char *dup_member(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s != NULL ? strdup(s) : NULL;
}

static uint64_t u64(json_t *o, const char *key)
{
    json_int_t v = json_integer_value(json_object_get(o, key));
    return v > 0 ? (uint64_t)v : 0;
}

static bool status_from(const char *s, enum csvb_status *st)
{
    static const struct {
        const char *name;
        enum csvb_status status;
    } names[] = {{"success", CSVB_STATUS_SUCCESS},
                 {"failed", CSVB_STATUS_FAILED},
                 {"skipped", CSVB_STATUS_SKIPPED},
                 {"unchanged", CSVB_STATUS_UNCHANGED}};
    for (size_t i = 0; s != NULL && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].name) == 0)
            return *st = names[i].status, true;
    return false;
}

/* The error text back into the diagnostic: "line N: " off the front when "line" says N, as
 * csvb_report_error put it there. */
static void diag_from(json_t *f, struct csvb_diag *d)
{
    const char *err = json_string_value(json_object_get(f, "error"));
    json_int_t line = json_integer_value(json_object_get(f, "line"));
    if (err == NULL)
        return;
    char prefix[40];
    int n = snprintf(prefix, sizeof prefix, "line %lld: ", (long long)line);
    if (line > 0 && strncmp(err, prefix, (size_t)n) == 0)
        err += n;
    else
        line = 0;
    csvb_diag_set(d, CSVB_E_IO, (unsigned long)line, "%s", err);
}

/* A path that was not UTF-8 comes back from its "path_hex" (report_json.c): its exact bytes. */
static char *path_from(json_t *f, const char *key, const char *hex_key)
{
    const char *hex = json_string_value(json_object_get(f, hex_key));
    size_t n = hex != NULL ? strlen(hex) : 0;
    if (hex == NULL || n % 2 != 0)
        return dup_member(f, key);
    char *p = malloc(n / 2 + 1);
    for (size_t i = 0; p != NULL && i < n / 2; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1) {
            free(p);
            return dup_member(f, key);
        }
        p[i] = (char)v;
    }
    if (p != NULL)
        p[n / 2] = '\0';
    return p;
}

/* What the file was read with ("delimiter", "encoding", "quotes", "escape", "comment",
 * "skip_lines"; null when it was not read). */
static void dialect_from(json_t *f, struct csvb_result_dialect *dl)
{
    const char *delim = json_string_value(json_object_get(f, "delimiter"));
    const char *enc = json_string_value(json_object_get(f, "encoding"));
    const char *quotes = json_string_value(json_object_get(f, "quotes"));
    dl->delimiter = delim != NULL && strlen(delim) == 1 ? delim[0] : '\0';
    snprintf(dl->encoding, sizeof dl->encoding, "%s",
             enc != NULL && strcmp(enc, "utf-8") != 0 ? enc : "");
    dl->quotes_lenient = quotes != NULL && strcmp(quotes, "lenient") == 0;
    const char *esc = json_string_value(json_object_get(f, "escape")); /* null: none */
    dl->escape = esc != NULL && strlen(esc) == 1 ? esc[0] : '\0';
    const char *com = json_string_value(json_object_get(f, "comment")); /* null: none */
    dl->comment = com != NULL && strlen(com) == 1 ? com[0] : '\0';
    json_int_t skip = json_integer_value(json_object_get(f, "skip_lines")); /* 0 when absent */
    dl->skip_lines = skip > 0 && skip <= UINT32_MAX ? (uint32_t)skip : 0;
}

/* File entry f into job j and result r; false when it is malformed. */
static bool file_from(json_t *f, struct csvb_job *j, struct csvb_result *r)
{
    csvb_result_init(r);
    j->kind = CSVB_JOB_RUN;
    j->path = path_from(f, "path", "path_hex");
    j->output_path = path_from(f, "output", "output_hex");
    if (j->path == NULL ||
        !status_from(json_string_value(json_object_get(f, "status")), &r->status))
        return false;
    r->rows_read = u64(f, "rows_read");
    r->rows_written = u64(f, "rows_written");
    r->rows_rejected = u64(f, "rows_rejected");
    r->rows_padded = u64(f, "rows_padded");
    r->bytes_read = u64(f, "bytes_read");
    r->bytes_written = u64(f, "bytes_written");
    r->bytes_decompressed = u64(f, "bytes_decompressed");
    r->seconds = json_number_value(json_object_get(f, "seconds"));
    const char *z = json_string_value(json_object_get(f, "compression"));
    for (int c = CSVB_COMPRESSION_GZIP; z != NULL && c <= CSVB_COMPRESSION_XZ; c++)
        if (strcmp(z, csvb_compression_name((enum csvb_compression)c)) == 0)
            r->compression = (enum csvb_compression)c;
    diag_from(f, &r->diag);
    const char *hint = json_string_value(json_object_get(f, "hint"));
    if (hint != NULL && r->diag.code != CSVB_OK) /* the message holds it already */
        snprintf(r->diag.hint, sizeof r->diag.hint, "%s", hint);
    dialect_from(f, &r->dialect);
    json_t *by = json_object_get(f, "written_by");
    snprintf(r->written_stamp, sizeof r->written_stamp, "%s",
             json_string_value(json_object_get(by, "stamp"))
                 ? json_string_value(json_object_get(by, "stamp"))
                 : "");
    snprintf(r->written_at, sizeof r->written_at, "%s",
             json_string_value(json_object_get(by, "recorded_at"))
                 ? json_string_value(json_object_get(by, "recorded_at"))
                 : "");
    return true;
}

/* The members around the files: exit code, options, share, totals. */
static bool head_from(json_t *root, struct csvb_report_doc *doc)
{
    json_t *opts = json_object_get(root, "options"), *shard = json_object_get(root, "shard");
    json_t *tot = json_object_get(root, "totals");
    const char *bad_row = json_string_value(json_object_get(opts, "on_bad_row"));
    doc->exit_code = (int)json_integer_value(json_object_get(root, "exit_code"));
    doc->dry_run = json_is_true(json_object_get(root, "dry_run"));
    doc->skip_bad_rows = bad_row != NULL && strcmp(bad_row, "skip") == 0;
    doc->incremental = json_is_true(json_object_get(opts, "incremental"));
    doc->stamp = dup_member(root, "stamp");
    doc->started_at = dup_member(root, "started_at");
    doc->finished_at = dup_member(root, "finished_at");
    doc->seconds = json_number_value(json_object_get(tot, "seconds"));
    doc->have_usage = json_object_get(tot, "cpu_user_seconds") != NULL;
    doc->cpu_user = json_number_value(json_object_get(tot, "cpu_user_seconds"));
    doc->cpu_system = json_number_value(json_object_get(tot, "cpu_system_seconds"));
    doc->peak_rss = u64(tot, "peak_rss_bytes");
    doc->options_json = json_is_object(opts) ? json_dumps(opts, JSON_COMPACT) : NULL;
    if (json_is_object(shard)) {
        const char *digest = json_string_value(json_object_get(shard, "plan_digest"));
        doc->sharded = true;
        doc->shard_index = (unsigned)u64(shard, "index");
        doc->shard_count = (unsigned)u64(shard, "count");
        doc->files_total = (size_t)u64(shard, "files_total");
        snprintf(doc->plan_digest, sizeof doc->plan_digest, "%s", digest != NULL ? digest : "");
    }
    return json_is_integer(json_object_get(root, "exit_code")) && doc->options_json != NULL;
}

enum csvb_err csvb_report_read(const char *path, struct csvb_report_doc *doc, struct csvb_diag *d)
{
    memset(doc, 0, sizeof *doc);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    enum csvb_err e = CSVB_E_IO;
    if (root == NULL)
        return csvb_diag_set(d, CSVB_E_IO, 0, "%s: %s", path, jerr.text);
    json_t *files = json_object_get(root, "files");
    const char *tool = json_string_value(json_object_get(root, "tool"));
    if (tool == NULL || strcmp(tool, "csvbatch") != 0 || !json_is_array(files) ||
        !head_from(root, doc)) {
        csvb_diag_set(d, CSVB_E_IO, 0, "%s: not a csvbatch run report (--report FILE)", path);
        goto out;
    }
    size_t n = json_array_size(files);
    doc->jobs = calloc(n + 1, sizeof *doc->jobs);
    doc->results = calloc(n + 1, sizeof *doc->results);
    doc->index = calloc(n + 1, sizeof *doc->index);
    if (doc->jobs == NULL || doc->results == NULL || doc->index == NULL) {
        e = csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *f = json_array_get(files, i), *at = json_object_get(f, "index");
        doc->n = i + 1;
        doc->index[i] = doc->sharded ? (size_t)u64(f, "index") : i;
        if (!file_from(f, &doc->jobs[i], &doc->results[i]) ||
            (doc->sharded && !json_is_integer(at))) {
            csvb_diag_set(d, CSVB_E_IO, 0, "%s: file entry %zu is malformed", path, i + 1);
            goto out;
        }
    }
    e = CSVB_OK;
out:
    json_decref(root);
    return e;
}
