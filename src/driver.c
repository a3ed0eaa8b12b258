/* driver.c — the only file with OpenMP: one job per iteration, largest inputs first. */
#include "csvbatch/driver.h"

#include "csvbatch/chunks.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct order {
    off_t size;
    size_t job;
};

/* Largest first (LPT), ties in input order, so the schedule is deterministic. */
static int cmp_order(const void *a, const void *b)
{
    const struct order *x = a, *y = b;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return x->job < y->job ? -1 : x->job > y->job;
}

static void preset(struct csvb_result *res, enum csvb_status status, enum csvb_err code,
                   const char *message)
{
    memset(res, 0, sizeof *res);
    csvb_diag_init(&res->diag);
    res->status = status;
    if (message != NULL)
        csvb_diag_set(&res->diag, code, 0, "%s", message);
}

void csvb_driver_run(const struct csvb_plan *plan, const struct csvb_joblist *list, int threads,
                     struct csvb_result *results)
{
    size_t n = list->n, nrun = 0;
    struct order *order = calloc(n + 1, sizeof *order);
    for (size_t i = 0; i < n; i++) {
        const struct csvb_job *job = &list->jobs[i];
        if (job->kind == CSVB_JOB_SKIP)
            preset(&results[i], CSVB_STATUS_SKIPPED, CSVB_E_IO, job->reason);
        else if (job->kind == CSVB_JOB_FAIL)
            preset(&results[i], CSVB_STATUS_FAILED, CSVB_E_CONFLICT, job->reason);
        else if (order != NULL)
            order[nrun++] = (struct order){job->size, i};
        else /* no memory for the schedule: run in input order, one thread */
            csvb_pipeline_run(plan, job, &results[i]);
    }
    if (nrun > 1)
        qsort(order, nrun, sizeof *order, cmp_order);
    if (threads < 1)
        threads = 1;
    /* More threads than files only help when a file is big enough to be split. */
    bool splittable =
        nrun > 0 && plan->chunk_size > 0 && order[0].size >= 2 * (off_t)plan->chunk_size;
    if ((size_t)threads > nrun && !splittable)
        threads = nrun > 0 ? (int)nrun : 1;
    const _Atomic int *cancel = plan->cancel;
    const struct csvb_options *opt = plan->opt;
    _Atomic size_t failures = 0;
    double deadline = opt->deadline > 0 ? csvb_now() + opt->deadline : 0;
    long total = (long)nrun;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads) default(none)                   \
    shared(plan, list, results, order, total, cancel, threads, opt, failures, deadline)
    for (long k = 0; k < total; k++) {
        size_t i = order[k].job;
        const struct csvb_job *job = &list->jobs[i];
        if (cancel != NULL && atomic_load_explicit(cancel, memory_order_relaxed)) {
            preset(&results[i], CSVB_STATUS_SKIPPED, CSVB_E_CANCELLED, "not started: interrupted");
            continue;
        }
        if (opt->max_failures > 0 && atomic_load(&failures) >= opt->max_failures) {
            preset(&results[i], CSVB_STATUS_SKIPPED, CSVB_E_CANCELLED,
                   opt->fail_fast ? "not started: --fail-fast after a failure"
                                  : "not started: --max-failures reached");
            continue;
        }
        if (deadline > 0 && csvb_now() > deadline) {
            preset(&results[i], CSVB_STATUS_SKIPPED, CSVB_E_CANCELLED,
                   "not started: --deadline passed");
            continue;
        }
        csvb_progress_working(plan->progress, job->path);
        struct csvb_chunks *chunks = threads > 1 ? csvb_chunks_new(plan, job) : NULL;
        if (chunks == NULL) {
            csvb_pipeline_run(plan, job, &results[i]);
        } else {
            /* A big file: its chunks become tasks. Threads with no whole file left take them
             * up at the loop's end, so chunking only ever uses otherwise idle threads. */
            size_t nchunks = csvb_chunks_count(chunks);
            for (size_t part = 0; part < nchunks; part++) {
#pragma omp task default(none) firstprivate(part, chunks, job) shared(plan)
                csvb_chunks_run(plan, job, chunks, part);
            }
#pragma omp taskwait
            csvb_chunks_finish(plan, job, chunks, &results[i]);
        }
        if (results[i].status == CSVB_STATUS_FAILED)
            atomic_fetch_add(&failures, 1);
        csvb_progress_working(plan->progress, NULL);
        if (plan->progress != NULL)
            atomic_fetch_add(&plan->progress->files_done, 1);
    }
    free(order);
}
