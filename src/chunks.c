/* chunks.c — a big file as parallel chunks with verified boundaries, assembled in order. */
#include "csvbatch/chunks.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvbatch/cancel.h"
#include "csvbatch/clock.h"
#include "csvbatch/input.h"
#include "csvbatch/stage.h"

struct chunk {
    off_t start, end;
    struct csvb_stage stage;
    struct csvb_atomic out; /* the chunk's output, parked until assembled */
    struct csvb_result res; /* counts and diag of this chunk; lines relative to its start */
    enum csvb_err err;
    unsigned long lines;
    bool at_boundary;
};

struct csvb_chunks {
    struct csvb_input in; /* shared by every chunk: pread only; must not change while read */
    size_t n;
    struct chunk *chunks;
    struct csvb_row header; /* the file's header, parsed up front, for chunks after the first */
    struct csvb_field *header_fields;
    char *header_names;
    double start_time;
};

/* Sink that copies the first record and stops. */
static enum csvb_err take_header(void *ctx, const struct csvb_row *row, bool *stop,
                                 struct csvb_diag *d)
{
    (void)d;
    struct csvb_chunks *c = ctx;
    size_t total = 0;
    for (size_t i = 0; i < row->nfields; i++)
        total += row->fields[i].len;
    c->header_fields = calloc(row->nfields ? row->nfields : 1, sizeof *c->header_fields);
    c->header_names = malloc(total + 1);
    if (c->header_fields == NULL || c->header_names == NULL)
        return CSVB_E_NOMEM;
    size_t used = 0;
    for (size_t i = 0; i < row->nfields; i++) {
        memcpy(c->header_names + used, row->fields[i].ptr, row->fields[i].len);
        c->header_fields[i] = (struct csvb_field){c->header_names + used, row->fields[i].len};
        used += row->fields[i].len;
    }
    c->header = (struct csvb_row){c->header_fields, row->nfields, row->line};
    *stop = true;
    return CSVB_OK;
}

/* Offset just past the first LF at or after `from` (before `limit`), or -1. */
static off_t next_line_start(int fd, off_t from, off_t limit)
{
    char buf[64 * 1024];
    while (from < limit) {
        size_t want = (size_t)(limit - from) < sizeof buf ? (size_t)(limit - from) : sizeof buf;
        ssize_t n = pread(fd, buf, want, from);
        if (n <= 0)
            return -1;
        char *nl = memchr(buf, '\n', (size_t)n);
        if (nl != NULL)
            return from + (nl - buf) + 1;
        from += n;
    }
    return -1;
}

static void chunks_free(struct csvb_chunks *c)
{
    if (c == NULL)
        return;
    csvb_input_close(&c->in);
    for (size_t k = 0; k < c->n; k++)
        csvb_atomic_abort(&c->chunks[k].out);
    free(c->chunks);
    free(c->header_fields);
    free(c->header_names);
    free(c);
}

/* Parses the header and checks it binds: otherwise the serial path reports the exact error. */
static bool read_header(const struct csvb_plan *plan, const struct csvb_job *job,
                        struct csvb_chunks *c, off_t limit)
{
    struct csvb_range_source src = {c->in.fd, 0, limit, plan->cancel};
    struct csvb_reader_stats stats = {0, 0, false, false};
    struct csvb_diag d;
    csvb_diag_init(&d);
    if (csvb_reader_run(&plan->reader, (struct csvb_source){csvb_source_range_fill, &src},
                        (struct csvb_sink){take_header, c}, &stats, &d) != CSVB_OK ||
        !stats.stopped)
        return false;
    (void)job;
    return csvb_stage_check_header(&plan->stage, &c->header, &d);
}

struct csvb_chunks *csvb_chunks_new(const struct csvb_plan *plan, const struct csvb_job *job)
{
    off_t size = job->size, chunk = (off_t)plan->chunk_size;
    if (!csvb_input_can_split(plan, job))
        return NULL;
    struct csvb_chunks *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->start_time = csvb_now();
    if (!csvb_input_open_regular(&c->in, job))
        goto serial;
    size_t n = (size_t)(size / chunk);
    c->chunks = calloc(n, sizeof *c->chunks);
    if (c->chunks == NULL)
        goto serial;
    off_t start = 0;
    for (size_t k = 0; k < n; k++) {
        off_t next = k + 1 < n ? next_line_start(c->in.fd, (off_t)(k + 1) * chunk, size) : size;
        if (next < 0 || next >= size)
            next = size;
        if (next <= start)
            continue;
        c->chunks[c->n].start = start;
        c->chunks[c->n].end = next;
        c->chunks[c->n].out = (struct csvb_atomic){-1, NULL, NULL, -1};
        c->n++;
        start = next;
        if (next == size)
            break;
    }
    if (c->n < 2 || !read_header(plan, job, c, c->chunks[0].end))
        goto serial;
    return c;
serial:
    chunks_free(c);
    return NULL;
}

size_t csvb_chunks_count(const struct csvb_chunks *c)
{
    return c->n;
}

void csvb_chunks_run(const struct csvb_plan *plan, const struct csvb_job *job,
                     struct csvb_chunks *c, size_t k)
{
    struct chunk *ch = &c->chunks[k];
    csvb_cancel_enter();
    csvb_result_init(&ch->res);
    csvb_stage_init(&ch->stage, &plan->stage, job->output_path, NULL, k == 0);
    struct csvb_reader_config cfg = plan->reader;
    cfg.deadline = plan->limits.timeout > 0 ? c->start_time + plan->limits.timeout : 0;
    cfg.strip_bom = k == 0;
    cfg.range_end = k + 1 < c->n;
    struct csvb_range_source src = {c->in.fd, ch->start, ch->end, plan->cancel};
    struct csvb_reader_stats stats = {0, 0, false, false};
    enum csvb_err e = CSVB_OK;
    if (k > 0)
        e = csvb_stage_bind(&ch->stage, &c->header, &ch->res.diag);
    if (e == CSVB_OK)
        e = csvb_reader_run(&cfg, (struct csvb_source){csvb_source_range_fill, &src},
                            (struct csvb_sink){csvb_stage_row, &ch->stage}, &stats, &ch->res.diag);
    if (e == CSVB_OK && !ch->stage.have_header)
        e = csvb_diag_set(&ch->res.diag, CSVB_E_PARSE, 1, "expected a header record");
    if (e == CSVB_OK)
        e = csvb_stage_flush(&ch->stage, &ch->res.diag);
    if (e == CSVB_OK)
        e = csvb_stage_hand_over(&ch->stage, &ch->out, &ch->res.diag);
    csvb_result_add_counts(&ch->res, &ch->stage.counts);
    ch->res.bytes_read = stats.bytes_read;
    ch->lines = stats.lines;
    ch->at_boundary = stats.at_boundary;
    ch->err = e;
    csvb_stage_fini(&ch->stage);
    csvb_cancel_leave();
}

/* Extends chunk 0's parked output with the others, in order, and commits it. */
static enum csvb_err assemble(const struct csvb_plan *plan, struct csvb_chunks *c,
                              struct csvb_diag *d)
{
    for (size_t k = 1; k < c->n; k++) {
        enum csvb_err e = csvb_atomic_append(&c->chunks[0].out, &c->chunks[k].out, d);
        if (e != CSVB_OK)
            return e;
    }
    return csvb_atomic_commit(&c->chunks[0].out, plan->fsync, d);
}

void csvb_chunks_finish(const struct csvb_plan *plan, const struct csvb_job *job,
                        struct csvb_chunks *c, struct csvb_result *res)
{
    csvb_result_init(res);
    enum csvb_err e = CSVB_OK;
    /* Verify the boundaries in order. Chunk k starts right (chunk 0 at 0, the others where
     * their predecessor was verified to end between records). When chunk k did not end between
     * records, the line feed chosen as chunk k+1's start was inside a quoted field: merge the
     * two and parse the pair again, here, from chunk k's verified start. */
    size_t k = 0;
    while (k < c->n && c->chunks[k].err == CSVB_OK) {
        struct chunk *ch = &c->chunks[k];
        if (k + 1 == c->n || ch->at_boundary) {
            k++;
            continue;
        }
        csvb_atomic_abort(&ch->out);
        csvb_atomic_abort(&c->chunks[k + 1].out);
        ch->end = c->chunks[k + 1].end;
        memmove(&c->chunks[k + 1], &c->chunks[k + 2], (c->n - k - 2) * sizeof *c->chunks);
        c->n--;
        csvb_chunks_run(plan, job, c, k);
    }
    unsigned long base = 1; /* absolute line of the current chunk's first line */
    for (size_t j = 0; j < c->n && j <= k; j++) {
        struct chunk *ch = &c->chunks[j];
        res->rows_read += ch->res.rows_read;
        res->rows_written += ch->res.rows_written;
        res->rows_rejected += ch->res.rows_rejected;
        res->bytes_read += ch->res.bytes_read;
        res->bytes_written += ch->res.bytes_written;
        if (ch->err != CSVB_OK) { /* the first error in file order: the file's error */
            e = ch->err;
            res->diag = ch->res.diag;
            if (res->diag.line > 0)
                res->diag.line += base - 1;
        }
        base += ch->lines;
    }
    if (e == CSVB_OK)
        e = csvb_input_check_unchanged(&c->in, &res->diag);
    if (e == CSVB_OK && !plan->stage.dry_run)
        e = assemble(plan, c, &res->diag);
    double start = c->start_time;
    chunks_free(c);
    csvb_result_settle(res, e, atomic_load(plan->cancel) != 0, plan->limits.timeout);
    res->seconds = csvb_now() - start;
}
