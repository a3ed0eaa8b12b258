/* stage.h — the per-record work shared by whole-file and chunked runs: bind the header, then
 * filter, project and write each row; the output goes to an atomic temp file (or nowhere in a
 * dry run). A stage owns its writers, projection and temp files until they are committed or
 * handed over; it never renames anything on its own. Core layer: it sees no job, plan or
 * option, only its narrow config. */
#ifndef CSVBATCH_STAGE_H
#define CSVBATCH_STAGE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "csvbatch/atomic.h"
#include "csvbatch/commit.h"
#include "csvbatch/filter.h"
#include "csvbatch/project.h"
#include "csvbatch/text.h"
#include "csvbatch/writer.h"

/* The output path that means standard output: written as it comes (nothing to rename, nothing
 * to take back on failure), the CSV uncompressed. Never an output name otherwise (those end in
 * ".csv"). */
#define CSVB_STAGE_STDOUT "-"

/* What the stage needs to know of the run: built once by plan, read-only, shared by every
 * worker. PowerShell compatibility arrives here as the named rules it implies. */
struct csvb_stage_config {
    struct csvb_filter_config filter;
    struct csvb_projection_config projection;
    bool dry_run;      /* bind and count; open and write nothing */
    bool make_dirs;    /* create missing directories above an output (-o trees) */
    bool writeback;    /* outputs will be fsynced: start their writeback while they are written */
    mode_t file_mode;  /* of created files, before the umask */
    char in_delimiter; /* re-encodes a rejected record as it was read */
    char out_delimiter;
    bool quote_all;        /* every output field quoted (Export-Csv) */
    bool pad_rows;         /* short records padded with $null, long ones cut (Import-Csv) */
    bool distinct_header;  /* a header naming one column twice fails the file */
    bool header_with_rows; /* the header is written with the first matching row: no row, empty
                              output (Export-Csv) */
    bool skip_bad_rows;    /* a record of the wrong width is counted and dropped */
    bool pad_short_rows;   /* a short record is padded with empty fields and counted; a long
                              one is still a bad row (--on-bad-row pad) */
    size_t preview_rows;   /* keep the first N output rows for --preview (0 = none) */
    int compress_level;    /* an output named *.gz, *.zst, *.bz2 or *.xz is written in that
                              format, one complete member/frame per stage, at this level (0 = the
                              format's default); rejects files are never compressed */
    bool compress_thread;  /* a big compressed output is compressed on a thread of its own
                              (writer.h), beside the reading: for a whole file, whose reading is
                              otherwise one thread (a chunk has a worker of its own already) */
};

struct csvb_stage_counts {
    uint64_t rows_read;     /* data rows, header excluded */
    uint64_t rows_written;  /* data rows written (or that would be, in a dry run) */
    uint64_t rows_rejected; /* skip_bad_rows: records dropped for their width */
    uint64_t bytes_written; /* set by csvb_stage_flush */
};

struct csvb_stage {
    const struct csvb_stage_config *cfg;
    const char *output_path;  /* borrowed */
    const char *rejects_path; /* borrowed; NULL = no rejects file */
    struct csvb_stage_counts counts;
    bool write_header; /* this stage's output starts the file */
    bool have_header;
    bool width_failed;    /* the stage failed on a record of the wrong width (hints ask) */
    bool width_short;     /* ... a record narrower than the header */
    uint64_t rows_padded; /* pad_short_rows: short records padded (the caller adds it to its
                             result beside counts) */
    size_t nfields;       /* header width */
    struct csvb_filter filter;
    struct csvb_projection proj;
    struct csvb_writer writer;
    struct csvb_atomic out;
    bool writer_ready;
    struct csvb_atomic rejects_out;
    struct csvb_writer rejects; /* Line,Reason,Record */
    struct csvb_writer record;  /* scratch: a rejected record re-encoded */
    bool rejects_ready;
    struct csvb_field *padded; /* pad_rows: a short row padded to the header */
    bool header_pending;       /* header_with_rows: not written yet */
    struct csvb_rows preview;  /* preview_rows: the header and the first rows, owned */
    bool preview_ready;
};

/* Prepares s (no allocation). Paths are borrowed and must outlive s. write_header: the output
 * begins with the header record. */
void csvb_stage_init(struct csvb_stage *s, const struct csvb_stage_config *cfg,
                     const char *output_path, const char *rejects_path, bool write_header);

/* Binds filter and projection to header, opens the temp output (not in a dry run) and writes
 * the header when write_header. Errors: CSVB_E_SCHEMA, CSVB_E_IO, CSVB_E_NOMEM. */
enum csvb_err csvb_stage_bind(struct csvb_stage *s, const struct csvb_row *header,
                              struct csvb_diag *d);

/* For an input with no header record (an empty file, only blank lines): opens the output (and
 * the rejects file) as csvb_stage_bind would, with no schema to bind. The output then holds no
 * header and no rows, as Export-Csv writes nothing for no objects (an empty compressed stream for
 * a compressed output). Call instead of csvb_stage_bind, before csvb_stage_flush. */
enum csvb_err csvb_stage_bind_nothing(struct csvb_stage *s, struct csvb_diag *d);

/* True when header binds under cfg (filter and projection resolve); opens nothing. d gets the
 * error otherwise. */
bool csvb_stage_check_header(const struct csvb_stage_config *cfg, const struct csvb_row *header,
                             struct csvb_diag *d);

/* The reader sink (ctx = the stage): the first record binds when nothing is bound yet; every
 * other is checked for width, filtered, projected and written. */
enum csvb_err csvb_stage_row(void *ctx, const struct csvb_row *row, bool *stop,
                             struct csvb_diag *d);

/* Writes out the buffered bytes and ends a compressed output's stream; sets counts.bytes_written
 * (bytes of CSV, before compression). Errors: CSVB_E_IO. */
enum csvb_err csvb_stage_flush(struct csvb_stage *s, struct csvb_diag *d);

/* Commits the output, then the rejects file (nothing in a dry run). On error neither the output
 * nor the rejects file that failed is left. Errors: CSVB_E_IO. */
enum csvb_err csvb_stage_commit(struct csvb_stage *s, bool do_fsync, struct csvb_diag *d);

/* The first half of csvb_stage_commit for a group commit (commit.h): writes out the rejects
 * file's buffer. Not for a dry run. Errors: CSVB_E_IO. */
enum csvb_err csvb_stage_ready_to_commit(struct csvb_stage *s, struct csvb_diag *d);

/* The second half: hands the output and rejects temp files to pool (csvb_commit_submit, which may
 * wait for room) and leaves s without them; done is called once they are committed or failed. */
void csvb_stage_submit(struct csvb_stage *s, struct csvb_commit *pool,
                       struct csvb_commit_done done);

/* Moves the (flushed) temp output out of s into *dst, parked: closed, kept on disk, still
 * registered for removal on a hard exit. dst then belongs to the caller (commit or abort). In a
 * dry run dst is left closed and empty. Errors: CSVB_E_IO (the checked close). */
enum csvb_err csvb_stage_hand_over(struct csvb_stage *s, struct csvb_atomic *dst,
                                   struct csvb_diag *d);

/* Whether s's output can be redirected (csvb_stage_redirect): bound, into a temp file of its own,
 * not compressed (a compressed output's encoder may hold bytes on its thread). */
bool csvb_stage_can_redirect(const struct csvb_stage *s);

/* Sends the rest of s's output to the end of dst, an open or parked temp file that s's output
 * continues: what s has written out so far is appended to dst (csvb_atomic_append) and s's temp
 * file removed; the bytes still buffered, and all later ones, are written straight to dst's
 * descriptor, which s borrows (hand over then gives nothing; dst's owner commits or aborts it).
 * writeback: dst will be fsynced (its writeback is started as s writes). The bytes that reach
 * dst are exactly those that appending s's finished output would have put there. Requires
 * csvb_stage_can_redirect. Errors: CSVB_E_IO naming dst's final path. */
enum csvb_err csvb_stage_redirect(struct csvb_stage *s, struct csvb_atomic *dst, bool writeback,
                                  struct csvb_diag *d);

/* Moves the preview rows kept (the output header first; empty when none) into *dst, which must be
 * empty; the caller frees them with csvb_rows_fini. */
void csvb_stage_take_preview(struct csvb_stage *s, struct csvb_rows *dst);

/* Frees the writers and projection and removes any temp file not committed or handed over.
 * NULL-safe, safe to call twice. */
void csvb_stage_fini(struct csvb_stage *s);

#endif
