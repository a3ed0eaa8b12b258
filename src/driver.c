/* driver.c — the only file with OpenMP: one job per iteration, in the schedule's order. */
#include "csvbatch/driver.h"

#include <omp.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <sys/resource.h>

#include "csvbatch/chunks.h"
#include "csvbatch/clock.h"
#include "csvbatch/commit.h"
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

/* What the loop and the commit pool share to finish a job. */
struct finish {
    const struct csvb_plan *plan;
    const struct csvb_joblist *list;
    struct csvb_results *results;
    _Atomic size_t *failures;
};

/* Where a job's final result goes: the one-process run's results (finish_job) or a feed's done
 * (the MPI build). fn may move res's contents. */
struct result_to {
    void (*fn)(void *ctx, int slot, size_t i, struct csvb_result *res);
    void *ctx;
    int slot;
};

/* A job's whole result while it runs, and until the pool has committed its output: then it
 * goes where `to` says. */
struct running {
    const struct csvb_plan *plan;
    struct result_to to;
    struct csvb_result res;
};

/* The steps after job i's result res is final: the incremental journal, the failure count,
 * progress; then res goes into the results (and is left empty). */
static void finish_job(const struct finish *f, size_t i, struct csvb_result *res)
{
    csvb_incremental_record(f->plan->incremental, i, &f->list->jobs[i], res);
    if (res->status == CSVB_STATUS_FAILED)
        atomic_fetch_add(f->failures, 1);
    if (f->plan->progress != NULL)
        atomic_fetch_add(&f->plan->progress->files_done, 1);
    (void)csvb_results_put(f->results, i, res); /* no memory: it reads as failed, said so */
}

/* finish_job as a result_to. */
static void to_results(void *ctx, int slot, size_t i, struct csvb_result *res)
{
    (void)slot;
    finish_job(ctx, i, res);
}

/* The pool's done: a commit that failed fails the job, as an inline commit would have. */
static void committed(void *ctx, size_t i, enum csvb_err e, const struct csvb_diag *d)
{
    struct running *run = ctx;
    struct csvb_result *res = &run->res;
    const struct csvb_plan *plan = run->plan;
    if (e != CSVB_OK) {
        res->diag = *d;
        csvb_result_settle(res, e, atomic_load(plan->cancel) != 0, plan->limits.timeout);
    }
    run->to.fn(run->to.ctx, run->to.slot, i, res);
    csvb_result_fini(res);
    free(run);
}

/* Sets job i's result to a job that was never read (csvb_result_preset). */
static void put_preset(struct csvb_results *results, size_t i, enum csvb_status status,
                       enum csvb_err code, const char *message)
{
    struct csvb_result res;
    csvb_result_preset(&res, status, code, message);
    (void)csvb_results_put(results, i, &res);
}

/* The group-commit pool when outputs are made durable: workers then never wait on fsync, and
 * more files are in flight than there are workers. NULL (commit inline) otherwise. */
static struct csvb_commit *commit_pool(const struct csvb_plan *plan, int threads)
{
    if (!plan->fsync || plan->stage.dry_run)
        return NULL;
    struct rlimit rl;
    long nofile = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY
                      ? (long)rl.rlim_cur
                      : 1024;
    size_t in_flight = csvb_commit_in_flight(threads, nofile);
    return csvb_commit_new(in_flight < CSVB_COMMIT_THREADS ? (int)in_flight : CSVB_COMMIT_THREADS,
                           in_flight);
}

/* One job: whole, or (a big file with threads to spare) as chunk tasks. Returns true when its
 * output went to pool (finish_job then runs when it is committed). */
static bool run_job(const struct csvb_plan *plan, const struct csvb_job *job, int threads,
                    struct csvb_result *res, struct csvb_commit *pool, struct csvb_commit_done done)
{
    struct csvb_chunks *chunks =
        threads > 1 ? csvb_chunks_new(plan, job, csvb_chunks_max(threads)) : NULL;
    if (chunks == NULL)
        return csvb_pipeline_run_to(plan, job, res, pool, done);
    /* Threads with no whole file left take the chunk tasks up at the loop's end, so chunking
     * only ever uses otherwise idle threads. */
    size_t nchunks = csvb_chunks_count(chunks);
    for (size_t part = 0; part < nchunks; part++) {
#pragma omp task default(none) firstprivate(chunks, job, plan)
        csvb_chunks_run(plan, job, chunks); /* the next chunk in file order */
    }
#pragma omp taskwait
    csvb_chunks_finish(plan, job, chunks, res);
    return false;
}

void csvb_driver_preset(const struct csvb_joblist *list, struct csvb_results *results)
{
    for (size_t i = 0; i < list->n; i++) {
        const struct csvb_job *job = &list->jobs[i];
        if (job->kind == CSVB_JOB_SKIP)
            put_preset(results, i, CSVB_STATUS_SKIPPED, CSVB_E_IO, job->reason);
        else if (job->kind == CSVB_JOB_FAIL)
            put_preset(results, i, CSVB_STATUS_FAILED, CSVB_E_CONFLICT, job->reason);
    }
}

void csvb_driver_refuse(struct csvb_results *results, size_t i, const char *why)
{
    put_preset(results, i, CSVB_STATUS_SKIPPED, CSVB_E_CANCELLED, why);
}

/* Job i, its result handed to `to` when final: at once, or (queued to pool) when the pool has
 * committed its output. */
static void run_one(const struct csvb_plan *plan, const struct csvb_joblist *list, size_t i,
                    int threads, struct csvb_commit *pool, struct result_to to)
{
    /* A worker's own record, or one on the heap that the pool's done frees (the pool keeps
     * a bounded number of outputs in flight: csvb_commit_in_flight). */
    struct running local, *run = pool != NULL ? malloc(sizeof *run) : NULL;
    if (run == NULL)
        run = &local;
    run->plan = plan;
    run->to = to;
    csvb_result_init(&run->res);
    struct csvb_commit_done done = {committed, run, i};
    bool queued =
        run_job(plan, &list->jobs[i], threads, &run->res, run != &local ? pool : NULL, done);
    if (queued) /* run->res is the pool's until it is committed */
        return;
    to.fn(to.ctx, to.slot, i, &run->res);
    csvb_result_fini(&run->res);
    if (run != &local)
        free(run);
}

void csvb_driver_run(const struct csvb_plan *plan, const struct csvb_joblist *list,
                     struct csvb_results *results)
{
    struct csvb_schedule sched;
    struct csvb_diag d;
    csvb_diag_init(&d);
    bool scheduled = csvb_schedule_init(&sched, list, plan->chunk_size, &d) == CSVB_OK;
    csvb_driver_preset(list, results);
    _Atomic size_t failures = 0;
    struct finish fin = {plan, list, results, &failures};
    for (size_t i = 0; !scheduled && i < list->n; i++)
        if (list->jobs[i].kind == CSVB_JOB_RUN) /* no memory for the schedule: input order */
            run_one(plan, list, i, 1, NULL, (struct result_to){to_results, &fin, 0});
    if (!scheduled) {
        csvb_schedule_fini(&sched);
        return;
    }
    int threads = csvb_schedule_threads(&sched, plan->threads);
    const size_t *order = sched.order;
    double deadline = plan->limits.deadline > 0 ? csvb_now() + plan->limits.deadline : 0;
    long total = (long)sched.n;
    struct csvb_commit *pool = commit_pool(plan, threads);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads) default(none)                   \
    shared(plan, list, results, order, total, threads, failures, deadline, fin, pool)
    for (long k = 0; k < total; k++) {
        size_t i = order[k];
        const char *why = csvb_driver_refusal(plan, atomic_load(&failures), deadline);
        if (why != NULL) {
            csvb_driver_refuse(results, i, why);
            continue;
        }
        csvb_progress_working(plan->progress, list->jobs[i].path);
        run_one(plan, list, i, threads, pool, (struct result_to){to_results, &fin, 0});
        csvb_progress_working(plan->progress, NULL);
    }
    csvb_commit_free(pool); /* every queued output committed (or failed): results are final */
    csvb_schedule_fini(&sched);
}

void csvb_driver_run_fed(const struct csvb_plan *plan, const struct csvb_joblist *list, int threads,
                         const struct csvb_driver_feed *feed)
{
    struct csvb_commit *pool = commit_pool(plan, threads);
#pragma omp parallel num_threads(threads) default(none) shared(plan, list, threads, feed, pool)
    {
        int slot = omp_get_thread_num();
        size_t i;
        while (feed->next(feed->ctx, slot, &i)) {
            csvb_progress_working(plan->progress, list->jobs[i].path);
            run_one(plan, list, i, threads, pool, (struct result_to){feed->done, feed->ctx, slot});
            csvb_progress_working(plan->progress, NULL);
        }
    }
    csvb_commit_free(pool); /* every queued output committed: each done has been called */
}
