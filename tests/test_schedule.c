/* test_schedule.c — largest first, ties in input order, only runnable jobs; thread count. */
#include <criterion/criterion.h>

#include "csvbatch/schedule.h"

static struct csvb_joblist list_of(struct csvb_job *jobs, size_t n)
{
    struct csvb_joblist l;
    memset(&l, 0, sizeof l);
    l.jobs = jobs;
    l.n = n;
    return l;
}

Test(schedule, largest_first_ties_in_input_order)
{
    struct csvb_job jobs[6];
    memset(jobs, 0, sizeof jobs);
    const off_t sizes[6] = {10, 50, 10, 70, 50, 5};
    for (size_t i = 0; i < 6; i++) {
        jobs[i].kind = CSVB_JOB_RUN;
        jobs[i].size = sizes[i];
    }
    jobs[5].kind = CSVB_JOB_SKIP;
    struct csvb_joblist l = list_of(jobs, 6);
    struct csvb_schedule s;
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_schedule_init(&s, &l, 0, &d), CSVB_OK);
    cr_assert_eq(s.n, 5);
    const size_t want[5] = {3, 1, 4, 0, 2};
    for (size_t k = 0; k < 5; k++)
        cr_assert_eq(s.order[k], want[k], "position %zu", k);
    cr_assert_not(s.splittable);
    cr_assert_eq(csvb_schedule_threads(&s, 8), 5); /* no more threads than files */
    cr_assert_eq(csvb_schedule_threads(&s, 2), 2);
    cr_assert_eq(csvb_schedule_threads(&s, 0), 1);
    csvb_schedule_fini(&s);
    csvb_schedule_fini(&s);
}

Test(schedule, big_file_keeps_the_threads)
{
    struct csvb_job jobs[2];
    memset(jobs, 0, sizeof jobs);
    jobs[0].size = 100;
    jobs[1].size = 10;
    struct csvb_joblist l = list_of(jobs, 2);
    struct csvb_schedule s;
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_schedule_init(&s, &l, 50, &d), CSVB_OK);
    cr_assert(s.splittable); /* 100 >= 2 x 50 */
    cr_assert_eq(csvb_schedule_threads(&s, 8), 8);
    csvb_schedule_fini(&s);
    cr_assert_eq(csvb_schedule_init(&s, &l, 51, &d), CSVB_OK);
    cr_assert_not(s.splittable);
    csvb_schedule_fini(&s);
}

Test(schedule, empty)
{
    struct csvb_joblist l = list_of(NULL, 0);
    struct csvb_schedule s;
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_schedule_init(&s, &l, 10, &d), CSVB_OK);
    cr_assert_eq(s.n, 0);
    cr_assert_eq(csvb_schedule_threads(&s, 4), 1);
    csvb_schedule_fini(&s);
}
