/* outputs.c — walk entries to jobs: output and rejects paths, one job per file; the conflicts
 * of every written path with the inputs and each other are conflicts.c's, called from here. */
#include "csvbatch/outputs.h"

#include "csvbatch/conflicts.h"
#include "csvbatch/tempname.h"
#include "csvbatch/text.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csvbatch/atomic.h"
#include "csvbatch/codec.h"
#include "csvbatch/stage.h"

/* A job's identity as a file: sorted, equal ones are adjacent, the earliest first. */
struct file_key {
    dev_t dev;
    ino_t ino;
    size_t index;
};

char *csvb_outputs_path(const char *path, const char *rel, const char *out_dir, const char *suffix)
{
    return csvb_outputs_path_as(path, rel, out_dir, suffix, CSVB_COMPRESS_AUTO);
}

/* The output's compression extension: the input's (by its name) under auto. */
static const char *output_zext(const char *base, enum csvb_compress how)
{
    switch (how) {
    case CSVB_COMPRESS_AUTO:
        return csvb_compression_ext(csvb_compression_from_name(base, NULL));
    case CSVB_COMPRESS_GZIP:
        return csvb_compression_ext(CSVB_COMPRESSION_GZIP);
    case CSVB_COMPRESS_ZSTD:
        return csvb_compression_ext(CSVB_COMPRESSION_ZSTD);
    case CSVB_COMPRESS_NONE:
        break;
    }
    return "";
}

char *csvb_outputs_path_as(const char *path, const char *rel, const char *out_dir,
                           const char *suffix, enum csvb_compress how)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash != NULL ? slash + 1 : path;
    size_t stem = strlen(base), ext = csvb_walk_csv_ext_len(base);
    if (ext == 0) /* a named data.gz: its stem is data */
        csvb_compression_from_name(base, &ext);
    stem -= ext;
    const char *zext = output_zext(base, how);
    const char *cext = csvb_walk_is_tsv(base) ? ".tsv" : ".csv"; /* x.tsv: x_processed.tsv */
    if (out_dir == NULL) {
        int dir_len = slash != NULL ? (int)(slash - path) + 1 : 0;
        return csvb_text_printf("%.*s%.*s%s%s%s", dir_len, path, (int)stem, base, suffix, cext,
                                zext);
    }
    const char *rslash = rel != NULL ? strrchr(rel, '/') : NULL;
    int rdir_len = rslash != NULL ? (int)(rslash - rel) + 1 : 0;
    size_t n = strlen(out_dir);
    return csvb_text_printf("%s%s%.*s%.*s%s%s%s", out_dir,
                            n > 0 && out_dir[n - 1] == '/' ? "" : "/", rdir_len,
                            rel != NULL ? rel : "", (int)stem, base, suffix, cext, zext);
}

char *csvb_outputs_rejects_path(const char *output_path, const char *suffix)
{
    size_t zlen;
    csvb_compression_from_name(output_path, &zlen);
    size_t len = strlen(output_path) - zlen, cut = strlen(suffix) + 4;
    if (cut > len)
        cut = len;
    return csvb_text_printf("%.*s" CSVB_REJECTS_SUFFIX ".csv", (int)(len - cut), output_path);
}

static int cmp_file_key(const void *a, const void *b)
{
    const struct file_key *x = a, *y = b;
    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    if (x->ino != y->ino)
        return x->ino < y->ino ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Whether paths a and b name the same file by the same path once links and "." are resolved
 * (a path named twice, "./x.csv" and "x.csv", a symbolic link to it): hard links, two names of
 * one inode, are two paths and are each processed. Where either cannot be resolved, the caller's
 * same device and inode decide, as before: processed once. */
static bool same_path(const char *a, const char *b)
{
    char *ra = realpath(a, NULL), *rb = ra != NULL ? realpath(b, NULL) : NULL;
    bool same = rb == NULL || strcmp(ra, rb) == 0;
    free(ra);
    free(rb);
    return same;
}

/* Adds "LATER: same file as FIRST; processed once" to walk's notices. False when out of memory. */
static bool add_twice_notice(struct csvb_walk_list *walk, const char *later, const char *first)
{
    return csvb_text_push(&walk->notices, &walk->nnotices, &walk->notices_cap,
                          csvb_text_printf("%s: same file as %s; processed once", later, first));
}

/* The same path reached twice (named twice, or through a symbolic link) is processed once: its
 * first entry, and a notice names the later one. Sets drop[i] for every later CSVB_JOB_RUN entry
 * of the same device and inode (device not 0) whose resolved path is the first one's; realpath
 * runs only for such pairs. Returns the number of entries kept, or SIZE_MAX when out of memory. */
static size_t mark_duplicates(struct csvb_walk_list *walk, unsigned char *drop)
{
    struct file_key *keys = malloc((walk->n + 1) * sizeof *keys);
    if (keys == NULL)
        return SIZE_MAX;
    size_t nk = 0, kept = walk->n, first = 0;
    for (size_t i = 0; i < walk->n; i++) {
        const struct csvb_walk_entry *e = &walk->entries[i];
        if (e->kind == CSVB_JOB_RUN && e->dev != 0)
            keys[nk++] = (struct file_key){e->dev, e->ino, i};
    }
    qsort(keys, nk, sizeof *keys, cmp_file_key);
    for (size_t k = 1; k < nk; k++) {
        if (keys[k].dev != keys[first].dev || keys[k].ino != keys[first].ino) {
            first = k;
            continue;
        }
        const char *b = walk->entries[keys[k].index].path, *a = NULL;
        for (size_t m = first; a == NULL && m < k; m++) /* a group is a few links at most */
            if (!drop[keys[m].index] && same_path(walk->entries[keys[m].index].path, b))
                a = walk->entries[keys[m].index].path;
        if (a == NULL)
            continue;
        if (!add_twice_notice(walk, b, a)) {
            kept = SIZE_MAX;
            break;
        }
        drop[keys[k].index] = 1;
        kept--;
    }
    free(keys);
    return kept;
}

/* Moves the kept entries of walk into list->jobs (exactly sized), planning each output path. */
static bool make_jobs(const struct csvb_options *opt, struct csvb_walk_list *walk,
                      const unsigned char *drop, size_t kept, struct csvb_joblist *list)
{
    list->jobs = calloc(kept + 1, sizeof *list->jobs);
    if (list->jobs == NULL)
        return false;
    list->cap = kept;
    for (size_t i = 0; i < walk->n; i++) {
        struct csvb_walk_entry *e = &walk->entries[i];
        if (drop[i])
            continue;
        struct csvb_job *j = &list->jobs[list->n++];
        j->path = e->path;
        j->reason = e->reason;
        j->kind = e->kind;
        j->named = e->named;
        j->size = e->size;
        j->dev = e->dev;
        j->ino = e->ino;
        j->mtime_ns = e->mtime_ns;
        e->path = e->reason = NULL;
        /* Standard input: to standard output, or to DIR/stdin_processed.csv with -o DIR. */
        bool std_in = csvb_outputs_is_stdin(j);
        if (std_in && opt->output_dir == NULL)
            j->output_path = strdup(CSVB_STAGE_STDOUT);
        else if (j->kind == CSVB_JOB_RUN)
            j->output_path = csvb_outputs_path_as(std_in ? CSVB_OUTPUTS_STDIN_STEM : j->path,
                                                  e->rel > 0 ? j->path + e->rel : NULL,
                                                  opt->output_dir, opt->suffix, opt->compress);
        if (j->kind == CSVB_JOB_RUN && j->output_path == NULL)
            return false;
    }
    return true;
}

enum csvb_err csvb_outputs_from_walk(const struct csvb_options *opt, struct csvb_walk_list *walk,
                                     struct csvb_joblist *list, struct csvb_diag *d)
{
    memset(list, 0, sizeof *list);
    unsigned char *drop = calloc(walk->n + 1, 1);
    size_t kept = drop != NULL ? mark_duplicates(walk, drop) : SIZE_MAX;
    bool ok = kept != SIZE_MAX && make_jobs(opt, walk, drop, kept, list);
    free(drop);
    if (ok) {
        list->notices = walk->notices;
        list->nnotices = walk->nnotices;
        list->notices_cap = walk->notices_cap;
        walk->notices = NULL;
        walk->nnotices = walk->notices_cap = 0;
    }
    /* Every string is the jobs' now (but dropped duplicates'): the entries go before the
     * conflict check, the planning's peak, not after it. */
    csvb_walk_list_fini(walk);
    for (size_t i = 0; ok && opt->rejects && i < list->n; i++) {
        struct csvb_job *j = &list->jobs[i];
        if (j->output_path != NULL && !csvb_outputs_is_stdout(j->output_path) &&
            (j->rejects_path = csvb_outputs_rejects_path(j->output_path, opt->suffix)) == NULL)
            ok = false;
    }
    if (ok) { /* every written path, the report's included, against the inputs and each other */
        const struct csvb_conflicts_run_file run_files[] = {
            {"--report", opt->report}, {"--junit", opt->junit}, {"--plan-out", opt->plan_out}};
        return csvb_conflicts_check(list, run_files, 3, d);
    }
    return ok ? CSVB_OK : csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
}

bool csvb_outputs_is_stdin(const struct csvb_job *job)
{
    return job->named && strcmp(job->path, CSVB_OUTPUTS_STDIN) == 0;
}

bool csvb_outputs_is_stdout(const char *output_path)
{
    return output_path != NULL && strcmp(output_path, CSVB_STAGE_STDOUT) == 0;
}

/* What '-' (standard input) may not be combined with: usage errors, before the walk. */
static enum csvb_err stdin_rules(const struct csvb_options *opt, struct csvb_diag *d)
{
    size_t n = 0;
    for (size_t i = 0; i < opt->npaths; i++)
        n += strcmp(opt->paths[i], CSVB_OUTPUTS_STDIN) == 0;
    if (n == 0)
        return CSVB_OK;
    if (n > 1)
        return csvb_diag_set(d, CSVB_E_USAGE, 0, "'-' (standard input) is named more than once");
    if (opt->files_from != NULL && strcmp(opt->files_from, "-") == 0)
        return csvb_diag_set(d, CSVB_E_USAGE, 0,
                             "'-' and --files-from - cannot both read standard input");
    if (opt->incremental)
        return csvb_diag_set(d, CSVB_E_USAGE, 0,
                             "--incremental cannot tell whether standard input ('-') changed; "
                             "save it to a file first");
    if (opt->rejects && opt->output_dir == NULL)
        return csvb_diag_set(d, CSVB_E_USAGE, 0,
                             "--rejects: '-' writes its output to standard output; name a "
                             "directory for both files with -o DIR");
    return CSVB_OK;
}

enum csvb_err csvb_outputs_plan(const struct csvb_options *opt, struct csvb_joblist *list,
                                struct csvb_diag *d)
{
    struct csvb_walk_list walk;
    memset(list, 0, sizeof *list);
    memset(&walk, 0, sizeof walk);
    enum csvb_err result = stdin_rules(opt, d);
    if (result == CSVB_OK)
        result = csvb_walk(opt, &walk, d);
    if (result == CSVB_OK)
        result = csvb_outputs_from_walk(opt, &walk, list, d);
    csvb_walk_list_fini(&walk);
    return result;
}

void csvb_joblist_fini(struct csvb_joblist *list)
{
    if (list == NULL)
        return;
    for (size_t i = 0; i < list->n; i++) {
        free(list->jobs[i].path);
        free(list->jobs[i].output_path);
        free(list->jobs[i].rejects_path);
        free(list->jobs[i].reason);
    }
    for (size_t i = 0; i < list->nnotices; i++)
        free(list->notices[i]);
    free(list->jobs);
    free(list->notices);
    memset(list, 0, sizeof *list);
}

/* An output and the directory that holds it. */
struct out_dir {
    char *dir; /* owned */
    const char *output;
};

static int cmp_dir(const void *a, const void *b)
{
    return strcmp(((const struct out_dir *)a)->dir, ((const struct out_dir *)b)->dir);
}

int csvb_outputs_sync_dirs(const struct csvb_joblist *list, const struct csvb_results *results,
                           void (*say)(const char *message))
{
    struct out_dir *dirs = calloc(list->n + 1, sizeof *dirs);
    size_t n = 0;
    int status = 0;
    if (dirs == NULL)
        return 1;
    struct csvb_result buf;
    for (size_t i = 0; i < list->n; i++) {
        const char *out = list->jobs[i].output_path;
        if (csvb_results_get(results, i, &buf)->status != CSVB_STATUS_SUCCESS || out == NULL ||
            csvb_outputs_is_stdout(out))
            continue;
        if ((dirs[n].dir = csvb_text_dirname(out)) == NULL) {
            say("out of memory");
            status = 1;
            continue;
        }
        dirs[n++].output = out;
    }
    qsort(dirs, n, sizeof *dirs, cmp_dir);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && strcmp(dirs[i].dir, dirs[i - 1].dir) == 0)
            continue;
        struct csvb_diag d;
        csvb_diag_init(&d);
        if (csvb_atomic_sync_dir(dirs[i].output, &d) != CSVB_OK) {
            say(d.message);
            status = 1;
        }
    }
    for (size_t i = 0; i < n; i++)
        free(dirs[i].dir);
    free(dirs);
    return status;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Removes dead owners' temp files in dir and, when there were any, says so in a notice. */
static bool sweep_dir(struct csvb_joblist *list, const char *dir)
{
    size_t removed = csvb_tempname_sweep(dir);
    if (removed == 0)
        return true;
    char *notice = csvb_text_printf("removed %zu stale temporary file%s of earlier interrupted "
                                    "runs in %s",
                                    removed, removed == 1 ? "" : "s", dir);
    return csvb_text_push(&list->notices, &list->nnotices, &list->notices_cap, notice);
}

enum csvb_err csvb_outputs_sweep_stale(struct csvb_joblist *list, struct csvb_diag *d)
{
    char **dirs = malloc((2 * list->n + 1) * sizeof *dirs);
    size_t n = 0;
    bool ok = dirs != NULL;
    for (size_t i = 0; ok && i < list->n; i++) {
        const struct csvb_job *j = &list->jobs[i];
        const char *paths[2] = {j->output_path, j->rejects_path};
        for (int p = 0; ok && p < 2; p++) {
            if (j->kind != CSVB_JOB_RUN || paths[p] == NULL || csvb_outputs_is_stdout(paths[p]))
                continue;
            char *dir = csvb_text_dirname(paths[p]);
            if (dir != NULL && n > 0 && strcmp(dir, dirs[n - 1]) == 0) {
                free(dir); /* outputs come in path order: most share the previous directory */
                continue;
            }
            ok = (dirs[n] = dir) != NULL;
            n += ok;
        }
    }
    if (ok && n > 1)
        qsort(dirs, n, sizeof *dirs, cmp_str);
    for (size_t k = 0; ok && k < n; k++)
        ok = (k > 0 && strcmp(dirs[k], dirs[k - 1]) == 0) || sweep_dir(list, dirs[k]);
    for (size_t k = 0; k < n; k++)
        free(dirs[k]);
    free(dirs);
    return ok ? CSVB_OK : csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
}
