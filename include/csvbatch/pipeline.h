/* pipeline.h — one whole file, serially: open its source chain, read, stage, commit. */
#ifndef CSVBATCH_PIPELINE_H
#define CSVBATCH_PIPELINE_H

#include <stdbool.h>

#include "csvbatch/commit.h"
#include "csvbatch/outputs.h"
#include "csvbatch/plan.h"
#include "csvbatch/result.h"

/* Runs job under plan and fills res completely (status, counts, time, diag). Never prints. */
void csvb_pipeline_run(const struct csvb_plan *plan, const struct csvb_job *job,
                       struct csvb_result *res);

/* csvb_pipeline_run, but with pool (not NULL, not a dry run) a job that succeeded hands its
 * temp files to pool (commit.h) instead of committing them, and returns true: res is then
 * complete except that the commit may still fail, and done, called once on a pool thread when
 * the files are settled, is the only one to touch res from then on (its time excludes the
 * commit). Returns false when res is final (done is not called). */
bool csvb_pipeline_run_to(const struct csvb_plan *plan, const struct csvb_job *job,
                          struct csvb_result *res, struct csvb_commit *pool,
                          struct csvb_commit_done done);

#endif
