/* plan_json.c — the frozen plan file (--plan-out writes it, --plan reads it) as JSON: the third
 * jansson door, beside report_json.c (present) and manifest_json.c (--incremental). */
#include "csvbatch/plan_json.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csvbatch/atomic.h"
#include "csvbatch/text.h"

#define PLAN_FORMAT 1

static const char *const kind_names[] = {"run", "skip", "fail", "unchanged"};

void csvb_plan_file_init(struct csvb_plan_file *pf)
{
    memset(pf, 0, sizeof *pf);
}

void csvb_plan_file_fini(struct csvb_plan_file *pf)
{
    if (pf == NULL)
        return;
    free(pf->options_text);
    free(pf->stamp);
    free(pf->mtime_ns);
    csvb_plan_file_init(pf);
}

/* key = s as a JSON string, or key_hex = its bytes in hex when s is not UTF-8; nothing when
 * s is NULL. */
static void put_path(json_t *obj, const char *key, const char *s)
{
    if (s == NULL)
        return;
    json_t *j = json_string(s);
    if (j != NULL) {
        json_object_set_new(obj, key, j);
        return;
    }
    size_t n = strlen(s);
    char *hex = malloc(2 * n + 1), *hkey = csvb_text_printf("%s_hex", key);
    for (size_t i = 0; hex != NULL && i < n; i++)
        snprintf(hex + 2 * i, 3, "%02x", (unsigned char)s[i]);
    if (hex != NULL && hkey != NULL) {
        hex[2 * n] = '\0';
        json_object_set_new(obj, hkey, json_string(hex));
    }
    free(hex);
    free(hkey);
}

/* The string at key (or decoded from key_hex), owned by the caller; NULL when neither. */
static char *get_path(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    if (s != NULL)
        return strdup(s);
    char *hkey = csvb_text_printf("%s_hex", key);
    const char *hex = hkey != NULL ? json_string_value(json_object_get(obj, hkey)) : NULL;
    free(hkey);
    size_t n = hex != NULL ? strlen(hex) : 1;
    char *out = n % 2 == 0 ? malloc(n / 2 + 1) : NULL;
    for (size_t i = 0; out != NULL && i < n / 2; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1 || v == 0) {
            free(out);
            return NULL;
        }
        out[i] = (char)v;
    }
    if (out != NULL)
        out[n / 2] = '\0';
    return out;
}

/* One job, with the modification time stat(2) gives now for a run job (-1 when it fails: the
 * run then finds the file changed). */
static json_t *job_json(const struct csvb_job *j)
{
    json_t *o = json_object();
    long long mtime = -1;
    struct stat st;
    if (j->kind == CSVB_JOB_RUN && stat(j->path, &st) == 0)
        mtime = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
    put_path(o, "path", j->path);
    put_path(o, "output", j->output_path);
    put_path(o, "rejects", j->rejects_path);
    json_object_set_new(o, "kind", json_string(kind_names[j->kind]));
    put_path(o, "reason", j->reason);
    json_object_set_new(o, "named", json_boolean(j->named));
    json_object_set_new(o, "size", json_integer((json_int_t)j->size));
    json_object_set_new(o, "mtime_ns", json_integer((json_int_t)mtime));
    json_object_set_new(o, "dev", json_integer((json_int_t)j->dev));
    json_object_set_new(o, "ino", json_integer((json_int_t)j->ino));
    return o;
}

static char *plan_text(const struct csvb_plan_file *pf, const struct csvb_joblist *list)
{
    json_t *root = json_object(), *jobs = json_array(), *notices = json_array();
    json_object_set_new(root, "tool", json_string("csvbatch"));
    json_object_set_new(root, "plan_format", json_integer(PLAN_FORMAT));
    json_object_set_new(root, "version", json_string(CSVB_VERSION));
    json_object_set_new(root, "stamp", json_string(pf->stamp != NULL ? pf->stamp : ""));
    json_object_set_new(root, "options_digest", json_string(pf->options_digest));
    json_object_set_new(root, "plan_digest", json_string(pf->plan_digest));
    json_object_set_new(root, "options", json_string(pf->options_text));
    for (size_t i = 0; i < list->nnotices; i++) {
        json_t *n = json_object();
        put_path(n, "text", list->notices[i]);
        json_array_append_new(notices, n);
    }
    json_object_set_new(root, "notices", notices);
    for (size_t i = 0; i < list->n; i++)
        json_array_append_new(jobs, job_json(&list->jobs[i]));
    json_object_set_new(root, "jobs", jobs);
    char *text = json_dumps(root, JSON_INDENT(1));
    json_decref(root);
    return text;
}

enum csvb_err csvb_plan_json_write(const char *path, const struct csvb_plan_file *pf,
                                   const struct csvb_joblist *list, bool fsync, struct csvb_diag *d)
{
    char *text = plan_text(pf, list);
    if (text == NULL)
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    enum csvb_err e = csvb_atomic_write_text(path, text, fsync, d);
    free(text);
    return e;
}

/* The job at o into j (zeroed first) and its mtime; false when it is malformed. */
static bool job_from(json_t *o, struct csvb_job *j, int64_t *mtime)
{
    memset(j, 0, sizeof *j);
    const char *kind = json_string_value(json_object_get(o, "kind"));
    int k = -1;
    for (int i = 0; kind != NULL && i < 4; i++)
        if (strcmp(kind, kind_names[i]) == 0)
            k = i;
    j->path = get_path(o, "path");
    if (k < 0 || j->path == NULL || !json_is_integer(json_object_get(o, "size")))
        return false;
    j->kind = (enum csvb_job_kind)k;
    j->output_path = get_path(o, "output");
    j->rejects_path = get_path(o, "rejects");
    j->reason = get_path(o, "reason");
    j->named = json_is_true(json_object_get(o, "named"));
    j->size = (off_t)json_integer_value(json_object_get(o, "size"));
    j->dev = (dev_t)json_integer_value(json_object_get(o, "dev"));
    j->ino = (ino_t)json_integer_value(json_object_get(o, "ino"));
    *mtime = j->kind == CSVB_JOB_RUN ? json_integer_value(json_object_get(o, "mtime_ns")) : -1;
    if (j->kind != CSVB_JOB_RUN && j->reason == NULL)
        j->reason = strdup("");
    return j->kind != CSVB_JOB_RUN || j->output_path != NULL;
}

/* The header members: digests, options text, stamp. */
static bool head_from(json_t *root, struct csvb_plan_file *pf)
{
    const char *od = json_string_value(json_object_get(root, "options_digest"));
    const char *pd = json_string_value(json_object_get(root, "plan_digest"));
    const char *text = json_string_value(json_object_get(root, "options"));
    const char *stamp = json_string_value(json_object_get(root, "stamp"));
    if (json_integer_value(json_object_get(root, "plan_format")) != PLAN_FORMAT || od == NULL ||
        pd == NULL || text == NULL || stamp == NULL || strlen(od) + 1 != CSVB_HASH_HEX ||
        strlen(pd) + 1 != CSVB_HASH_HEX)
        return false;
    memcpy(pf->options_digest, od, CSVB_HASH_HEX);
    memcpy(pf->plan_digest, pd, CSVB_HASH_HEX);
    pf->options_text = strdup(text);
    pf->stamp = strdup(stamp);
    return pf->options_text != NULL && pf->stamp != NULL;
}

static bool notices_from(json_t *root, struct csvb_joblist *list)
{
    json_t *notices = json_object_get(root, "notices");
    size_t n = json_array_size(notices);
    if (n == 0)
        return true;
    if ((list->notices = calloc(n, sizeof *list->notices)) == NULL)
        return false;
    list->notices_cap = n;
    for (size_t i = 0; i < n; i++)
        if ((list->notices[list->nnotices] = get_path(json_array_get(notices, i), "text")) != NULL)
            list->nnotices++;
    return true;
}

enum csvb_err csvb_plan_json_read(const char *path, struct csvb_plan_file *pf,
                                  struct csvb_joblist *list, struct csvb_diag *d)
{
    csvb_plan_file_init(pf);
    memset(list, 0, sizeof *list);
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    enum csvb_err e = CSVB_E_USAGE;
    if (root == NULL) {
        csvb_diag_set(d, CSVB_E_USAGE, (unsigned long)jerr.line, "--plan: %s: %s", path, jerr.text);
        return e;
    }
    json_t *jobs = json_object_get(root, "jobs");
    const char *tool = json_string_value(json_object_get(root, "tool"));
    if (tool == NULL || strcmp(tool, "csvbatch") != 0 || !json_is_array(jobs) ||
        !head_from(root, pf)) {
        csvb_diag_set(d, CSVB_E_USAGE, 0, "--plan: %s: not a csvbatch plan (--plan-out FILE)",
                      path);
        goto out;
    }
    size_t n = json_array_size(jobs);
    list->jobs = calloc(n + 1, sizeof *list->jobs);
    pf->mtime_ns = calloc(n + 1, sizeof *pf->mtime_ns);
    if (list->jobs == NULL || pf->mtime_ns == NULL || !notices_from(root, list)) {
        e = csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
        goto out;
    }
    list->cap = n + 1;
    for (size_t i = 0; i < n; i++) {
        bool ok = job_from(json_array_get(jobs, i), &list->jobs[i], &pf->mtime_ns[i]);
        list->n = i + 1; /* a partial job is freed with the list */
        if (!ok) {
            csvb_diag_set(d, CSVB_E_USAGE, 0, "--plan: %s: job %zu is malformed", path, i + 1);
            goto out;
        }
    }
    pf->n = n;
    e = CSVB_OK;
out:
    json_decref(root);
    return e;
}
