/* driver.h — the only place with OpenMP: jobs in parallel, largest first. */
#ifndef CSVBATCH_DRIVER_H
#define CSVBATCH_DRIVER_H

#include <stdbool.h>
#include <stddef.h>

#include "csvbatch/outputs.h"
#include "csvbatch/plan.h"
#include "csvbatch/result.h"
#include "csvbatch/results.h"

/* Runs every job of list on plan->threads threads (schedule dynamic,1, in the schedule's order)
 * and fills results[i] for job i; skipped and conflicting jobs get their result without being
 * read. With more than one thread, a file the plan splits is run as chunk tasks (chunks.h).
 * Jobs not started when *plan->cancel becomes non-zero, after the failure limit, or past the
 * deadline are Skipped with the reason. Results do not depend on the thread count. */
void csvb_driver_run(const struct csvb_plan *plan, const struct csvb_joblist *list,
                     struct csvb_results *results);

/* Marks the jobs that are not run: Skipped (a walk notice) and Failed (a conflict) get their
 * result; Unchanged ones (incremental.c filled theirs) and jobs to run are left alone. */
void csvb_driver_preset(const struct csvb_joblist *list, struct csvb_results *results);

/* Why a job must not start now, or NULL when it may: *plan->cancel set, `failures` at the
 * failure limit, or the deadline (absolute, csvb_now()'s clock; 0 = none) passed. The rule
 * csvb_driver_run applies before each job; the text is the Skipped result's message. */
const char *csvb_driver_refusal(const struct csvb_plan *plan, size_t failures, double deadline);

/* Sets job i's result to Skipped with CSVB_E_CANCELLED and why (csvb_driver_refusal's text). */
void csvb_driver_refuse(struct csvb_results *results, size_t i, const char *why);

/* Where a fed run's jobs come from (the MPI driver, driver_mpi.h). next() gives the calling
 * thread the index of its next job, or returns false when the thread is to stop; done() hands
 * over job index's final result res (done takes what res owns: its preview). Both are called from
 * every thread of the run at once; slot is the calling thread's number, 0..threads-1. The feed
 * hands out only CSVB_JOB_RUN jobs and fills the result of any job it refuses. */
struct csvb_driver_feed {
    bool (*next)(void *ctx, int slot, size_t *index);
    void (*done)(void *ctx, int slot, size_t index, struct csvb_result *res);
    void *ctx;
};

/* Runs, on `threads` threads (1..1024), the jobs feed hands out, each as csvb_driver_run runs
 * it (a file the plan splits as chunk tasks; durable outputs committed by the same commit pool,
 * so a thread goes on with its next job while the last one's fsync runs), until every thread's
 * next() returned false and every output is committed. done(slot, i, res) is called once per
 * job handed out, when its result is final: from the thread of that slot, or from a commit
 * thread once the output is durable (concurrently with that slot's next(), and possibly after
 * next() returned false); it may move res's contents. */
void csvb_driver_run_fed(const struct csvb_plan *plan, const struct csvb_joblist *list, int threads,
                         const struct csvb_driver_feed *feed);

#endif
