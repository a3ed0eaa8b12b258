/* chunks.c — a big file as parallel chunks: speculative starts, verified in order, linear repair.
 */
#include "csvbatch/chunks.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvbatch/cancel.h"
#include "csvbatch/clock.h"
#include "csvbatch/input.h"
#include "csvbatch/stage.h"
#include "csvbatch/text.h"

struct chunk {
    off_t start;       /* where its (latest) run began */
    off_t nominal_end; /* the next chunk's speculative start; the file size for the last */
    off_t stop;        /* finished: where its last record really ended */
    bool finished;     /* reached a record boundary at or past nominal_end, or the file's end */
    bool capped;       /* the run read at most one chunk size past nominal_end */
    struct csvb_atomic out; /* its output, parked until assembled */
    struct csvb_result res; /* counts and diag; lines relative to its start */
    enum csvb_err err;
    unsigned long lines;
    uint64_t parsed; /* bytes its runs read, all of them */
    unsigned runs;
};

struct csvb_chunks {
    struct csvb_input in; /* shared by every chunk: pread only; must not change while read */
    off_t size, chunk_size;
    size_t n;
    struct chunk *chunks;
    struct csvb_rowcopy header; /* the file's header, for the chunks after the first */
    double start_time;
};

/* Sink that copies the first record and stops. */
static enum csvb_err take_header(void *ctx, const struct csvb_row *row, bool *stop,
                                 struct csvb_diag *d)
{
    *stop = true;
    if (csvb_rowcopy_set(ctx, row) != CSVB_OK)
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
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
    for (size_t k = 0; k < c->n; k++) {
        csvb_atomic_abort(&c->chunks[k].out);
        csvb_result_fini(&c->chunks[k].res);
    }
    free(c->chunks);
    csvb_rowcopy_fini(&c->header);
    free(c);
}

/* Parses the header and checks it binds: otherwise the serial path reports the exact error. */
static bool read_header(const struct csvb_plan *plan, struct csvb_chunks *c, off_t limit)
{
    struct csvb_range_source src = {c->in.fd, 0, limit, plan->cancel};
    struct csvb_reader_stats stats = {0};
    struct csvb_diag d;
    csvb_diag_init(&d);
    if (csvb_reader_run(&plan->reader, (struct csvb_source){csvb_source_range_fill, &src},
                        (struct csvb_sink){take_header, &c->header}, &stats, &d) != CSVB_OK ||
        !stats.stopped)
        return false;
    struct csvb_row header = csvb_rowcopy_row(&c->header);
    return csvb_stage_check_header(&plan->stage, &header, &d);
}

static bool line_end_or(char c, char delimiter)
{
    return c == delimiter || c == '\n' || c == '\r';
}

/* Whether buf[0] lies inside quotes, as the first quote that tells says (0 if none does). In
 * well-formed CSV a quote followed by a byte other than a delimiter, line end or quote leaves a
 * quoted field open (it opens one, or ends a doubled pair); one preceded by such a byte leaves
 * quotes (it closes, or begins a doubled pair). Counting the quotes up to it gives the state at
 * buf[0]. Only a guess on malformed input: the chunks' verification repairs a wrong start. */
static bool starts_in_quotes(const char *buf, size_t n, char delimiter)
{
    bool odd = false;
    for (size_t i = 0; i < n; i++) {
        if (buf[i] != '"')
            continue;
        odd = !odd; /* quotes in buf[0..i] */
        bool opens = i + 1 < n && buf[i + 1] != '"' && !line_end_or(buf[i + 1], delimiter);
        bool closes = i > 0 && buf[i - 1] != '"' && !line_end_or(buf[i - 1], delimiter);
        if (opens != closes)
            return opens != odd; /* inside after it = state at buf[0] XOR odd */
    }
    return false;
}

/* Offset just past the first line feed at or after `from` that lies outside quotes, judged on
 * the 64 KiB after `from` (then any line feed), or -1 before `limit`. */
static off_t next_record_start(int fd, off_t from, off_t limit, char delimiter)
{
    char buf[64 * 1024];
    size_t want = (size_t)(limit - from) < sizeof buf ? (size_t)(limit - from) : sizeof buf;
    ssize_t n = from < limit ? pread(fd, buf, want, from) : -1;
    if (n <= 0)
        return -1;
    bool in_quotes = starts_in_quotes(buf, (size_t)n, delimiter);
    for (size_t i = 0; i < (size_t)n; i++) {
        if (buf[i] == '"')
            in_quotes = !in_quotes;
        else if (buf[i] == '\n' && !in_quotes)
            return from + (off_t)i + 1;
    }
    return next_line_start(fd, from + n, limit);
}

/* The speculative starts: after the first line feed outside quotes (as far as the bytes there
 * tell) at or after each multiple of the size. */
static bool plan_starts(struct csvb_chunks *c, char delimiter)
{
    size_t n = (size_t)(c->size / c->chunk_size);
    if ((c->chunks = calloc(n, sizeof *c->chunks)) == NULL)
        return false;
    off_t start = 0;
    for (size_t k = 0; k < n && start < c->size; k++) {
        off_t next = k + 1 < n ? next_record_start(c->in.fd, (off_t)(k + 1) * c->chunk_size,
                                                   c->size, delimiter)
                               : c->size;
        if (next < 0 || next >= c->size)
            next = c->size;
        if (next <= start)
            continue;
        struct chunk *ch = &c->chunks[c->n++];
        ch->start = start;
        ch->nominal_end = next;
        ch->out = (struct csvb_atomic){-1, NULL, NULL, -1};
        start = next;
    }
    return c->n >= 2;
}

struct csvb_chunks *csvb_chunks_new(const struct csvb_plan *plan, const struct csvb_job *job)
{
    if (!csvb_input_can_split(plan, job))
        return NULL;
    struct csvb_chunks *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->start_time = csvb_now();
    c->size = job->size;
    c->chunk_size = (off_t)plan->chunk_size;
    csvb_rowcopy_init(&c->header);
    if (!csvb_input_open_regular(&c->in, job) || !plan_starts(c, plan->reader.delimiter) ||
        !read_header(plan, c, c->chunks[0].nominal_end)) {
        chunks_free(c);
        return NULL;
    }
    return c;
}

size_t csvb_chunks_count(const struct csvb_chunks *c)
{
    return c->n;
}

/* Runs chunk k from `from`: through its nominal end to the end of the record straddling it.
 * capped: a speculative run, reading at most one chunk size past the nominal end. */
static void run_from(const struct csvb_plan *plan, const struct csvb_job *job,
                     struct csvb_chunks *c, size_t k, off_t from, bool capped)
{
    struct chunk *ch = &c->chunks[k];
    bool last = k + 1 == c->n;
    off_t limit = last || !capped ? c->size : ch->nominal_end + c->chunk_size;
    if (limit > c->size)
        limit = c->size;
    csvb_atomic_abort(&ch->out);
    csvb_result_fini(&ch->res);
    csvb_result_init(&ch->res);
    ch->start = from;
    ch->capped = capped;
    struct csvb_stage stage;
    csvb_stage_init(&stage, &plan->stage, job->output_path, NULL, k == 0);
    struct csvb_reader_config cfg = plan->reader;
    /* Reads no more than a chunk at a time: a run stops soon after its nominal end, and what it
     * read beyond that would be read again by the next chunk. */
    if (cfg.block_size > (size_t)c->chunk_size)
        cfg.block_size = (size_t)c->chunk_size;
    cfg.deadline = plan->limits.timeout > 0 ? c->start_time + plan->limits.timeout : 0;
    cfg.strip_bom = from == 0;
    cfg.range_end = limit < c->size;                                /* no end-of-file checks */
    cfg.stop_after = last ? 0 : (uint64_t)(ch->nominal_end - from); /* > 0: from < nominal_end */
    struct csvb_range_source src = {c->in.fd, from, limit, plan->cancel};
    struct csvb_reader_stats stats = {0};
    struct csvb_row header = csvb_rowcopy_row(&c->header);
    enum csvb_err e = k > 0 ? csvb_stage_bind(&stage, &header, &ch->res.diag) : CSVB_OK;
    if (e == CSVB_OK)
        e = csvb_reader_run(&cfg, (struct csvb_source){csvb_source_range_fill, &src},
                            (struct csvb_sink){csvb_stage_row, &stage}, &stats, &ch->res.diag);
    if (e == CSVB_OK && !stage.have_header)
        e = csvb_diag_set(&ch->res.diag, CSVB_E_PARSE, 1, "expected a header record");
    ch->finished = stats.stop_offset > 0 || (e == CSVB_OK && limit == c->size);
    ch->stop = stats.stop_offset > 0 ? from + (off_t)stats.stop_offset : limit;
    if (e == CSVB_OK && ch->finished && (e = csvb_stage_flush(&stage, &ch->res.diag)) == CSVB_OK)
        e = csvb_stage_hand_over(&stage, &ch->out, &ch->res.diag);
    csvb_result_add_counts(&ch->res, &stage.counts);
    csvb_stage_fini(&stage);
    ch->res.bytes_read = (uint64_t)(ch->stop - from);
    ch->lines = stats.lines;
    ch->err = e;
    ch->parsed += stats.bytes_read;
    ch->runs++;
}

void csvb_chunks_run(const struct csvb_plan *plan, const struct csvb_job *job,
                     struct csvb_chunks *c, size_t k)
{
    csvb_cancel_enter();
    run_from(plan, job, c, k, c->chunks[k].start, true);
    csvb_cancel_leave();
}

/* Extends the first kept chunk's parked output with the other kept ones, in order, and commits
 * it. */
static enum csvb_err assemble(const struct csvb_plan *plan, struct csvb_chunks *c,
                              struct csvb_diag *d)
{
    for (size_t k = 1; k < c->n; k++) {
        if (c->chunks[k].out.tmp_path == NULL)
            continue; /* its territory belonged to an earlier chunk's record */
        enum csvb_err e = csvb_atomic_append(&c->chunks[0].out, &c->chunks[k].out, d);
        if (e != CSVB_OK)
            return e;
    }
    return csvb_atomic_commit(&c->chunks[0].out, plan->fsync, d);
}

/* Verifies the chunks in file order (`at`: where the next record really starts), parsing again
 * from `at` only a chunk that started elsewhere or did not finish its straddling record within
 * the cap. Fills res with the counts of the kept chunks; returns the first error. */
static enum csvb_err verify(const struct csvb_plan *plan, const struct csvb_job *job,
                            struct csvb_chunks *c, struct csvb_result *res)
{
    off_t at = 0;
    unsigned long base = 1; /* absolute line of the next kept chunk's first line */
    for (size_t k = 0; k < c->n; k++) {
        struct chunk *ch = &c->chunks[k];
        if (k > 0 && at >= ch->nominal_end) { /* swallowed by an earlier chunk's last record */
            csvb_atomic_abort(&ch->out);
            continue;
        }
        if (ch->start != at || (ch->err == CSVB_OK && !ch->finished)) {
            csvb_cancel_enter();
            run_from(plan, job, c, k, at, false);
            csvb_cancel_leave();
        }
        res->rows_read += ch->res.rows_read;
        res->rows_written += ch->res.rows_written;
        res->rows_rejected += ch->res.rows_rejected;
        res->bytes_read += ch->res.bytes_read;
        res->bytes_written += ch->res.bytes_written;
        if (ch->err != CSVB_OK) {
            res->diag = ch->res.diag;
            if (res->diag.line > 0)
                res->diag.line += base - 1;
            return ch->err;
        }
        base += ch->lines;
        at = ch->stop;
    }
    return CSVB_OK;
}

void csvb_chunks_finish(const struct csvb_plan *plan, const struct csvb_job *job,
                        struct csvb_chunks *c, struct csvb_result *res)
{
    csvb_result_init(res);
    enum csvb_err e = verify(plan, job, c, res);
    if (e == CSVB_OK)
        e = csvb_input_check_unchanged(&c->in, &res->diag);
    if (e == CSVB_OK && !plan->stage.dry_run)
        e = assemble(plan, c, &res->diag);
    for (size_t k = 0; k < c->n; k++) {
        res->bytes_parsed += c->chunks[k].parsed;
        res->parse_runs += c->chunks[k].runs;
    }
    double start = c->start_time;
    chunks_free(c);
    csvb_result_settle(res, e, atomic_load(plan->cancel) != 0, plan->limits.timeout);
    res->seconds = csvb_now() - start;
}
