/* incremental_journal.c — --incremental during and after the run: each finished job journalled
 * (outputs hashed, one O_APPEND write, fdatasync), then --prune and the manifest folded and
 * written atomically per root. */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvbatch/atomic.h"
#include "csvbatch/incremental.h"

/* One output's size and hash into o (path relative to r). */
static bool hash_output(const struct csvb_incr_root *r, const char *path,
                        struct csvb_incr_output *o)
{
    struct csvb_diag d;
    csvb_diag_init(&d);
    const char *rel = csvb_incr_rel(r->dir, path);
    return rel != NULL && csvb_hash_file(path, o->hash, &o->size, &d) == CSVB_OK &&
           (o->path = strdup(rel)) != NULL;
}

/* The input facts of a job whose reading did not hash it (a split file): a sequential read
 * now, kept only when the file's identity is the same before and after it. */
static bool hash_input(const char *path, struct csvb_result_input *f, int64_t *read_ns)
{
    struct stat before, after;
    struct csvb_diag d;
    csvb_diag_init(&d);
    uint64_t bytes;
    *read_ns = csvb_incr_now_ns();
    if (stat(path, &before) != 0 || csvb_hash_file(path, f->hash, &bytes, &d) != CSVB_OK ||
        stat(path, &after) != 0 || bytes != (uint64_t)before.st_size)
        return false;
    csvb_incr_stat_facts(&before, f);
    struct csvb_result_input g;
    csvb_incr_stat_facts(&after, &g);
    return g.size == f->size && g.mtime_ns == f->mtime_ns && g.ctime_ns == f->ctime_ns &&
           g.ino == f->ino;
}

static bool make_entry(struct csvb_incremental *inc, const struct csvb_incr_root *r,
                       const struct csvb_job *job, const struct csvb_result *res,
                       struct csvb_incr_entry *e)
{
    memset(e, 0, sizeof *e);
    struct csvb_result_input f = res->input;
    if (!f.known && !hash_input(job->path, &f, &f.read_ns))
        return false;
    e->read_ns = f.read_ns;
    char buf[PATH_MAX];
    const char *rel = csvb_incr_rel(r->dir, job->path);
    const char *input = rel != NULL ? rel : realpath(job->path, buf);
    e->size = f.size, e->mtime_ns = f.mtime_ns, e->ctime_ns = f.ctime_ns;
    e->dev = f.dev, e->ino = f.ino;
    memcpy(e->hash, f.hash, sizeof e->hash);
    memcpy(e->fingerprint, inc->fingerprint, sizeof e->fingerprint);
    snprintf(e->stamp, sizeof e->stamp, "%s", inc->stamp);
    csvb_incr_utc(e->recorded_at, sizeof e->recorded_at);
    struct stat st;
    bool ok = input != NULL && (e->input = strdup(input)) != NULL &&
              (e->key = strdup(csvb_incr_rel(r->dir, job->output_path))) != NULL &&
              hash_output(r, job->output_path, &e->outputs[e->noutputs++]);
    if (ok && job->rejects_path != NULL && stat(job->rejects_path, &st) == 0)
        ok = hash_output(r, job->rejects_path, &e->outputs[e->noutputs++]);
    if (!ok)
        csvb_incr_entry_fini(e);
    return ok;
}

void csvb_incremental_record(struct csvb_incremental *inc, size_t i, const struct csvb_job *job,
                             struct csvb_result *res)
{
    if (inc == NULL || inc->job_root[i] == SIZE_MAX || res->status != CSVB_STATUS_SUCCESS)
        return;
    struct csvb_incr_root *r = &inc->roots[inc->job_root[i]];
    struct csvb_incr_entry e;
    if (r->journal_fd < 0 || !make_entry(inc, r, job, res, &e))
        return;
    size_t len;
    char *line = csvb_manifest_entry_line(&e, &len);
    /* One write(2) per entry on an O_APPEND descriptor: on a local file system the kernel
     * appends it whole, so entries from several workers never interleave. */
    bool ok = line != NULL && write(r->journal_fd, line, len) == (ssize_t)len &&
              (!inc->opt->fsync || fdatasync(r->journal_fd) == 0);
    free(line);
    csvb_incr_entry_fini(&inc->fresh[i]);
    if (ok)
        inc->fresh[i] = e;
    else
        csvb_incr_entry_fini(&e);
}

/* --prune: removes the outputs of r's stale entries that are still the files csvbatch wrote
 * (size and hash), then forgets the entries. A file that is not is left, with a notice. */
static void prune(struct csvb_incr_root *r, struct csvb_joblist *list)
{
    for (size_t s = 0; s < r->nstale; s++) {
        struct csvb_incr_entry *e = &r->m.entries[r->stale[s]];
        for (size_t k = 0; k < e->noutputs; k++) {
            char *path = csvb_incr_join(r->dir, e->outputs[k].path);
            unsigned char h[CSVB_HASH_SIZE];
            uint64_t bytes;
            struct csvb_diag d;
            csvb_diag_init(&d);
            if (path == NULL || csvb_hash_file(path, h, &bytes, &d) != CSVB_OK) {
                free(path); /* already gone */
                continue;
            }
            char *text = NULL;
            if (bytes != e->outputs[k].size || memcmp(h, e->outputs[k].hash, sizeof h) != 0) {
                if (asprintf(&text, "%s: not removed by --prune: not the file csvbatch wrote",
                             path) >= 0)
                    csvb_incr_notice(list, text);
            } else if (unlink(path) != 0 && asprintf(&text, "%s: --prune: cannot remove: %s", path,
                                                     strerror(errno)) >= 0) {
                csvb_incr_notice(list, text);
            }
            free(path);
        }
        csvb_incr_entry_fini(e); /* a key-less entry is not saved */
    }
}

static enum csvb_err finish_root(struct csvb_incremental *inc, struct csvb_incr_root *r, size_t k,
                                 struct csvb_joblist *list, struct csvb_diag *d)
{
    if (inc->opt->prune)
        prune(r, list);
    struct csvb_manifest *m = &r->m;
    size_t kept = 0;
    for (size_t i = 0; i < m->n; i++) /* the pruned entries out */
        if (m->entries[i].key != NULL)
            m->entries[kept++] = m->entries[i];
    m->n = kept;
    for (size_t i = 0; i < list->n; i++)
        if (inc->job_root[i] == k && inc->fresh[i].key != NULL &&
            csvb_manifest_add(m, &inc->fresh[i], d) != CSVB_OK)
            return d->code;
    csvb_manifest_sort(m);
    char *mpath = csvb_incr_join(r->dir, CSVB_MANIFEST_NAME);
    char *jpath = csvb_incr_join(r->dir, CSVB_JOURNAL_NAME);
    enum csvb_err e;
    if (mpath == NULL || jpath == NULL) {
        e = csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
        goto out;
    }
    e = csvb_manifest_save(mpath, r->real, m, inc->opt->fsync, d);
    /* The journal goes only once the manifest that holds its entries is in place. */
    if (e == CSVB_OK && unlink(jpath) != 0 && errno != ENOENT)
        e = csvb_diag_errno(d, CSVB_E_IO, errno, "cannot remove %s", jpath);
    if (e == CSVB_OK && inc->opt->fsync)
        e = csvb_atomic_sync_dir(mpath, d);
out:
    free(mpath);
    free(jpath);
    return e;
}

enum csvb_err csvb_incremental_finish(struct csvb_incremental *inc, struct csvb_joblist *list,
                                      struct csvb_diag *d)
{
    enum csvb_err first = CSVB_OK;
    for (size_t k = 0; inc != NULL && !inc->opt->dry_run && k < inc->nroots; k++) {
        struct csvb_diag one;
        csvb_diag_init(&one);
        if (finish_root(inc, &inc->roots[k], k, list, &one) != CSVB_OK && first == CSVB_OK) {
            *d = one;
            first = one.code;
        }
    }
    return first;
}

void csvb_incremental_free(struct csvb_incremental *inc)
{
    if (inc == NULL)
        return;
    for (size_t k = 0; k < inc->nroots; k++) {
        struct csvb_incr_root *r = &inc->roots[k];
        if (r->journal_fd >= 0)
            close(r->journal_fd);
        if (r->lock_fd >= 0)
            close(r->lock_fd); /* releases the flock */
        csvb_manifest_fini(&r->m);
        free(r->stale);
        free(r->dir);
        free(r->real);
    }
    for (size_t i = 0; inc->fresh != NULL && inc->job_root != NULL && i < inc->njobs; i++)
        csvb_incr_entry_fini(&inc->fresh[i]);
    for (size_t k = 0; k < inc->nwarnings; k++)
        free(inc->warnings[k]);
    free(inc->warnings);
    free(inc->roots);
    free(inc->job_root);
    free(inc->fresh);
    free(inc);
}
