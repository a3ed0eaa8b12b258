/* pipeline.h — one file end to end: open, read, filter, project, write atomically. No globals. */
#ifndef CSVBATCH_PIPELINE_H
#define CSVBATCH_PIPELINE_H

#include <stdbool.h>
#include <sys/types.h>

#include "csvbatch/enumerate.h"
#include "csvbatch/options.h"
#include "csvbatch/reader.h"
#include "csvbatch/result.h"

/* Everything a worker needs, shared read-only by all of them. */
struct csvb_plan {
    const struct csvb_options *opt;
    const char *stamp; /* the run's ProcessedDate value */
    struct csvb_reader_config reader;
    mode_t file_mode; /* 0666 & ~umask, read once before the workers start */
    mode_t dir_mode;  /* 0777 & ~umask */
    const _Atomic int *cancel;
};

/* Runs job under plan and fills res completely (status, counts, time, diag). Never prints. */
void csvb_pipeline_run(const struct csvb_plan *plan, const struct csvb_job *job,
                       struct csvb_result *res);

#endif
