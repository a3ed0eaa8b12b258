/* source.h — where the reader's bytes come from: a fill function and its context, and the plain
 * sources (a file descriptor, memory, a byte range of a regular file). Source filters (transcode,
 * next decompression) wrap a struct csvb_source and are one themselves. */
#ifndef CSVBATCH_SOURCE_H
#define CSVBATCH_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Fill dst with up to cap bytes (cap >= 1); return the count, 0 at end of input, or -1 with errno
 * set. The source borrows dst for the call only. */
struct csvb_source {
    long (*fill)(void *ctx, char *dst, size_t cap);
    void *ctx;
};

/* A source over a file descriptor (ctx points to a struct csvb_fd_source; the caller owns and
 * closes the fd). A stream (pipe, FIFO: the fd must be non-blocking) is read through poll(2),
 * waking at least every 250 ms, so that cancel (may be NULL) and deadline (monotonic seconds,
 * 0 = none) are honoured even while no data comes: -1 with errno EINTR or ETIMEDOUT. EINTR is
 * otherwise retried, unless cancel is set. */
struct csvb_fd_source {
    int fd;
    const _Atomic int *cancel;
    bool stream;
    double deadline;
};
long csvb_source_fd_fill(void *ctx, char *dst, size_t cap);

/* A source over memory (borrowed), at most `chunk` bytes per fill (0 = no limit; tests feed every
 * chunk size). pos is where the next fill starts. */
struct csvb_mem_source {
    const char *data;
    size_t len, pos, chunk;
};
long csvb_source_mem_fill(void *ctx, char *dst, size_t cap);

/* The bytes [pos, end) of a regular file, read with pread(2), so several range sources may share
 * one fd (borrowed). pos advances; 0 once pos reaches end (or the file ends early). EINTR is
 * retried unless cancel (may be NULL) is set. */
struct csvb_range_source {
    int fd;
    off_t pos, end;
    const _Atomic int *cancel;
};
long csvb_source_range_fill(void *ctx, char *dst, size_t cap);

#endif
