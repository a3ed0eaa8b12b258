/* test_merge_reports.c — the worst exit code, and the checks that shares fit together. */
#include <criterion/criterion.h>
#include <string.h>

#include "csvbatch/merge_reports.h"

Test(merge_reports, worst_exit_by_the_tool_rules)
{
    cr_assert_eq(csvb_merge_worst_exit(0, 0), 0);
    cr_assert_eq(csvb_merge_worst_exit(0, 1), 1);
    cr_assert_eq(csvb_merge_worst_exit(1, 0), 1);
    cr_assert_eq(csvb_merge_worst_exit(1, 2), 2);
    cr_assert_eq(csvb_merge_worst_exit(2, 130), 130);
    cr_assert_eq(csvb_merge_worst_exit(143, 1), 143);
    cr_assert_eq(csvb_merge_worst_exit(130, 143), 130); /* of two interruptions, the first */
}

/* Share k of n holding the files at the given whole-run indexes. */
static void share(struct csvb_report_doc *doc, unsigned k, unsigned n, size_t total,
                  const char *digest, const size_t *index, size_t nfiles)
{
    memset(doc, 0, sizeof *doc);
    doc->sharded = true;
    doc->shard_index = k;
    doc->shard_count = n;
    doc->files_total = total;
    snprintf(doc->plan_digest, sizeof doc->plan_digest, "%s", digest);
    doc->n = nfiles;
    doc->index = (size_t *)index;
}

Test(merge_reports, order_and_errors)
{
    const char *paths[] = {"a.json", "b.json", "c.json"};
    const size_t i1[] = {1, 3}, i2[] = {0, 2, 4}, dup[] = {1};
    struct csvb_report_doc docs[3];
    struct csvb_diag d;
    size_t *order, total;
    share(&docs[0], 2, 2, 5, "p", i1, 2);
    share(&docs[1], 1, 2, 5, "p", i2, 3);
    csvb_diag_init(&d);
    cr_assert_eq(csvb_merge_reports_check(docs, paths, 2, &order, &total, &d), CSVB_OK);
    cr_assert_eq(total, 5);
    const size_t want[] = {5 + 0, 0 + 0, 5 + 1, 0 + 1, 5 + 2}; /* doc * total + file */
    for (size_t i = 0; i < 5; i++)
        cr_assert_eq(order[i], want[i], "file %zu", i);
    free(order);

    cr_assert_eq(csvb_merge_reports_check(docs, paths, 1, &order, &total, &d), CSVB_E_IO);
    cr_assert_str_eq(d.message, "share 1 of 2 is missing (1 of 2 reports given)");
    cr_assert_null(order);

    share(&docs[2], 2, 2, 5, "p", i1, 2);
    csvb_diag_init(&d);
    cr_assert_eq(csvb_merge_reports_check(docs, paths, 3, &order, &total, &d), CSVB_E_IO);
    cr_assert_str_eq(d.message, "share 2 of 2 is given twice: a.json and c.json");

    share(&docs[1], 1, 2, 5, "q", i2, 3);
    csvb_diag_init(&d);
    cr_assert_eq(csvb_merge_reports_check(docs, paths, 2, &order, &total, &d), CSVB_E_IO);
    cr_assert_str_eq(d.message, "b.json is from another plan than a.json (share 1 of 2, plan q; "
                                "there: share 2 of 2, plan p)");

    share(&docs[1], 1, 2, 5, "p", dup, 1); /* index 1 is a.json's too; 0, 2, 4 nobody's */
    csvb_diag_init(&d);
    cr_assert_eq(csvb_merge_reports_check(docs, paths, 2, &order, &total, &d), CSVB_E_IO);
    cr_assert_str_eq(d.message, "b.json: file 1 has index 1, another share's too");

    docs[1].sharded = false;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_merge_reports_check(docs, paths, 2, &order, &total, &d), CSVB_E_IO);
    cr_assert_str_eq(d.message, "b.json: not a shard's report (no \"shard\" member: run with "
                                "--shard and --report)");
}
