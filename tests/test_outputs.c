/* test_outputs.c — output and rejects naming, one job per file, and the output conflicts. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvbatch/cli.h"
#include "csvbatch/outputs.h"
#include "helpers.h"

struct out_case {
    const char *path, *rel, *dir, *suffix, *expected, *rejects;
};

static const struct out_case out_cases[] = {
    {"a.csv", NULL, NULL, "_processed", "a_processed.csv", "a_rejects.csv"},
    {"d/Q3.CSV", NULL, NULL, "_processed", "d/Q3_processed.csv", "d/Q3_rejects.csv"},
    {"d/x.Csv", NULL, NULL, "_out", "d/x_out.csv", "d/x_rejects.csv"},
    {"d/notes.txt", NULL, NULL, "_processed", "d/notes.txt_processed.csv",
     "d/notes.txt_rejects.csv"},
    {"d/.csv", NULL, NULL, "_processed", "d/_processed.csv", "d/_rejects.csv"},
    {"/abs/dir/a.csv", NULL, NULL, "_processed", "/abs/dir/a_processed.csv",
     "/abs/dir/a_rejects.csv"},
    {"data/sub/a.csv", "sub/a.csv", "out", "_processed", "out/sub/a_processed.csv",
     "out/sub/a_rejects.csv"},
    {"data/a.csv", "a.csv", "out/", "_processed", "out/a_processed.csv", "out/a_rejects.csv"},
    {"elsewhere/a.csv", NULL, "out", "_processed", "out/a_processed.csv", "out/a_rejects.csv"},
    {"d/a/b/c.csv", "a/b/c.csv", "/o", "", "/o/a/b/c.csv", "/o/a/b/c_rejects.csv"},
    {"a.csv.csv", NULL, NULL, "_p", "a.csv_p.csv", "a.csv_rejects.csv"},
};

Test(outputs, output_and_rejects_paths)
{
    for (size_t i = 0; i < sizeof out_cases / sizeof out_cases[0]; i++) {
        const struct out_case *c = &out_cases[i];
        char *got = csvb_outputs_path(c->path, c->rel, c->dir, c->suffix);
        cr_assert_str_eq(got, c->expected, "case %zu", i);
        char *rejects = csvb_outputs_rejects_path(got, c->suffix);
        cr_assert_str_eq(rejects, c->rejects, "case %zu", i);
        free(rejects);
        free(got);
    }
}

static void parse_opts(struct csvb_options *opt, int argc, char **argv)
{
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_cli_parse(argc, argv, opt, &d), CSVB_CLI_OK, "%s", d.message);
}

static void plan_args(struct csvb_joblist *list, int argc, char **argv, enum csvb_err expected)
{
    struct csvb_options opt;
    struct csvb_diag d;
    parse_opts(&opt, argc, argv);
    csvb_diag_init(&d);
    cr_assert_eq(csvb_outputs_plan(&opt, list, &d), expected, "%s", d.message);
    csvb_options_fini(&opt);
}

/* Jobs keep the walk's order, fields and notices; -o mirrors the tree; --rejects sits beside. */
Test(outputs, plan_from_a_tree)
{
    char *t = tmpdir_new();
    write_text(t, "b.csv", "x\n");
    char *sub = path_in(t, "sub"), *empty = path_in(t, "empty"), *out = path_in(t, "out");
    cr_assert_eq(mkdir(sub, 0755), 0);
    cr_assert_eq(mkdir(empty, 0755), 0);
    write_text(sub, "A.CSV", "xyz\n");
    char *gone = path_in(t, "gone.csv");
    cr_assert_eq(symlink("nowhere", gone), 0);
    struct csvb_joblist list;
    char *argv[] = {"csvbatch", "-r", "-o", out, "--rejects", "--on-bad-row", "skip", t, empty};
    plan_args(&list, 9, argv, CSVB_OK);
    cr_assert_eq(list.n, 3);
    char *want_out = NULL, *want_rej = NULL;
    cr_assert_str_eq(list.jobs[0].path, (want_out = path_in(t, "b.csv")));
    free(want_out);
    cr_assert_str_eq(list.jobs[0].output_path, (want_out = path_in(out, "b_processed.csv")));
    cr_assert_str_eq(list.jobs[0].rejects_path, (want_rej = path_in(out, "b_rejects.csv")));
    free(want_out);
    free(want_rej);
    cr_assert_eq(list.jobs[1].kind, CSVB_JOB_SKIP);
    cr_assert_str_eq(list.jobs[1].reason, "skipped: dangling symbolic link");
    cr_assert_null(list.jobs[1].output_path);
    cr_assert_null(list.jobs[1].rejects_path);
    cr_assert_str_eq(list.jobs[2].output_path, (want_out = path_in(out, "sub/A_processed.csv")));
    cr_assert_str_eq(list.jobs[2].rejects_path, (want_rej = path_in(out, "sub/A_rejects.csv")));
    cr_assert_eq(list.jobs[2].kind, CSVB_JOB_RUN);
    cr_assert_null(list.jobs[2].reason);
    cr_assert_eq(list.jobs[2].size, 4);
    cr_assert_not(list.jobs[2].named);
    free(want_out);
    free(want_rej);
    cr_assert_eq(list.nnotices, 1);
    char want[4200];
    snprintf(want, sizeof want, "%s: no CSV files found", empty);
    cr_assert_str_eq(list.notices[0], want);
    csvb_joblist_fini(&list);
    csvb_joblist_fini(&list);

    /* A missing PATH is a usage error, whatever came before it. */
    char *missing = path_in(t, "missing");
    char *argv2[] = {"csvbatch", t, missing};
    plan_args(&list, 3, argv2, CSVB_E_USAGE);
    csvb_joblist_fini(&list);
    free(missing);
    free(gone);
    free(sub);
    free(empty);
    free(out);
    tmpdir_free(t);
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

/* The same path reached twice (named twice) is processed once, its first entry in input order,
 * with a notice; a hard link is another path and is processed too (issue 13 item 6). */
Test(outputs, same_path_once_hard_links_each)
{
    char *t = tmpdir_new();
    write_text(t, "x.csv", "a\n");
    char *x = path_in(t, "x.csv"), *w = path_in(t, "w.csv"), *y = path_in(t, "y.csv");
    cr_assert_eq(link(x, w), 0);
    write_text(t, "y.csv", "a\n");
    struct csvb_joblist list;
    char *argv[] = {"csvbatch", y, t, x};
    plan_args(&list, 4, argv, CSVB_OK);
    cr_assert_eq(list.n, 3);
    cr_assert_str_eq(list.jobs[0].path, y);
    cr_assert(list.jobs[0].named);
    cr_assert_str_eq(list.jobs[1].path, w); /* w.csv sorts before x.csv, its other name */
    cr_assert_eq(list.jobs[1].kind, CSVB_JOB_RUN);
    cr_assert_str_eq(list.jobs[2].path, x); /* found in t; the named x is the same path */
    cr_assert_eq(list.jobs[2].kind, CSVB_JOB_RUN);
    /* t's y.csv is the named y again, the named x is t's x.csv again (in the order of inodes) */
    cr_assert_eq(list.nnotices, 2);
    char *wx = fmt("%s: same file as %s; processed once", x, x);
    char *wy = fmt("%s: same file as %s; processed once", y, y);
    bool x_first = strcmp(list.notices[0], wx) == 0;
    cr_assert_str_eq(list.notices[x_first ? 0 : 1], wx);
    cr_assert_str_eq(list.notices[x_first ? 1 : 0], wy);
    free(wx);
    free(wy);
    csvb_joblist_fini(&list);
    free(x);
    free(w);
    free(y);
    tmpdir_free(t);
}

Test(outputs, conflicts)
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
    plan_args(&list, 3, argv, CSVB_OK);
    cr_assert_eq(list.n, 4); /* y named twice: once */
    char *xu = path_in(t, "x.CSV"), *xl = path_in(t, "x.csv"), *xo = path_in(t, "x_processed.csv");
    char want[4200];
    snprintf(want, sizeof want, "output %s would also be written from %s", xo, xl);
    cr_assert_eq(list.jobs[0].kind, CSVB_JOB_FAIL);
    cr_assert_str_eq(list.jobs[0].path, xu);
    cr_assert_str_eq(list.jobs[0].reason, want);
    snprintf(want, sizeof want, "output %s would also be written from %s", xo, xu);
    cr_assert_eq(list.jobs[1].kind, CSVB_JOB_FAIL);
    cr_assert_str_eq(list.jobs[1].reason, want);
    snprintf(want, sizeof want,
             "output %s is an input file (a link to one?); refusing to overwrite it", link);
    cr_assert_eq(list.jobs[2].kind, CSVB_JOB_FAIL);
    cr_assert_str_eq(list.jobs[2].reason, want);
    snprintf(want, sizeof want, "output %s is a directory", zout);
    cr_assert_eq(list.jobs[3].kind, CSVB_JOB_FAIL);
    cr_assert_str_eq(list.jobs[3].reason, want);
    csvb_joblist_fini(&list);

    free(xu);
    free(xl);
    free(xo);
    free(y);
    free(link);
    free(z);
    free(zout);
    tmpdir_free(t);
}

/* Two names of one directory: d/x.csv and l/x.CSV (l -> d) both write d/x_processed.csv. */
Test(outputs, conflict_through_a_linked_directory)
{
    char *t = tmpdir_new();
    struct csvb_joblist list;
    char want[4200];
    char *dd = path_in(t, "d"), *l = path_in(t, "l"), *in1 = path_in(t, "d/x.csv");
    char *in2 = path_in(t, "l/x.CSV"), *out2 = path_in(t, "l/x_processed.csv");
    cr_assert_eq(mkdir(dd, 0755), 0);
    cr_assert_eq(symlink("d", l), 0);
    write_text(dd, "x.csv", "a\n");
    write_text(dd, "x.CSV", "a\n");
    char *argv2[] = {"csvbatch", in1, in2};
    plan_args(&list, 3, argv2, CSVB_OK);
    cr_assert_eq(list.n, 2);
    snprintf(want, sizeof want, "output %s would also be written from %s", out2, in1);
    cr_assert_eq(list.jobs[1].kind, CSVB_JOB_FAIL);
    cr_assert_str_eq(list.jobs[1].reason, want);
    cr_assert_eq(list.jobs[0].kind, CSVB_JOB_FAIL);
    csvb_joblist_fini(&list);
    free(dd);
    free(l);
    free(in1);
    free(in2);
    free(out2);
    tmpdir_free(t);
}

/* A walk list built in memory: n entries, paths owned. */
static void walk_alloc(struct csvb_walk_list *w, size_t n)
{
    memset(w, 0, sizeof *w);
    w->entries = calloc(n, sizeof *w->entries);
    cr_assert_not_null(w->entries);
    w->n = w->cap = n;
}

static void entry_set(struct csvb_walk_entry *e, char *path, enum csvb_job_kind kind, dev_t dev,
                      ino_t ino)
{
    e->path = path;
    e->kind = kind;
    e->dev = dev;
    e->ino = ino;
    if (kind != CSVB_JOB_RUN)
        e->reason = strdup("skipped: test");
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    char *s = NULL;
    int r = vasprintf(&s, f, ap);
    va_end(ap);
    cr_assert_geq(r, 0);
    return s;
}

#define SCALE_DIR "/nonexistent-csvb-scale"

/* 20,000 entries, no files: 4,000 name an earlier entry's file again (dropped), 16 pairs share
 * an output (both fail), a skipped entry and device-0 entries are never taken for duplicates.
 * The de-duplication and conflict passes are sorts; this pins their result at scale. */
Test(outputs, scale_dedup_and_conflicts_in_memory)
{
    enum { N = 20000, UNIQUE = 16000 };
    struct csvb_options opt;
    char *argv[] = {"csvbatch", SCALE_DIR};
    parse_opts(&opt, 2, argv);
    struct csvb_walk_list w;
    walk_alloc(&w, N + 3);
    for (size_t i = 0; i < N; i++) {
        size_t dir = (i / 100) % 50;
        /* Every 1000th file is named like its predecessor, another case: the same output. */
        char *path = i % 1000 == 999 && i < UNIQUE ? fmt(SCALE_DIR "/d%02zu/f%05zu.CSV", dir, i - 1)
                                                   : fmt(SCALE_DIR "/d%02zu/f%05zu.csv", dir, i);
        ino_t ino = i < UNIQUE ? (ino_t)i + 1 : (ino_t)(i - UNIQUE) * 4 + 1;
        entry_set(&w.entries[i], path, CSVB_JOB_RUN, 7, ino);
    }
    entry_set(&w.entries[N], strdup(SCALE_DIR "/skip.csv"), CSVB_JOB_SKIP, 7, 1);
    entry_set(&w.entries[N + 1], strdup(SCALE_DIR "/z1.csv"), CSVB_JOB_RUN, 0, 5);
    entry_set(&w.entries[N + 2], strdup(SCALE_DIR "/z2.csv"), CSVB_JOB_RUN, 0, 5);
    struct csvb_joblist list;
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_outputs_from_walk(&opt, &w, &list, &d), CSVB_OK, "%s", d.message);
    cr_assert_eq(list.n, UNIQUE + 3);
    size_t run = 0, fail = 0;
    for (size_t i = 0; i < list.n; i++) {
        run += list.jobs[i].kind == CSVB_JOB_RUN;
        fail += list.jobs[i].kind == CSVB_JOB_FAIL;
    }
    cr_assert_eq(fail, 32);
    cr_assert_eq(run, UNIQUE + 2 - 32);
    for (size_t i = 0; i < UNIQUE; i++) {
        char *in = i % 1000 == 999 ? fmt(SCALE_DIR "/d%02zu/f%05zu.CSV", (i / 100) % 50, i - 1)
                                   : fmt(SCALE_DIR "/d%02zu/f%05zu.csv", (i / 100) % 50, i);
        cr_assert_str_eq(list.jobs[i].path, in, "job %zu", i);
        free(in);
    }
    const char *out = SCALE_DIR "/d09/f00998_processed.csv";
    cr_assert_eq(list.jobs[998].kind, CSVB_JOB_FAIL);
    cr_assert_str_eq(list.jobs[998].reason,
                     "output " SCALE_DIR
                     "/d09/f00998_processed.csv would also be written from " SCALE_DIR
                     "/d09/f00998.CSV");
    cr_assert_eq(list.jobs[999].kind, CSVB_JOB_FAIL);
    cr_assert_str_eq(list.jobs[999].output_path, out);
    cr_assert_str_eq(list.jobs[999].reason,
                     "output " SCALE_DIR
                     "/d09/f00998_processed.csv would also be written from " SCALE_DIR
                     "/d09/f00998.csv");
    cr_assert_eq(list.jobs[997].kind, CSVB_JOB_RUN);
    cr_assert_eq(list.jobs[UNIQUE].kind, CSVB_JOB_SKIP);
    cr_assert_str_eq(list.jobs[UNIQUE + 2].path, SCALE_DIR "/z2.csv");
    cr_assert_eq(list.jobs[UNIQUE + 2].kind, CSVB_JOB_RUN);
    csvb_joblist_fini(&list);
    csvb_walk_list_fini(&w);
    csvb_options_fini(&opt);
}

struct zout_case {
    const char *path;
    enum csvb_compress how;
    const char *expected, *rejects;
};

/* Compressed names: both extensions dropped from the stem; the output's compression as asked
 * (auto: the input's, lower case); rejects files stay plain. */
static const struct zout_case zout_cases[] = {
    {"d/x.csv.gz", CSVB_COMPRESS_AUTO, "d/x_processed.csv.gz", "d/x_rejects.csv"},
    {"d/x.CSV.GZ", CSVB_COMPRESS_AUTO, "d/x_processed.csv.gz", "d/x_rejects.csv"},
    {"x.csv.zst", CSVB_COMPRESS_AUTO, "x_processed.csv.zst", "x_rejects.csv"},
    {"x.csv.bz2", CSVB_COMPRESS_AUTO, "x_processed.csv.bz2", "x_rejects.csv"},
    {"x.csv.xz", CSVB_COMPRESS_AUTO, "x_processed.csv.xz", "x_rejects.csv"},
    {"x.csv.gz", CSVB_COMPRESS_NONE, "x_processed.csv", "x_rejects.csv"},
    {"x.csv.bz2", CSVB_COMPRESS_ZSTD, "x_processed.csv.zst", "x_rejects.csv"},
    {"x.csv", CSVB_COMPRESS_GZIP, "x_processed.csv.gz", "x_rejects.csv"},
    {"x.csv", CSVB_COMPRESS_AUTO, "x_processed.csv", "x_rejects.csv"},
    {"dump.gz", CSVB_COMPRESS_AUTO, "dump_processed.csv.gz", "dump_rejects.csv"},
};

Test(outputs, compressed_names)
{
    for (size_t i = 0; i < sizeof zout_cases / sizeof zout_cases[0]; i++) {
        const struct zout_case *c = &zout_cases[i];
        char *got = csvb_outputs_path_as(c->path, NULL, NULL, "_processed", c->how);
        cr_assert_str_eq(got, c->expected, "case %zu", i);
        char *rejects = csvb_outputs_rejects_path(got, "_processed");
        cr_assert_str_eq(rejects, c->rejects, "case %zu", i);
        free(rejects);
        free(got);
    }
    char *o = csvb_outputs_path_as("data/sub/a.csv.zst", "sub/a.csv.zst", "out", "_p",
                                   CSVB_COMPRESS_GZIP);
    cr_assert_str_eq(o, "out/sub/a_p.csv.gz");
    free(o);
}
