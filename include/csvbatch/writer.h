/* writer.h — CSV encoding (RFC 4180 minimal quoting, LF) into a buffer, flushed to an fd with
 * every write checked. A writer without an fd (fd < 0) only counts bytes (dry run). */
#ifndef CSVBATCH_WRITER_H
#define CSVBATCH_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csvbatch/codec.h"
#include "csvbatch/diag.h"
#include "csvbatch/reader.h"

struct csvb_writer {
    int fd; /* borrowed; < 0 = count only */
    char *buf;
    size_t len, cap;
    uint64_t bytes; /* bytes encoded so far */
    char delimiter;
    int sys_errno;  /* first write error, sticky */
    bool quote_all; /* quote every field (PowerShell's Export-Csv); a field with a NULL ptr is
                       $null there and written as nothing */
    const struct csvb_codec *codec; /* csvb_writer_compress: the encoder between buf and fd */
    void *zst;                      /* owned encoder state */
    bool finished;                  /* csvb_writer_finish done */
    bool continued; /* its bytes continue another writer's output (a chunk after the first):
                       its first record is not the output's first */
    bool writeback; /* the file will be fsynced: every CSVB_WRITER_WRITEBACK bytes written, the
                       kernel is asked to start writing them out (sync_file_range), so that the
                       final fsync waits for the tail only, not for the whole file */
    uint64_t flushed, writeback_at; /* bytes handed to write(2); where writeback last started */
    bool compress_thread; /* set before the first flush: a compressed output's full buffers are
                             compressed and written on a thread of its own (started at the first
                             flush, so a small output never starts one), beside the encoding:
                             one more buffer of cap bytes; errors show at the next flush */
    struct csvb_writer_thread *thread; /* owned; NULL until started */
};

#define CSVB_WRITER_WRITEBACK ((uint64_t)8 << 20)

/* fd value for a writer that keeps everything in its (growing) buffer: w->buf[0..w->len). */
#define CSVB_WRITER_MEMORY (-2)

/* Sets w up for fd with a buffer of cap bytes. Errors: CSVB_E_NOMEM. */
enum csvb_err csvb_writer_init(struct csvb_writer *w, int fd, size_t cap, char delimiter);

/* Encodes one record. A field is quoted iff it holds the delimiter, '"', CR or LF; a record of
 * a single empty field is written as "" so it does not read back as a blank line, and a first
 * field of the output (not of a `continued` writer's first record) that starts with U+FEFF is
 * quoted so it does not read back as a BOM. Errors:
 * CSVB_E_IO (errno in w->sys_errno). */
enum csvb_err csvb_writer_row(struct csvb_writer *w, const struct csvb_field *fields, size_t n);

/* Writes out what is buffered (with compress_thread: hands it to the thread, after waiting for
 * the buffer it had before). Errors: CSVB_E_IO, also for a failure of the buffer handed over
 * before. */
enum csvb_err csvb_writer_flush(struct csvb_writer *w);

/* Puts c's encoder (level 0 = its default) between the buffer and fd: everything written until
 * csvb_writer_finish becomes one complete gzip member, zstd frame, bzip2 or xz stream. NONE, and a
 * writer without an fd, stay as they are. Call before the first row. Errors: CSVB_E_NOMEM. */
enum csvb_err csvb_writer_compress(struct csvb_writer *w, enum csvb_compression c, int level);

/* Flushes and, when compressing, ends the compressed stream (once: later calls only flush);
 * with compress_thread, waits for the thread and stops it first. Errors: CSVB_E_IO. */
enum csvb_err csvb_writer_finish(struct csvb_writer *w);

/* Stops the compressing thread (after the buffer it holds), frees the buffers and the encoder
 * (does not close fd). NULL-safe, safe to call twice. */
void csvb_writer_fini(struct csvb_writer *w);

/* write(2) all of buf, retrying EINTR and short writes. Returns 0 or an errno value. */
int csvb_write_all(int fd, const char *buf, size_t len);

#endif
