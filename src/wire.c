/* wire.c — jobs and results to bytes and back, for messages between MPI ranks (wire.h). */
#include "csvbatch/wire.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/row.h"
#include "csvbatch/text.h"

/* A string's length, or this for NULL. */
#define NO_STRING UINT64_MAX

/* What a job has besides its strings, as it goes on the wire. */
struct wire_job {
    int32_t kind;
    int32_t named;
    int64_t size;
    uint64_t dev, ino;
    int64_t mtime_ns; /* the walk's: a rank that trusts the listing checks the file against it */
};

/* A cursor over a received buffer: every take is checked against what is left. */
struct reader {
    const unsigned char *p;
    size_t left;
};

void csvb_wire_init(struct csvb_wire *w)
{
    if (w != NULL)
        memset(w, 0, sizeof *w);
}

void csvb_wire_fini(struct csvb_wire *w)
{
    if (w == NULL)
        return;
    free(w->data);
    memset(w, 0, sizeof *w);
}

enum csvb_err csvb_wire_put(struct csvb_wire *w, const void *p, size_t n)
{
    if (n == 0)
        return CSVB_OK;
    if (n > SIZE_MAX - w->len || csvb_vec_reserve(&w->data, &w->cap, w->len + n, 1) != CSVB_OK)
        return CSVB_E_NOMEM;
    memcpy(w->data + w->len, p, n);
    w->len += n;
    return CSVB_OK;
}

static enum csvb_err put_u64(struct csvb_wire *w, uint64_t v)
{
    return csvb_wire_put(w, &v, sizeof v);
}

static enum csvb_err put_string(struct csvb_wire *w, const char *s)
{
    if (s == NULL)
        return put_u64(w, NO_STRING);
    size_t n = strlen(s);
    enum csvb_err e = put_u64(w, n);
    return e != CSVB_OK ? e : csvb_wire_put(w, s, n);
}

static bool take(struct reader *r, void *out, size_t n)
{
    if (n > r->left)
        return false;
    memcpy(out, r->p, n);
    r->p += n;
    r->left -= n;
    return true;
}

static bool take_u64(struct reader *r, uint64_t *v)
{
    return take(r, v, sizeof *v);
}

/* A string as put_string wrote it: *s NULL for none, else a new copy (caller frees). False when
 * malformed; *nomem says it was memory instead. */
static bool take_string(struct reader *r, char **s, bool *nomem)
{
    uint64_t n;
    *s = NULL;
    if (!take_u64(r, &n))
        return false;
    if (n == NO_STRING)
        return true;
    if (n > r->left)
        return false;
    if ((*s = malloc((size_t)n + 1)) == NULL) {
        *nomem = true;
        return false;
    }
    memcpy(*s, r->p, (size_t)n);
    (*s)[n] = '\0';
    r->p += n;
    r->left -= (size_t)n;
    return true;
}

enum csvb_err csvb_wire_put_jobs(struct csvb_wire *w, const struct csvb_joblist *list)
{
    enum csvb_err e = put_u64(w, list->n);
    for (size_t i = 0; e == CSVB_OK && i < list->n; i++) {
        const struct csvb_job *job = &list->jobs[i];
        struct wire_job fixed = {(int32_t)job->kind, job->named,         (int64_t)job->size,
                                 (uint64_t)job->dev, (uint64_t)job->ino, job->mtime_ns};
        if ((e = csvb_wire_put(w, &fixed, sizeof fixed)) == CSVB_OK &&
            (e = put_string(w, job->path)) == CSVB_OK &&
            (e = put_string(w, job->output_path)) == CSVB_OK &&
            (e = put_string(w, job->rejects_path)) == CSVB_OK)
            e = put_string(w, job->reason);
    }
    return e;
}

/* Job i from r into job (zeroed). */
static bool take_job(struct reader *r, struct csvb_job *job, bool *nomem)
{
    struct wire_job fixed;
    if (!take(r, &fixed, sizeof fixed) || fixed.kind < CSVB_JOB_RUN ||
        fixed.kind > CSVB_JOB_UNCHANGED)
        return false;
    job->kind = (enum csvb_job_kind)fixed.kind;
    job->named = fixed.named != 0;
    job->size = (off_t)fixed.size;
    job->dev = (dev_t)fixed.dev;
    job->ino = (ino_t)fixed.ino;
    job->mtime_ns = fixed.mtime_ns;
    return take_string(r, &job->path, nomem) && job->path != NULL &&
           take_string(r, &job->output_path, nomem) && take_string(r, &job->rejects_path, nomem) &&
           take_string(r, &job->reason, nomem);
}

enum csvb_err csvb_wire_get_jobs(const unsigned char *data, size_t len, struct csvb_joblist *list,
                                 struct csvb_diag *d)
{
    struct reader r = {data, len};
    uint64_t n;
    bool nomem = false;
    memset(list, 0, sizeof *list);
    if (!take_u64(&r, &n) || n > len / sizeof(struct wire_job))
        return csvb_diag_set(d, CSVB_E_IO, 0, "job list message: bad job count");
    if (n > 0 && (list->jobs = calloc((size_t)n, sizeof *list->jobs)) == NULL)
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    list->cap = (size_t)n;
    for (size_t i = 0; i < n; i++) {
        list->n = i + 1; /* what take_job allocated is freed by csvb_joblist_fini */
        if (!take_job(&r, &list->jobs[i], &nomem))
            return nomem ? csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory")
                         : csvb_diag_set(d, CSVB_E_IO, 0, "job list message: job %zu malformed", i);
    }
    if (r.left != 0)
        return csvb_diag_set(d, CSVB_E_IO, 0, "job list message: %zu bytes past the end", r.left);
    return CSVB_OK;
}

enum csvb_err csvb_wire_put_result(struct csvb_wire *w, const struct csvb_result *res)
{
    struct csvb_result fixed = *res;
    memset(&fixed.preview, 0, sizeof fixed.preview); /* its pointers mean nothing elsewhere */
    enum csvb_err e = csvb_wire_put(w, &fixed, sizeof fixed);
    if (e == CSVB_OK)
        e = put_u64(w, res->preview.n);
    for (size_t k = 0; e == CSVB_OK && k < res->preview.n; k++) {
        const struct csvb_rowcopy *row = &res->preview.rows[k];
        if ((e = put_u64(w, row->line)) == CSVB_OK)
            e = put_u64(w, row->nfields);
        for (size_t f = 0; e == CSVB_OK && f < row->nfields; f++)
            if ((e = put_u64(w, row->fields[f].len)) == CSVB_OK)
                e = csvb_wire_put(w, row->fields[f].ptr, row->fields[f].len);
    }
    return e;
}

/* One preview row from r, appended to rows. */
static enum csvb_err take_row(struct reader *r, struct csvb_rows *rows)
{
    uint64_t line, nfields;
    if (!take_u64(r, &line) || !take_u64(r, &nfields) || nfields > r->left / sizeof(uint64_t))
        return CSVB_E_IO;
    struct csvb_field *fields = calloc((size_t)nfields + 1, sizeof *fields);
    if (fields == NULL)
        return CSVB_E_NOMEM;
    enum csvb_err e = CSVB_OK;
    for (size_t f = 0; e == CSVB_OK && f < nfields; f++) {
        uint64_t n;
        if (!take_u64(r, &n) || n > r->left) {
            e = CSVB_E_IO;
            break;
        }
        fields[f] = (struct csvb_field){(const char *)r->p, (size_t)n}; /* borrowed */
        r->p += n;
        r->left -= (size_t)n;
    }
    struct csvb_row row = {fields, (size_t)nfields, (unsigned long)line};
    if (e == CSVB_OK)
        e = csvb_rows_append(rows, &row);
    free(fields);
    return e;
}

enum csvb_err csvb_wire_get_result(const unsigned char *data, size_t len, struct csvb_result *res,
                                   size_t *used, struct csvb_diag *d)
{
    struct reader r = {data, len};
    uint64_t nrows;
    enum csvb_err e = CSVB_E_IO;
    csvb_result_fini(res);
    csvb_result_init(res);
    if (!take(&r, res, sizeof *res))
        goto out;
    csvb_rows_init(&res->preview); /* the sender's pointers, cleared by the sender too */
    if (!take_u64(&r, &nrows))
        goto out;
    e = CSVB_OK;
    for (uint64_t k = 0; e == CSVB_OK && k < nrows; k++)
        e = take_row(&r, &res->preview);
    *used = len - r.left;
out:
    if (e == CSVB_OK)
        return CSVB_OK;
    csvb_result_fini(res);
    csvb_result_init(res);
    return e == CSVB_E_NOMEM ? csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory")
                             : csvb_diag_set(d, CSVB_E_IO, 0, "result message malformed");
}

enum csvb_err csvb_wire_put_done(struct csvb_wire *w, size_t index, const struct csvb_result *res)
{
    enum csvb_err e = put_u64(w, index);
    return e != CSVB_OK ? e : csvb_wire_put_result(w, res);
}

enum csvb_err csvb_wire_get_done(const unsigned char *data, size_t len, size_t *index,
                                 struct csvb_result *res, size_t *used, struct csvb_diag *d)
{
    struct reader r = {data, len};
    uint64_t i;
    *index = SIZE_MAX;
    if (!take_u64(&r, &i) || i >= SIZE_MAX)
        return csvb_diag_set(d, CSVB_E_IO, 0, "result message malformed");
    *index = (size_t)i;
    enum csvb_err e = csvb_wire_get_result(r.p, r.left, res, used, d);
    if (e == CSVB_OK)
        *used += sizeof i;
    return e;
}
