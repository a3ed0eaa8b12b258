/* test_result.c — settle rules and the exit code (DESIGN §4), as a table. */
#include <criterion/criterion.h>
#include <string.h>

#include "csvbatch/result.h"
#include "csvbatch/results.h"

struct exit_case {
    size_t failed;
    size_t not_started;
    bool run_failed;
    int signal;
    int expected;
};

static const struct exit_case exit_cases[] = {
    {0, 0, false, 0, 0},   {1, 0, false, 0, 1},    {7, 0, false, 0, 1},   {0, 0, true, 0, 1},
    {3, 0, true, 0, 1},    {0, 0, false, 2, 130},  {5, 0, true, 15, 143}, {0, 0, false, 1, 129},
    {0, 1, false, 0, 1},   {0, 4, false, 0, 1},    {2, 3, false, 0, 1},   {0, 2, true, 0, 1},
    {0, 3, false, 2, 130}, {0, 1, false, 15, 143},
};

Test(result, exit_code_table)
{
    for (size_t i = 0; i < sizeof exit_cases / sizeof exit_cases[0]; i++) {
        const struct exit_case *c = &exit_cases[i];
        cr_assert_eq(csvb_result_exit_code(c->failed, c->not_started, c->run_failed, c->signal),
                     c->expected, "case %zu", i);
    }
}

Test(result, settle_success_keeps_counts)
{
    struct csvb_result r;
    csvb_result_init(&r);
    struct csvb_stage_counts c = {5, 3, 1, 99};
    csvb_result_add_counts(&r, &c);
    csvb_result_add_counts(&r, &c);
    csvb_result_settle(&r, CSVB_OK, false, 0);
    cr_assert_eq(r.status, CSVB_STATUS_SUCCESS);
    cr_assert_eq(r.rows_read, 10);
    cr_assert_eq(r.rows_written, 6);
    cr_assert_eq(r.rows_rejected, 2);
    cr_assert_eq(r.bytes_written, 198);
    cr_assert_eq(r.diag.code, CSVB_OK);
}

Test(result, settle_failure_writes_nothing)
{
    struct csvb_result r;
    csvb_result_init(&r);
    struct csvb_stage_counts c = {5, 3, 1, 99};
    csvb_result_add_counts(&r, &c);
    struct csvb_field f = {"a", 1};
    struct csvb_row head = {&f, 1, 1};
    cr_assert_eq(csvb_rows_append(&r.preview, &head), CSVB_OK);
    csvb_diag_set(&r.diag, CSVB_E_PARSE, 4, "expected 2 fields, found 3");
    csvb_result_settle(&r, CSVB_E_PARSE, false, 0);
    cr_assert_eq(r.status, CSVB_STATUS_FAILED);
    cr_assert_eq(r.rows_read, 5); /* what was read stays true */
    cr_assert_eq(r.rows_written, 0);
    cr_assert_eq(r.rows_rejected, 0);
    cr_assert_eq(r.bytes_written, 0);
    cr_assert_eq(r.preview.n, 0);
    cr_assert_str_eq(r.diag.message, "expected 2 fields, found 3");
    cr_assert_eq(r.diag.line, 4);
    csvb_result_fini(&r);
    csvb_result_fini(&r);
}

Test(result, settle_timeout_and_interrupt_replace_the_cause)
{
    struct csvb_result r;
    csvb_result_init(&r);
    csvb_diag_set(&r.diag, CSVB_E_TIMEOUT, 0, "read failed");
    csvb_result_settle(&r, CSVB_E_TIMEOUT, false, 2.5);
    cr_assert_str_eq(r.diag.message, "timed out after 2.5 s");
    cr_assert_eq(r.diag.code, CSVB_E_TIMEOUT);
    csvb_result_init(&r);
    csvb_diag_set(&r.diag, CSVB_E_IO, 0, "read failed: Interrupted system call");
    csvb_result_settle(&r, CSVB_E_IO, true, 0);
    cr_assert_str_eq(r.diag.message, "interrupted");
    cr_assert_eq(r.diag.code, CSVB_E_CANCELLED);
    cr_assert_eq(r.status, CSVB_STATUS_FAILED);
    /* a file that finished before the signal stays a success */
    csvb_result_init(&r);
    csvb_result_settle(&r, CSVB_OK, true, 0);
    cr_assert_eq(r.status, CSVB_STATUS_SUCCESS);
}

Test(result, preset)
{
    struct csvb_result r;
    csvb_result_preset(&r, CSVB_STATUS_SKIPPED, CSVB_E_CANCELLED, "not started: interrupted");
    cr_assert_eq(r.status, CSVB_STATUS_SKIPPED);
    cr_assert_str_eq(r.diag.message, "not started: interrupted");
    csvb_result_preset(&r, CSVB_STATUS_FAILED, CSVB_E_CONFLICT, NULL);
    cr_assert_eq(r.diag.code, CSVB_OK);
    cr_assert_eq(r.status, CSVB_STATUS_FAILED);
}

Test(result, not_started_counts_refusals_not_notices)
{
    struct csvb_result r[4];
    csvb_result_preset(&r[0], CSVB_STATUS_SKIPPED, CSVB_E_CANCELLED,
                       "not started: --deadline passed");
    csvb_result_preset(&r[1], CSVB_STATUS_SKIPPED, CSVB_E_IO, "not a regular file (FIFO)");
    csvb_result_preset(&r[2], CSVB_STATUS_FAILED, CSVB_E_CANCELLED, "interrupted");
    csvb_result_init(&r[3]);
    cr_assert(csvb_result_not_started(&r[0]));
    cr_assert(!csvb_result_not_started(&r[1]));
    cr_assert(!csvb_result_not_started(&r[2]));
    cr_assert(!csvb_result_not_started(&r[3]));
    struct csvb_results all, none, fifo, refused;
    csvb_results_wrap(&all, r, 4);
    csvb_results_wrap(&none, r, 0);
    csvb_results_wrap(&fifo, &r[1], 1);
    csvb_results_wrap(&refused, r, 1);
    cr_assert_eq(csvb_results_count_not_started(&all), 1);
    cr_assert_eq(csvb_results_count_not_started(&none), 0);
    /* a run with only a FIFO notice exits 0; one with a refused file exits 1 */
    cr_assert_eq(csvb_result_exit_code(0, csvb_results_count_not_started(&fifo), false, 0), 0);
    cr_assert_eq(csvb_result_exit_code(0, csvb_results_count_not_started(&refused), false, 0), 1);
}
