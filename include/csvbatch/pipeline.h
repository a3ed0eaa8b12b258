/* pipeline.h — one whole file, serially: open its source chain, read, stage, commit. */
#ifndef CSVBATCH_PIPELINE_H
#define CSVBATCH_PIPELINE_H

#include "csvbatch/outputs.h"
#include "csvbatch/plan.h"
#include "csvbatch/result.h"

/* Runs job under plan and fills res completely (status, counts, time, diag). Never prints. */
void csvb_pipeline_run(const struct csvb_plan *plan, const struct csvb_job *job,
                       struct csvb_result *res);

#endif
