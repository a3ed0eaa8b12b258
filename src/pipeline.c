/* pipeline.c — one whole file, serially: open, read, stage (filter, project, write), commit. */
#include "csvbatch/pipeline.h"

#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>

#include "csvbatch/cancel.h"
#include "csvbatch/clock.h"
#include "csvbatch/hints.h"
#include "csvbatch/input.h"
#include "csvbatch/sniff.h"
#include "csvbatch/stage.h"

/* A field-count failure that another delimiter would read names it (sniff.h): computed from
 * the sample, never guessed. */
static void width_hint(const struct csvb_plan *plan, const struct csvb_job *job,
                       const struct csvb_input *in, const struct csvb_stage *s, struct csvb_diag *d)
{
    if (!s->width_failed)
        return;
    struct csvb_sniff_bytes bytes = {in->peek.buf, in->peek.len,
                                     in->peek.ended && in->peek.err == 0};
    csvb_sniff_hint(&in->sniff, &bytes, in->delimiter, csvb_sniff_ext_delimiter(job->path),
                    plan->reader.delimiter != '\0', s->width_short, in->skip_lines, d);
}

/* One attempt at a job: how its input is opened, and what came of it. */
struct attempt {
    struct csvb_commit *pool; /* NULL: commit inline */
    int how;                  /* csvb_input_open's */
    bool queue;               /* set: the output is ready to be handed to pool */
    bool retry;               /* set: a trusted input could not be confirmed; run it again */
};

/* Reads, stages and, without a pool, commits. sc: the file's stage config (s reads it), its
 * delimiters set here once the file is sniffed. */
static enum csvb_err run(const struct csvb_plan *plan, const struct csvb_job *job,
                         struct csvb_stage *s, struct csvb_stage_config *sc, double deadline,
                         struct attempt *at, struct csvb_result *res)
{
    struct csvb_diag *d = &res->diag;
    struct csvb_input in;
    enum csvb_err e = csvb_input_open(&in, plan, job, at->how, deadline, d);
    if (e != CSVB_OK)
        return e;
    struct csvb_reader_config cfg;
    csvb_plan_dialect(plan, in.delimiter, &cfg, sc);
    cfg.skip_lines = in.skip_lines;
    cfg.escape = in.escape;
    cfg.comment = in.comment;
    sc->compress_thread = true; /* one reading thread: the compression goes beside it */
    res->dialect.delimiter = in.delimiter;
    res->dialect.skip_lines = (uint32_t)in.skip_lines;
    res->dialect.escape = in.escape;
    res->dialect.comment = in.comment;
    cfg.deadline = deadline;
    csvb_input_route_progress(&in, &cfg);
    struct csvb_reader_stats stats = {0};
    e = csvb_reader_run(&cfg, in.src, (struct csvb_sink){csvb_stage_row, s}, &stats, d);
    res->bytes_read = csvb_input_raw_bytes(&in, stats.bytes_read);
    res->compression = csvb_input_compression(&in);
    res->bytes_decompressed = csvb_input_decompressed_bytes(&in);
    e = csvb_input_explain(&in, e, stats.lines + 1, d);
    snprintf(res->dialect.encoding, sizeof res->dialect.encoding, "%s", csvb_input_encoding(&in));
    res->dialect.quotes_lenient = plan->reader.quotes_lenient;
    bool hintable = e == CSVB_E_PARSE && stats.failure != CSVB_READER_FAIL_NONE && !in.stream;
    width_hint(plan, job, &in, s, d);
    bool width_hintable = e == CSVB_E_PARSE && s->width_failed && !in.stream;
    struct csvb_diag changed;
    csvb_diag_init(&changed);
    enum csvb_err unchanged =
        e == CSVB_E_CANCELLED ? CSVB_OK
        : in.trusted
            ? csvb_input_confirm(&in, job, e == CSVB_OK, res->bytes_read, &at->retry, &changed)
            : csvb_input_check_unchanged(&in, &changed);
    if (at->retry) { /* the same descriptor, read again: a file deleted meanwhile still is */
        at->how = fcntl(in.fd, F_DUPFD_CLOEXEC, 0);
        if (at->how < 0)
            at->how = CSVB_INPUT_CHECKED;
        csvb_input_close(&in);
        return CSVB_E_IO;
    }
    if (unchanged != CSVB_OK) {
        *d = changed; /* the true cause of whatever the reader saw (a cut record...) */
        e = changed.code;
    }
    if (e == CSVB_OK)
        csvb_input_facts(&in, &res->input);
    csvb_input_close(&in);
    if (hintable && e == CSVB_E_PARSE)
        csvb_hints_explain(plan, job, &stats, deadline, d);
    else if (width_hintable && e == CSVB_E_PARSE)
        csvb_hints_explain_width(plan, job, deadline, d);
    if (e != CSVB_OK)
        return e;
    /* No header, no records (an empty file, only blank lines): read as Import-Csv, Python's csv
     * module and DuckDB read it, into an output that is empty too. */
    if (!s->have_header && (e = csvb_stage_bind_nothing(s, d)) != CSVB_OK)
        return e;
    if ((e = csvb_stage_flush(s, d)) != CSVB_OK)
        return e;
    if (at->pool == NULL || plan->stage.dry_run)
        return csvb_stage_commit(s, plan->fsync, d);
    at->queue = (e = csvb_stage_ready_to_commit(s, d)) == CSVB_OK;
    return e;
}

void csvb_pipeline_run(const struct csvb_plan *plan, const struct csvb_job *job,
                       struct csvb_result *res)
{
    csvb_pipeline_run_to(plan, job, res, NULL, (struct csvb_commit_done){NULL, NULL, 0});
}

bool csvb_pipeline_run_to(const struct csvb_plan *plan, const struct csvb_job *job,
                          struct csvb_result *res, struct csvb_commit *pool,
                          struct csvb_commit_done done)
{
    double start = csvb_now();
    csvb_result_init(res);
    struct csvb_stage s;
    struct csvb_stage_config sc = plan->stage;
    csvb_stage_init(&s, &sc, job->output_path, job->rejects_path, true);
    double deadline = plan->limits.timeout > 0 ? start + plan->limits.timeout : 0;
    struct attempt at = {
        pool, csvb_input_may_trust(plan, job) ? CSVB_INPUT_TRUST_LISTING : CSVB_INPUT_CHECKED,
        false, false};
    csvb_cancel_enter();
    enum csvb_err e = run(plan, job, &s, &sc, deadline, &at, res);
    if (at.retry) { /* rare: the file changed since it was listed, or just before the open */
        csvb_stage_fini(&s);
        csvb_result_init(res);
        sc = plan->stage;
        csvb_stage_init(&s, &sc, job->output_path, job->rejects_path, true);
        at = (struct attempt){pool, at.how, false, false};
        e = run(plan, job, &s, &sc, deadline, &at, res);
    }
    csvb_cancel_leave();
    csvb_result_add_counts(res, &s.counts);
    res->rows_padded += s.rows_padded;
    csvb_stage_take_preview(&s, &res->preview);
    csvb_result_settle(res, e, atomic_load(plan->cancel) != 0, plan->limits.timeout);
    res->seconds = csvb_now() - start;
    /* Last: from here on done may run on a pool thread and change res. */
    if (at.queue)
        csvb_stage_submit(&s, pool, done);
    csvb_stage_fini(&s);
    return at.queue;
}
