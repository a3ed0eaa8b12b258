/* incremental_run.c — --incremental before the run: the roots of a job list, their locks and
 * manifests, the decision for each job, the stale entries. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvbatch/atomic.h"
#include "csvbatch/conflicts.h"
#include "csvbatch/incremental.h"
#include "csvbatch/text.h"
#include "csvbatch/writer.h"

/* "MANIFEST: why; every file is processed" as a warning. */
static enum csvb_err warn(struct csvb_incremental *inc, const char *manifest, const char *why)
{
    char **w = realloc(inc->warnings, (inc->nwarnings + 1) * sizeof *w);
    if (w == NULL)
        return CSVB_E_NOMEM;
    inc->warnings = w;
    if (asprintf(&w[inc->nwarnings], "%s: %s; every file is processed", manifest, why) < 0)
        return CSVB_E_NOMEM;
    inc->nwarnings++;
    return CSVB_OK;
}

enum csvb_err csvb_incr_notice(struct csvb_joblist *list, char *text)
{
    if (text == NULL)
        return CSVB_E_NOMEM;
    char **p = realloc(list->notices, (list->nnotices + 1) * sizeof *p);
    if (p == NULL) {
        free(text);
        return CSVB_E_NOMEM;
    }
    list->notices = p;
    list->notices[list->nnotices++] = text;
    list->notices_cap = list->nnotices;
    return CSVB_OK;
}

static int mkdir_p(const char *dir)
{
    char *p = strdup(dir);
    if (p == NULL)
        return -1;
    for (char *s = p + 1; *s != '\0'; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST)
            break;
        *s = '/';
    }
    int rc = mkdir(p, 0777) == 0 || errno == EEXIST ? 0 : -1;
    free(p);
    return rc;
}

/* The root index for dir, added when new. SIZE_MAX when out of memory. */
static size_t root_index(struct csvb_incremental *inc, const char *dir)
{
    for (size_t k = 0; k < inc->nroots; k++)
        if (strcmp(inc->roots[k].dir, dir) == 0)
            return k;
    struct csvb_incr_root *r = realloc(inc->roots, (inc->nroots + 1) * sizeof *r);
    if (r == NULL)
        return SIZE_MAX;
    inc->roots = r;
    r = &inc->roots[inc->nroots];
    memset(r, 0, sizeof *r);
    r->lock_fd = r->journal_fd = -1;
    if ((r->dir = strdup(dir)) == NULL)
        return SIZE_MAX;
    return inc->nroots++;
}

/* The root of a job beside its input: the longest directory argument above it, else its own
 * directory (a file named on its own). Caller frees. */
static char *beside_root(const struct csvb_options *opt, const char *path)
{
    const char *best = NULL;
    for (size_t k = 0; k < opt->npaths; k++) {
        struct stat st;
        const char *arg = opt->paths[k];
        bool below = strcmp(arg, ".") == 0 ? path[0] != '/'
                                           : csvb_incr_rel(arg, path) != NULL &&
                                                 stat(arg, &st) == 0 && S_ISDIR(st.st_mode);
        if (below && (best == NULL || strlen(arg) > strlen(best)))
            best = arg;
    }
    return best != NULL ? strdup(best) : csvb_text_dirname(path);
}

static enum csvb_err assign_roots(struct csvb_incremental *inc, const struct csvb_joblist *list,
                                  struct csvb_diag *d)
{
    const struct csvb_options *opt = inc->opt;
    if (opt->output_dir != NULL && !opt->dry_run && mkdir_p(opt->output_dir) != 0)
        return csvb_diag_errno(d, CSVB_E_IO, errno, "cannot create '%s'", opt->output_dir);
    for (size_t i = 0; i < list->n; i++) {
        inc->job_root[i] = SIZE_MAX;
        if (list->jobs[i].kind != CSVB_JOB_RUN)
            continue;
        char *dir =
            opt->output_dir ? strdup(opt->output_dir) : beside_root(opt, list->jobs[i].path);
        size_t k = dir != NULL ? root_index(inc, dir) : SIZE_MAX;
        free(dir);
        if (k == SIZE_MAX)
            return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
        if (csvb_incr_rel(inc->roots[k].dir, list->jobs[i].output_path) != NULL)
            inc->job_root[i] = k; /* else (never, by construction): not incremental */
    }
    return CSVB_OK;
}

/* The manifest, journal and lock of every root go through the one conflict check (conflicts.h)
 * with --report and --junit, as run files: none may be an input, another written path or each
 * other (a journal linked to an input would be appended to). CSVB_E_USAGE names the first. */
static enum csvb_err check_root_files(const struct csvb_incremental *inc, struct csvb_joblist *list,
                                      struct csvb_diag *d)
{
    static const char *const names[3] = {CSVB_MANIFEST_NAME, CSVB_JOURNAL_NAME, CSVB_LOCK_NAME};
    static const char *const options[3] = {"--incremental manifest", "--incremental journal",
                                           "--incremental lock"};
    size_t n = 2 + 3 * inc->nroots;
    struct csvb_conflicts_run_file *files = calloc(n, sizeof *files);
    char **paths = calloc(n, sizeof *paths);
    enum csvb_err e = files != NULL && paths != NULL ? CSVB_OK : CSVB_E_NOMEM;
    for (size_t k = 0; e == CSVB_OK && k < 3 * inc->nroots; k++) {
        paths[k] = csvb_incr_join(inc->roots[k / 3].dir, names[k % 3]);
        files[2 + k] = (struct csvb_conflicts_run_file){options[k % 3], paths[k]};
        if (paths[k] == NULL)
            e = CSVB_E_NOMEM;
    }
    if (e == CSVB_OK) {
        files[0] = (struct csvb_conflicts_run_file){"--report", inc->opt->report};
        files[1] = (struct csvb_conflicts_run_file){"--junit", inc->opt->junit};
        e = csvb_conflicts_check(list, files, n, d);
    } else
        e = csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    for (size_t k = 0; paths != NULL && k < n; k++)
        free(paths[k]);
    free(paths);
    free(files);
    return e;
}

static int cmp_real(const void *a, const void *b)
{
    return strcmp((*(const struct csvb_incr_root *const *)a)->real,
                  (*(const struct csvb_incr_root *const *)b)->real);
}

static enum csvb_err open_root(struct csvb_incremental *inc, struct csvb_incr_root *r,
                               struct csvb_diag *d);

/* Every root, locked in the order of their real paths: two runs over overlapping roots, named in
 * any order, take the locks in the same order and never deadlock. */
static enum csvb_err open_roots(struct csvb_incremental *inc, struct csvb_diag *d)
{
    struct csvb_incr_root **order = calloc(inc->nroots + 1, sizeof(void *)); /* pointers */
    if (order == NULL)
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    enum csvb_err e = CSVB_OK;
    for (size_t k = 0; k < inc->nroots; k++) {
        char buf[PATH_MAX];
        struct csvb_incr_root *r = &inc->roots[k];
        r->real = strdup(realpath(r->dir, buf) != NULL ? buf : r->dir);
        if (r->real == NULL)
            e = csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
        order[k] = r;
    }
    if (e == CSVB_OK)
        qsort(order, inc->nroots, sizeof(void *), cmp_real); /* an array of pointers */
    for (size_t k = 0; e == CSVB_OK && k < inc->nroots; k++)
        e = open_root(inc, order[k], d);
    free(order);
    return e;
}

/* Lock, load and replay one root; a bad manifest is a warning (the root starts empty). */
static enum csvb_err open_root(struct csvb_incremental *inc, struct csvb_incr_root *r,
                               struct csvb_diag *d)
{
    const struct csvb_options *opt = inc->opt;
    enum csvb_err e = csvb_incr_lock(r, opt->dry_run, opt->no_wait, d);
    if (e != CSVB_OK)
        return e;
    char *mpath = csvb_incr_join(r->dir, CSVB_MANIFEST_NAME);
    char *jpath = csvb_incr_join(r->dir, CSVB_JOURNAL_NAME);
    if (mpath == NULL || jpath == NULL) {
        e = csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
        goto out;
    }
    struct csvb_diag why;
    csvb_diag_init(&why);
    bool missing;
    if (!opt->force && csvb_manifest_load(mpath, r->real, &r->m, &missing, &why) != CSVB_OK &&
        warn(inc, mpath, why.message) != CSVB_OK)
        e = csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    if (!opt->force && csvb_manifest_replay(jpath, &r->m) > 0)
        csvb_manifest_sort(&r->m);
    if (!opt->dry_run &&
        (r->journal_fd = open(jpath, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666)) < 0)
        e = csvb_diag_errno(d, CSVB_E_IO, errno, "cannot open %s", jpath);
out:
    free(mpath);
    free(jpath);
    return e;
}

/* Whether every output e records is in place: its size (and with verify its hash), and the job
 * still writes the same files. */
static bool outputs_ok(const struct csvb_incr_root *r, const struct csvb_incr_entry *e,
                       const struct csvb_job *job, bool verify)
{
    const char *rej = job->rejects_path ? csvb_incr_rel(r->dir, job->rejects_path) : NULL;
    if (e->noutputs == 2 && (rej == NULL || strcmp(rej, e->outputs[1].path) != 0))
        return false;
    for (size_t k = 0; k < e->noutputs; k++) {
        char *path = csvb_incr_join(r->dir, e->outputs[k].path);
        struct stat st;
        bool ok = path != NULL && stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
                  (uint64_t)st.st_size == e->outputs[k].size;
        if (ok && verify) {
            unsigned char h[CSVB_HASH_SIZE];
            uint64_t bytes;
            struct csvb_diag d;
            csvb_diag_init(&d);
            ok = csvb_hash_file(path, h, &bytes, &d) == CSVB_OK &&
                 memcmp(h, e->outputs[k].hash, CSVB_HASH_SIZE) == 0;
        }
        free(path);
        if (!ok)
            return false;
    }
    return true;
}

/* A copy of e with the input's identity now (st) and read time: the refreshed entry. */
static bool refreshed(const struct csvb_incr_entry *e, const struct stat *st, int64_t read_ns,
                      struct csvb_incr_entry *out)
{
    *out = *e;
    struct csvb_result_input f;
    csvb_incr_stat_facts(st, &f);
    out->size = f.size, out->mtime_ns = f.mtime_ns, out->ctime_ns = f.ctime_ns;
    out->dev = f.dev, out->ino = f.ino, out->read_ns = read_ns;
    out->key = strdup(e->key);
    out->input = strdup(e->input);
    for (size_t k = 0; k < e->noutputs; k++)
        out->outputs[k].path = strdup(e->outputs[k].path);
    bool ok =
        out->key && out->input && out->outputs[0].path && (e->noutputs < 2 || out->outputs[1].path);
    if (!ok)
        csvb_incr_entry_fini(out);
    return ok;
}

/* Decides job i; an unchanged one is marked and its result filled. */
static void decide_job(struct csvb_incremental *inc, size_t i, struct csvb_job *job,
                       struct csvb_result *res)
{
    struct csvb_incr_root *r = &inc->roots[inc->job_root[i]];
    const struct csvb_incr_entry *e =
        csvb_manifest_find(&r->m, csvb_incr_rel(r->dir, job->output_path));
    struct stat st;
    struct csvb_incr_facts f = {
        .force = inc->opt->force, .verify = inc->opt->verify, .have_entry = e != NULL};
    if (e == NULL || stat(job->path, &st) != 0 || !S_ISREG(st.st_mode))
        return;
    struct csvb_result_input now;
    csvb_incr_stat_facts(&st, &now);
    f.fingerprint_same = strcmp(e->fingerprint, inc->fingerprint) == 0;
    f.size_same = now.size == e->size, f.dev_same = now.dev == e->dev;
    f.mtime_same = now.mtime_ns == e->mtime_ns, f.ctime_same = now.ctime_ns == e->ctime_ns;
    f.ino_same = now.ino == e->ino;
    f.racy = e->mtime_ns > e->read_ns - CSVB_INCR_RACY_NS;
    f.outputs_ok = outputs_ok(r, e, job, inc->opt->verify);
    int64_t read_ns = csvb_incr_now_ns();
    enum csvb_incr_verdict v = csvb_incremental_decide(&f);
    if (v == CSVB_INCR_HASH) {
        unsigned char h[CSVB_HASH_SIZE];
        uint64_t bytes;
        struct csvb_diag d;
        csvb_diag_init(&d);
        f.hash_known = csvb_hash_file(job->path, h, &bytes, &d) == CSVB_OK && bytes == now.size;
        f.hash_same = f.hash_known && memcmp(h, e->hash, CSVB_HASH_SIZE) == 0;
        v = csvb_incremental_decide(&f);
        if (v == CSVB_INCR_UNCHANGED && !refreshed(e, &st, read_ns, &inc->fresh[i]))
            return; /* no memory to remember it: simply redone */
    }
    if (v != CSVB_INCR_UNCHANGED)
        return;
    csvb_result_preset(res, CSVB_STATUS_UNCHANGED, CSVB_OK, NULL);
    snprintf(res->written_stamp, sizeof res->written_stamp, "%s", e->stamp);
    snprintf(res->written_at, sizeof res->written_at, "%s", e->recorded_at);
    job->kind = CSVB_JOB_UNCHANGED;
}

/* The entries of r that no job of this run has and whose input is gone: r->stale, a notice
 * each. */
static enum csvb_err find_stale(struct csvb_incremental *inc, struct csvb_incr_root *r,
                                const bool *matched, struct csvb_joblist *list)
{
    if (r->m.n > 0 && (r->stale = malloc(r->m.n * sizeof *r->stale)) == NULL)
        return CSVB_E_NOMEM;
    for (size_t k = 0; k < r->m.n; k++) {
        const struct csvb_incr_entry *e = &r->m.entries[k];
        char *in = csvb_incr_join(r->dir, e->input);
        struct stat st;
        bool gone = in != NULL && lstat(in, &st) != 0 && errno == ENOENT;
        free(in);
        if (matched[k] || !gone)
            continue;
        r->stale[r->nstale++] = k;
        char *out1 = csvb_incr_join(r->dir, e->outputs[0].path);
        char *out2 = e->noutputs > 1 ? csvb_incr_join(r->dir, e->outputs[1].path) : NULL;
        char *text = NULL;
        if (out1 != NULL &&
            asprintf(&text, "%s: stale: its input %s is gone; its output%s %s%s%s%s", r->dir,
                     e->input, out2 ? "s" : "", out1, out2 ? ", " : "", out2 ? out2 : "",
                     !inc->opt->prune    ? " (--prune removes them)"
                     : inc->opt->dry_run ? " would be removed (--prune)"
                                         : " removed (--prune)") < 0)
            text = NULL;
        free(out1);
        free(out2);
        if (csvb_incr_notice(list, text) != CSVB_OK)
            return CSVB_E_NOMEM;
    }
    return CSVB_OK;
}

static enum csvb_err decide_all(struct csvb_incremental *inc, struct csvb_joblist *list,
                                struct csvb_results *results)
{
    for (size_t k = 0; k < inc->nroots; k++) {
        struct csvb_incr_root *r = &inc->roots[k];
        bool *matched = calloc(r->m.n + 1, sizeof *matched);
        if (matched == NULL)
            return CSVB_E_NOMEM;
        for (size_t i = 0; i < list->n; i++) {
            if (inc->job_root[i] != k)
                continue;
            const struct csvb_incr_entry *e =
                csvb_manifest_find(&r->m, csvb_incr_rel(r->dir, list->jobs[i].output_path));
            if (e != NULL)
                matched[e - r->m.entries] = true;
            struct csvb_result res;
            csvb_result_init(&res);
            decide_job(inc, i, &list->jobs[i], &res);
            if (res.status == CSVB_STATUS_UNCHANGED) /* else the job's result is left alone */
                (void)csvb_results_put(results, i, &res);
        }
        enum csvb_err e = find_stale(inc, r, matched, list);
        free(matched);
        if (e != CSVB_OK)
            return e;
    }
    return CSVB_OK;
}

enum csvb_err csvb_incremental_open(struct csvb_incremental **out, const struct csvb_options *opt,
                                    const char *stamp, struct csvb_joblist *list,
                                    struct csvb_results *results, struct csvb_diag *d)
{
    struct csvb_incremental *inc = calloc(1, sizeof *inc);
    *out = inc;
    if (inc == NULL)
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    inc->opt = opt;
    inc->njobs = list->n;
    snprintf(inc->stamp, sizeof inc->stamp, "%s", stamp);
    csvb_incremental_fingerprint(opt, inc->fingerprint);
    inc->job_root = calloc(list->n + 1, sizeof *inc->job_root);
    inc->fresh = calloc(list->n + 1, sizeof *inc->fresh);
    if (inc->job_root == NULL || inc->fresh == NULL)
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    enum csvb_err e = assign_roots(inc, list, d);
    if (e == CSVB_OK)
        e = check_root_files(inc, list, d);
    if (e == CSVB_OK)
        e = open_roots(inc, d);
    if (e == CSVB_OK && decide_all(inc, list, results) != CSVB_OK)
        e = csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    return e;
}

size_t csvb_incremental_nwarnings(const struct csvb_incremental *inc)
{
    return inc != NULL ? inc->nwarnings : 0;
}

const char *csvb_incremental_warning(const struct csvb_incremental *inc, size_t k)
{
    return inc->warnings[k];
}
