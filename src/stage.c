/* stage.c — per-record work shared by whole-file and chunked runs: header binding, filter,
 * projection, writing to the temp output. */
#include "csvbatch/stage.h"

#include "csvbatch/schema.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CSVB_WRITE_BUFFER ((size_t)256 << 10)

void csvb_stage_init(struct csvb_stage *s, const struct csvb_stage_config *cfg,
                     const char *output_path, const char *rejects_path, bool write_header)
{
    memset(s, 0, sizeof *s);
    s->cfg = cfg;
    s->output_path = output_path;
    s->rejects_path = rejects_path;
    s->write_header = write_header;
    s->out.fd = -1;
    s->out.tracked = -1;
    s->rejects_out.fd = -1;
    s->rejects_out.tracked = -1;
}

static bool to_stdout(const char *path)
{
    return path != NULL && strcmp(path, CSVB_STAGE_STDOUT) == 0;
}

/* The one "cannot write" diagnostic for a writer that failed. */
static enum csvb_err write_failed(struct csvb_diag *d, const struct csvb_writer *w,
                                  const char *path)
{
    return csvb_diag_errno(d, CSVB_E_IO, w->sys_errno, "cannot write %s",
                           to_stdout(path) ? "standard output" : path);
}

static enum csvb_err no_memory(struct csvb_diag *d, unsigned long line)
{
    return csvb_diag_set(d, CSVB_E_NOMEM, line, "out of memory");
}

/* Opens the temp file of path into a (not in a dry run) and sets up w over it. */
static enum csvb_err open_output(const struct csvb_stage_config *cfg, struct csvb_atomic *a,
                                 const char *path, struct csvb_writer *w, size_t cap,
                                 struct csvb_diag *d)
{
    int fd = -1;
    if (!cfg->dry_run && to_stdout(path)) {
        /* A descriptor of its own: the stage closes it (and sees the error) like a file's. */
        if ((a->fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 0)) < 0)
            return csvb_diag_errno(d, CSVB_E_IO, errno, "cannot write standard output");
        fd = a->fd;
    } else if (!cfg->dry_run) {
        enum csvb_err e = csvb_atomic_open(a, path, cfg->make_dirs, cfg->file_mode, d);
        if (e != CSVB_OK)
            return e;
        fd = a->fd;
    }
    if (csvb_writer_init(w, fd, cap, cfg->out_delimiter) != CSVB_OK)
        return no_memory(d, 0);
    w->writeback = cfg->writeback && path != NULL && strcmp(path, CSVB_STAGE_STDOUT) != 0;
    return CSVB_OK;
}

/* Opens <stem>_rejects.csv (its temp file) and writes its header. */
static enum csvb_err open_rejects(struct csvb_stage *s, struct csvb_diag *d)
{
    enum csvb_err e =
        open_output(s->cfg, &s->rejects_out, s->rejects_path, &s->rejects, (size_t)64 << 10, d);
    if (e != CSVB_OK)
        return e;
    s->rejects_ready = true;
    if (csvb_writer_init(&s->record, CSVB_WRITER_MEMORY, 4096, s->cfg->in_delimiter) != CSVB_OK)
        return no_memory(d, 0);
    static const struct csvb_field head[3] = {{"Line", 4}, {"Reason", 6}, {"Record", 6}};
    if (csvb_writer_row(&s->rejects, head, 3) != CSVB_OK)
        return write_failed(d, &s->rejects, s->rejects_path);
    return CSVB_OK;
}

/* skip_bad_rows: counts the record and, with a rejects file, writes it with its line and why. */
static enum csvb_err reject(struct csvb_stage *s, const struct csvb_row *row, struct csvb_diag *d)
{
    s->counts.rows_rejected++;
    if (!s->rejects_ready)
        return CSVB_OK;
    char line[32], reason[96];
    int nl = snprintf(line, sizeof line, "%lu", row->line);
    int nr =
        snprintf(reason, sizeof reason, "expected %zu fields, found %zu", s->nfields, row->nfields);
    s->record.len = 0;
    if (csvb_writer_row(&s->record, row->fields, row->nfields) != CSVB_OK)
        return no_memory(d, row->line);
    struct csvb_field f[3] = {{line, (size_t)nl},
                              {reason, (size_t)nr},
                              {s->record.buf, s->record.len - 1}}; /* less its line feed */
    if (csvb_writer_row(&s->rejects, f, 3) != CSVB_OK)
        return write_failed(d, &s->rejects, s->rejects_path);
    return CSVB_OK;
}

/* The schema rules alone: distinct names when required, filter and projection resolve. */
static enum csvb_err bind_schema(const struct csvb_stage_config *cfg, struct csvb_filter *f,
                                 struct csvb_projection *p, const struct csvb_row *header,
                                 struct csvb_diag *d)
{
    long dup = cfg->distinct_header ? csvb_schema_duplicate(header) : -1;
    if (dup >= 0)
        return csvb_diag_set(d, CSVB_E_SCHEMA, header->line,
                             "expected distinct column names, found '%.*s' twice (PowerShell: "
                             "the member is already present)",
                             (int)header->fields[dup].len, header->fields[dup].ptr);
    enum csvb_err e = csvb_filter_bind(f, &cfg->filter, header, d);
    return e != CSVB_OK ? e : csvb_projection_bind(p, &cfg->projection, header, d);
}

bool csvb_stage_check_header(const struct csvb_stage_config *cfg, const struct csvb_row *header,
                             struct csvb_diag *d)
{
    struct csvb_filter f;
    struct csvb_projection p;
    memset(&f, 0, sizeof f);
    memset(&p, 0, sizeof p);
    bool ok = bind_schema(cfg, &f, &p, header, d) == CSVB_OK;
    csvb_filter_fini(&f);
    csvb_projection_fini(&p);
    return ok;
}

/* Opens the rejects file (when asked for) and the output, with its writer and compressor: what
 * binding a header and binding nothing share. */
static enum csvb_err open_files(struct csvb_stage *s, struct csvb_diag *d)
{
    const struct csvb_stage_config *cfg = s->cfg;
    enum csvb_err e;
    if (s->rejects_path != NULL && (e = open_rejects(s, d)) != CSVB_OK)
        return e;
    if ((e = open_output(cfg, &s->out, s->output_path, &s->writer, CSVB_WRITE_BUFFER, d)) !=
        CSVB_OK)
        return e;
    s->writer_ready = true;
    if (csvb_writer_compress(&s->writer, csvb_compression_from_name(s->output_path, NULL),
                             cfg->compress_level) != CSVB_OK)
        return no_memory(d, 0);
    s->writer.compress_thread = cfg->compress_thread;
    return CSVB_OK;
}

enum csvb_err csvb_stage_bind(struct csvb_stage *s, const struct csvb_row *header,
                              struct csvb_diag *d)
{
    const struct csvb_stage_config *cfg = s->cfg;
    enum csvb_err e = bind_schema(cfg, &s->filter, &s->proj, header, d);
    if (e != CSVB_OK)
        return e;
    if ((cfg->pad_rows || cfg->pad_short_rows) &&
        (s->padded = calloc(header->nfields + 1, sizeof *s->padded)) == NULL)
        return no_memory(d, 0);
    s->have_header = true;
    s->nfields = header->nfields;
    if ((e = open_files(s, d)) != CSVB_OK)
        return e;
    s->writer.quote_all = cfg->quote_all;
    s->writer.continued = !s->write_header; /* a later chunk: its first row is not the output's */
    if (cfg->preview_rows > 0) {
        struct csvb_row head = {s->proj.header, s->proj.nout, header->line};
        s->preview_ready = true; /* from here on fini frees the rows */
        if (csvb_rows_append(&s->preview, &head) != CSVB_OK)
            return no_memory(d, 0);
    }
    s->header_pending = cfg->header_with_rows && s->write_header;
    if (s->write_header && !cfg->header_with_rows &&
        csvb_writer_row(&s->writer, s->proj.header, s->proj.nout) != CSVB_OK)
        return write_failed(d, &s->writer, s->output_path);
    return CSVB_OK;
}

enum csvb_err csvb_stage_bind_nothing(struct csvb_stage *s, struct csvb_diag *d)
{
    return open_files(s, d);
}

/* pad_rows: missing trailing values are $null, extra ones are dropped (Import-Csv). */
static const struct csvb_row *fit(struct csvb_stage *s, const struct csvb_row *row,
                                  struct csvb_row *fitted)
{
    if (row->nfields == s->nfields || s->padded == NULL)
        return row;
    /* --on-bad-row pad: empty fields, and only for a short record */
    bool empty = !s->cfg->pad_rows;
    if (empty && row->nfields > s->nfields)
        return row;
    for (size_t i = 0; i < s->nfields; i++)
        s->padded[i] =
            i < row->nfields ? row->fields[i] : (struct csvb_field){empty ? "" : NULL, 0};
    s->rows_padded += empty;
    *fitted = (struct csvb_row){s->padded, s->nfields, row->line};
    return fitted;
}

enum csvb_err csvb_stage_row(void *ctx, const struct csvb_row *row, bool *stop, struct csvb_diag *d)
{
    (void)stop; /* a stage reads to the end */
    struct csvb_stage *s = ctx;
    if (!s->have_header)
        return csvb_stage_bind(s, row, d);
    s->counts.rows_read++;
    struct csvb_row fitted;
    row = fit(s, row, &fitted);
    if (row->nfields != s->nfields) {
        if (s->cfg->skip_bad_rows)
            return reject(s, row, d);
        s->width_failed = true;
        s->width_short = row->nfields < s->nfields;
        return csvb_diag_set(d, CSVB_E_PARSE, row->line, "expected %zu fields, found %zu",
                             s->nfields, row->nfields);
    }
    if (!csvb_filter_match(&s->filter, row))
        return CSVB_OK;
    s->counts.rows_written++;
    const struct csvb_field *out = csvb_project(&s->proj, row);
    if (s->header_pending) {
        s->header_pending = false;
        if (csvb_writer_row(&s->writer, s->proj.header, s->proj.nout) != CSVB_OK)
            return write_failed(d, &s->writer, s->output_path);
    }
    if (csvb_writer_row(&s->writer, out, s->proj.nout) != CSVB_OK)
        return write_failed(d, &s->writer, s->output_path);
    struct csvb_row projected = {out, s->proj.nout, row->line};
    if (s->preview_ready && s->counts.rows_written <= s->cfg->preview_rows &&
        csvb_rows_append(&s->preview, &projected) != CSVB_OK)
        return no_memory(d, row->line);
    return CSVB_OK;
}

enum csvb_err csvb_stage_flush(struct csvb_stage *s, struct csvb_diag *d)
{
    if (s->writer_ready && csvb_writer_finish(&s->writer) != CSVB_OK)
        return write_failed(d, &s->writer, s->output_path);
    s->counts.bytes_written = s->writer_ready ? s->writer.bytes : 0;
    return CSVB_OK;
}

enum csvb_err csvb_stage_commit(struct csvb_stage *s, bool do_fsync, struct csvb_diag *d)
{
    if (s->cfg->dry_run)
        return CSVB_OK;
    enum csvb_err e = CSVB_OK;
    if (to_stdout(s->output_path)) {
        int fd = s->out.fd;
        s->out.fd = -1;
        if (fd >= 0 && close(fd) != 0)
            e = csvb_diag_errno(d, CSVB_E_IO, errno, "cannot write standard output (close)");
    } else
        e = csvb_atomic_commit(&s->out, do_fsync, d);
    if (e != CSVB_OK || !s->rejects_ready)
        return e;
    if (csvb_writer_flush(&s->rejects) != CSVB_OK)
        return write_failed(d, &s->rejects, s->rejects_path);
    return csvb_atomic_commit(&s->rejects_out, do_fsync, d);
}

enum csvb_err csvb_stage_ready_to_commit(struct csvb_stage *s, struct csvb_diag *d)
{
    if (s->rejects_ready && csvb_writer_flush(&s->rejects) != CSVB_OK)
        return write_failed(d, &s->rejects, s->rejects_path);
    return CSVB_OK;
}

void csvb_stage_submit(struct csvb_stage *s, struct csvb_commit *pool, struct csvb_commit_done done)
{
    csvb_commit_submit(pool, &s->out, &s->rejects_out, done);
}

enum csvb_err csvb_stage_hand_over(struct csvb_stage *s, struct csvb_atomic *dst,
                                   struct csvb_diag *d)
{
    *dst = s->out;
    s->out = (struct csvb_atomic){-1, NULL, NULL, -1};
    return csvb_atomic_park(dst, d);
}

bool csvb_stage_can_redirect(const struct csvb_stage *s)
{
    return s->writer_ready && s->out.fd >= 0 && s->out.tmp_path != NULL &&
           s->writer.fd == s->out.fd && s->writer.codec == NULL && s->writer.thread == NULL &&
           !s->rejects_ready;
}

enum csvb_err csvb_stage_redirect(struct csvb_stage *s, struct csvb_atomic *dst, bool writeback,
                                  struct csvb_diag *d)
{
    /* Every byte handed to write(2) is in the temp file now: appending it keeps the order. */
    enum csvb_err e = csvb_atomic_append(dst, &s->out, writeback, d);
    s->out = (struct csvb_atomic){-1, NULL, NULL, -1}; /* consumed either way */
    s->writer.fd = e == CSVB_OK ? dst->fd : -1;
    s->writer.writeback = writeback;
    s->writer.writeback_at = s->writer.flushed;
    if (e != CSVB_OK)
        s->writer.sys_errno = EIO; /* nothing more is written anywhere */
    return e;
}

void csvb_stage_take_preview(struct csvb_stage *s, struct csvb_rows *dst)
{
    if (!s->preview_ready)
        return;
    *dst = s->preview;
    csvb_rows_init(&s->preview);
}

void csvb_stage_fini(struct csvb_stage *s)
{
    if (s == NULL)
        return;
    if (s->writer_ready)
        csvb_writer_fini(&s->writer);
    s->writer_ready = false;
    if (s->rejects_ready) {
        csvb_writer_fini(&s->rejects);
        csvb_writer_fini(&s->record);
    }
    s->rejects_ready = false;
    if (s->preview_ready)
        csvb_rows_fini(&s->preview);
    s->preview_ready = false;
    csvb_atomic_abort(&s->out);
    csvb_atomic_abort(&s->rejects_out);
    free(s->padded);
    s->padded = NULL;
    csvb_filter_fini(&s->filter);
    csvb_projection_fini(&s->proj);
}
