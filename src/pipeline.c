/* pipeline.c — one whole file, serially: open, read, stage (filter, project, write), commit. */
#include "csvbatch/pipeline.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvbatch/cancel.h"
#include "csvbatch/stage.h"
#include "csvbatch/transcode.h"

/* An input rewritten, truncated or extended while it was read gives an output that matches no
 * version of it: refuse it. (A deleted input is fine: the open descriptor still reads it all.) */
static enum csvb_err check_unchanged(int fd, const struct stat *before, struct csvb_diag *d)
{
    struct stat after;
    if (fstat(fd, &after) != 0)
        return csvb_diag_errno(d, CSVB_E_IO, errno, "cannot stat");
    if (after.st_size != before->st_size || after.st_mtim.tv_sec != before->st_mtim.tv_sec ||
        after.st_mtim.tv_nsec != before->st_mtim.tv_nsec)
        return csvb_diag_set(d, CSVB_E_IO, 0,
                             "the file changed while it was being read (size %lld, then %lld "
                             "bytes); its output was discarded",
                             (long long)before->st_size, (long long)after.st_size);
    return CSVB_OK;
}

static enum csvb_err run(struct csvb_stage *s, struct csvb_diag *d)
{
    const struct csvb_plan *plan = s->plan;
    bool stream = false;
    struct stat before;
    int fd = csvb_stage_open_input(s->job, &stream, &before, d);
    if (fd < 0)
        return d->code;
    struct csvb_reader_config cfg = plan->reader;
    cfg.deadline = s->deadline;
    struct csvb_fd_source fds = {fd, plan->cancel, stream, s->deadline};
    struct csvb_source src = {csvb_source_fd_fill, &fds};
    struct csvb_transcode *tc = NULL;
    if (plan->opt->encoding != CSVB_ENC_UTF8) {
        if ((tc = malloc(sizeof *tc)) == NULL) {
            close(fd);
            return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
        }
        csvb_transcode_init(tc, src, plan->opt->encoding);
        src = (struct csvb_source){csvb_transcode_fill, tc};
    }
    struct csvb_sink sink = {csvb_stage_row, s};
    struct csvb_reader_stats stats = {0, 0, false, false};
    enum csvb_err e = csvb_reader_run(&cfg, src, sink, &stats, d);
    s->res->bytes_read = tc != NULL ? tc->raw_bytes : stats.bytes_read;
    free(tc);
    struct csvb_diag changed;
    csvb_diag_init(&changed);
    if (!stream && e != CSVB_E_CANCELLED && check_unchanged(fd, &before, &changed) != CSVB_OK) {
        *d = changed; /* the true cause of whatever the reader saw (a cut record...) */
        e = changed.code;
    }
    close(fd);
    if (e != CSVB_OK)
        return e;
    if (!s->have_header)
        return csvb_diag_set(d, CSVB_E_PARSE, 1, "expected a header record, found %s",
                             stats.bytes_read == 0 ? "an empty file" : "only blank lines");
    if ((e = csvb_stage_flush(s, d)) != CSVB_OK || plan->opt->dry_run)
        return e;
    if ((e = csvb_atomic_commit(&s->out, plan->opt->fsync, d)) != CSVB_OK)
        return e;
    return csvb_stage_commit_rejects(s, d);
}

void csvb_pipeline_settle(const struct csvb_plan *plan, enum csvb_err e, struct csvb_result *res)
{
    if (e == CSVB_E_TIMEOUT) {
        csvb_diag_init(&res->diag);
        csvb_diag_set(&res->diag, CSVB_E_TIMEOUT, 0, "timed out after %g s", plan->opt->timeout);
    }
    if (e != CSVB_OK && plan->cancel != NULL && atomic_load(plan->cancel)) {
        /* Whatever the interrupted call said (EINTR...), the truth is: interrupted. */
        csvb_diag_init(&res->diag);
        csvb_diag_set(&res->diag, CSVB_E_CANCELLED, 0, "interrupted");
    }
    if (e != CSVB_OK) {
        res->rows_written = 0;
        res->bytes_written = 0;
        res->rows_rejected = 0;
    }
    res->status = e == CSVB_OK ? CSVB_STATUS_SUCCESS : CSVB_STATUS_FAILED;
}

void csvb_pipeline_run(const struct csvb_plan *plan, const struct csvb_job *job,
                       struct csvb_result *res)
{
    double start = csvb_now();
    memset(res, 0, sizeof *res);
    csvb_diag_init(&res->diag);
    struct csvb_stage s;
    csvb_stage_init(&s, plan, job, res, true);
    s.deadline = plan->opt->timeout > 0 ? start + plan->opt->timeout : 0;
    csvb_cancel_enter();
    enum csvb_err e = run(&s, &res->diag);
    csvb_cancel_leave();
    if (e != CSVB_OK)
        csvb_atomic_abort(&s.out);
    csvb_pipeline_settle(plan, e, res);
    if (e == CSVB_OK)
        csvb_stage_keep_preview(&s);
    csvb_stage_fini(&s);
    res->seconds = csvb_now() - start;
}
