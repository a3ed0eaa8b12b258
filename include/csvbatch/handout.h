/* handout.h — rank 0's queue in the MPI build: the jobs in the schedule's order, one at a time,
 * to whichever thread of any rank asks (driver_mpi.h). No MPI here: driver_mpi.c carries the
 * asks and the answers; this module decides them, and is unit-tested in the default build.
 *
 * A job is refused as the one-process driver refuses it (csvb_driver_refusal: an interrupt,
 * the failure limit, the deadline) and gets its Skipped result. A thread busy with a job may
 * ask for its next one early, so that the round trip hides behind the work; csvb_handout_early
 * says when to grant that: only while more jobs are left than there are threads in all (so an
 * early job never waits behind a busy thread while another is idle, bar the last round), and
 * never under --max-failures or --deadline, whose refusals must be decided when a job starts. */
#ifndef CSVBATCH_HANDOUT_H
#define CSVBATCH_HANDOUT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "csvbatch/diag.h"
#include "csvbatch/outputs.h"
#include "csvbatch/plan.h"
#include "csvbatch/result.h"
#include "csvbatch/results.h"
#include "csvbatch/schedule.h"

struct csvb_handout {
    pthread_mutex_t lock; /* pos and failures: rank 0's threads and its MPI thread at once */
    const struct csvb_plan *plan;
    const struct csvb_joblist *list;
    struct csvb_results *results;
    const size_t *order; /* borrowed from the schedule */
    size_t n, pos, failures;
    double deadline;   /* absolute, csvb_now()'s clock; 0 = none */
    int *rank_threads; /* owned: per rank, its threads as its asks say (0: not heard yet) */
    int ranks;
    long threads; /* every rank's known threads */
    bool early_allowed;
};

/* Sets h up over sched's order (borrowed, as are plan, list and results: they outlive h) for
 * `ranks` ranks, rank 0 running local_threads threads; the deadline starts now. Errors:
 * CSVB_E_NOMEM (h is then safe to fini). */
enum csvb_err csvb_handout_init(struct csvb_handout *h, const struct csvb_plan *plan,
                                const struct csvb_joblist *list, struct csvb_results *results,
                                const struct csvb_schedule *sched, int local_threads, int ranks,
                                struct csvb_diag *d);

/* Frees what h owns. NULL-safe, safe to call twice. */
void csvb_handout_fini(struct csvb_handout *h);

/* The next job to start, into *index; each job refused on the way gets its Skipped result.
 * False when none is left. Thread-safe. */
bool csvb_handout_next(struct csvb_handout *h, size_t *index);

/* Job i's result res is final (from this rank or another): counts a failure for the limit,
 * records the job for --incremental and moves res into the results (csvb_results_put: res is
 * left as csvb_result_init leaves it). Thread-safe. */
void csvb_handout_done(struct csvb_handout *h, size_t i, struct csvb_result *res);

/* Rank `rank` (1..ranks-1) runs `threads` threads, as its asks say; others are ignored. Called
 * from one thread only (the one that reads the asks), as is csvb_handout_early. */
void csvb_handout_threads(struct csvb_handout *h, int rank, int threads);

/* Whether a thread busy with a job may be handed its next one now (see the top). */
bool csvb_handout_early(struct csvb_handout *h);

/* How long rank 0's MPI thread may sleep between polls, in microseconds, given the recent
 * interval between the other ranks' messages (seconds; 0 = unknown): 500 while a thread may be
 * idle waiting for an answer (no early jobs now: at the start, in the last round, under a
 * limit), else half that interval, 500 to 5000, since an early job's answer is due only as the
 * asker's current job ends, and the asks come no faster than the jobs end. Fewer wake-ups of a
 * thread that shares its core with a worker. */
unsigned csvb_handout_poll_us(struct csvb_handout *h, double gap);

#endif
