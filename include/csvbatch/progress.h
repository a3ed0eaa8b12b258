/* progress.h — the live one-line progress display on stderr.
 *
 * Workers only bump counters (bytes read, files done) and name the file they work on; the main
 * thread renders the line a few times a second and erases it at the end. Nothing here prints
 * from a worker. */
#ifndef CSVBATCH_PROGRESS_H
#define CSVBATCH_PROGRESS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CSVB_PROGRESS_SLOTS 64

struct csvb_progress {
    _Atomic uint64_t bytes_done;
    _Atomic size_t files_done;
    uint64_t bytes_total;
    size_t files_total;
    double start;
    const char *_Atomic current[CSVB_PROGRESS_SLOTS]; /* file each worker is on, or NULL */
};

/* Zeroes p and records the totals. */
void csvb_progress_init(struct csvb_progress *p, size_t files_total, uint64_t bytes_total);

/* Worker: this thread now works on path (NULL: on nothing). p may be NULL. */
void csvb_progress_working(struct csvb_progress *p, const char *path);

/* Main thread: draws the line (width columns at most) over the previous one. */
void csvb_progress_render(const struct csvb_progress *p, FILE *out, int width);

/* Main thread: erases the line. */
void csvb_progress_clear(FILE *out);

#endif
