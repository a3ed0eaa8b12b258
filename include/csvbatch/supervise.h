/* supervise.h — runs the driver, with or without the live progress line. */
#ifndef CSVBATCH_SUPERVISE_H
#define CSVBATCH_SUPERVISE_H

#include <stdbool.h>

#include "csvbatch/outputs.h"
#include "csvbatch/plan.h"
#include "csvbatch/result.h"
#include "csvbatch/results.h"

/* Runs csvb_driver_run(plan, list, results). With show_progress, the driver runs on a second
 * thread while the calling thread redraws the progress line on stderr a few times a second
 * (workers only bump counters; the line is erased before returning); plan->progress and the
 * reader's byte counter point at it meanwhile and are reset after. Without progress, or when
 * the thread or its table cannot be had, the driver runs on the calling thread. */
void csvb_supervise_run(struct csvb_plan *plan, const struct csvb_joblist *list,
                        struct csvb_results *results, bool show_progress);

/* The type of csvb_supervise_run: how main has its jobs run (the MPI build passes its driver). */
typedef void csvb_supervise_fn(struct csvb_plan *plan, const struct csvb_joblist *list,
                               struct csvb_results *results, bool show_progress);

#endif
