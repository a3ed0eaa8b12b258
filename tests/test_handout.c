/* test_handout.c — rank 0's queue in the MPI build: jobs in the schedule's order, refusals as
 * the one-process driver gives them, and when a busy thread may have its next job early. */
#include <criterion/criterion.h>
#include <stdatomic.h>
#include <string.h>

#include "csvbatch/handout.h"

#define NJOBS 6

static _Atomic int cancel_flag;
static struct csvb_plan plan;
static struct csvb_joblist list;
static struct csvb_job jobs[NJOBS];
static struct csvb_result results[NJOBS]; /* read and written through store */
static struct csvb_results store;
static size_t order[NJOBS] = {4, 0, 5, 1, 2, 3}; /* as a schedule ordered them */
static struct csvb_schedule sched = {order, NJOBS, false};

static void setup(void)
{
    atomic_store(&cancel_flag, 0);
    memset(&plan, 0, sizeof plan);
    plan.cancel = &cancel_flag;
    memset(jobs, 0, sizeof jobs);
    list = (struct csvb_joblist){.jobs = jobs, .n = NJOBS, .cap = NJOBS};
    for (size_t i = 0; i < NJOBS; i++)
        csvb_result_init(&results[i]);
    csvb_results_wrap(&store, results, NJOBS);
}

/* Job i is over with this status (its result goes into the store, as a rank's would). */
static void finish(struct csvb_handout *h, size_t i, enum csvb_status status)
{
    struct csvb_result res;
    csvb_result_preset(&res, status, status == CSVB_STATUS_FAILED ? CSVB_E_PARSE : CSVB_OK,
                       status == CSVB_STATUS_FAILED ? "bad row" : NULL);
    csvb_handout_done(h, i, &res);
    csvb_result_fini(&res);
}

static void start(struct csvb_handout *h, int local, int ranks)
{
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_handout_init(h, &plan, &list, &store, &sched, local, ranks, &d), CSVB_OK);
}

TestSuite(handout, .init = setup);

Test(handout, schedule_order_then_none)
{
    struct csvb_handout h;
    size_t i = 99;
    start(&h, 1, 2);
    for (size_t k = 0; k < NJOBS; k++) {
        cr_assert(csvb_handout_next(&h, &i));
        cr_assert_eq(i, order[k]);
        finish(&h, i, CSVB_STATUS_SUCCESS);
    }
    cr_assert_not(csvb_handout_next(&h, &i));
    cr_assert_not(csvb_handout_next(&h, &i));
    for (size_t k = 0; k < NJOBS; k++)
        cr_assert_eq(results[k].status, CSVB_STATUS_SUCCESS, "job %zu was not refused", k);
    csvb_handout_fini(&h);
    csvb_handout_fini(&h); /* safe twice */
}

/* Early jobs while more are left than threads in all: rank 0's 1 and rank 1's 2 make 3 once
 * rank 1 has said so; a rank out of range, or no threads, changes nothing. */
Test(handout, early_while_more_jobs_than_threads)
{
    struct csvb_handout h;
    size_t i;
    start(&h, 1, 3);
    cr_assert(csvb_handout_early(&h)); /* 6 left, 1 thread known */
    csvb_handout_threads(&h, 1, 2);
    csvb_handout_threads(&h, 1, 2); /* said again: still 2 */
    csvb_handout_threads(&h, 3, 50);
    csvb_handout_threads(&h, 0, 50);
    csvb_handout_threads(&h, 2, 0);
    cr_assert_eq(h.threads, 3);
    cr_assert(csvb_handout_next(&h, &i));
    cr_assert(csvb_handout_next(&h, &i));
    cr_assert(csvb_handout_early(&h)); /* 4 left > 3 */
    cr_assert(csvb_handout_next(&h, &i));
    cr_assert_not(csvb_handout_early(&h)); /* 3 left: the last round is handed to idle threads */
    csvb_handout_threads(&h, 2, 1);
    cr_assert_eq(h.threads, 4);
    csvb_handout_threads(&h, 1, 1); /* rank 1 now runs fewer */
    cr_assert_eq(h.threads, 3);
    cr_assert_not(csvb_handout_early(&h));
    csvb_handout_fini(&h);
}

/* --fail-fast: a failed result stops the handout; every job not handed out is Skipped with the
 * one-process driver's message; and no early jobs at all under a failure limit. */
Test(handout, fail_fast_refuses_the_rest)
{
    struct csvb_handout h;
    size_t i, first;
    plan.limits.max_failures = 1;
    plan.limits.fail_fast = true;
    start(&h, 1, 2);
    cr_assert_not(csvb_handout_early(&h));
    cr_assert(csvb_handout_next(&h, &first));
    cr_assert(csvb_handout_next(&h, &i));
    finish(&h, first, CSVB_STATUS_FAILED);
    finish(&h, i, CSVB_STATUS_SUCCESS);
    cr_assert_not(csvb_handout_next(&h, &i));
    for (size_t k = 2; k < NJOBS; k++) {
        cr_assert_eq(results[order[k]].status, CSVB_STATUS_SKIPPED);
        cr_assert_str_eq(results[order[k]].diag.message,
                         "not started: --fail-fast after a failure");
    }
    cr_assert_eq(results[order[1]].status, CSVB_STATUS_SUCCESS);
    csvb_handout_fini(&h);
}

Test(handout, interrupt_and_deadline)
{
    struct csvb_handout h;
    size_t i;
    start(&h, 2, 2);
    cr_assert(csvb_handout_next(&h, &i));
    atomic_store(&cancel_flag, 1);
    cr_assert_not(csvb_handout_next(&h, &i));
    cr_assert_str_eq(results[order[5]].diag.message, "not started: interrupted");
    csvb_handout_fini(&h);

    setup();
    plan.limits.deadline = 1e-9; /* passed by the first ask */
    start(&h, 1, 2);
    cr_assert_not(csvb_handout_early(&h), "a deadline is decided when a job starts");
    cr_assert_not(csvb_handout_next(&h, &i));
    for (size_t k = 0; k < NJOBS; k++)
        cr_assert_str_eq(results[k].diag.message, "not started: --deadline passed");
    csvb_handout_fini(&h);
}

/* Rank 0's poll interval: short whenever a thread may wait for an answer, else half the
 * interval between messages, within 500..5000 us. */
Test(handout, poll_interval)
{
    struct csvb_handout h;
    size_t i;
    start(&h, 1, 2);
    cr_assert_eq(csvb_handout_poll_us(&h, 0), 500, "no interval known yet");
    cr_assert_eq(csvb_handout_poll_us(&h, 0.004), 2000);
    cr_assert_eq(csvb_handout_poll_us(&h, 0.0002), 500);
    cr_assert_eq(csvb_handout_poll_us(&h, 2.5), 5000);
    for (int k = 0; k < 5; k++)
        cr_assert(csvb_handout_next(&h, &i));
    cr_assert_eq(csvb_handout_poll_us(&h, 2.5), 500, "last round: asks wait for answers");
    csvb_handout_fini(&h);

    setup();
    plan.limits.max_failures = 2;
    start(&h, 1, 2);
    cr_assert_eq(csvb_handout_poll_us(&h, 2.5), 500, "under a limit every ask waits");
    csvb_handout_fini(&h);
}
