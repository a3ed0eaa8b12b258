/* pipeline.h — one file end to end: open, read, filter, project, write atomically. No globals. */
#ifndef CSVBATCH_PIPELINE_H
#define CSVBATCH_PIPELINE_H

#include <stdbool.h>
#include <sys/types.h>

#include "csvbatch/clock.h"
#include "csvbatch/outputs.h"
#include "csvbatch/options.h"
#include "csvbatch/progress.h"
#include "csvbatch/reader.h"
#include "csvbatch/result.h"

/* Everything a worker needs, shared read-only by all of them. */
struct csvb_plan {
    const struct csvb_options *opt;
    const char *stamp; /* the run's ProcessedDate value */
    struct csvb_reader_config reader;
    mode_t file_mode; /* 0666 & ~umask, read once before the workers start */
    const _Atomic int *cancel;
    size_t chunk_size; /* files over twice this are split into chunks of it (0: never) */
    struct csvb_progress *progress; /* NULL when no progress is shown */
};

/* Final status of a result from the run's outcome e: "interrupted" replaces whatever error a
 * cancelled run hit; a failed file has nothing written. */
void csvb_pipeline_settle(const struct csvb_plan *plan, enum csvb_err e, struct csvb_result *res);

/* Runs job under plan and fills res completely (status, counts, time, diag). Never prints. */
void csvb_pipeline_run(const struct csvb_plan *plan, const struct csvb_job *job,
                       struct csvb_result *res);

#endif
