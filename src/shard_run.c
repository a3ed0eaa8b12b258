/* shard_run.c — this process's job list: listing or plan file, plan digest, share, changed files.
 */
#include "csvbatch/shard_run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csvbatch/conflicts.h"
#include "csvbatch/hash.h"
#include "csvbatch/text.h"

/* ---- Digests --------------------------------------------------------------------------------- */

/* Options that change how the run goes, never what an output holds (a dry run writes none, so a
 * plan may be tried with -n first); and -r, which only decides which files are listed (the plan
 * digest covers the listing itself). */
static const char *const not_output[] = {
    "jobs",         "format", "preview", "chunk_size",  "fsync",       "timeout",   "deadline",
    "max_failures", "color",  "junit",   "annotations", "incremental", "recursive", "dry_run"};

struct text_buf {
    char *s;
    size_t len, cap;
    bool ok;
};

/* Appends s; escaped: every byte outside printable ASCII, and the quote and backslash that
 * delimit values, as \xHH, so no value can pass for another's text. */
static void put_bytes(struct text_buf *b, const char *s, size_t n, bool escaped)
{
    if (!b->ok || csvb_vec_reserve(&b->s, &b->cap, b->len + 4 * n + 1, 1) != CSVB_OK) {
        b->ok = false;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!escaped || (c >= 0x20 && c < 0x7f && c != '\\' && c != '"'))
            b->s[b->len++] = (char)c;
        else
            b->len += (size_t)snprintf(b->s + b->len, 5, "\\x%02X", c);
    }
    b->s[b->len] = '\0';
}

static void put_str(struct text_buf *b, const char *s)
{
    put_bytes(b, s, strlen(s), true);
}

/* The text's own punctuation: quotes, commas, line feeds. */
static void put_raw(struct text_buf *b, const char *s)
{
    put_bytes(b, s, strlen(s), false);
}

static void option_line(void *ctx, const char *key, const struct csvb_opt_value *v)
{
    struct text_buf *b = ctx;
    char num[64];
    for (size_t i = 0; i < sizeof not_output / sizeof not_output[0]; i++)
        if (strcmp(key, not_output[i]) == 0)
            return;
    put_str(b, key);
    put_raw(b, "=");
    if (v->kind == CSVB_VALUE_BOOL)
        put_str(b, v->boolean ? "true" : "false");
    else if (v->kind == CSVB_VALUE_INT || v->kind == CSVB_VALUE_REAL) {
        if (v->kind == CSVB_VALUE_INT)
            snprintf(num, sizeof num, "%lld", v->integer);
        else
            snprintf(num, sizeof num, "%.17g", v->real);
        put_str(b, num);
    } else if (v->kind == CSVB_VALUE_STRING) {
        put_raw(b, "\"");
        put_str(b, v->string);
        put_raw(b, "\"");
    } else if (v->kind == CSVB_VALUE_LIST) {
        for (size_t i = 0; i < v->count; i++) {
            put_raw(b, i > 0 ? ",\"" : "\"");
            put_str(b, v->list[i]);
            put_raw(b, "\"");
        }
    } else {
        put_raw(b, "null");
    }
    put_raw(b, "\n");
}

char *csvb_shard_run_options_text(const struct csvb_options *opt)
{
    struct text_buf b = {NULL, 0, 0, true};
    char num[64];
    csvb_options_describe(opt, 0, option_line, &b);
    snprintf(num, sizeof num, "max_field_size=%zu", opt->max_field_size);
    put_raw(&b, num);
    put_raw(&b, "\n");
    if (!b.ok) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

bool csvb_shard_run_options_digest(const struct csvb_options *opt, char hex[CSVB_HASH_HEX])
{
    char *text = csvb_shard_run_options_text(opt);
    unsigned char digest[CSVB_HASH_SIZE];
    if (text == NULL)
        return false;
    csvb_hash_buffer(text, strlen(text), digest);
    csvb_hash_hex(digest, hex);
    free(text);
    return true;
}

void csvb_shard_run_plan_digest(const char options_hex[CSVB_HASH_HEX],
                                const struct csvb_joblist *list, char hex[CSVB_HASH_HEX])
{
    struct csvb_hash h;
    unsigned char digest[CSVB_HASH_SIZE];
    char head[96];
    csvb_hash_init(&h);
    csvb_hash_update(&h, "csvbatch plan 1\n", 16);
    csvb_hash_update(&h, options_hex, strlen(options_hex));
    for (size_t i = 0; i < list->n; i++) {
        const struct csvb_job *j = &list->jobs[i];
        int n = snprintf(head, sizeof head, "\n%d %lld ", (int)j->kind, (long long)j->size);
        csvb_hash_update(&h, head, (size_t)n);
        csvb_hash_update(&h, j->path, strlen(j->path) + 1); /* the NUL ends it: no ambiguity */
    }
    csvb_hash_digest(&h, digest);
    csvb_hash_hex(digest, hex);
    csvb_hash_fini(&h);
}

/* ---- The job list ---------------------------------------------------------------------- */

/* The first line of a that b does not have in the same place, as "KEY" (for the message). */
static void first_difference(const char *a, const char *b, char *key, size_t size)
{
    while (*a != '\0' && *b != '\0') {
        size_t la = strcspn(a, "\n"), lb = strcspn(b, "\n");
        if (la != lb || memcmp(a, b, la) != 0)
            break;
        a += la + (a[la] == '\n');
        b += lb + (b[lb] == '\n');
    }
    const char *src = *a != '\0' ? a : b;
    size_t n = strcspn(src, "=\n");
    snprintf(key, size, "%.*s", (int)n, src);
}

static enum csvb_err open_plan(struct csvb_shard_run *sr, struct csvb_options *opt,
                               struct csvb_diag *d)
{
    enum csvb_err e = csvb_plan_json_read(opt->plan_in, &sr->plan, &sr->planned, d);
    if (e != CSVB_OK)
        return e;
    if (strcmp(sr->options_digest, sr->plan.options_digest) != 0) {
        char *here = csvb_shard_run_options_text(opt), key[64] = "?";
        if (here != NULL)
            first_difference(sr->plan.options_text, here, key, sizeof key);
        free(here);
        return csvb_diag_set(d, CSVB_E_USAGE, 0,
                             "--plan: %s was made with other output options (%s differs): "
                             "give the options --plan-out had",
                             opt->plan_in, key);
    }
    if (opt->no_stamp)
        return CSVB_OK;
    if (opt->timestamp != NULL && strcmp(opt->timestamp, sr->plan.stamp) != 0)
        return csvb_diag_set(d, CSVB_E_USAGE, 0,
                             "--plan: %s froze the stamp '%s': --timestamp '%s' differs",
                             opt->plan_in, sr->plan.stamp, opt->timestamp);
    opt->timestamp = sr->plan.stamp;
    return CSVB_OK;
}

static const char *process_env(void *ctx, const char *name)
{
    (void)ctx;
    return getenv(name);
}

enum csvb_err csvb_shard_run_open(struct csvb_shard_run *sr, struct csvb_options *opt,
                                  const struct csvb_shard_env *env, struct csvb_diag *d)
{
    const struct csvb_shard_env process = {process_env, NULL};
    memset(sr, 0, sizeof *sr);
    csvb_plan_file_init(&sr->plan);
    if (!csvb_shard_run_options_digest(opt, sr->options_digest))
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    if (opt->shard_auto) {
        enum csvb_err e =
            csvb_shard_from_env(env != NULL ? env : &process, opt->shards, &sr->shard.index,
                                &sr->shard.count, &sr->shard.source, d);
        if (e != CSVB_OK)
            return e;
    } else if (opt->shard_index > 0) {
        sr->shard.index = opt->shard_index;
        sr->shard.count = opt->shard_count;
        sr->shard.source = "--shard";
    }
    if (opt->plan_in != NULL && (opt->npaths > 0 || opt->files_from != NULL))
        return csvb_diag_set(d, CSVB_E_USAGE, 0,
                             "--plan runs the plan's own job list: give no PATH nor --files-from");
    return opt->plan_in != NULL ? open_plan(sr, opt, d) : CSVB_OK;
}

/* Why a planned file is no longer what the plan saw, or NULL (caller frees). */
static char *changed(const struct csvb_job *j, int64_t mtime_ns)
{
    struct stat st;
    if (stat(j->path, &st) != 0)
        return errno == ENOENT ? strdup("gone since the plan was made")
                               : csvb_text_printf("cannot examine: %s", strerror(errno));
    if (st.st_size != j->size)
        return csvb_text_printf("changed since the plan was made (size %lld, planned %lld)",
                                (long long)st.st_size, (long long)j->size);
    int64_t now = (int64_t)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
    if (now != mtime_ns)
        return strdup("changed since the plan was made (modification time)");
    return NULL;
}

/* Marks the kept run jobs whose files changed since the plan: Failed, never opened. */
static enum csvb_err check_changed(struct csvb_shard_run *sr, struct csvb_joblist *list,
                                   struct csvb_diag *d)
{
    for (size_t i = 0; i < list->n; i++) {
        struct csvb_job *j = &list->jobs[i];
        size_t at = sr->shard.count > 0 ? sr->shard.positions[i] : i;
        if (j->kind != CSVB_JOB_RUN || at >= sr->plan.n)
            continue;
        errno = 0;
        char *why = changed(j, sr->plan.mtime_ns[at]);
        if (why == NULL && errno == ENOMEM)
            return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
        if (why != NULL) {
            j->kind = CSVB_JOB_FAIL;
            free(j->reason);
            j->reason = why;
        }
    }
    return CSVB_OK;
}

enum csvb_err csvb_shard_run_list(struct csvb_shard_run *sr, const struct csvb_options *opt,
                                  struct csvb_joblist *list, struct csvb_diag *d)
{
    enum csvb_err e;
    if (opt->plan_in != NULL) {
        const struct csvb_conflicts_run_file run_files[] = {{"--report", opt->report},
                                                            {"--junit", opt->junit}};
        *list = sr->planned; /* moved: read once, in csvb_shard_run_open */
        memset(&sr->planned, 0, sizeof sr->planned);
        e = csvb_conflicts_check(list, run_files, 2, d);
        memcpy(sr->shard.plan_digest, sr->plan.plan_digest, CSVB_HASH_HEX);
    } else {
        e = csvb_outputs_plan(opt, list, d);
        csvb_shard_run_plan_digest(sr->options_digest, list, sr->shard.plan_digest);
    }
    if (e == CSVB_OK && sr->shard.count > 0)
        e = csvb_shard_select(&sr->shard, list, d);
    if (e == CSVB_OK && opt->plan_in != NULL)
        e = check_changed(sr, list, d);
    return e;
}

enum csvb_err csvb_shard_run_write_plan(struct csvb_shard_run *sr, const struct csvb_options *opt,
                                        const struct csvb_joblist *list, const char *stamp,
                                        struct csvb_diag *d)
{
    struct csvb_plan_file pf;
    csvb_plan_file_init(&pf);
    memcpy(pf.options_digest, sr->options_digest, CSVB_HASH_HEX);
    memcpy(pf.plan_digest, sr->shard.plan_digest, CSVB_HASH_HEX);
    pf.options_text = csvb_shard_run_options_text(opt);
    pf.stamp = strdup(stamp != NULL ? stamp : "");
    enum csvb_err e = pf.options_text == NULL || pf.stamp == NULL
                          ? csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory")
                          : csvb_plan_json_write(opt->plan_out, &pf, list, opt->fsync, d);
    csvb_plan_file_fini(&pf);
    return e;
}

void csvb_shard_run_fini(struct csvb_shard_run *sr)
{
    if (sr == NULL)
        return;
    csvb_plan_file_fini(&sr->plan);
    csvb_joblist_fini(&sr->planned);
    csvb_shard_fini(&sr->shard);
}

const char *csvb_shard_run_describe(const struct csvb_shard *s, char *buf, size_t size)
{
    char all[32], mine[32];
    snprintf(buf, size, "Shard %u of %u (%s): %zu of %zu files, %s of %s.", s->index, s->count,
             s->source, s->n, s->total, csvb_text_bytes(s->bytes_share, mine, sizeof mine),
             csvb_text_bytes(s->bytes_total, all, sizeof all));
    return buf;
}
