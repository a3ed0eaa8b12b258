/* driver.h — the only place with OpenMP: jobs in parallel, largest first. */
#ifndef CSVBATCH_DRIVER_H
#define CSVBATCH_DRIVER_H

#include "csvbatch/outputs.h"
#include "csvbatch/plan.h"
#include "csvbatch/result.h"

/* Runs every job of list on plan->threads threads (schedule dynamic,1, in the schedule's order)
 * and fills results[i] for job i; skipped and conflicting jobs get their result without being
 * read. With more than one thread, a file the plan splits is run as chunk tasks (chunks.h).
 * Jobs not started when *plan->cancel becomes non-zero, after the failure limit, or past the
 * deadline are Skipped with the reason. Results do not depend on the thread count. */
void csvb_driver_run(const struct csvb_plan *plan, const struct csvb_joblist *list,
                     struct csvb_result *results);

#endif
