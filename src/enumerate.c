/* enumerate.c — PATH arguments to jobs: directory walks, sorting, de-duplication, output plans,
 * and the conflicts (two inputs, one output; an output that is an input) found before any work. */
#include "csvbatch/enumerate.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csvbatch/atomic.h"
#include "csvbatch/schema.h"

struct dev_ino {
    dev_t dev;
    ino_t ino;
};

struct walk {
    const struct csvb_options *opt;
    struct csvb_joblist *list;
    struct dev_ino *ancestors; /* directories on the current path: loop detection */
    size_t depth, cap;
};

static char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return s;
}

static bool ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && csvb_ascii_ieq(s + n - m, m, suffix, m);
}

bool csvb_has_csv_ext(const char *name)
{
    return ends_with_ci(name, ".csv");
}

bool csvb_is_output_name(const char *name, const char *suffix)
{
    char *tail = xasprintf("%s.csv", suffix);
    bool r = (tail != NULL && ends_with_ci(name, tail)) ||
             ends_with_ci(name, CSVB_REJECTS_SUFFIX ".csv");
    free(tail);
    return r;
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    return xasprintf("%s%s%s", dir, n > 0 && dir[n - 1] == '/' ? "" : "/", name);
}

char *csvb_output_path(const char *path, const char *rel, const char *out_dir, const char *suffix)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash != NULL ? slash + 1 : path;
    size_t stem = strlen(base);
    if (csvb_has_csv_ext(base))
        stem -= 4;
    if (out_dir == NULL) {
        int dir_len = slash != NULL ? (int)(slash - path) + 1 : 0;
        return xasprintf("%.*s%.*s%s.csv", dir_len, path, (int)stem, base, suffix);
    }
    const char *rslash = rel != NULL ? strrchr(rel, '/') : NULL;
    int rdir_len = rslash != NULL ? (int)(rslash - rel) + 1 : 0;
    size_t n = strlen(out_dir);
    return xasprintf("%s%s%.*s%.*s%s.csv", out_dir, n > 0 && out_dir[n - 1] == '/' ? "" : "/",
                     rdir_len, rel != NULL ? rel : "", (int)stem, base, suffix);
}

/* Appends a job; takes ownership of path, output and reason. Returns false on OOM. */
static bool add_job(struct csvb_joblist *list, char *path, char *output, enum csvb_job_kind kind,
                    char *reason, const struct stat *st, bool named)
{
    if (list->n == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 64;
        struct csvb_job *j = realloc(list->jobs, cap * sizeof *j);
        if (j == NULL) {
            free(path);
            free(output);
            free(reason);
            return false;
        }
        list->jobs = j;
        list->cap = cap;
    }
    struct csvb_job *job = &list->jobs[list->n++];
    memset(job, 0, sizeof *job);
    job->path = path;
    job->output_path = output;
    job->kind = kind;
    job->reason = reason;
    job->named = named;
    if (st != NULL) {
        job->size = st->st_size;
        job->dev = st->st_dev;
        job->ino = st->st_ino;
    }
    return path != NULL && (kind != CSVB_JOB_RUN || output != NULL);
}

static bool add_notice(struct csvb_joblist *list, char *notice)
{
    if (notice == NULL)
        return false;
    if (list->nnotices == list->notices_cap) {
        size_t cap = list->notices_cap ? list->notices_cap * 2 : 8;
        char **n = realloc(list->notices, cap * sizeof *n);
        if (n == NULL) {
            free(notice);
            return false;
        }
        list->notices = n;
        list->notices_cap = cap;
    }
    list->notices[list->nnotices++] = notice;
    return true;
}

/* What to say about an entry that is not a regular file. */
static const char *kind_name(mode_t mode)
{
    if (S_ISFIFO(mode))
        return "not a regular file (named pipe)";
    if (S_ISSOCK(mode))
        return "not a regular file (socket)";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "not a regular file (device)";
    if (S_ISDIR(mode))
        return "is a directory (use -r to descend)";
    return "not a regular file";
}

static bool walk_dir(struct walk *w, const char *dir, const char *rel);

/* Classifies one directory entry. Returns false on OOM. */
static bool walk_entry(struct walk *w, const char *dir, const char *rel, const char *name)
{
    const struct csvb_options *opt = w->opt;
    if (name[0] == '.') /* hidden files, . and .., and our own temp files */
        return true;
    char *path = join(dir, name);
    char *sub = rel != NULL ? join(rel, name) : strdup(name);
    if (path == NULL || sub == NULL)
        goto oom;
    bool csv = csvb_has_csv_ext(name) && !csvb_is_output_name(name, opt->suffix);
    struct stat st;
    if (stat(path, &st) != 0) {
        int err = errno;
        struct stat lst;
        bool ok = true;
        if (csv) {
            const char *why = lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)
                                  ? (err == ELOOP ? "symbolic link loop" : "dangling symbolic link")
                                  : strerror(err);
            ok = add_job(w->list, path, NULL, CSVB_JOB_SKIP, xasprintf("skipped: %s", why), NULL,
                         false);
            path = NULL;
        }
        free(path);
        free(sub);
        return ok;
    }
    bool ok = true;
    if (S_ISDIR(st.st_mode) && opt->recursive) {
        ok = walk_dir(w, path, sub);
    } else if (csv && S_ISREG(st.st_mode)) {
        char *out = csvb_output_path(path, sub, opt->output_dir, opt->suffix);
        ok = add_job(w->list, path, out, CSVB_JOB_RUN, NULL, &st, false);
        path = NULL;
    } else if (csv) {
        ok = add_job(w->list, path, NULL, CSVB_JOB_SKIP,
                     xasprintf("skipped: %s", kind_name(st.st_mode)), &st, false);
        path = NULL;
    }
    free(path);
    free(sub);
    return ok;
oom:
    free(path);
    free(sub);
    return false;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walks one directory: its entries in byte order of name, which gives paths in sorted order
 * (a directory's files and its subdirectories' files interleave as their paths sort). */
static bool walk_dir(struct walk *w, const char *dir, const char *rel)
{
    struct stat st;
    if (stat(dir, &st) != 0)
        return true;
    for (size_t i = 0; i < w->depth; i++)
        if (w->ancestors[i].dev == st.st_dev && w->ancestors[i].ino == st.st_ino)
            return add_notice(w->list,
                              xasprintf("%s: not descending: directory loop (a symbolic link to "
                                        "a parent?)",
                                        dir));
    DIR *dh = opendir(dir);
    if (dh == NULL)
        return add_job(w->list, strdup(dir), NULL, CSVB_JOB_FAIL,
                       xasprintf("cannot read directory: %s", strerror(errno)), NULL, false);
    if (w->depth == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 16;
        struct dev_ino *a = realloc(w->ancestors, cap * sizeof *a);
        if (a == NULL) {
            closedir(dh);
            return false;
        }
        w->ancestors = a;
        w->cap = cap;
    }
    w->ancestors[w->depth].dev = st.st_dev;
    w->ancestors[w->depth].ino = st.st_ino;
    w->depth++;
    char **names = NULL;
    size_t n = 0, cap = 0;
    bool ok = true;
    struct dirent *e;
    while (ok && (e = readdir(dh)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, cap * sizeof *nn);
            if (nn == NULL) {
                ok = false;
                break;
            }
            names = nn;
        }
        if ((names[n] = strdup(e->d_name)) == NULL)
            ok = false;
        else
            n++;
    }
    closedir(dh);
    if (ok && n > 1)
        qsort(names, n, sizeof *names, cmp_name);
    for (size_t i = 0; i < n; i++) {
        if (ok)
            ok = walk_entry(w, dir, rel, names[i]);
        free(names[i]);
    }
    free(names);
    w->depth--;
    return ok;
}

static int cmp_job_path(const void *a, const void *b)
{
    return strcmp(((const struct csvb_job *)a)->path, ((const struct csvb_job *)b)->path);
}

static int cmp_dev_ino(const void *a, const void *b)
{
    const struct dev_ino *x = a, *y = b;
    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    if (x->ino != y->ino)
        return x->ino < y->ino ? -1 : 1;
    return 0;
}

static void fail_job(struct csvb_job *j, char *reason)
{
    if (j->kind != CSVB_JOB_RUN) {
        free(reason);
        return;
    }
    j->kind = CSVB_JOB_FAIL;
    j->reason = reason != NULL ? reason : strdup("output conflict");
}

/* The same file named twice (two paths, or a link) is processed once: the first occurrence. */
static void drop_duplicates(struct csvb_joblist *list)
{
    size_t out = 0;
    for (size_t i = 0; i < list->n; i++) {
        struct csvb_job *j = &list->jobs[i];
        bool dup = false;
        for (size_t k = 0; j->kind == CSVB_JOB_RUN && k < out && !dup; k++)
            dup = list->jobs[k].kind == CSVB_JOB_RUN && list->jobs[k].dev == j->dev &&
                  list->jobs[k].ino == j->ino && j->dev != 0;
        if (dup) {
            free(j->path);
            free(j->output_path);
            free(j->reason);
            continue;
        }
        list->jobs[out++] = *j;
    }
    list->n = out;
}

/* realpath of the last directory asked for: outputs come in path order, so consecutive ones
 * mostly share a directory, and realpath costs system calls per path component. */
struct dir_cache {
    char *dir, *real;
};

/* The output's identity for collision checks: realpath of its directory (when it exists) plus
 * its base name. Caller frees. */
static char *output_key(const char *output, struct dir_cache *cache)
{
    const char *slash = strrchr(output, '/');
    char *dir =
        slash != NULL ? strndup(output, (size_t)(slash - output) + (slash == output)) : strdup(".");
    if (dir != NULL && (cache->dir == NULL || strcmp(cache->dir, dir) != 0)) {
        free(cache->dir);
        free(cache->real);
        cache->dir = strdup(dir);
        cache->real = realpath(dir, NULL);
    }
    const char *real = cache->real != NULL ? cache->real : (dir != NULL ? dir : "");
    char *key = xasprintf("%s/%s", real, slash != NULL ? slash + 1 : output);
    free(dir);
    return key;
}

struct keyed {
    char *key;
    size_t job;
};

static int cmp_keyed(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c != 0 ? c : (x->job < y->job ? -1 : x->job > y->job);
}

/* Marks jobs whose output is shared with another job, is an input, or is a directory. */
static bool find_conflicts(struct csvb_joblist *list)
{
    struct keyed *keys = calloc(list->n + 1, sizeof *keys);
    struct dev_ino *inputs = calloc(list->n + 1, sizeof *inputs);
    if (keys == NULL || inputs == NULL) {
        free(keys);
        free(inputs);
        return false;
    }
    size_t nk = 0, ni = 0;
    struct dir_cache cache = {NULL, NULL};
    for (size_t i = 0; i < list->n; i++) {
        if (list->jobs[i].kind != CSVB_JOB_RUN)
            continue;
        inputs[ni].dev = list->jobs[i].dev;
        inputs[ni++].ino = list->jobs[i].ino;
        keys[nk].key = output_key(list->jobs[i].output_path, &cache);
        keys[nk++].job = i;
    }
    free(cache.dir);
    free(cache.real);
    qsort(inputs, ni, sizeof *inputs, cmp_dev_ino);
    qsort(keys, nk, sizeof *keys, cmp_keyed);
    for (size_t k = 0; k + 1 < nk; k++) {
        if (keys[k].key == NULL || keys[k + 1].key == NULL ||
            strcmp(keys[k].key, keys[k + 1].key) != 0)
            continue;
        struct csvb_job *a = &list->jobs[keys[k].job], *b = &list->jobs[keys[k + 1].job];
        char *ra = xasprintf("output %s would also be written from %s", a->output_path, b->path);
        char *rb = xasprintf("output %s would also be written from %s", b->output_path, a->path);
        fail_job(a, ra);
        fail_job(b, rb);
    }
    for (size_t i = 0; i < list->n; i++) {
        struct csvb_job *j = &list->jobs[i];
        struct stat st;
        if (j->kind != CSVB_JOB_RUN || stat(j->output_path, &st) != 0)
            continue;
        struct dev_ino key = {st.st_dev, st.st_ino};
        if (S_ISDIR(st.st_mode))
            fail_job(j, xasprintf("output %s is a directory", j->output_path));
        else if (bsearch(&key, inputs, ni, sizeof *inputs, cmp_dev_ino) != NULL)
            fail_job(j, xasprintf("output %s is an input file (a link to one?); refusing to "
                                  "overwrite it",
                                  j->output_path));
    }
    for (size_t k = 0; k < nk; k++)
        free(keys[k].key);
    free(keys);
    free(inputs);
    return true;
}

enum csvb_err csvb_enumerate(const struct csvb_options *opt, struct csvb_joblist *list,
                             struct csvb_diag *d)
{
    memset(list, 0, sizeof *list);
    struct walk w = {opt, list, NULL, 0, 0};
    enum csvb_err result = CSVB_OK;
    for (size_t i = 0; i < opt->npaths; i++) {
        const char *arg = opt->paths[i];
        struct stat st;
        if (stat(arg, &st) != 0) {
            result = csvb_diag_errno(d, CSVB_E_USAGE, errno, "cannot access '%s'", arg);
            goto out;
        }
        if (!S_ISDIR(st.st_mode)) {
            char *out = csvb_output_path(arg, NULL, opt->output_dir, opt->suffix);
            if (!add_job(list, strdup(arg), out, CSVB_JOB_RUN, NULL, &st, true))
                goto oom;
            continue;
        }
        size_t before = list->n, notices = list->nnotices;
        if (!walk_dir(&w, arg, NULL))
            goto oom;
        if (list->n - before > 1)
            qsort(list->jobs + before, list->n - before, sizeof *list->jobs, cmp_job_path);
        if (list->n == before && list->nnotices == notices &&
            !add_notice(list, xasprintf("%s: no CSV files found", arg)))
            goto oom;
    }
    drop_duplicates(list);
    if (!find_conflicts(list))
        goto oom;
    for (size_t i = 0; opt->rejects && i < list->n; i++) {
        struct csvb_job *j = &list->jobs[i];
        if (j->output_path == NULL)
            continue;
        /* Beside the output: its name with the suffix replaced by _rejects. */
        size_t len = strlen(j->output_path), cut = strlen(opt->suffix) + 4;
        j->rejects_path =
            xasprintf("%.*s" CSVB_REJECTS_SUFFIX ".csv", (int)(len - cut), j->output_path);
        if (j->rejects_path == NULL)
            goto oom;
    }
    goto out;
oom:
    result = csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
out:
    free(w.ancestors);
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
