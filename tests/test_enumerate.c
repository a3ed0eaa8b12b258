/* test_enumerate.c — output naming, directory walks, skips, de-duplication and conflicts. */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvbatch/cli.h"
#include "csvbatch/enumerate.h"
#include "helpers.h"

struct out_case {
    const char *path, *rel, *dir, *suffix, *expected;
};

static const struct out_case out_cases[] = {
    {"a.csv", NULL, NULL, "_processed", "a_processed.csv"},
    {"d/Q3.CSV", NULL, NULL, "_processed", "d/Q3_processed.csv"},
    {"d/x.Csv", NULL, NULL, "_out", "d/x_out.csv"},
    {"d/notes.txt", NULL, NULL, "_processed", "d/notes.txt_processed.csv"},
    {"d/.csv", NULL, NULL, "_processed", "d/_processed.csv"},
    {"/abs/dir/a.csv", NULL, NULL, "_processed", "/abs/dir/a_processed.csv"},
    {"data/sub/a.csv", "sub/a.csv", "out", "_processed", "out/sub/a_processed.csv"},
    {"data/a.csv", "a.csv", "out/", "_processed", "out/a_processed.csv"},
    {"elsewhere/a.csv", NULL, "out", "_processed", "out/a_processed.csv"},
};

Test(enumerate, output_paths)
{
    for (size_t i = 0; i < sizeof out_cases / sizeof out_cases[0]; i++) {
        const struct out_case *c = &out_cases[i];
        char *got = csvb_output_path(c->path, c->rel, c->dir, c->suffix);
        cr_assert_str_eq(got, c->expected, "case %zu", i);
        free(got);
    }
}

Test(enumerate, names)
{
    cr_assert(csvb_has_csv_ext("a.csv"));
    cr_assert(csvb_has_csv_ext("A.CSV"));
    cr_assert(csvb_has_csv_ext("a.cSv"));
    cr_assert_not(csvb_has_csv_ext("a.csvx"));
    cr_assert_not(csvb_has_csv_ext("csv"));
    cr_assert(csvb_is_output_name("x_processed.csv", "_processed"));
    cr_assert(csvb_is_output_name("X_PROCESSED.CSV", "_processed"));
    cr_assert_not(csvb_is_output_name("x_processed.csv.bak", "_processed"));
    cr_assert_not(csvb_is_output_name("processed.csv", "_processed"));
}

static void enumerate_args(struct csvb_joblist *list, int argc, char **argv, enum csvb_err expected)
{
    struct csvb_options opt;
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_cli_parse(argc, argv, &opt, &d), CSVB_CLI_OK);
    cr_assert_eq(csvb_enumerate(&opt, list, &d), expected, "%s", d.message);
    csvb_options_fini(&opt);
}

Test(enumerate, directory_sorted_filtered_and_skipped)
{
    char *t = tmpdir_new();
    write_text(t, "b.csv", "x\n");
    write_text(t, "A.CSV", "x\n");
    write_text(t, "c.txt", "x\n");
    write_text(t, ".hidden.csv", "x\n");
    write_text(t, "a_processed.csv", "x\n");
    write_text(t, ".b_processed.csv.tmp-abc123", "x\n");
    char *sub = path_in(t, "sub.csv"), *fifo = path_in(t, "p.csv"), *dang = path_in(t, "gone.csv");
    char *loop = path_in(t, "loop.csv"), *deep = path_in(t, "sub.csv/deep.csv");
    cr_assert_eq(mkdir(sub, 0755), 0);
    write_bytes(deep, "x\n", 2);
    cr_assert_eq(mkfifo(fifo, 0644), 0);
    cr_assert_eq(symlink("nowhere.csv", dang), 0);
    cr_assert_eq(symlink("loop.csv", loop), 0);
    struct csvb_joblist list;
    char *argv[] = {"csvbatch", t};
    enumerate_args(&list, 2, argv, CSVB_OK);
    const char *names[] = {"A.CSV", "b.csv", "gone.csv", "loop.csv", "p.csv", "sub.csv"};
    const enum csvb_job_kind kinds[] = {CSVB_JOB_RUN,  CSVB_JOB_RUN,  CSVB_JOB_SKIP,
                                        CSVB_JOB_SKIP, CSVB_JOB_SKIP, CSVB_JOB_SKIP};
    const char *reasons[] = {NULL,
                             NULL,
                             "skipped: dangling symbolic link",
                             "skipped: symbolic link loop",
                             "skipped: not a regular file (named pipe)",
                             "skipped: is a directory (use -r to descend)"};
    cr_assert_eq(list.n, 6);
    for (size_t i = 0; i < 6; i++) {
        char *want = path_in(t, names[i]);
        cr_assert_str_eq(list.jobs[i].path, want);
        cr_assert_eq(list.jobs[i].kind, kinds[i], "job %zu", i);
        if (reasons[i] != NULL)
            cr_assert_str_eq(list.jobs[i].reason, reasons[i]);
        free(want);
    }
    csvb_joblist_fini(&list);

    char *rargv[] = {"csvbatch", "-r", "-o", "out", t};
    enumerate_args(&list, 5, rargv, CSVB_OK);
    cr_assert_eq(list.n, 6); /* the directory sub.csv is walked: sub.csv/deep.csv */
    cr_assert_str_eq(list.jobs[5].path, deep);
    cr_assert_str_eq(list.jobs[5].output_path, "out/sub.csv/deep_processed.csv");
    csvb_joblist_fini(&list);
    free(sub);
    free(fifo);
    free(dang);
    free(loop);
    free(deep);
    tmpdir_free(t);
}

Test(enumerate, nonexistent_path_is_usage_error_and_empty_dir_notice)
{
    char *t = tmpdir_new();
    struct csvb_joblist list;
    char *missing = path_in(t, "nope");
    char *argv[] = {"csvbatch", missing};
    enumerate_args(&list, 2, argv, CSVB_E_USAGE);
    csvb_joblist_fini(&list);
    char *argv2[] = {"csvbatch", t};
    enumerate_args(&list, 2, argv2, CSVB_OK);
    cr_assert_eq(list.n, 0);
    cr_assert_eq(list.nnotices, 1);
    char want[4200];
    snprintf(want, sizeof want, "%s: no CSV files found", t);
    cr_assert_str_eq(list.notices[0], want);
    csvb_joblist_fini(&list);
    free(missing);
    tmpdir_free(t);
}

Test(enumerate, duplicates_and_conflicts)
{
    char *t = tmpdir_new();
    write_text(t, "x.csv", "a\n");
    write_text(t, "x.CSV", "a\n");
    write_text(t, "y.csv", "a\n");
    char *y = path_in(t, "y.csv"), *link = path_in(t, "y_processed.csv"), *z = path_in(t, "z.csv");
    write_text(t, "z.csv", "a\n");
    char *zout = path_in(t, "z_processed.csv");
    cr_assert_eq(mkdir(zout, 0755), 0);
    /* A stale link from y's output to y itself: writing it would destroy the input. */
    cr_assert_eq(symlink("y.csv", link), 0);
    struct csvb_joblist list;
    char *argv[] = {"csvbatch", t, y};
    enumerate_args(&list, 3, argv, CSVB_OK);
    cr_assert_eq(list.n, 4); /* y named twice: once */
    cr_assert_eq(list.jobs[0].kind, CSVB_JOB_FAIL);
    cr_assert_eq(list.jobs[1].kind, CSVB_JOB_FAIL);
    cr_assert(strstr(list.jobs[0].reason, "would also be written from") != NULL);
    cr_assert_eq(list.jobs[2].kind, CSVB_JOB_FAIL);
    cr_assert(strstr(list.jobs[2].reason, "is an input file") != NULL, "%s", list.jobs[2].reason);
    cr_assert_eq(list.jobs[3].kind, CSVB_JOB_FAIL);
    cr_assert(strstr(list.jobs[3].reason, "is a directory") != NULL);
    csvb_joblist_fini(&list);
    free(y);
    free(link);
    free(z);
    free(zout);
    tmpdir_free(t);
}
