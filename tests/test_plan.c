/* test_plan.c — options to configs: defaults, PowerShell resolved into named rules, which runs
 * split files, the thread count, the stamp. */
#include <criterion/criterion.h>
#include <string.h>

#include "csvbatch/cli.h"
#include "csvbatch/plan.h"

static void plan_of(struct csvb_plan *p, struct csvb_options *opt, int argc, char **argv,
                    const char *omp, long cpus)
{
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_cli_parse(argc, argv, opt, &d), CSVB_CLI_OK, "%s", d.message);
    cr_assert_eq(csvb_plan_init(p, opt, "0", 0, 022, omp, cpus, &d), CSVB_OK, "%s", d.message);
}

Test(plan, defaults)
{
    char *argv[] = {"csvbatch", "x.csv"};
    struct csvb_options opt;
    struct csvb_plan p;
    plan_of(&p, &opt, 2, argv, NULL, 2);
    cr_assert_str_eq(p.stamp, "1970-01-01T00:00:00Z"); /* SOURCE_DATE_EPOCH=0 */
    cr_assert_eq(p.stage.filter.nrules, 1);
    cr_assert_str_eq(p.stage.filter.rules[0].column, "Status");
    cr_assert_str_eq(p.stage.filter.rules[0].value, "Active");
    cr_assert_not(p.stage.filter.case_sensitive);
    cr_assert_eq(p.stage.projection.ncolumns, 2);
    cr_assert_str_eq(p.stage.projection.columns[0], "Name");
    cr_assert_str_eq(p.stage.projection.columns[1], "ID");
    cr_assert_str_eq(p.stage.projection.stamp_column, "ProcessedDate");
    cr_assert_eq(p.stage.projection.stamp, p.stamp);
    cr_assert_eq(p.stage.file_mode, 0644);
    cr_assert_not(p.stage.quote_all || p.stage.pad_rows || p.stage.header_with_rows ||
                  p.stage.distinct_header || p.reader.lenient);
    cr_assert(p.reader.fast_path);
    cr_assert(p.fsync);
    cr_assert(p.skip_auto); /* --skip-lines auto: each file's preamble; files still split */
    cr_assert_eq(p.reader.skip_lines, 0);
    cr_assert_eq(p.chunk_size, (size_t)32 << 20);
    cr_assert_eq(p.threads, 2);
    cr_assert_not_null(p.cancel);
    csvb_plan_fini(&p);
    csvb_plan_fini(&p);
    csvb_options_fini(&opt);
}

Test(plan, powershell_is_resolved_once)
{
    char *argv[] = {"csvbatch", "--compat", "powershell", "x.csv"};
    struct csvb_options opt;
    struct csvb_plan p;
    plan_of(&p, &opt, 4, argv, NULL, 2);
    cr_assert(p.stage.quote_all && p.stage.pad_rows && p.stage.header_with_rows &&
              p.stage.distinct_header);
    cr_assert(p.stage.filter.absent_is_null && p.stage.projection.absent_is_null);
    cr_assert(p.reader.lenient);
    cr_assert_not(p.reader.fast_path);
    cr_assert_eq(p.chunk_size, 0); /* lenient reading is one pass */
    cr_assert_str_eq(p.stamp, "01/01/1970 00:00:00");
    cr_assert_not(p.skip_auto); /* Import-Csv takes the first line for the header */
    cr_assert_eq(p.reader.skip_lines, 0);
    csvb_plan_fini(&p);
    csvb_options_fini(&opt);
}

Test(plan, one_pass_runs_do_not_split)
{
    char *a1[] = {"csvbatch", "--preview", "3", "x.csv"};
    char *a2[] = {"csvbatch", "--encoding", "latin1", "x.csv"};
    char *a3[] = {"csvbatch", "--on-bad-row", "skip", "--rejects", "x.csv"};
    char *a4[] = {"csvbatch", "--chunk-size", "4K", "--on-bad-row", "skip", "x.csv"};
    char *a5[] = {"csvbatch", "--chunk-size", "4K", "--skip-lines", "2", "x.csv"};
    char *a6[] = {"csvbatch", "--chunk-size", "4K", "--skip-lines", "0", "x.csv"};
    char **argvs[] = {a1, a2, a3, a4, a5, a6};
    int argcs[] = {4, 4, 5, 6, 6, 6};
    size_t want[] = {0, 0, 0, 4096, 0, 4096};
    for (size_t i = 0; i < 6; i++) {
        struct csvb_options opt;
        struct csvb_plan p;
        plan_of(&p, &opt, argcs[i], argvs[i], NULL, 2);
        cr_assert_eq(p.chunk_size, want[i], "case %zu", i);
        csvb_plan_fini(&p);
        csvb_options_fini(&opt);
    }
}

Test(plan, encodings_and_lenient_quotes)
{
    struct {
        char *argv[6];
        int argc;
        const char *encoding; /* the plan's */
        bool lenient;
        size_t chunk;
    } cases[] = {
        {{"csvbatch", "--chunk-size", "4K", "x.csv"}, 4, "", false, 4096},
        {{"csvbatch", "--chunk-size", "4K", "--encoding", "UTF8", "x.csv"}, 6, "", false, 4096},
        {{"csvbatch", "--chunk-size", "4K", "--encoding", "auto", "x.csv"}, 6, "auto", false, 0},
        {{"csvbatch", "--chunk-size", "4K", "--encoding", "utf-16", "x.csv"},
         6,
         "utf-16",
         false,
         0},
        {{"csvbatch", "--chunk-size", "4K", "--quotes", "lenient", "x.csv"}, 6, "", true, 0},
        {{"csvbatch", "--chunk-size", "4K", "--quotes", "strict", "x.csv"}, 6, "", false, 4096},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct csvb_options opt;
        struct csvb_plan p;
        plan_of(&p, &opt, cases[i].argc, cases[i].argv, NULL, 2);
        cr_assert_str_eq(p.encoding, cases[i].encoding, "case %zu", i);
        cr_assert_eq(p.reader.quotes_lenient, cases[i].lenient, "case %zu", i);
        cr_assert_eq(p.chunk_size, cases[i].chunk, "case %zu", i);
        csvb_plan_fini(&p);
        csvb_options_fini(&opt);
    }
}

Test(plan, threads_table)
{
    cr_assert_eq(csvb_plan_threads(3, "7", 2), 3);
    cr_assert_eq(csvb_plan_threads(0, "7", 2), 7);
    cr_assert_eq(csvb_plan_threads(0, "5,2", 2), 5);
    cr_assert_eq(csvb_plan_threads(0, "abc", 2), 2);
    cr_assert_eq(csvb_plan_threads(0, "0", 2), 2);
    cr_assert_eq(csvb_plan_threads(0, "2000", 4), 4);
    cr_assert_eq(csvb_plan_threads(0, NULL, 0), 1);
    cr_assert_eq(csvb_plan_threads(0, NULL, 5000), 1);
}

/* What main hides from libgomp (issue 13 item 23): anything it would warn about, and counts past
 * the cap of -j. */
Test(plan, omp_env_ok)
{
    static const char *const ok[] = {"1", "4", "1024", "4,2", " 8 ", "3 , 2"};
    static const char *const bad[] = {"", "abc", "0", "2000", "7abc", "4,", ",4", "-2", "4,0"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        cr_assert(csvb_plan_omp_env_ok(ok[i]), "'%s'", ok[i]);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert(!csvb_plan_omp_env_ok(bad[i]), "'%s'", bad[i]);
}

Test(plan, bad_stamp_is_a_usage_error)
{
    char *argv[] = {"csvbatch", "x.csv"};
    struct csvb_options opt;
    struct csvb_plan p;
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_cli_parse(2, argv, &opt, &d), CSVB_CLI_OK);
    cr_assert_eq(csvb_plan_init(&p, &opt, "12x", 0, 022, NULL, 1, &d), CSVB_E_USAGE);
    csvb_plan_fini(&p);
    csvb_options_fini(&opt);
}
