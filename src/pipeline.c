/* pipeline.c — one file end to end: reader → schema → filter → project → writer → atomic. */
#include "csvbatch/pipeline.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "csvbatch/atomic.h"
#include "csvbatch/cancel.h"
#include "csvbatch/filter.h"
#include "csvbatch/project.h"
#include "csvbatch/writer.h"

#define CSVB_WRITE_BUFFER ((size_t)256 << 10)

struct pipe_state {
    const struct csvb_plan *plan;
    const struct csvb_job *job;
    struct csvb_result *res;
    bool have_header;
    size_t nfields; /* header width */
    struct csvb_filter filter;
    struct csvb_projection proj;
    struct csvb_writer writer;
    struct csvb_atomic out;
    bool writer_ready;
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* First record: bind filter and projection, open the output, write its header. */
static enum csvb_err on_header(struct pipe_state *s, const struct csvb_row *row,
                               struct csvb_diag *d)
{
    const struct csvb_plan *plan = s->plan;
    enum csvb_err e = csvb_filter_bind(&s->filter, plan->opt, row, d);
    if (e == CSVB_OK)
        e = csvb_projection_bind(&s->proj, plan->opt, plan->stamp, row, d);
    if (e != CSVB_OK)
        return e;
    s->have_header = true;
    s->nfields = row->nfields;
    int fd = -1;
    if (!plan->opt->dry_run) {
        e = csvb_atomic_open(&s->out, s->job->output_path, plan->opt->output_dir != NULL,
                             plan->file_mode, d);
        if (e != CSVB_OK)
            return e;
        fd = s->out.fd;
    }
    if (csvb_writer_init(&s->writer, fd, CSVB_WRITE_BUFFER, plan->opt->delimiter) != CSVB_OK)
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    s->writer_ready = true;
    if (csvb_writer_row(&s->writer, s->proj.header, s->proj.nout) != CSVB_OK)
        return csvb_diag_errno(d, CSVB_E_IO, s->writer.sys_errno, "cannot write %s",
                               s->job->output_path);
    return CSVB_OK;
}

static enum csvb_err on_row(void *ctx, const struct csvb_row *row, struct csvb_diag *d)
{
    struct pipe_state *s = ctx;
    if (!s->have_header)
        return on_header(s, row, d);
    s->res->rows_read++;
    if (row->nfields != s->nfields)
        return csvb_diag_set(d, CSVB_E_PARSE, row->line, "expected %zu fields, found %zu",
                             s->nfields, row->nfields);
    if (!csvb_filter_match(&s->filter, row))
        return CSVB_OK;
    s->res->rows_written++;
    if (csvb_writer_row(&s->writer, csvb_project(&s->proj, row), s->proj.nout) != CSVB_OK)
        return csvb_diag_errno(d, CSVB_E_IO, s->writer.sys_errno, "cannot write %s",
                               s->job->output_path);
    return CSVB_OK;
}

/* Opens the input without ever blocking on a FIFO that was not named explicitly. */
static int open_input(const struct csvb_job *job, struct csvb_diag *d)
{
    int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | (job->named ? 0 : O_NONBLOCK);
    int fd = open(job->path, flags);
    if (fd < 0) {
        csvb_diag_errno(d, CSVB_E_IO, errno, "cannot open");
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        csvb_diag_errno(d, CSVB_E_IO, errno, "cannot stat");
        close(fd);
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        csvb_diag_set(d, CSVB_E_IO, 0, "cannot read: is a directory");
        close(fd);
        return -1;
    }
    if (!job->named && !S_ISREG(st.st_mode)) {
        csvb_diag_set(d, CSVB_E_IO, 0, "cannot read: no longer a regular file");
        close(fd);
        return -1;
    }
    if (!job->named)
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    return fd;
}

static enum csvb_err run(struct pipe_state *s, struct csvb_diag *d)
{
    const struct csvb_plan *plan = s->plan;
    int fd = open_input(s->job, d);
    if (fd < 0)
        return d->code;
    struct csvb_fd_source fds = {fd, plan->cancel};
    struct csvb_source src = {csvb_source_fd_fill, &fds};
    struct csvb_sink sink = {on_row, s};
    struct csvb_reader_stats stats = {0, 0, false};
    enum csvb_err e = csvb_reader_run(&plan->reader, src, sink, &stats, d);
    s->res->bytes_read = stats.bytes_read;
    close(fd);
    if (e != CSVB_OK)
        return e;
    if (!s->have_header)
        return csvb_diag_set(d, CSVB_E_PARSE, 1, "expected a header record, found %s",
                             stats.bytes_read == 0 ? "an empty file" : "only blank lines");
    if (csvb_writer_flush(&s->writer) != CSVB_OK)
        return csvb_diag_errno(d, CSVB_E_IO, s->writer.sys_errno, "cannot write %s",
                               s->job->output_path);
    s->res->bytes_written = s->writer.bytes;
    if (plan->opt->dry_run)
        return CSVB_OK;
    return csvb_atomic_commit(&s->out, plan->opt->fsync, d);
}

void csvb_pipeline_run(const struct csvb_plan *plan, const struct csvb_job *job,
                       struct csvb_result *res)
{
    double start = now_seconds();
    memset(res, 0, sizeof *res);
    csvb_diag_init(&res->diag);
    struct pipe_state s;
    memset(&s, 0, sizeof s);
    s.plan = plan;
    s.job = job;
    s.res = res;
    s.out.fd = -1;
    csvb_cancel_enter();
    enum csvb_err e = run(&s, &res->diag);
    if (e != CSVB_OK && plan->cancel != NULL && atomic_load(plan->cancel)) {
        /* Whatever the interrupted call said (EINTR...), the truth is: interrupted. */
        csvb_diag_init(&res->diag);
        csvb_diag_set(&res->diag, CSVB_E_CANCELLED, 0, "interrupted");
    }
    if (e != CSVB_OK) {
        csvb_atomic_abort(&s.out);
        res->rows_written = 0;
        res->bytes_written = 0;
    }
    res->status = e == CSVB_OK ? CSVB_STATUS_SUCCESS : CSVB_STATUS_FAILED;
    if (s.writer_ready)
        csvb_writer_fini(&s.writer);
    csvb_projection_fini(&s.proj);
    res->seconds = now_seconds() - start;
}
