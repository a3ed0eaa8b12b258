/* incremental.c — --incremental's run step: output roots, locks, fingerprint, the skip decision
 * for every job before the run, the journal record after each job, the manifest at the end. */
#include "csvbatch/incremental.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "csvbatch/atomic.h"
#include "csvbatch/text.h"

enum csvb_incr_verdict csvb_incremental_decide(const struct csvb_incr_facts *f)
{
    if (f->force || !f->have_entry || !f->fingerprint_same || !f->size_same || !f->dev_same ||
        !f->outputs_ok)
        return CSVB_INCR_RUN;
    bool need_hash = !f->mtime_same || !f->ctime_same || !f->ino_same || f->racy || f->verify;
    if (!need_hash)
        return CSVB_INCR_UNCHANGED;
    if (!f->hash_known)
        return CSVB_INCR_HASH;
    return f->hash_same ? CSVB_INCR_UNCHANGED : CSVB_INCR_RUN;
}

/* ---- Fingerprint: the version and every option that changes output bytes ---- */

static const char *const byte_keys[] = {
    "delimiter",      "output_delimiter", "encoding",     "suffix",     "where",   "all_rows",
    "case_sensitive", "select",           "stamp_column", "on_bad_row", "rejects", "compat",
    "compress",       "compress_level",   "skip_lines",   "escape",     "comment"};

struct fp_ctx {
    struct csvb_hash h;
};

static void fp_put(struct fp_ctx *c, const char *s)
{
    csvb_hash_update(&c->h, s, strlen(s) + 1); /* the NUL separates: no two listings collide */
}

static void fp_emit(void *ctx, const char *key, const struct csvb_opt_value *v)
{
    struct fp_ctx *c = ctx;
    bool keep = false;
    for (size_t k = 0; k < sizeof byte_keys / sizeof byte_keys[0]; k++)
        keep = keep || strcmp(key, byte_keys[k]) == 0;
    if (!keep)
        return;
    char num[64];
    fp_put(c, key);
    switch (v->kind) {
    case CSVB_VALUE_NULL:
        fp_put(c, "\x01null");
        break;
    case CSVB_VALUE_BOOL:
        fp_put(c, v->boolean ? "true" : "false");
        break;
    case CSVB_VALUE_INT:
        snprintf(num, sizeof num, "%lld", v->integer);
        fp_put(c, num);
        break;
    case CSVB_VALUE_REAL:
        snprintf(num, sizeof num, "%.17g", v->real);
        fp_put(c, num);
        break;
    case CSVB_VALUE_STRING:
        fp_put(c, v->string);
        break;
    case CSVB_VALUE_LIST:
        snprintf(num, sizeof num, "[%zu]", v->count);
        fp_put(c, num);
        for (size_t k = 0; k < v->count; k++)
            fp_put(c, v->list[k]);
        break;
    }
}

void csvb_incremental_fingerprint(const struct csvb_options *opt, char out[CSVB_HASH_HEX])
{
    struct fp_ctx c;
    unsigned char digest[CSVB_HASH_SIZE];
    csvb_hash_init(&c.h);
    fp_put(&c, "csvbatch " CSVB_VERSION);
    csvb_options_describe(opt, 1, fp_emit, &c);
    csvb_hash_digest(&c.h, digest);
    csvb_hash_fini(&c.h);
    csvb_hash_hex(digest, out);
}

/* ---- Small helpers ---- */

int64_t csvb_incr_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void csvb_incr_utc(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL || strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, size, "unknown");
}

char *csvb_incr_join(const char *dir, const char *rel)
{
    if (rel[0] == '/')
        return strdup(rel);
    size_t n = strlen(dir);
    char *p = malloc(n + strlen(rel) + 2);
    if (p != NULL)
        sprintf(p, "%s%s%s", dir, n > 0 && dir[n - 1] == '/' ? "" : "/", rel);
    return p;
}

/* path relative to dir, or NULL when it is not below it. Borrows from path. */
const char *csvb_incr_rel(const char *dir, const char *path)
{
    size_t n = strlen(dir);
    if (strcmp(dir, ".") == 0 && path[0] != '/')
        return strncmp(path, "./", 2) == 0 ? path + 2 : path;
    if (strncmp(path, dir, n) != 0)
        return NULL;
    if (n > 0 && dir[n - 1] == '/')
        return path[n] != '\0' ? path + n : NULL;
    return path[n] == '/' && path[n + 1] != '\0' ? path + n + 1 : NULL;
}

static int64_t ns_of(struct timespec ts)
{
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void csvb_incr_stat_facts(const struct stat *st, struct csvb_result_input *f)
{
    f->size = (uint64_t)st->st_size;
    f->mtime_ns = ns_of(st->st_mtim);
    f->ctime_ns = ns_of(st->st_ctim);
    f->dev = (uint64_t)st->st_dev;
    f->ino = (uint64_t)st->st_ino;
}

/* ---- Locks ---- */

enum csvb_err csvb_incr_lock(struct csvb_incr_root *r, bool dry_run, bool no_wait,
                             struct csvb_diag *d)
{
    char *path = csvb_incr_join(r->dir, CSVB_LOCK_NAME);
    if (path == NULL)
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    r->lock_fd =
        dry_run ? open(path, O_RDONLY | O_CLOEXEC) : open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    free(path);
    if (r->lock_fd < 0) /* a dry run writes nothing, so takes no lock where none exists */
        return dry_run ? CSVB_OK
                       : csvb_diag_errno(d, CSVB_E_IO, errno, "%s: cannot create %s", r->dir,
                                         CSVB_LOCK_NAME);
    int how = (dry_run ? LOCK_SH : LOCK_EX) | (no_wait ? LOCK_NB : 0);
    while (flock(r->lock_fd, how) != 0) {
        if (errno == EINTR)
            continue;
        if (errno == EWOULDBLOCK)
            return csvb_diag_set(d, CSVB_E_USAGE, 0,
                                 "%s: another csvbatch --incremental run is using this output "
                                 "directory (--no-wait)",
                                 r->dir);
        return csvb_diag_errno(d, CSVB_E_IO, errno, "%s: cannot lock %s", r->dir, CSVB_LOCK_NAME);
    }
    return CSVB_OK;
}
