/* schedule.h — the order in which jobs start: largest input first, ties in input order. */
#ifndef CSVBATCH_SCHEDULE_H
#define CSVBATCH_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>

#include "csvbatch/outputs.h"

struct csvb_schedule {
    size_t *order; /* owned: indexes into the job list of the jobs to run, in start order */
    size_t n;
    bool splittable; /* the largest job is big enough to be split into chunks */
};

/* Orders the CSVB_JOB_RUN jobs of list, largest first (LPT), ties in input order, so the
 * schedule is deterministic. chunk_size: files of at least twice it may be split (0: never).
 * Errors: CSVB_E_NOMEM. Call csvb_schedule_fini afterwards, also on error. */
enum csvb_err csvb_schedule_init(struct csvb_schedule *s, const struct csvb_joblist *list,
                                 size_t chunk_size, struct csvb_diag *d);

/* The threads worth starting: at least 1, no more than the jobs unless a file can be split. */
int csvb_schedule_threads(const struct csvb_schedule *s, int threads);

/* Frees the order. NULL-safe, safe to call twice. */
void csvb_schedule_fini(struct csvb_schedule *s);

#endif
