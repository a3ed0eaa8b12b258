/* chunks.c — a big file as parallel chunks: speculative starts, verified in order, linear repair.
 * Over the 400-line budget (531): the runs, the take-over, the verification and the assembly are
 * one protocol whose invariants (chunks.h) span all four; split, each part would restate them.
 * Where chunks start (pure functions of the bytes) is chunk_starts.c. */
#include "csvbatch/chunks.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvbatch/cancel.h"
#include "csvbatch/chunk_starts.h"
#include "csvbatch/clock.h"
#include "csvbatch/hints.h"
#include "csvbatch/input.h"
#include "csvbatch/sniff.h"
#include "csvbatch/stage.h"
#include "csvbatch/text.h"

struct chunk {
    off_t start;       /* where its (latest) run began */
    off_t nominal_end; /* the next chunk's speculative start; the file size for the last */
    off_t stop;        /* finished: where its last record really ended */
    bool finished;     /* reached a record boundary at or past nominal_end, or the file's end */
    bool capped;       /* the run read at most one chunk size past nominal_end */
    bool serial;       /* the run read the serial path's blocks (RUN_SERIAL) */
    struct csvb_atomic out; /* its output, parked until assembled */
    bool direct;            /* its run took over: it writes at the end of the output itself */
    off_t direct_at;        /* direct: where the output ended before its bytes */
    struct csvb_result res; /* counts and diag; lines relative to its start */
    enum csvb_err err;
    unsigned long lines;
    uint64_t parsed; /* bytes its runs read, all of them */
    unsigned runs;
    struct csvb_reader_stats why; /* err's reader failure (offset from the file's start): hints */
    bool width_failed;            /* its error is a field count (hints ask the sniffer) */
    bool width_short;             /* ... of a record narrower than the header */
    _Atomic bool ran;             /* its speculative run is over: the verifier may take it */
};

/* The verification in file order, advanced by whichever thread holds `lock` as soon as the
 * next chunk has run, so that checking and assembling overlap the runs still going. */
struct verifier {
    pthread_mutex_t lock;
    _Atomic bool kick;  /* a chunk ran while the lock was held: look again */
    size_t next;        /* chunks[0..next) are verified (kept ones appended to chunk 0's output) */
    off_t at;           /* where the next record really starts */
    unsigned long base; /* absolute line of the next kept chunk's first line */
    enum csvb_err err;  /* the first error in file order: verification stops there */
    uint64_t copied;    /* CSV bytes of chunk outputs copied from temp files */
    struct csvb_result acc;       /* the kept chunks' counts; the error */
    struct csvb_reader_stats why; /* the error's reader failure */
};

struct csvb_chunks {
    struct csvb_input in; /* shared by every chunk: pread only; must not change while read */
    bool width_failed;    /* the failure verify kept is a field count (hints ask about comments) */
    off_t size;
    off_t chunk_size; /* the first chunk's (the biggest): --chunk-size or more, n <= max_chunks */
    size_t n;
    struct chunk *chunks;
    struct csvb_rowcopy header; /* the file's header, for the chunks after the first */
    struct csvb_sniff sniff;    /* of the file's first bytes, once, before any chunk runs */
    char *sample;               /* those bytes, for a failure's hint */
    size_t sample_len;
    struct csvb_reader_config reader; /* the plan's, with the file's delimiter */
    struct csvb_stage_config stage;
    double start_time;
    _Atomic unsigned parked, parked_max; /* chunk temp files on disk now, and at most */
    _Atomic size_t claimed;              /* chunks whose speculative run has been taken up */
    _Atomic size_t settled;              /* v.next, published for runs that may take over */
    struct verifier v;
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

/* Past a chunk's nominal end, reads of this size finish the record straddling it. */
#define TAIL_READ ((size_t)64 << 10)

/* A range source whose first read stops at `first_end` (csvb_chunk_serial_block_end), or whose
 * reads stop at `soft_end` (a chunk's nominal end) and go on from there in TAIL_READ steps: a run
 * reads, checks and scans only what it delivers, not up to a block past its end (the next chunk's).
 */
struct aligned_source {
    struct csvb_range_source range;
    off_t first_end; /* 0 once the first read is done */
    off_t soft_end;  /* 0: none */
};

static long aligned_fill(void *ctx, char *dst, size_t cap)
{
    struct aligned_source *s = ctx;
    if (s->first_end > s->range.pos && (off_t)cap > s->first_end - s->range.pos)
        cap = (size_t)(s->first_end - s->range.pos);
    s->first_end = 0;
    if (s->soft_end > s->range.pos && (off_t)cap > s->soft_end - s->range.pos)
        cap = (size_t)(s->soft_end - s->range.pos);
    else if (s->soft_end > 0 && s->soft_end <= s->range.pos && cap > TAIL_READ)
        cap = TAIL_READ;
    return csvb_source_range_fill(&s->range, dst, cap);
}

/* Removes chunk ch's parked temp file, if any. */
static void drop_parked(struct csvb_chunks *c, struct chunk *ch)
{
    if (ch->out.tmp_path == NULL)
        return;
    csvb_atomic_abort(&ch->out);
    atomic_fetch_sub(&c->parked, 1);
}

static void count_parked(struct csvb_chunks *c)
{
    unsigned now = atomic_fetch_add(&c->parked, 1) + 1;
    unsigned max = atomic_load(&c->parked_max);
    while (now > max && !atomic_compare_exchange_weak(&c->parked_max, &max, now))
        ;
}

static void chunks_free(struct csvb_chunks *c)
{
    if (c == NULL)
        return;
    csvb_input_close(&c->in);
    for (size_t k = 0; k < c->n; k++) {
        drop_parked(c, &c->chunks[k]);
        csvb_result_fini(&c->chunks[k].res);
    }
    free(c->chunks);
    free(c->sample);
    csvb_rowcopy_fini(&c->header);
    pthread_mutex_destroy(&c->v.lock);
    csvb_result_fini(&c->v.acc);
    free(c);
}

/* Parses the header and checks it binds: otherwise the serial path reports the exact error. */
static bool read_header(const struct csvb_plan *plan, struct csvb_chunks *c, off_t limit)
{
    struct csvb_range_source src = {c->in.fd, 0, limit, plan->cancel};
    struct csvb_reader_stats stats = {0};
    struct csvb_diag d;
    csvb_diag_init(&d);
    if (csvb_reader_run(&c->reader, (struct csvb_source){csvb_source_range_fill, &src},
                        (struct csvb_sink){take_header, &c->header}, &stats, &d) != CSVB_OK ||
        !stats.stopped)
        return false;
    struct csvb_row header = csvb_rowcopy_row(&c->header);
    return csvb_stage_check_header(&c->stage, &header, &d);
}

/* The speculative starts: after the first line feed outside quotes (as far as the bytes there
 * tell) at or after each chunk's nominal start (csvb_chunk_nominal), their number first cut to
 * max_chunks: memory, temp files and tasks are bounded by max_chunks whatever --chunk-size is. */
static bool plan_starts(struct csvb_chunks *c, size_t max_chunks, char delimiter)
{
    off_t n = c->size / c->chunk_size;
    if (max_chunks >= 2 && n > (off_t)max_chunks)
        n = (off_t)max_chunks;
    size_t threads = max_chunks / CSVB_CHUNKS_PER_THREAD;
    c->chunk_size = csvb_chunk_nominal(c->size, (size_t)n, threads, 1);
    if ((c->chunks = calloc((size_t)n, sizeof *c->chunks)) == NULL)
        return false;
    off_t start = 0;
    for (off_t k = 0; k < n && start < c->size; k++) {
        off_t next = k + 1 < n ? csvb_chunk_record_start(
                                     c->in.fd,
                                     csvb_chunk_nominal(c->size, (size_t)n, threads, (size_t)k + 1),
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

/* The file's delimiter, from its first bytes, whatever the chunks: as a whole run would sniff. */
static bool sniff_file(const struct csvb_plan *plan, const struct csvb_job *job,
                       struct csvb_chunks *c)
{
    char *buf = malloc(CSVB_SNIFF_SAMPLE);
    if (buf == NULL)
        return false;
    size_t len = 0;
    while (len < CSVB_SNIFF_SAMPLE) {
        ssize_t n = pread(c->in.fd, buf + len, CSVB_SNIFF_SAMPLE - len, (off_t)len);
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    bool complete = (off_t)len >= c->size;
    char ext = csvb_sniff_ext_delimiter(job->path);
    c->sample = buf;
    c->sample_len = len;
    /* A preamble to skip (--skip-lines auto): lines are counted from the file's start, so the
     * file is read whole, as with --skip-lines N (plan.c) */
    if (!plan->skip_auto)
        csvb_sniff_sample(buf, len, complete, ext, &c->sniff);
    else if (csvb_sniff_auto_skip(buf, len, complete, ext, plan->reader.delimiter, &c->sniff) > 0)
        return false;
    char delimiter = plan->reader.delimiter != '\0' ? plan->reader.delimiter : c->sniff.delimiter;
    /* An escape or comment character (--escape auto, --comment auto found one): escaped quotes
     * and comment lines hide where records end from the chunk planner, so the file is read
     * whole, as with --escape CHAR or --comment CHAR (plan.c) */
    char escape = '\0', comment = '\0';
    size_t from = csvb_sniff_skip(buf, len, 0);
    csvb_sniff_extras(buf + from, len - from, complete, delimiter, plan->escape_auto,
                      plan->comment_auto, &escape, &comment);
    if (escape != '\0' || comment != '\0')
        return false;
    csvb_plan_dialect(plan, delimiter, &c->reader, &c->stage);
    return true;
}

struct csvb_chunks *csvb_chunks_new(const struct csvb_plan *plan, const struct csvb_job *job,
                                    size_t max_chunks)
{
    if (!csvb_input_can_split(plan, job))
        return NULL;
    struct csvb_chunks *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->start_time = csvb_now();
    pthread_mutex_init(&c->v.lock, NULL);
    csvb_result_init(&c->v.acc);
    c->v.base = 1;
    c->size = job->size;
    c->chunk_size = (off_t)plan->chunk_size;
    csvb_rowcopy_init(&c->header);
    if (!csvb_input_open_regular(&c->in, job) || !sniff_file(plan, job, c) ||
        !plan_starts(c, max_chunks, c->reader.delimiter) ||
        !read_header(plan, c, c->chunks[0].nominal_end)) {
        chunks_free(c);
        return NULL;
    }
    return c;
}

size_t csvb_chunks_max(int threads)
{
    size_t n = threads > 0 ? (size_t)threads * CSVB_CHUNKS_PER_THREAD : 2;
    return n < 2 ? 2 : n > CSVB_CHUNKS_MAX ? CSVB_CHUNKS_MAX : n;
}

size_t csvb_chunks_count(const struct csvb_chunks *c)
{
    return c->n;
}

/* The three ways a chunk is run (see chunks.h). */
enum run_kind {
    RUN_SPECULATIVE, /* from its speculative start, at most one chunk size past its nominal end */
    RUN_EXACT,       /* from its true start, to the end of the record straddling its end */
    RUN_SERIAL       /* the same, reading the blocks the serial path reads (a failure's rerun) */
};

/* Rows between two looks at whether a running chunk may take over the output. */
#define TAKE_OVER_ROWS 1024

/* A chunk's speculative run: its stage, and whether (and when) to look at taking over. */
struct chunk_sink {
    struct csvb_stage *stage;
    struct csvb_chunks *c;
    size_t k;
    bool writeback;     /* the output will be fsynced */
    unsigned countdown; /* rows to the next look; 0 = no more looks */
};

/* Called with the lock held by chunk k's own run, when every chunk before it is verified and
 * appended: a run that started where the record before it really ended (so it will be kept)
 * stops writing its temp file and goes on at the end of the output itself. What its temp file
 * holds so far is copied there first; the rest, and the copying of it, is saved. */
static enum csvb_err take_over(struct chunk_sink *s, struct csvb_diag *d)
{
    struct csvb_chunks *c = s->c;
    struct chunk *ch = &c->chunks[s->k];
    struct csvb_atomic *out = &c->chunks[0].out;
    if (c->v.next != s->k || c->v.err != CSVB_OK || ch->start != c->v.at || out->tmp_path == NULL ||
        !csvb_stage_can_redirect(s->stage))
        return CSVB_OK;
    s->countdown = 0;
    uint64_t had = s->stage->writer.flushed; /* bytes in its temp file */
    enum csvb_err e = csvb_stage_redirect(s->stage, out, s->writeback, d);
    off_t end = e == CSVB_OK ? lseek(out->fd, 0, SEEK_CUR) : 0;
    if (e == CSVB_OK && end < 0) /* errno is lseek's */
        e = csvb_diag_errno(d, CSVB_E_IO, errno, "cannot write %s", out->final_path);
    else if (e == CSVB_OK && end < (off_t)had) /* no errno: the bytes are not where they went */
        e = csvb_diag_set(d, CSVB_E_IO, 0,
                          "cannot write %s: it holds %lld bytes after appending %llu",
                          out->final_path, (long long)end, (unsigned long long)had);
    if (e == CSVB_OK) {
        ch->direct = true;
        ch->direct_at = end - (off_t)had;
        c->v.copied += had;
    }
    return e;
}

/* The reader sink of a speculative run: the stage's, and every TAKE_OVER_ROWS rows, once the
 * chunks before it are settled, a try at taking over (never waiting for the lock). */
static enum csvb_err chunk_row(void *ctx, const struct csvb_row *row, bool *stop,
                               struct csvb_diag *d)
{
    struct chunk_sink *s = ctx;
    enum csvb_err e = csvb_stage_row(s->stage, row, stop, d);
    if (e != CSVB_OK || s->countdown == 0 || --s->countdown > 0)
        return e;
    s->countdown = TAKE_OVER_ROWS;
    if (atomic_load_explicit(&s->c->settled, memory_order_acquire) != s->k ||
        pthread_mutex_trylock(&s->c->v.lock) != 0)
        return CSVB_OK;
    e = take_over(s, d);
    pthread_mutex_unlock(&s->c->v.lock);
    return e;
}

/* Runs chunk k from `from`: through its nominal end to the end of the record straddling it. */
static void run_from(const struct csvb_plan *plan, const struct csvb_job *job,
                     struct csvb_chunks *c, size_t k, off_t from, enum run_kind kind)
{
    struct chunk *ch = &c->chunks[k];
    bool last = k + 1 == c->n;
    if (kind == RUN_EXACT && from == 0)
        kind = RUN_SERIAL; /* from the start, reading as the serial path costs nothing more */
    off_t limit = last || kind != RUN_SPECULATIVE ? c->size : ch->nominal_end + c->chunk_size;
    if (limit > c->size)
        limit = c->size;
    drop_parked(c, ch);
    csvb_result_fini(&ch->res);
    csvb_result_init(&ch->res);
    ch->start = from;
    ch->direct = false; /* a run again starts a temp file of its own (verify_one cut the bytes) */
    ch->capped = kind == RUN_SPECULATIVE;
    ch->serial = kind == RUN_SERIAL;
    struct csvb_stage stage;
    struct csvb_stage_config scfg = c->stage;
    /* Only the first chunk's temp file becomes the output: the others are copied into it, then
     * removed, so writing them out to disk early would only be wasted I/O. */
    scfg.writeback = scfg.writeback && k == 0;
    csvb_stage_init(&stage, &scfg, job->output_path, NULL, k == 0);
    struct csvb_reader_config cfg = c->reader;
    struct aligned_source src = {{c->in.fd, from, limit, plan->cancel}, 0, 0};
    /* The serial path's blocks, so that a failure reads (and reports) what it read; otherwise no
     * more than a chunk at a time: a run stops soon after its nominal end, and what it read
     * beyond that would be read again by the next chunk. */
    if (kind == RUN_SERIAL)
        src.first_end = csvb_chunk_serial_block_end(c->in.fd, (off_t)cfg.block_size, from);
    else if (cfg.block_size > (size_t)c->chunk_size)
        cfg.block_size = (size_t)c->chunk_size;
    if (kind != RUN_SERIAL && !last)
        src.soft_end = ch->nominal_end;
    cfg.deadline = plan->limits.timeout > 0 ? c->start_time + plan->limits.timeout : 0;
    cfg.strip_bom = from == 0;
    cfg.range_end = limit < c->size;                                /* no end-of-file checks */
    cfg.stop_after = last ? 0 : (uint64_t)(ch->nominal_end - from); /* > 0: from < nominal_end */
    struct csvb_reader_stats stats = {0};
    struct csvb_row header = csvb_rowcopy_row(&c->header);
    /* A speculative run may take over the output (take_over); the first look is at its first
     * row, so that a chunk whose turn has come (always, on one thread) writes no temp file. */
    struct chunk_sink sink = {&stage, c, k, c->stage.writeback,
                              kind == RUN_SPECULATIVE && k > 0 && !c->stage.dry_run ? 1u : 0u};
    enum csvb_err e = k > 0 ? csvb_stage_bind(&stage, &header, &ch->res.diag) : CSVB_OK;
    if (e == CSVB_OK)
        e = csvb_reader_run(&cfg, (struct csvb_source){aligned_fill, &src},
                            (struct csvb_sink){chunk_row, &sink}, &stats, &ch->res.diag);
    if (e == CSVB_OK && !stage.have_header)
        e = csvb_diag_set(&ch->res.diag, CSVB_E_PARSE, 1, "expected a header record");
    ch->finished = stats.stop_offset > 0 || (e == CSVB_OK && limit == c->size);
    ch->stop = stats.stop_offset > 0 ? from + (off_t)stats.stop_offset : limit;
    if (e == CSVB_OK && ch->finished && (e = csvb_stage_flush(&stage, &ch->res.diag)) == CSVB_OK &&
        (e = csvb_stage_hand_over(&stage, &ch->out, &ch->res.diag)) == CSVB_OK &&
        ch->out.tmp_path != NULL) /* none for a direct run, or in a dry run */
        count_parked(c);
    csvb_result_add_counts(&ch->res, &stage.counts);
    ch->res.rows_padded += stage.rows_padded;
    csvb_stage_fini(&stage);
    /* A failure counts what was read, as the serial path does (a RUN_SERIAL run: its bytes). */
    ch->res.bytes_read = e == CSVB_OK ? (uint64_t)(ch->stop - from) : stats.bytes_read;
    ch->width_failed = stage.width_failed;
    ch->width_short = stage.width_short;
    ch->lines = stats.lines;
    ch->err = e;
    ch->why = stats;
    ch->why.failure_offset += (uint64_t)from;
    ch->parsed += stats.bytes_read;
    ch->runs++;
}

/* Checks chunks[k] (verifier.next) against where the record before it ended, runs it again
 * from there when it started elsewhere or did not finish its straddling record within the cap,
 * and once more as the serial path reads when it failed; then appends a kept chunk's output to
 * the first chunk's. Caller holds the lock; chunks[k] has run. */
static void verify_one(const struct csvb_plan *plan, const struct csvb_job *job,
                       struct csvb_chunks *c, size_t k)
{
    struct verifier *v = &c->v;
    struct chunk *ch = &c->chunks[k];
    if (k > 0 && v->at >= ch->nominal_end) { /* swallowed by an earlier chunk's last record */
        drop_parked(c, ch);
        return;
    }
    bool exact = ch->start != v->at || (ch->err == CSVB_OK && !ch->finished);
    if (ch->direct && (exact || ch->err != CSVB_OK)) {
        /* Its bytes in the output are cut off: a run again writes a temp file of its own. */
        int fd = c->chunks[0].out.fd;
        ch->direct = false;
        if (ftruncate(fd, ch->direct_at) != 0 || lseek(fd, ch->direct_at, SEEK_SET) < 0) {
            v->err = csvb_diag_errno(&v->acc.diag, CSVB_E_IO, errno, "cannot write %s",
                                     c->chunks[0].out.final_path);
            return;
        }
    }
    if (exact || (ch->err != CSVB_OK && !ch->serial)) {
        csvb_cancel_enter();
        if (exact)
            run_from(plan, job, c, k, v->at, RUN_EXACT);
        if (ch->err != CSVB_OK && !ch->serial)
            run_from(plan, job, c, k, v->at, RUN_SERIAL);
        csvb_cancel_leave();
    }
    struct csvb_result *acc = &v->acc;
    acc->rows_read += ch->res.rows_read;
    acc->rows_written += ch->res.rows_written;
    acc->rows_rejected += ch->res.rows_rejected;
    acc->rows_padded += ch->res.rows_padded;
    acc->bytes_read += ch->res.bytes_read;
    acc->bytes_written += ch->res.bytes_written;
    if (ch->err != CSVB_OK) {
        acc->diag = ch->res.diag;
        if (acc->diag.line > 0)
            acc->diag.line += v->base - 1;
        v->why = ch->why;
        struct csvb_sniff_bytes bytes = {c->sample, c->sample_len, (off_t)c->sample_len >= c->size};
        c->width_failed = ch->width_failed;
        if (ch->width_failed)
            csvb_sniff_hint(&c->sniff, &bytes, c->reader.delimiter,
                            csvb_sniff_ext_delimiter(job->path), plan->reader.delimiter != '\0',
                            ch->width_short, plan->reader.skip_lines, &acc->diag);
        v->err = ch->err;
        return;
    }
    v->base += ch->lines;
    v->at = ch->stop;
    if (k > 0 && ch->out.tmp_path != NULL) { /* none in a dry run, nor for a direct run */
        v->copied += ch->res.bytes_written;
        v->err = csvb_atomic_append(&c->chunks[0].out, &ch->out, plan->fsync, &acc->diag);
        atomic_fetch_sub(&c->parked, 1); /* consumed either way */
    }
}

/* Verifies (and assembles) the chunks that have run, in file order, as far as they go. Never
 * waits for the lock: a thread that finds it taken leaves a kick, which its holder sees before
 * it lets go, so no chunk that has run is left unverified. */
static void verify_ready(const struct csvb_plan *plan, const struct csvb_job *job,
                         struct csvb_chunks *c)
{
    struct verifier *v = &c->v;
    atomic_store(&v->kick, true);
    while (atomic_load(&v->kick) && pthread_mutex_trylock(&v->lock) == 0) {
        atomic_store(&v->kick, false);
        while (v->err == CSVB_OK && v->next < c->n && atomic_load(&c->chunks[v->next].ran)) {
            verify_one(plan, job, c, v->next++);
            atomic_store_explicit(&c->settled, v->next, memory_order_release);
        }
        pthread_mutex_unlock(&v->lock);
    }
}

void csvb_chunks_run(const struct csvb_plan *plan, const struct csvb_job *job,
                     struct csvb_chunks *c)
{
    size_t k = atomic_fetch_add(&c->claimed, 1);
    if (k >= c->n)
        return;
    csvb_cancel_enter();
    run_from(plan, job, c, k, c->chunks[k].start, RUN_SPECULATIVE);
    csvb_cancel_leave();
    atomic_store(&c->chunks[k].ran, true);
    verify_ready(plan, job, c);
}

/* The verification's end, once every chunk has run: the rest verified; res filled with the
 * kept chunks' counts; returns the first error. */
static enum csvb_err verify(const struct csvb_plan *plan, const struct csvb_job *job,
                            struct csvb_chunks *c, struct csvb_result *res,
                            struct csvb_reader_stats *why)
{
    struct verifier *v = &c->v;
    pthread_mutex_lock(&v->lock); /* a last verify_ready may still hold it */
    while (v->err == CSVB_OK && v->next < c->n)
        verify_one(plan, job, c, v->next++);
    res->bytes_copied = v->copied;
    pthread_mutex_unlock(&v->lock);
    res->rows_read = v->acc.rows_read;
    res->rows_written = v->acc.rows_written;
    res->rows_rejected = v->acc.rows_rejected;
    res->rows_padded = v->acc.rows_padded;
    res->bytes_read = v->acc.bytes_read;
    res->bytes_written = v->acc.bytes_written;
    res->diag = v->acc.diag;
    *why = v->why;
    return v->err;
}

void csvb_chunks_finish(const struct csvb_plan *plan, const struct csvb_job *job,
                        struct csvb_chunks *c, struct csvb_result *res)
{
    csvb_result_init(res);
    res->dialect.delimiter = c->reader.delimiter;
    struct csvb_reader_stats why = {0};
    enum csvb_err e = verify(plan, job, c, res, &why);
    /* As the serial path: a file that changed while it was read fails for that, whatever the
     * runs saw (a cut record, a short read). */
    struct csvb_diag changed;
    csvb_diag_init(&changed);
    if (e != CSVB_E_CANCELLED && csvb_input_check_unchanged(&c->in, &changed) != CSVB_OK) {
        res->diag = changed;
        e = changed.code;
    }
    double deadline = plan->limits.timeout > 0 ? c->start_time + plan->limits.timeout : 0;
    if (e == CSVB_E_PARSE && why.failure != CSVB_READER_FAIL_NONE) /* the same hint as a serial
                                                                      run's */
        csvb_hints_explain(plan, job, &why, deadline, &res->diag);
    else if (e == CSVB_E_PARSE && c->width_failed)
        csvb_hints_explain_width(plan, job, deadline, &res->diag);
    if (e == CSVB_OK && !plan->stage.dry_run)
        e = csvb_atomic_commit(&c->chunks[0].out, plan->fsync, &res->diag);
    for (size_t k = 0; k < c->n; k++) {
        res->bytes_parsed += c->chunks[k].parsed;
        res->parse_runs += c->chunks[k].runs;
    }
    res->chunks = (unsigned)c->n;
    res->chunk_temps_max = atomic_load(&c->parked_max);
    double start = c->start_time;
    chunks_free(c);
    csvb_result_settle(res, e, atomic_load(plan->cancel) != 0, plan->limits.timeout);
    res->seconds = csvb_now() - start;
}
