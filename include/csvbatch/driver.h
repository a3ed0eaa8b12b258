/* driver.h — the only place with OpenMP: jobs in parallel, largest first. */
#ifndef CSVBATCH_DRIVER_H
#define CSVBATCH_DRIVER_H

#include "csvbatch/outputs.h"
#include "csvbatch/pipeline.h"
#include "csvbatch/result.h"

/* Runs every job of list on `threads` threads (schedule dynamic,1, largest input first) and
 * fills results[i] for job i. With more than one thread, a file over twice plan->chunk_size is
 * split into chunks run as tasks (see chunks.h). Also
 * fills results[i] for job i; skipped and conflicting jobs get their result without being read.
 * Jobs not started when *plan->cancel becomes non-zero are Skipped. Results do not depend on
 * the thread count. */
void csvb_driver_run(const struct csvb_plan *plan, const struct csvb_joblist *list, int threads,
                     struct csvb_result *results);

#endif
