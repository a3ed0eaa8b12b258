/* test_pipeline.c — one file end to end, and the driver: results independent of -j. */
#include <criterion/criterion.h>
#include <string.h>

#include "csvbatch/cli.h"
#include "csvbatch/driver.h"
#include "csvbatch/pipeline.h"
#include "csvbatch/plan.h"
#include "helpers.h"

struct harness {
    struct csvb_options opt;
    struct csvb_plan plan;
    struct csvb_joblist list;
    struct csvb_results store;   /* what the driver filled, compact as in a real run */
    struct csvb_result *results; /* the store expanded, for the assertions */
};

static void run_args(struct harness *h, int argc, char **argv, int threads)
{
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_cli_parse(argc, argv, &h->opt, &d), CSVB_CLI_OK, "%s", d.message);
    cr_assert_eq(csvb_outputs_plan(&h->opt, &h->list, &d), CSVB_OK, "%s", d.message);
    h->opt.jobs = threads;
    h->opt.timestamp = "2026-01-01T00:00:00Z";
    cr_assert_eq(csvb_plan_init(&h->plan, &h->opt, NULL, 0, 022, NULL, 1, &d), CSVB_OK, "%s",
                 d.message);
    cr_assert_eq(csvb_results_init(&h->store, h->list.n, &d), CSVB_OK);
    csvb_driver_run(&h->plan, &h->list, &h->store);
    h->results = csvb_results_expand(&h->store);
    cr_assert_not_null(h->results);
}

static void harness_fini(struct harness *h)
{
    free(h->results); /* its previews are the store's */
    csvb_results_fini(&h->store);
    csvb_plan_fini(&h->plan);
    csvb_joblist_fini(&h->list);
    csvb_options_fini(&h->opt);
}

static const char *const people =
    "ID,Name,Status,Email\n1,Alice,Active,a@x\n2,Bob,Inactive,b@x\n3,\"Carol, Jr.\",active,c@x\n"
    "4,Dan,ACTIVE ,d@x\n5,\"Eve \"\"E\"\"\",ACTIVE,e@x\n";

Test(pipeline, default_job_bytes_and_counts)
{
    char *t = tmpdir_new();
    write_text(t, "people.csv", people);
    char *argv[] = {"csvbatch", t};
    struct harness h;
    run_args(&h, 2, argv, 2);
    cr_assert_eq(h.list.n, 1);
    cr_assert_eq(h.results[0].status, CSVB_STATUS_SUCCESS, "%s", h.results[0].diag.message);
    cr_assert_eq(h.results[0].rows_read, 5);
    cr_assert_eq(h.results[0].rows_written, 3);
    cr_assert_eq(h.results[0].bytes_read, strlen(people));
    char *out = read_text(t, "people_processed.csv");
    const char *want = "Name,ID,ProcessedDate\nAlice,1,2026-01-01T00:00:00Z\n\"Carol, "
                       "Jr.\",3,2026-01-01T00:00:00Z\n\"Eve \"\"E\"\"\",5,2026-01-01T00:00:00Z\n";
    cr_assert_str_eq(out, want);
    cr_assert_eq(h.results[0].bytes_written, strlen(want));
    free(out);
    harness_fini(&h);
    tmpdir_free(t);
}

Test(pipeline, header_only_when_nothing_matches_and_dry_run_writes_nothing)
{
    char *t = tmpdir_new();
    write_text(t, "none.csv", "Name,ID,Status\nA,1,Gone\n");
    char *argv[] = {"csvbatch", "-n", t};
    struct harness h;
    run_args(&h, 3, argv, 1);
    cr_assert_eq(h.results[0].status, CSVB_STATUS_SUCCESS);
    cr_assert_eq(h.results[0].rows_read, 1);
    cr_assert_eq(h.results[0].rows_written, 0);
    cr_assert_eq(h.results[0].bytes_written, strlen("Name,ID,ProcessedDate\n"));
    cr_assert_not(exists_in(t, "none_processed.csv"));
    harness_fini(&h);
    char *argv2[] = {"csvbatch", t};
    run_args(&h, 2, argv2, 1);
    char *out = read_text(t, "none_processed.csv");
    cr_assert_str_eq(out, "Name,ID,ProcessedDate\n");
    free(out);
    harness_fini(&h);
    tmpdir_free(t);
}

Test(pipeline, bad_file_fails_alone_without_output)
{
    char *t = tmpdir_new();
    write_text(t, "a.csv", "Name,ID,Status\nA,1,Active\n");
    write_text(t, "b.csv", "Name,ID,Status\nA,1,Active\nB,2\n");
    write_text(t, "c.csv", "Name,Status\nA,Active\n");
    char *argv[] = {"csvbatch", t};
    struct harness h;
    run_args(&h, 2, argv, 2);
    cr_assert_eq(h.results[0].status, CSVB_STATUS_SUCCESS);
    cr_assert_eq(h.results[1].status, CSVB_STATUS_FAILED);
    cr_assert_eq(h.results[1].diag.line, 3);
    cr_assert_str_eq(h.results[1].diag.message,
                     "expected 3 fields, found 2 (--on-bad-row pad fills short records with "
                     "empty fields)");
    cr_assert_eq(h.results[1].rows_written, 0);
    cr_assert_eq(h.results[2].status, CSVB_STATUS_FAILED);
    cr_assert_str_eq(h.results[2].diag.message,
                     "expected a column named 'ID' (output), found header: Name,Status");
    cr_assert(exists_in(t, "a_processed.csv"));
    cr_assert_not(exists_in(t, "b_processed.csv"));
    cr_assert_not(exists_in(t, "c_processed.csv"));
    harness_fini(&h);
    tmpdir_free(t);
}

/* Serialises what must not depend on the thread count: statuses, counts, errors, outputs. */
static char *snapshot(struct harness *h, const char *dir)
{
    char *s = strdup("");
    for (size_t i = 0; i < h->list.n; i++) {
        const struct csvb_result *r = &h->results[i];
        const char *slash = strrchr(h->list.jobs[i].path, '/');
        char name[512];
        snprintf(name, sizeof name, "%.*s_processed.csv", (int)strlen(slash + 1) - 4, slash + 1);
        char *out = read_text(dir, name);
        char *next = NULL;
        cr_assert_geq(asprintf(&next, "%s%s %d %llu %llu %lu %s\n%s", s, h->list.jobs[i].path,
                               (int)r->status, (unsigned long long)r->rows_read,
                               (unsigned long long)r->rows_written, r->diag.line, r->diag.message,
                               out ? out : "(none)\n"),
                      0);
        free(out);
        free(s);
        s = next;
    }
    return s;
}

Test(driver, results_identical_for_any_thread_count)
{
    char *t = tmpdir_new();
    unsigned seed = 7;
    for (int f = 0; f < 40; f++) {
        char name[32];
        snprintf(name, sizeof name, "f%02d.csv", f);
        size_t cap = 1 << 16, len = 0;
        char *buf = malloc(cap);
        len += (size_t)snprintf(buf, cap, "%sID,Name,Status\r\n", f % 3 == 0 ? "\xEF\xBB\xBF" : "");
        int rows = rand_r(&seed) % 300;
        for (int r = 0; r < rows && len + 200 < cap; r++) {
            static const char *const st[] = {"Active", "active", "Inactive", " Active"};
            len += (size_t)snprintf(buf + len, cap - len, "%d,\"N%d, \"\"q\"\"\nline\",%s\n", r, r,
                                    st[rand_r(&seed) % 4]);
        }
        if (f % 7 == 3)
            len += (size_t)snprintf(buf + len, cap - len, "bad,\"row\n");
        char *p = path_in(t, name);
        write_bytes(p, buf, len);
        free(p);
        free(buf);
    }
    char *snap1 = NULL;
    for (int threads = 1; threads <= 8; threads *= 2) {
        char *argv[] = {"csvbatch", t};
        struct harness h;
        run_args(&h, 2, argv, threads);
        cr_assert_eq(h.list.n, 40);
        char *snap = snapshot(&h, t);
        if (snap1 == NULL)
            snap1 = snap;
        else {
            cr_assert_str_eq(snap, snap1, "threads %d", threads);
            free(snap);
        }
        harness_fini(&h);
    }
    cr_assert(strstr(snap1, "unterminated quoted field") != NULL);
    free(snap1);
    tmpdir_free(t);
}
