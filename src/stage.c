/* stage.c — per-record work shared by whole-file and chunked runs: header binding, filter,
 * projection, writing to the temp output. */
#include "csvbatch/stage.h"

#include "csvbatch/schema.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CSVB_WRITE_BUFFER ((size_t)256 << 10)

void csvb_stage_init(struct csvb_stage *s, const struct csvb_plan *plan, const struct csvb_job *job,
                     struct csvb_result *res, bool write_header)
{
    memset(s, 0, sizeof *s);
    s->plan = plan;
    s->job = job;
    s->res = res;
    s->write_header = write_header;
    s->out.fd = -1;
    s->out.tracked = -1;
    s->rejects_out.fd = -1;
    s->rejects_out.tracked = -1;
}

/* Opens <stem>_rejects.csv (its temp file) and writes its header. */
static enum csvb_err open_rejects(struct csvb_stage *s, struct csvb_diag *d)
{
    const struct csvb_plan *plan = s->plan;
    int fd = -1;
    if (!plan->opt->dry_run) {
        enum csvb_err e = csvb_atomic_open(&s->rejects_out, s->job->rejects_path,
                                           plan->opt->output_dir != NULL, plan->file_mode, d);
        if (e != CSVB_OK)
            return e;
        fd = s->rejects_out.fd;
    }
    if (csvb_writer_init(&s->rejects, fd, (size_t)64 << 10, plan->opt->out_delimiter) != CSVB_OK ||
        csvb_writer_init(&s->record, CSVB_WRITER_MEMORY, 4096, plan->opt->delimiter) != CSVB_OK)
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    s->rejects_ready = true;
    static const struct csvb_field head[3] = {{"Line", 4}, {"Reason", 6}, {"Record", 6}};
    if (csvb_writer_row(&s->rejects, head, 3) != CSVB_OK)
        return csvb_diag_errno(d, CSVB_E_IO, s->rejects.sys_errno, "cannot write %s",
                               s->job->rejects_path);
    return CSVB_OK;
}

/* --on-bad-row skip: counts the record and, with --rejects, writes it with its line and why. */
static enum csvb_err reject(struct csvb_stage *s, const struct csvb_row *row, struct csvb_diag *d)
{
    s->res->rows_rejected++;
    if (!s->rejects_ready)
        return CSVB_OK;
    char line[32], reason[96];
    int nl = snprintf(line, sizeof line, "%lu", row->line);
    int nr =
        snprintf(reason, sizeof reason, "expected %zu fields, found %zu", s->nfields, row->nfields);
    s->record.len = 0;
    if (csvb_writer_row(&s->record, row->fields, row->nfields) != CSVB_OK)
        return csvb_diag_set(d, CSVB_E_NOMEM, row->line, "out of memory");
    struct csvb_field f[3] = {{line, (size_t)nl},
                              {reason, (size_t)nr},
                              {s->record.buf, s->record.len - 1}}; /* less its line feed */
    if (csvb_writer_row(&s->rejects, f, 3) != CSVB_OK)
        return csvb_diag_errno(d, CSVB_E_IO, s->rejects.sys_errno, "cannot write %s",
                               s->job->rejects_path);
    return CSVB_OK;
}

void csvb_stage_keep_preview(struct csvb_stage *s)
{
    if (!s->preview_ready)
        return;
    s->res->preview = s->preview.buf;
    s->res->preview_len = s->preview.len;
    s->preview.buf = NULL;
}

enum csvb_err csvb_stage_commit_rejects(struct csvb_stage *s, struct csvb_diag *d)
{
    if (!s->rejects_ready || s->plan->opt->dry_run)
        return CSVB_OK;
    if (csvb_writer_flush(&s->rejects) != CSVB_OK)
        return csvb_diag_errno(d, CSVB_E_IO, s->rejects.sys_errno, "cannot write %s",
                               s->job->rejects_path);
    return csvb_atomic_commit(&s->rejects_out, s->plan->opt->fsync, d);
}

enum csvb_err csvb_stage_bind(struct csvb_stage *s, const struct csvb_row *header,
                              struct csvb_diag *d)
{
    const struct csvb_plan *plan = s->plan;
    bool compat = plan->opt->compat == CSVB_COMPAT_POWERSHELL;
    long dup = compat ? csvb_schema_duplicate(header) : -1;
    if (dup >= 0)
        return csvb_diag_set(d, CSVB_E_SCHEMA, header->line,
                             "expected distinct column names, found '%.*s' twice (PowerShell: "
                             "the member is already present)",
                             (int)header->fields[dup].len, header->fields[dup].ptr);
    if (compat && (s->padded = calloc(header->nfields, sizeof *s->padded)) == NULL)
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    enum csvb_err e = csvb_filter_bind(&s->filter, plan->opt, header, d);
    if (e == CSVB_OK)
        e = csvb_projection_bind(&s->proj, plan->opt, plan->stamp, header, d);
    if (e != CSVB_OK)
        return e;
    s->have_header = true;
    s->nfields = header->nfields;
    if (s->job->rejects_path != NULL && (e = open_rejects(s, d)) != CSVB_OK)
        return e;
    int fd = -1;
    if (!plan->opt->dry_run) {
        e = csvb_atomic_open(&s->out, s->job->output_path, plan->opt->output_dir != NULL,
                             plan->file_mode, d);
        if (e != CSVB_OK)
            return e;
        fd = s->out.fd;
    }
    if (csvb_writer_init(&s->writer, fd, CSVB_WRITE_BUFFER, plan->opt->out_delimiter) != CSVB_OK)
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    s->writer_ready = true;
    s->writer.quote_all = compat;
    if (plan->opt->preview > 0) {
        if (csvb_writer_init(&s->preview, CSVB_WRITER_MEMORY, 4096, ',') != CSVB_OK ||
            csvb_writer_row(&s->preview, s->proj.header, s->proj.nout) != CSVB_OK)
            return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
        s->preview_ready = true;
    }
    /* PowerShell writes nothing at all when no row matches: the header waits for a row. */
    s->header_pending = compat && s->write_header;
    if (s->write_header && !compat &&
        csvb_writer_row(&s->writer, s->proj.header, s->proj.nout) != CSVB_OK)
        return csvb_diag_errno(d, CSVB_E_IO, s->writer.sys_errno, "cannot write %s",
                               s->job->output_path);
    return CSVB_OK;
}

enum csvb_err csvb_stage_row(void *ctx, const struct csvb_row *row, bool *stop, struct csvb_diag *d)
{
    (void)stop; /* a stage reads to the end */
    struct csvb_stage *s = ctx;
    if (!s->have_header)
        return csvb_stage_bind(s, row, d);
    s->res->rows_read++;
    struct csvb_row fitted;
    if (row->nfields != s->nfields && s->padded != NULL) {
        /* Import-Csv: missing trailing values are empty, extra ones are dropped. */
        for (size_t i = 0; i < s->nfields; i++)
            s->padded[i] = i < row->nfields ? row->fields[i] : (struct csvb_field){NULL, 0};
        fitted = (struct csvb_row){s->padded, s->nfields, row->line};
        row = &fitted;
    }
    if (row->nfields != s->nfields) {
        if (s->plan->opt->skip_bad_rows)
            return reject(s, row, d);
        return csvb_diag_set(d, CSVB_E_PARSE, row->line, "expected %zu fields, found %zu",
                             s->nfields, row->nfields);
    }
    if (!csvb_filter_match(&s->filter, row))
        return CSVB_OK;
    s->res->rows_written++;
    const struct csvb_field *out = csvb_project(&s->proj, row);
    if (s->header_pending) {
        s->header_pending = false;
        if (csvb_writer_row(&s->writer, s->proj.header, s->proj.nout) != CSVB_OK)
            return csvb_diag_errno(d, CSVB_E_IO, s->writer.sys_errno, "cannot write %s",
                                   s->job->output_path);
    }
    if (csvb_writer_row(&s->writer, out, s->proj.nout) != CSVB_OK)
        return csvb_diag_errno(d, CSVB_E_IO, s->writer.sys_errno, "cannot write %s",
                               s->job->output_path);
    if (s->preview_ready && s->res->rows_written <= s->plan->opt->preview &&
        csvb_writer_row(&s->preview, out, s->proj.nout) != CSVB_OK)
        return csvb_diag_set(d, CSVB_E_NOMEM, row->line, "out of memory");
    return CSVB_OK;
}

enum csvb_err csvb_stage_flush(struct csvb_stage *s, struct csvb_diag *d)
{
    if (s->writer_ready && csvb_writer_flush(&s->writer) != CSVB_OK)
        return csvb_diag_errno(d, CSVB_E_IO, s->writer.sys_errno, "cannot write %s",
                               s->job->output_path);
    s->res->bytes_written = s->writer_ready ? s->writer.bytes : 0;
    return CSVB_OK;
}

void csvb_stage_fini(struct csvb_stage *s)
{
    if (s->writer_ready)
        csvb_writer_fini(&s->writer);
    s->writer_ready = false;
    if (s->rejects_ready) {
        csvb_writer_fini(&s->rejects);
        csvb_writer_fini(&s->record);
    }
    s->rejects_ready = false;
    csvb_atomic_abort(&s->rejects_out);
    if (s->preview_ready)
        csvb_writer_fini(&s->preview);
    s->preview_ready = false;
    free(s->padded);
    s->padded = NULL;
    csvb_projection_fini(&s->proj);
}

int csvb_stage_open_input(const struct csvb_job *job, bool *stream, struct stat *st_out,
                          struct csvb_diag *d)
{
    int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
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
    bool regular = S_ISREG(st.st_mode);
    if (S_ISDIR(st.st_mode) || (!regular && (!job->named || stream == NULL))) {
        csvb_diag_set(d, CSVB_E_IO, 0,
                      S_ISDIR(st.st_mode) ? "cannot read: is a directory"
                                          : "cannot read: not a regular file");
        close(fd);
        return -1;
    }
    if (stream != NULL)
        *stream = !regular;
    *st_out = st;
    /* O_NONBLOCK means nothing to a regular file: it stays set (one system call less). */
    if (regular && st.st_size >= ((off_t)1 << 20))
        posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    return fd;
}
