/* result.h — what one job produced: filled by exactly one worker, read by report and main.
 * This is the whole record a worker fills; the run keeps it packed (results.h). */
#ifndef CSVBATCH_RESULT_H
#define CSVBATCH_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csvbatch/codec.h"
#include "csvbatch/diag.h"
#include "csvbatch/stage.h"
#include "csvbatch/text.h"

/* UNCHANGED: --incremental found the job's outputs up to date and did not run it. */
enum csvb_status {
    CSVB_STATUS_SUCCESS,
    CSVB_STATUS_FAILED,
    CSVB_STATUS_SKIPPED,
    CSVB_STATUS_UNCHANGED
};

/* What --incremental learns of an input while it is processed (or decided Unchanged): its
 * identity when it was opened and the XXH3-128 of every byte read. known is false when nothing
 * was learnt (not an incremental run, a stream, a split file: then incremental.c hashes it). */
struct csvb_result_input {
    bool known;
    unsigned char hash[16];
    uint64_t size;
    int64_t mtime_ns, ctime_ns;
    uint64_t dev, ino;
    int64_t read_ns; /* when it was opened (CLOCK_REALTIME ns): the racy check's reference */
};

/* The dialect a file was read with, as used (after -d auto detection, --encoding auto, BOMs):
 * reports print it. delimiter 0 = not known (the file was not opened); encoding "" = UTF-8. */
struct csvb_result_dialect {
    char delimiter;
    bool quotes_lenient; /* --quotes lenient */
    char encoding[40];   /* canonical name as iconv knows it, "" for UTF-8 */
    uint32_t skip_lines; /* lines dropped before the header: --skip-lines N, or the preamble
                            --skip-lines auto found */
    char escape;         /* --escape CHAR, or the one --escape auto found; '\0': none */
    char comment;        /* --comment CHAR, or the one --comment auto found; '\0': none */
};

struct csvb_result {
    enum csvb_status status;
    uint64_t rows_read;     /* data rows, header excluded */
    uint64_t rows_written;  /* data rows written (or that would be, in a dry run) */
    uint64_t rows_rejected; /* --on-bad-row skip: records dropped for their field count */
    uint64_t rows_padded;   /* --on-bad-row pad: short records padded with empty fields */
    uint64_t bytes_read;    /* from the file: compressed bytes for a compressed one */
    uint64_t bytes_written;
    enum csvb_compression compression; /* of the input, NONE when not compressed */
    uint64_t bytes_decompressed;       /* decoded from a compressed input (0 otherwise) */
    double seconds;
    uint64_t bytes_parsed;    /* chunked files: bytes the chunk runs read in all (debug figure) */
    unsigned parse_runs;      /* chunked files: how many chunk runs there were; 0 = not chunked */
    unsigned chunks;          /* chunked files: how many chunks (debug figure) */
    unsigned chunk_temps_max; /* chunked files: most chunk temp files on disk at once (debug) */
    uint64_t bytes_copied;    /* chunked files: chunk output bytes copied into the output from
                                 temp files, not written there directly (debug figure) */
    struct csvb_diag diag;    /* the error or notice, code CSVB_OK when none */
    struct csvb_rows preview; /* owned: --preview, the output header then the first rows
                                 written (empty when none); free with csvb_rows_fini */
    struct csvb_result_input input;     /* --incremental: the input as it was read */
    char written_stamp[64];             /* Unchanged: the stamp of the run that wrote the output */
    char written_at[32];                /* Unchanged: when that run recorded it (UTC ISO 8601) */
    struct csvb_result_dialect dialect; /* as read; zero when the file was not read */
};

/* Clears res to "succeeded, nothing done". */
void csvb_result_init(struct csvb_result *res);

/* Sets res to a job that was never read: status, and a message (may be NULL) with code. */
void csvb_result_preset(struct csvb_result *res, enum csvb_status status, enum csvb_err code,
                        const char *message);

/* Adds a stage's counts to res. */
void csvb_result_add_counts(struct csvb_result *res, const struct csvb_stage_counts *c);

/* The final status from the run's outcome e: a timeout names its limit (timeout seconds);
 * "interrupted" replaces whatever error a cancelled run hit (cancelled: the run's flag was set);
 * a failed file has nothing written. */
void csvb_result_settle(struct csvb_result *res, enum csvb_err e, bool cancelled, double timeout);

/* Frees what res owns (the preview). NULL-safe, safe to call twice. */
void csvb_result_fini(struct csvb_result *res);

/* Whether res is a job the run refused to start (--deadline, --fail-fast, --max-failures, an
 * interrupt): Skipped with code CSVB_E_CANCELLED. A walk notice (a FIFO in a directory: Skipped
 * with CSVB_E_IO) is not. */
bool csvb_result_not_started(const struct csvb_result *res);

/* The process exit status (DESIGN §4), the README's "Errors and exit codes": 128 + signal when
 * interrupted; else 1 when a file failed, a file was not started (not_started: --deadline,
 * --fail-fast, --max-failures), or the run could not finish its own writes (run_failed: a
 * directory sync, the summary on a closed stdout, the report); else 0. Notices (a FIFO skipped
 * in a directory) never count. */
int csvb_result_exit_code(size_t failed, size_t not_started, bool run_failed, int signal);

#endif
