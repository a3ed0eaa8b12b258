/* driver.c — the only file with OpenMP: one job per iteration, in the schedule's order. */
#include "csvbatch/driver.h"

#include <omp.h>
#include <stdatomic.h>

#include "csvbatch/chunks.h"
#include "csvbatch/clock.h"
#include "csvbatch/incremental.h"
#include "csvbatch/pipeline.h"
#include "csvbatch/schedule.h"

const char *csvb_driver_refusal(const struct csvb_plan *plan, size_t failures, double deadline)
{
    if (atomic_load_explicit(plan->cancel, memory_order_relaxed))
        return "not started: interrupted";
    size_t limit = plan->limits.max_failures;
    if (limit > 0 && failures >= limit)
        return plan->limits.fail_fast ? "not started: --fail-fast after a failure"
                                      : "not started: --max-failures reached";
    if (deadline > 0 && csvb_now() > deadline)
        return "not started: --deadline passed";
    return NULL;
}

/* One job: whole, or (a big file with threads to spare) as chunk tasks. */
static void run_job(const struct csvb_plan *plan, const struct csvb_job *job, int threads,
                    struct csvb_result *res)
{
    struct csvb_chunks *chunks =
        threads > 1 ? csvb_chunks_new(plan, job, csvb_chunks_max(threads)) : NULL;
    if (chunks == NULL) {
        csvb_pipeline_run(plan, job, res);
        return;
    }
    /* Threads with no whole file left take the chunk tasks up at the loop's end, so chunking
     * only ever uses otherwise idle threads. */
    size_t nchunks = csvb_chunks_count(chunks);
    for (size_t part = 0; part < nchunks; part++) {
#pragma omp task default(none) firstprivate(part, chunks, job, plan)
        csvb_chunks_run(plan, job, chunks, part);
    }
#pragma omp taskwait
    csvb_chunks_finish(plan, job, chunks, res);
}

void csvb_driver_preset(const struct csvb_joblist *list, struct csvb_result *results)
{
    for (size_t i = 0; i < list->n; i++) {
        const struct csvb_job *job = &list->jobs[i];
        if (job->kind == CSVB_JOB_SKIP)
            csvb_result_preset(&results[i], CSVB_STATUS_SKIPPED, CSVB_E_IO, job->reason);
        else if (job->kind == CSVB_JOB_FAIL)
            csvb_result_preset(&results[i], CSVB_STATUS_FAILED, CSVB_E_CONFLICT, job->reason);
    }
}

void csvb_driver_run(const struct csvb_plan *plan, const struct csvb_joblist *list,
                     struct csvb_result *results)
{
    struct csvb_schedule sched;
    struct csvb_diag d;
    csvb_diag_init(&d);
    bool scheduled = csvb_schedule_init(&sched, list, plan->chunk_size, &d) == CSVB_OK;
    csvb_driver_preset(list, results);
    for (size_t i = 0; !scheduled && i < list->n; i++) {
        const struct csvb_job *job = &list->jobs[i];
        if (job->kind == CSVB_JOB_RUN) { /* no memory for the schedule: input order, one thread */
            csvb_pipeline_run(plan, job, &results[i]);
            csvb_incremental_record(plan->incremental, i, job, &results[i]);
        }
    }
    if (!scheduled) {
        csvb_schedule_fini(&sched);
        return;
    }
    int threads = csvb_schedule_threads(&sched, plan->threads);
    const size_t *order = sched.order;
    _Atomic size_t failures = 0;
    double deadline = plan->limits.deadline > 0 ? csvb_now() + plan->limits.deadline : 0;
    long total = (long)sched.n;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads) default(none)                   \
    shared(plan, list, results, order, total, threads, failures, deadline)
    for (long k = 0; k < total; k++) {
        size_t i = order[k];
        const char *why = csvb_driver_refusal(plan, atomic_load(&failures), deadline);
        if (why != NULL) {
            csvb_result_preset(&results[i], CSVB_STATUS_SKIPPED, CSVB_E_CANCELLED, why);
            continue;
        }
        csvb_progress_working(plan->progress, list->jobs[i].path);
        run_job(plan, &list->jobs[i], threads, &results[i]);
        csvb_incremental_record(plan->incremental, i, &list->jobs[i], &results[i]);
        if (results[i].status == CSVB_STATUS_FAILED)
            atomic_fetch_add(&failures, 1);
        csvb_progress_working(plan->progress, NULL);
        if (plan->progress != NULL)
            atomic_fetch_add(&plan->progress->files_done, 1);
    }
    csvb_schedule_fini(&sched);
}

void csvb_driver_run_fed(const struct csvb_plan *plan, const struct csvb_joblist *list,
                         struct csvb_result *results, int threads,
                         const struct csvb_driver_feed *feed)
{
#pragma omp parallel num_threads(threads) default(none) shared(plan, list, results, threads, feed)
    {
        int slot = omp_get_thread_num();
        size_t i;
        while (feed->next(feed->ctx, slot, &i)) {
            csvb_progress_working(plan->progress, list->jobs[i].path);
            run_job(plan, &list->jobs[i], threads, &results[i]);
            csvb_progress_working(plan->progress, NULL);
            feed->done(feed->ctx, slot, i);
        }
    }
}
