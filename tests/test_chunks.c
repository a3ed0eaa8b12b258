/* test_chunks.c — a split file's assembly, run on one thread so that the order is known: a chunk
 * whose turn has come writes straight into the output (no temp file, nothing copied), and one
 * that must be run again after that has its bytes cut off the output first. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "csvbatch/chunk_starts.h"
#include "csvbatch/chunks.h"
#include "csvbatch/cli.h"
#include "csvbatch/plan.h"
#include "helpers.h"

struct harness {
    struct csvb_options opt;
    struct csvb_plan plan;
    struct csvb_joblist list;
};

/* Plans a pass-through run (every row, every column, no stamp) of dir with --chunk-size 4K. */
static void plan_dir(struct harness *h, char *dir)
{
    char *argv[] = {"csvbatch",   "--all-rows",   "--select", "*", "--no-stamp",
                    "--no-fsync", "--chunk-size", "4K",       dir};
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_cli_parse(9, argv, &h->opt, &d), CSVB_CLI_OK, "%s", d.message);
    cr_assert_eq(csvb_outputs_plan(&h->opt, &h->list, &d), CSVB_OK, "%s", d.message);
    h->opt.jobs = 2;
    cr_assert_eq(csvb_plan_init(&h->plan, &h->opt, NULL, 0, 022, NULL, 1, &d), CSVB_OK, "%s",
                 d.message);
    cr_assert_eq(h->list.n, 1);
}

static void harness_fini(struct harness *h)
{
    csvb_plan_fini(&h->plan);
    csvb_joblist_fini(&h->list);
    csvb_options_fini(&h->opt);
}

/* Splits the one file planned into at most max chunks and runs them all, one after the other;
 * returns how many there were. */
static size_t run_chunks(struct harness *h, size_t max, struct csvb_result *res)
{
    const struct csvb_job *job = &h->list.jobs[0];
    struct csvb_chunks *c = csvb_chunks_new(&h->plan, job, max);
    cr_assert_not_null(c, "the file is not split");
    size_t n = csvb_chunks_count(c);
    for (size_t k = 0; k < n; k++)
        csvb_chunks_run(&h->plan, job, c);
    csvb_chunks_finish(&h->plan, job, c, res);
    return n;
}

/* Rows "r<i>,<i>,x" from `from` to `to` appended to buf at *len. */
static void rows(char *buf, size_t *len, int from, int to)
{
    for (int i = from; i < to; i++)
        *len += (size_t)sprintf(buf + *len, "r%d,%d,x\n", i, i);
}

Test(chunks, on_one_thread_every_chunk_writes_straight_into_the_output)
{
    char *t = tmpdir_new();
    static char text[256 << 10];
    size_t len = (size_t)sprintf(text, "A,B,C\n");
    rows(text, &len, 0, 12000);
    write_text(t, "big.csv", text);
    struct harness h;
    plan_dir(&h, t);
    struct csvb_result res;
    cr_assert_eq(run_chunks(&h, 8, &res), 8);
    cr_assert_eq(res.status, CSVB_STATUS_SUCCESS, "%s", res.diag.message);
    cr_expect_eq(res.rows_read, 12000);
    cr_expect_eq(res.parse_runs, 8); /* no chunk ran twice */
    cr_expect_eq(res.bytes_copied, 0, "copied %llu", (unsigned long long)res.bytes_copied);
    cr_expect_eq(res.chunk_temps_max, 1); /* the output's own: no other chunk kept one */
    char *out = read_text(t, "big_processed.csv");
    cr_expect_str_eq(out, text); /* pass-through of canonical CSV: the same bytes */
    free(out);
    csvb_result_fini(&res);
    harness_fini(&h);
    tmpdir_free(t);
}

/* Rows "r<i>,<i>,x" from *i on appended to buf at *len, until it holds `until` bytes. */
static void rows_until(char *buf, size_t *len, int *i, size_t until)
{
    while (*len < until)
        *len += (size_t)sprintf(buf + *len, "r%d,%d,x\n", *i, *i), ++*i;
}

Test(chunks, a_chunk_run_again_after_taking_over_is_cut_off_first)
{
    /* 8 chunks of a 3 MB file on 2 threads (csvb_chunk_nominal). Rows up to 300 KB into the
     * second chunk, then a quoted field whose lines look like records (no quote within 64 KiB of
     * the next nominal starts says they are inside quotes, so those chunks start in the field)
     * up to past the second chunk's cap (its nominal end plus a first chunk's size), then rows.
     * The second chunk starts right, takes over at its first row, writes a write buffer's worth
     * (256 KiB) of rows straight into the output, then meets the field, which outlasts its
     * speculative run: it is run again, and the bytes it wrote into the output must go first, or
     * they would be there twice. */
    char *t = tmpdir_new();
    static char text[4 << 20];
    const off_t size = 3000000, first = csvb_chunk_nominal(size, 8, 2, 1);
    const size_t field_from = (size_t)first + 300000,
                 field_to = (size_t)(csvb_chunk_nominal(size, 8, 2, 2) + first) + 10000;
    size_t len = (size_t)sprintf(text, "A,B,C\n");
    int i = 0;
    rows_until(text, &len, &i, field_from);
    len += (size_t)sprintf(text + len, "big,0,\"");
    for (int j = 0; len < field_to; j++)
        len += (size_t)sprintf(text + len, "x%04d,y\n", j % 10000);
    len += (size_t)sprintf(text + len, "end\"\n");
    int before = i;
    rows_until(text, &len, &i, (size_t)size);
    write_text(t, "big.csv", text);
    struct harness h;
    plan_dir(&h, t);
    struct csvb_result res;
    size_t n = run_chunks(&h, 8, &res);
    cr_assert_geq(n, 4);
    cr_assert_eq(res.status, CSVB_STATUS_SUCCESS, "%s", res.diag.message);
    cr_expect_eq(res.rows_read, (uint64_t)i + 1, "rows %llu, %d before the field",
                 (unsigned long long)res.rows_read, before);
    cr_expect_gt(res.parse_runs, n);   /* the second chunk, at least, ran again */
    cr_expect_gt(res.bytes_copied, 0); /* its second run wrote a temp file, appended */
    char *out = read_text(t, "big_processed.csv");
    cr_assert_eq(strlen(out), len, "%zu bytes, not %zu", strlen(out), len);
    cr_expect(memcmp(out, text, len) == 0); /* not str_eq: a diff of megabytes */
    free(out);
    csvb_result_fini(&res);
    harness_fini(&h);
    tmpdir_free(t);
}
