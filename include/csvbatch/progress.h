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

#include "csvbatch/diag.h"

struct csvb_progress {
    _Atomic uint64_t bytes_done;
    _Atomic size_t files_done;
    uint64_t bytes_total;
    size_t files_total;
    double start;
    const char *_Atomic *current; /* owned: nslots entries, the file each worker is on, or NULL */
    size_t nslots;                /* sized by the thread count */
    void *slots_mem;              /* owned: the same memory as current, for free() */
};

/* Zeroes p, records the totals and sizes the in-flight table for `threads` workers. Errors:
 * CSVB_E_NOMEM. Call csvb_progress_fini afterwards, also on error. */
enum csvb_err csvb_progress_init(struct csvb_progress *p, size_t files_total, uint64_t bytes_total,
                                 int threads);

/* Frees the in-flight table. NULL-safe, safe to call twice. */
void csvb_progress_fini(struct csvb_progress *p);

/* Worker: this thread now works on path (NULL: on nothing). p may be NULL. */
void csvb_progress_working(struct csvb_progress *p, const char *path);

/* Main thread: draws the line (width columns at most) over the previous one. */
void csvb_progress_render(const struct csvb_progress *p, FILE *out, int width);

/* Main thread: erases the line. */
void csvb_progress_clear(FILE *out);

#endif
