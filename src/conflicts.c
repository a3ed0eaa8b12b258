/* conflicts.c — one check of every written path against the inputs and each other, by name and
 * by device and inode: nothing the run writes may replace an input or another written file. */
#include "csvbatch/conflicts.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "csvbatch/text.h"

enum written_kind { WRITTEN_OUTPUT, WRITTEN_REJECTS, WRITTEN_RUN };

/* One path the run will write. */
struct written {
    const char *path; /* borrowed */
    const char *dir;  /* borrowed from struct dirs: its directory, resolved when it exists */
    const char *base; /* borrowed from path */
    size_t owner;     /* the job, or (WRITTEN_RUN) the index in run_files */
    enum written_kind kind;
};

/* A file's identity; index: into the written array (or the job, for inputs). */
struct ident {
    dev_t dev;
    ino_t ino;
    size_t index;
};

/* The resolved directories, in the order first asked for: outputs come in path order, so
 * consecutive ones mostly share a directory, and realpath costs system calls per component. */
struct dirs {
    char **real;
    size_t n, cap;
    char *last; /* the directory as written that real[n - 1] resolves */
};

struct check {
    struct csvb_joblist *list;
    const struct csvb_conflicts_run_file *run_files;
    struct written *w;
    size_t nw;
    size_t *order; /* owned: w's indexes by directory, then base name (sort_written) */
    struct csvb_diag *d;
    bool usage; /* a run file conflicted: d holds the first */
};

/* The resolved directory of path (see struct dirs); NULL when out of memory. */
static const char *dir_key(const char *path, struct dirs *dirs)
{
    const char *slash = strrchr(path, '/');
    const char *dir = slash != NULL ? path : ".";
    size_t len = slash != NULL ? (size_t)(slash - path) + (slash == path) : 1;
    if (dirs->last != NULL && strlen(dirs->last) == len && memcmp(dirs->last, dir, len) == 0)
        return dirs->real[dirs->n - 1];
    void *real_dirs = dirs->real;
    if (csvb_vec_reserve(&real_dirs, &dirs->cap, dirs->n + 1, sizeof *dirs->real) != CSVB_OK)
        return NULL;
    dirs->real = real_dirs;
    free(dirs->last);
    if ((dirs->last = strndup(dir, len)) == NULL)
        return NULL;
    char *real = realpath(dirs->last, NULL);
    if (real == NULL && (real = strdup(dirs->last)) == NULL)
        return NULL;
    dirs->real[dirs->n++] = real;
    return real;
}

static void dirs_fini(struct dirs *dirs)
{
    for (size_t i = 0; i < dirs->n; i++)
        free(dirs->real[i]);
    free(dirs->real);
    free(dirs->last);
}

static const char *kind_name(const struct check *c, const struct written *w)
{
    if (w->kind == WRITTEN_RUN)
        return c->run_files[w->owner].option;
    return w->kind == WRITTEN_OUTPUT ? "output" : "rejects file";
}

static void fail_job(struct csvb_job *j, char *reason)
{
    if (j->kind != CSVB_JOB_RUN) { /* the first conflict found is the one it reports */
        free(reason);
        return;
    }
    j->kind = CSVB_JOB_FAIL;
    j->reason = reason != NULL ? reason : strdup("output conflict");
}

/* Job a's file wa would also be written as wb ("from" b's input, or as its rejects file). */
static char *also_written(const struct check *c, const struct written *wa, const struct written *wb)
{
    const char *from = c->list->jobs[wb->owner].path;
    return csvb_text_printf("%s %s would also be written from %s%s", kind_name(c, wa), wa->path,
                            from, wb->kind == WRITTEN_REJECTS ? " (as its rejects file)" : "");
}

/* wa and wb name one file. */
static void clash(struct check *c, const struct written *wa, const struct written *wb)
{
    if (wa->kind == WRITTEN_RUN || wb->kind == WRITTEN_RUN) {
        const struct written *r = wa->kind == WRITTEN_RUN ? wa : wb, *o = r == wa ? wb : wa;
        if (!c->usage && o->kind == WRITTEN_RUN)
            csvb_diag_set(c->d, CSVB_E_USAGE, 0, "%s and %s name the same file '%s'",
                          kind_name(c, r), kind_name(c, o), r->path);
        else if (!c->usage)
            csvb_diag_set(c->d, CSVB_E_USAGE, 0, "%s: '%s' is also the %s of %s", kind_name(c, r),
                          r->path, kind_name(c, o), c->list->jobs[o->owner].path);
        c->usage = true;
        return;
    }
    fail_job(&c->list->jobs[wa->owner], also_written(c, wa, wb));
    if (wb->owner != wa->owner)
        fail_job(&c->list->jobs[wb->owner], also_written(c, wb, wa));
}

/* Indexes into the written array (arg) by resolved directory and base name, then index. */
static int cmp_dir_base(const void *a, const void *b, void *arg)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    const struct written *x = (const struct written *)arg + i, *y = (const struct written *)arg + j;
    int r = x->dir == y->dir ? 0 : strcmp(x->dir, y->dir);
    if (r == 0)
        r = strcmp(x->base, y->base);
    return r != 0 ? r : (i < j ? -1 : i > j); /* qsort is not stable: never equal */
}

static int cmp_ident_noindex(const void *a, const void *b)
{
    const struct ident *x = a, *y = b;
    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    return x->ino < y->ino ? -1 : x->ino > y->ino;
}

static int cmp_ident(const void *a, const void *b)
{
    const struct ident *x = a, *y = b;
    int r = cmp_ident_noindex(a, b);
    return r != 0 ? r : (x->index < y->index ? -1 : x->index > y->index);
}

/* Sorts c->order, once for by_name and probe_dirs. An order, not a sorted copy: 8 bytes per
 * written path, not 40, at the planning's peak. False when out of memory. */
static bool sort_written(struct check *c)
{
    if ((c->order = malloc((c->nw + 1) * sizeof *c->order)) == NULL)
        return false;
    for (size_t i = 0; i < c->nw; i++)
        c->order[i] = i;
    qsort_r(c->order, c->nw, sizeof *c->order, cmp_dir_base, c->w);
    return true;
}

/* Two written paths with the same resolved directory and base name. */
static void by_name(struct check *c)
{
    for (size_t k = 0; k + 1 < c->nw; k++) {
        const struct written *a = &c->w[c->order[k]], *b = &c->w[c->order[k + 1]];
        if (strcmp(a->dir, b->dir) == 0 && strcmp(a->base, b->base) == 0)
            clash(c, a, b);
    }
}

/* What one listing of a written path's directory says of it. */
struct probe {
    bool listed; /* its directory was listed: found says whether it is there */
    bool found;
    unsigned char type; /* readdir's d_type */
    dev_t dev;          /* the directory's */
    ino_t ino;          /* d_ino */
};

/* Directories that receive fewer written paths than this are not listed: a stat each is less. */
#define CSVB_CONFLICTS_LIST_MIN 8
#define CSVB_OVERLAYFS_MAGIC 0x794c7630 /* d_ino need not be st_ino there */

/* The first of order[0..n) (sorted by base name) whose base is name, or NULL. */
static const size_t *first_named(const struct written *w, const size_t *order, size_t n,
                                 const char *name)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(w[order[mid]].base, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && strcmp(w[order[lo]].base, name) == 0 ? order + lo : NULL;
}

/* Lists directory dir once for the written paths order[0..n) (sorted by base name) it holds,
 * filling their probes: one getdents per block of names instead of one stat per path. */
static void probe_dir(const struct check *c, const size_t *order, size_t n, struct probe *probes)
{
    DIR *dh = opendir(c->w[order[0]].dir);
    struct stat dst;
    struct statfs fs;
    if (dh == NULL && (errno == ENOENT || errno == ENOTDIR)) {
        for (size_t k = 0; k < n; k++) /* no directory yet (-o NEW): nothing in it exists */
            probes[order[k]] = (struct probe){true, false, DT_UNKNOWN, 0, 0};
        return;
    }
    if (dh == NULL || fstat(dirfd(dh), &dst) != 0 || fstatfs(dirfd(dh), &fs) != 0 ||
        fs.f_type == CSVB_OVERLAYFS_MAGIC) {
        if (dh != NULL)
            closedir(dh);
        return; /* each path is stat'ed */
    }
    for (size_t k = 0; k < n; k++)
        probes[order[k]] = (struct probe){true, false, DT_UNKNOWN, dst.st_dev, 0};
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        const size_t *hit = first_named(c->w, order, n, e->d_name);
        /* Two written paths with one name (a conflict by name): each is probed. */
        for (; hit != NULL && hit < order + n && strcmp(c->w[*hit].base, e->d_name) == 0; hit++)
            probes[*hit] = (struct probe){true, true, e->d_type, dst.st_dev, e->d_ino};
    }
    closedir(dh);
}

/* Probes every directory that receives CSVB_CONFLICTS_LIST_MIN written paths or more (c->order
 * holds the written paths by directory). */
static void probe_dirs(const struct check *c, struct probe *probes)
{
    const size_t *order = c->order;
    for (size_t k = 0, end; k < c->nw; k = end) {
        for (end = k + 1; end < c->nw && strcmp(c->w[order[end]].dir, c->w[order[k]].dir) == 0;)
            end++;
        if (end - k >= CSVB_CONFLICTS_LIST_MIN)
            probe_dir(c, order + k, end - k, probes);
    }
}

/* The inputs' identities, sorted once a written path turns out to exist (never when all are new).
 */
struct inputs {
    struct ident *v;
    size_t n;
    bool oom;
};

/* The input that is file (dev, ino), or NULL. */
static const struct ident *input_find(const struct check *c, struct inputs *in, dev_t dev,
                                      ino_t ino)
{
    if (in->v == NULL && !in->oom) {
        in->oom = (in->v = malloc((c->list->n + 1) * sizeof *in->v)) == NULL;
        for (size_t i = 0; in->v != NULL && i < c->list->n; i++)
            if (c->list->jobs[i].dev != 0)
                in->v[in->n++] = (struct ident){c->list->jobs[i].dev, c->list->jobs[i].ino, i};
        if (in->v != NULL)
            qsort(in->v, in->n, sizeof *in->v, cmp_ident);
    }
    struct ident key = {dev, ino, 0};
    return in->v != NULL ? bsearch(&key, in->v, in->n, sizeof *in->v, cmp_ident_noindex) : NULL;
}

/* A written path that exists and is a directory or an input; sets *ids[*n] for the others. What
 * a listing of its directory told (probe) stands for a stat where it can. */
static void existing(struct check *c, size_t i, const struct probe *probe, struct inputs *inputs,
                     struct ident *ids, size_t *n)
{
    const struct written *w = &c->w[i];
    struct stat st;
    if (w->kind != WRITTEN_RUN && c->list->jobs[w->owner].kind != CSVB_JOB_RUN)
        return;
    if (probe != NULL && probe->listed && !probe->found)
        return; /* not in its directory */
    if (probe != NULL && probe->found && (probe->type == DT_REG || probe->type == DT_DIR)) {
        st.st_mode = probe->type == DT_REG ? S_IFREG : S_IFDIR;
        st.st_dev = probe->dev;
        st.st_ino = probe->ino;
    } else if (stat(w->path, &st) != 0)
        return;
    const struct ident *in =
        S_ISDIR(st.st_mode) ? NULL : input_find(c, inputs, st.st_dev, st.st_ino);
    if (!S_ISDIR(st.st_mode) && in == NULL) {
        ids[(*n)++] = (struct ident){st.st_dev, st.st_ino, i};
        return;
    }
    const char *what = S_ISDIR(st.st_mode) ? "is a directory"
                                           : "is an input file (a link to one?); refusing to "
                                             "overwrite it";
    if (w->kind != WRITTEN_RUN)
        fail_job(&c->list->jobs[w->owner],
                 csvb_text_printf("%s %s %s", kind_name(c, w), w->path, what));
    else if (!c->usage) {
        csvb_diag_set(c->d, CSVB_E_USAGE, 0, "%s: '%s' %s", kind_name(c, w), w->path, what);
        c->usage = true;
    }
}

/* Written paths that exist: a directory, an input, or one file under two names (a link). */
static bool by_identity(struct check *c)
{
    struct inputs inputs = {NULL, 0, false};
    struct ident *ids = malloc((c->nw + 1) * sizeof *ids);
    struct probe *probes = calloc(c->nw + 1, sizeof *probes);
    size_t n = 0;
    bool ok = ids != NULL;
    if (probes != NULL) /* else, no memory for it: stat each path */
        probe_dirs(c, probes);
    free(c->order); /* not needed past here: less at the planning's peak */
    c->order = NULL;
    for (size_t i = 0; ok && i < c->nw; i++)
        existing(c, i, probes != NULL ? &probes[i] : NULL, &inputs, ids, &n);
    ok = ok && !inputs.oom;
    if (ok)
        qsort(ids, n, sizeof *ids, cmp_ident);
    for (size_t k = 0; ok && k + 1 < n; k++)
        if (ids[k].dev == ids[k + 1].dev && ids[k].ino == ids[k + 1].ino)
            clash(c, &c->w[ids[k].index], &c->w[ids[k + 1].index]);
    free(inputs.v);
    free(ids);
    free(probes);
    return ok;
}

/* Fills c->w: the jobs' outputs and rejects files, then the run files. */
static bool collect(struct check *c, size_t nrun, struct dirs *dirs)
{
    c->w = malloc((2 * c->list->n + nrun + 1) * sizeof *c->w);
    if (c->w == NULL)
        return false;
    for (size_t i = 0; i < c->list->n + nrun; i++) {
        const struct csvb_job *j = i < c->list->n ? &c->list->jobs[i] : NULL;
        const char *paths[2] = {j != NULL ? j->output_path : c->run_files[i - c->list->n].path,
                                j != NULL ? j->rejects_path : NULL};
        if (j != NULL && j->kind != CSVB_JOB_RUN)
            continue;
        for (int p = 0; p < 2; p++) {
            if (paths[p] == NULL || csvb_outputs_is_stdout(paths[p])) /* no file to clash */
                continue;
            const char *slash = strrchr(paths[p], '/');
            struct written *w = &c->w[c->nw++];
            w->path = paths[p];
            w->base = slash != NULL ? slash + 1 : paths[p];
            w->owner = j != NULL ? i : i - c->list->n;
            w->kind = j == NULL ? WRITTEN_RUN : p == 0 ? WRITTEN_OUTPUT : WRITTEN_REJECTS;
            if ((w->dir = dir_key(paths[p], dirs)) == NULL)
                return false;
        }
    }
    return true;
}

enum csvb_err csvb_conflicts_check(struct csvb_joblist *list,
                                   const struct csvb_conflicts_run_file *run_files, size_t nrun,
                                   struct csvb_diag *d)
{
    struct check c = {list, run_files, NULL, 0, NULL, d, false};
    struct dirs dirs = {NULL, 0, 0, NULL};
    bool ok = collect(&c, nrun, &dirs) && sort_written(&c);
    if (ok)
        by_name(&c);
    ok = ok && by_identity(&c);
    free(c.order);
    free(c.w);
    dirs_fini(&dirs);
    if (!ok)
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    return c.usage ? CSVB_E_USAGE : CSVB_OK;
}

enum csvb_err csvb_conflicts_run_files_writable(const struct csvb_conflicts_run_file *run_files,
                                                size_t nrun, struct csvb_diag *d)
{
    for (size_t i = 0; i < nrun; i++) {
        const char *option = run_files[i].option, *path = run_files[i].path;
        struct stat st;
        if (path == NULL)
            continue;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            return csvb_diag_set(d, CSVB_E_USAGE, 0, "%s: '%s' is a directory", option, path);
        char *dir = csvb_text_dirname(path);
        enum csvb_err e = CSVB_OK;
        if (dir == NULL)
            e = csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
        else if (access(dir, W_OK | X_OK) != 0)
            e = csvb_diag_errno(d, CSVB_E_USAGE, errno, "%s: cannot write in '%s'", option, dir);
        free(dir);
        if (e != CSVB_OK)
            return e;
    }
    return CSVB_OK;
}
