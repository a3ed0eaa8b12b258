/* stage.h — the per-record work shared by whole-file and chunked runs: bind the header, then
 * filter, project and write each row; the output goes to an atomic temp file (or nowhere in a
 * dry run). A stage owns its writer, projection and temp file; it never renames anything. */
#ifndef CSVBATCH_STAGE_H
#define CSVBATCH_STAGE_H

#include <stdbool.h>
#include <sys/stat.h>

#include "csvbatch/atomic.h"
#include "csvbatch/filter.h"
#include "csvbatch/pipeline.h"
#include "csvbatch/project.h"
#include "csvbatch/writer.h"

struct csvb_stage {
    const struct csvb_plan *plan;
    const struct csvb_job *job;
    struct csvb_result *res; /* counts go here */
    bool write_header;       /* this stage's output starts the file */
    bool have_header;
    size_t nfields; /* header width */
    struct csvb_filter filter;
    struct csvb_projection proj;
    struct csvb_writer writer;
    struct csvb_atomic out;
    bool writer_ready;
    double deadline;                /* --timeout: monotonic seconds, 0 = none */
    struct csvb_atomic rejects_out; /* --rejects */
    struct csvb_writer rejects;     /* Line,Reason,Record */
    struct csvb_writer record;      /* scratch: a rejected record re-encoded */
    bool rejects_ready;
    struct csvb_field *padded;  /* --compat powershell: a short row padded to the header */
    bool header_pending;        /* --compat powershell: header written with the first row */
    struct csvb_writer preview; /* --preview: the first rows, in memory */
    bool preview_ready;
};

/* Prepares s (no allocation). write_header: the output begins with the header record. */
void csvb_stage_init(struct csvb_stage *s, const struct csvb_plan *plan, const struct csvb_job *job,
                     struct csvb_result *res, bool write_header);

/* Binds filter and projection to header, opens the temp output (not in a dry run) and writes
 * the header when write_header. Errors: CSVB_E_SCHEMA, CSVB_E_IO, CSVB_E_NOMEM. */
enum csvb_err csvb_stage_bind(struct csvb_stage *s, const struct csvb_row *header,
                              struct csvb_diag *d);

/* The reader sink (ctx = the stage): the first record binds when nothing is bound yet; every
 * other is checked for width, filtered, projected and written. */
enum csvb_err csvb_stage_row(void *ctx, const struct csvb_row *row, bool *stop,
                             struct csvb_diag *d);

/* Writes out the buffered bytes; sets res->bytes_written. Errors: CSVB_E_IO. */
enum csvb_err csvb_stage_flush(struct csvb_stage *s, struct csvb_diag *d);

/* Hands the preview rows (if any) over to s->res. */
void csvb_stage_keep_preview(struct csvb_stage *s);

/* Commits the rejects file, if any (after the output committed). Errors: CSVB_E_IO. */
enum csvb_err csvb_stage_commit_rejects(struct csvb_stage *s, struct csvb_diag *d);

/* Frees the writers and projection; leaves the temp files to the caller (commit or abort; abort
 * of the rejects file happens here when it was not committed). */
void csvb_stage_fini(struct csvb_stage *s);

/* Opens job's input for reading without ever blocking: a FIFO that was not named is refused, a
 * named one (or a pipe) stays non-blocking and *stream is set (read it with poll). Returns the
 * fd, or -1 with d filled. stream may be NULL when the caller needs a regular file. The input's
 * fstat goes to st. */
int csvb_stage_open_input(const struct csvb_job *job, bool *stream, struct stat *st,
                          struct csvb_diag *d);

#endif
