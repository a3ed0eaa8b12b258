/* test_walk.c — which names a directory walk takes, skips and notices, and the order of entries. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvbatch/cli.h"
#include "csvbatch/walk.h"
#include "helpers.h"

struct name_case {
    const char *name;
    bool csv, output;
};

static const struct name_case name_cases[] = {
    {"a.csv", true, false},
    {"A.CSV", true, false},
    {"a.cSv", true, false},
    {".csv", true, false},
    {"a.csvx", false, false},
    {"csv", false, false},
    {"a.tsv", true, false},
    {"x_processed.csv", true, true},
    {"A.TSV.gz", true, false},
    {"x_processed.tsv", true, true},
    {"x_processed.TSV.zst", true, true},
    {"a.tsvx", false, false},
    {"X_PROCESSED.CSV", true, true},
    {"x_rejects.csv", true, true},
    {"x_Rejects.Csv", true, true},
    {"x_processed.csv.bak", false, false},
    {"processed.csv", true, false},
    {"x_processedcsv", false, false},
};

Test(walk, name_rules)
{
    for (size_t i = 0; i < sizeof name_cases / sizeof name_cases[0]; i++) {
        const struct name_case *c = &name_cases[i];
        cr_assert_eq(csvb_walk_has_csv_ext(c->name), c->csv, "%s", c->name);
        cr_assert_eq(csvb_walk_is_output_name(c->name, "_processed"), c->output, "%s", c->name);
    }
    cr_assert(csvb_walk_is_output_name("x_out.csv", "_out"));
    cr_assert_not(csvb_walk_is_output_name("x_processed.csv", "_out"));
}

static void walk_args(struct csvb_walk_list *list, int argc, char **argv, enum csvb_err expected,
                      struct csvb_diag *d)
{
    struct csvb_options opt;
    csvb_diag_init(d);
    cr_assert_eq(csvb_cli_parse(argc, argv, &opt, d), CSVB_CLI_OK);
    cr_assert_eq(csvb_walk(&opt, list, d), expected, "%s", d->message);
    csvb_options_fini(&opt);
}

/* What one entry must be: the path under the test directory, its kind and reason. */
struct want {
    const char *name;
    enum csvb_job_kind kind;
    const char *reason;
};

static void check_entries(const struct csvb_walk_list *list, const char *t, const struct want *w,
                          size_t n)
{
    cr_assert_eq(list->n, n, "%zu entries", list->n);
    for (size_t i = 0; i < n; i++) {
        char *path = path_in(t, w[i].name);
        cr_assert_str_eq(list->entries[i].path, path, "entry %zu", i);
        cr_assert_eq(list->entries[i].kind, w[i].kind, "entry %zu", i);
        if (w[i].reason != NULL)
            cr_assert_str_eq(list->entries[i].reason, w[i].reason, "entry %zu", i);
        else
            cr_assert_null(list->entries[i].reason, "entry %zu", i);
        free(path);
    }
}

Test(walk, directory_taken_filtered_and_skipped)
{
    char *t = tmpdir_new();
    write_text(t, "b.csv", "x\n");
    write_text(t, "A.CSV", "x\n");
    write_text(t, "c.txt", "x\n");
    write_text(t, ".hidden.csv", "x\n");
    write_text(t, "a_processed.csv", "x\n");
    write_text(t, "a_rejects.csv", "x\n");
    write_text(t, ".b_processed.csv.tmp-abc123", "x\n");
    char *sub = path_in(t, "sub.csv"), *fifo = path_in(t, "p.csv"), *dang = path_in(t, "gone.csv");
    char *loop = path_in(t, "loop.csv"), *deep = path_in(t, "sub.csv/deep.csv");
    char *txtfifo = path_in(t, "q.txt"), *sock = path_in(t, "s.csv");
    cr_assert_eq(mkdir(sub, 0755), 0);
    write_bytes(deep, "x\n", 2);
    cr_assert_eq(mkfifo(fifo, 0644), 0);
    cr_assert_eq(mkfifo(txtfifo, 0644), 0);
    cr_assert_eq(mknod(sock, S_IFSOCK | 0644, 0), 0);
    cr_assert_eq(symlink("nowhere.csv", dang), 0);
    cr_assert_eq(symlink("loop.csv", loop), 0);
    struct csvb_walk_list list;
    struct csvb_diag d;
    char *argv[] = {"csvbatch", t};
    walk_args(&list, 2, argv, CSVB_OK, &d);
    const struct want flat[] = {
        {"A.CSV", CSVB_JOB_RUN, NULL},
        {"b.csv", CSVB_JOB_RUN, NULL},
        {"gone.csv", CSVB_JOB_SKIP, "skipped: dangling symbolic link"},
        {"loop.csv", CSVB_JOB_SKIP, "skipped: symbolic link loop"},
        {"p.csv", CSVB_JOB_SKIP, "skipped: not a regular file (named pipe)"},
        {"s.csv", CSVB_JOB_SKIP, "skipped: not a regular file (socket)"},
        {"sub.csv", CSVB_JOB_SKIP, "skipped: is a directory (use -r to descend)"},
    };
    check_entries(&list, t, flat, 7);
    cr_assert_eq(list.nnotices, 0);
    size_t rel = strlen(t) + 1;
    cr_assert_eq(list.entries[0].rel, rel);
    cr_assert_not(list.entries[0].named);
    cr_assert_eq(list.entries[0].size, 2);
    struct stat st;
    cr_assert_eq(stat(list.entries[0].path, &st), 0);
    cr_assert(list.entries[0].dev == st.st_dev && list.entries[0].ino == st.st_ino);
    cr_assert_eq(list.entries[2].dev, 0); /* stat failed: no identity */
    csvb_walk_list_fini(&list);
    csvb_walk_list_fini(&list);

    char *rargv[] = {"csvbatch", "-r", t};
    walk_args(&list, 3, rargv, CSVB_OK, &d);
    cr_assert_eq(list.n, 7); /* the directory sub.csv is walked: sub.csv/deep.csv */
    cr_assert_str_eq(list.entries[6].path, deep);
    cr_assert_str_eq(list.entries[6].path + list.entries[6].rel, "sub.csv/deep.csv");
    csvb_walk_list_fini(&list);
    char *owned[] = {sub, fifo, dang, loop, deep, txtfifo, sock};
    for (size_t i = 0; i < 7; i++)
        free(owned[i]);
    tmpdir_free(t);
}

Test(walk, named_files_always_taken_in_argument_order)
{
    char *t = tmpdir_new();
    write_text(t, "z.txt", "x\n");
    write_text(t, "y_processed.csv", "x\n");
    write_text(t, ".h.csv", "x\n");
    char *fifo = path_in(t, "f.txt"), *z = path_in(t, "z.txt"), *y = path_in(t, "y_processed.csv");
    char *h = path_in(t, ".h.csv");
    cr_assert_eq(mkfifo(fifo, 0644), 0);
    struct csvb_walk_list list;
    struct csvb_diag d;
    char *argv[] = {"csvbatch", z, y, h, fifo};
    walk_args(&list, 5, argv, CSVB_OK, &d);
    const struct want w[] = {{"z.txt", CSVB_JOB_RUN, NULL},
                             {"y_processed.csv", CSVB_JOB_RUN, NULL},
                             {".h.csv", CSVB_JOB_RUN, NULL},
                             {"f.txt", CSVB_JOB_RUN, NULL}};
    check_entries(&list, t, w, 4);
    for (size_t i = 0; i < 4; i++) {
        cr_assert(list.entries[i].named);
        cr_assert_eq(list.entries[i].rel, 0);
    }
    csvb_walk_list_fini(&list);
    free(fifo);
    free(z);
    free(y);
    free(h);
    tmpdir_free(t);
}

/* Paths sort as whole strings: "a.csv" ('.') before "a/x.csv" ('/') before "a0.csv" ('0'),
 * although the directory "a" sorts before "a.csv" as a name. */
Test(walk, recursive_entries_sorted_by_whole_path)
{
    char *t = tmpdir_new();
    const char *files[] = {"a0.csv", "a.csv", "a-b.csv", "a b.csv", "B.csv", "a/x.csv", "a/w.csv"};
    char *a = path_in(t, "a");
    cr_assert_eq(mkdir(a, 0755), 0);
    for (size_t i = 0; i < 7; i++)
        write_text(t, files[i], "x\n");
    struct csvb_walk_list list;
    struct csvb_diag d;
    char *argv[] = {"csvbatch", "-r", t};
    walk_args(&list, 3, argv, CSVB_OK, &d);
    const struct want w[] = {
        {"B.csv", CSVB_JOB_RUN, NULL},   {"a b.csv", CSVB_JOB_RUN, NULL},
        {"a-b.csv", CSVB_JOB_RUN, NULL}, {"a.csv", CSVB_JOB_RUN, NULL},
        {"a/w.csv", CSVB_JOB_RUN, NULL}, {"a/x.csv", CSVB_JOB_RUN, NULL},
        {"a0.csv", CSVB_JOB_RUN, NULL},
    };
    check_entries(&list, t, w, 7);
    csvb_walk_list_fini(&list);

    /* Arguments keep their order; a trailing slash is not doubled; rel follows the argument. */
    char *slashed = NULL;
    cr_assert_geq(asprintf(&slashed, "%s/", a), 0);
    char *argv2[] = {"csvbatch", slashed, t};
    walk_args(&list, 3, argv2, CSVB_OK, &d);
    cr_assert_eq(list.n, 7);
    char *want = path_in(a, "w.csv");
    cr_assert_str_eq(list.entries[0].path, want);
    cr_assert_str_eq(list.entries[0].path + list.entries[0].rel, "w.csv");
    cr_assert_str_eq(list.entries[2].path + list.entries[2].rel, "B.csv");
    free(want);
    csvb_walk_list_fini(&list);
    free(slashed);
    free(a);
    tmpdir_free(t);
}

Test(walk, missing_path_is_usage_error_and_empty_dir_notice)
{
    char *t = tmpdir_new();
    struct csvb_walk_list list;
    struct csvb_diag d;
    char *missing = path_in(t, "nope");
    char *argv[] = {"csvbatch", t, missing};
    walk_args(&list, 3, argv, CSVB_E_USAGE, &d);
    char want[4200];
    snprintf(want, sizeof want, "cannot access '%s': No such file or directory", missing);
    cr_assert_str_eq(d.message, want);
    csvb_walk_list_fini(&list);

    write_text(t, "notes.txt", "x\n");
    write_text(t, "old_processed.csv", "x\n");
    char *argv2[] = {"csvbatch", t};
    walk_args(&list, 2, argv2, CSVB_OK, &d);
    cr_assert_eq(list.n, 0);
    cr_assert_eq(list.nnotices, 1);
    /* The directory's only CSV file is named like an output: the notice says so (issue 13
     * item 20). */
    snprintf(want, sizeof want,
             "%s: no CSV files found: 1 file named like outputs (*_processed.csv, *_rejects.csv) "
             "was left out; name it as an argument to read it",
             t);
    cr_assert_str_eq(list.notices[0], want);
    csvb_walk_list_fini(&list);
    free(missing);
    tmpdir_free(t);
}

Test(walk, directory_loop_is_a_notice)
{
    char *t = tmpdir_new();
    write_text(t, "a.csv", "x\n");
    char *up = path_in(t, "up");
    cr_assert_eq(symlink(".", up), 0);
    struct csvb_walk_list list;
    struct csvb_diag d;
    char *argv[] = {"csvbatch", "-r", t};
    walk_args(&list, 3, argv, CSVB_OK, &d);
    cr_assert_eq(list.n, 1);
    cr_assert_eq(list.nnotices, 1);
    char want[4200];
    snprintf(want, sizeof want, "%s: not descending: directory loop (a symbolic link to a parent?)",
             up);
    cr_assert_str_eq(list.notices[0], want);
    csvb_walk_list_fini(&list);
    free(up);
    tmpdir_free(t);
}

static char *nested(const char *prefix, int depth, const char *name)
{
    size_t len = strlen(prefix) + 2 * (size_t)depth + strlen(name) + 1;
    char *s = malloc(len);
    cr_assert_not_null(s);
    strcpy(s, prefix);
    for (int i = 0; i < depth; i++)
        strcat(s, "d/");
    strcat(s, name);
    return s;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Past CSVB_WALK_FD_LEVELS the walk names entries by whole path: deeper files are still found,
 * and a file reached through a symbolic link to a directory keeps the link in its path. */
Test(walk, deep_tree_past_descriptor_levels)
{
    enum { DEPTH = CSVB_WALK_FD_LEVELS + 6, MID = CSVB_WALK_FD_LEVELS + 4 };
    char *t = tmpdir_new();
    char *dir = strdup(t);
    for (int i = 1; i <= DEPTH; i++) {
        char *next = path_in(dir, "d");
        cr_assert_eq(mkdir(next, 0755), 0);
        if (i == 3 || i == MID)
            write_text(next, "f.csv", "x\n");
        free(dir);
        dir = next;
    }
    write_text(dir, "last.csv", "x\n");
    char *target = path_in(t, "d/d/d"), *link = path_in(t, "link");
    cr_assert_eq(symlink(target, link), 0);
    char *want[] = {nested("", 3, "f.csv"),
                    nested("", MID, "f.csv"),
                    nested("", DEPTH, "last.csv"),
                    nested("link/", 0, "f.csv"),
                    nested("link/", MID - 3, "f.csv"),
                    nested("link/", DEPTH - 3, "last.csv")};
    qsort(want, 6, sizeof *want, cmp_str);
    struct csvb_walk_list list;
    struct csvb_diag d;
    char *argv[] = {"csvbatch", "-r", "-L", t}; /* -L: the link is walked too */
    walk_args(&list, 4, argv, CSVB_OK, &d);
    cr_assert_eq(list.n, 6, "%zu", list.n);
    for (size_t i = 0; i < 6; i++) {
        cr_assert_eq(list.entries[i].kind, CSVB_JOB_RUN);
        cr_assert_str_eq(list.entries[i].path + list.entries[i].rel, want[i]);
        cr_assert_eq(list.entries[i].rel, strlen(t) + 1);
        free(want[i]);
    }
    csvb_walk_list_fini(&list);
    free(target);
    free(link);
    free(dir);
    tmpdir_free(t);
}

/* Makes `levels` nested directories of 200-byte names under t, by descriptor, with a.csv in
 * each; returns the deepest's descriptor. */
static int make_long_tree(const char *t, int levels)
{
    char name[201];
    memset(name, 'n', 200);
    name[200] = '\0';
    int fd = open(t, O_RDONLY | O_DIRECTORY);
    cr_assert_geq(fd, 0);
    for (int i = 0; i < levels; i++) {
        cr_assert_eq(mkdirat(fd, name, 0755), 0);
        int sub = openat(fd, name, O_RDONLY | O_DIRECTORY);
        cr_assert_geq(sub, 0);
        close(fd);
        fd = sub;
        int f = openat(fd, "a.csv", O_WRONLY | O_CREAT, 0644);
        cr_assert_geq(f, 0);
        close(f);
    }
    return fd;
}

/* Removes entry name of dirfd and everything under it, by descriptor: nftw (tmpdir_free) cannot
 * reach past PATH_MAX. */
static void remove_at(int dirfd, const char *name)
{
    if (unlinkat(dirfd, name, 0) == 0)
        return;
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    cr_assert_geq(fd, 0, "%s", name);
    DIR *dh = fdopendir(dup(fd));
    cr_assert_not_null(dh);
    struct dirent *e;
    while ((e = readdir(dh)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            remove_at(fd, e->d_name);
    closedir(dh);
    close(fd);
    cr_assert_eq(unlinkat(dirfd, name, AT_REMOVEDIR), 0);
}

/* Issue 13 item 4: the descriptor walk reaches past PATH_MAX; a CSV file whose whole path is
 * PATH_MAX bytes or more fails with the cause (jobs open files by name), a directory there is
 * walked (an empty one named like a CSV file yields nothing), and its files fail the same way:
 * nothing is passed over (stat by name used to skip the first two and drop the last). */
Test(walk, path_over_path_max_is_a_failure)
{
    char *t = tmpdir_new();
    /* The deepest directory's path stays under PATH_MAX - 6 (its a.csv fits), within 201 of it. */
    int levels = (int)((PATH_MAX - 7 - strlen(t)) / 201);
    int fd = make_long_tree(t, levels);
    char name[256];
    memset(name, 'x', 250);
    strcpy(name + 246, ".csv");
    int f = openat(fd, name, O_WRONLY | O_CREAT, 0644);
    cr_assert_geq(f, 0);
    close(f);
    name[0] = 'y';
    cr_assert_eq(mkdirat(fd, name, 0755), 0);
    name[0] = 'z';
    strcpy(name + 246, ".dir");
    cr_assert_eq(mkdirat(fd, name, 0755), 0);
    int sub = openat(fd, name, O_RDONLY | O_DIRECTORY);
    cr_assert_geq(sub, 0);
    cr_assert_geq((f = openat(sub, "a.csv", O_WRONLY | O_CREAT, 0644)), 0);
    close(f);
    close(sub);
    close(fd);
    struct csvb_walk_list list;
    struct csvb_diag d;
    char *argv[] = {"csvbatch", "-r", t};
    walk_args(&list, 3, argv, CSVB_OK, &d);
    cr_assert_eq(list.n, (size_t)levels + 2, "%zu entries", list.n);
    size_t failed = 0, below_z = 0;
    for (size_t i = 0; i < list.n; i++) {
        const struct csvb_walk_entry *e = &list.entries[i];
        if (strlen(e->path) < PATH_MAX) {
            cr_assert_eq(e->kind, CSVB_JOB_RUN, "%zu", i);
            cr_assert_str_eq(e->path + strlen(e->path) - 6, "/a.csv");
        } else {
            cr_assert_eq(e->kind, CSVB_JOB_FAIL, "%zu", i);
            cr_assert_str_eq(e->reason, "cannot be processed: its path is longer than PATH_MAX "
                                        "(4096 bytes): File name too long");
            below_z +=
                strstr(e->path, "zxxx") != NULL && strcmp(strrchr(e->path, '/'), "/a.csv") == 0;
            failed++;
        }
    }
    cr_assert_eq(failed, 2);
    cr_assert_eq(below_z, 1);
    csvb_walk_list_fini(&list);
    remove_at(AT_FDCWD, t);
    free(t);
}

/* Compressed forms: taken in any case, their extension's length known, our own outputs (plain or
 * compressed) never taken. */
Test(walk, compressed_name_rules)
{
    static const struct {
        const char *name;
        size_t ext;
        bool output;
    } cases[] = {
        {"a.csv.gz", 7, false},
        {"A.CSV.GZ", 7, false},
        {"a.csv.zst", 8, false},
        {"a.Csv.Bz2", 8, false},
        {"a.csv.xz", 7, false},
        {"a.gz", 0, false},
        {"a.csv.lz4", 0, false},
        {"a.csv", 4, false},
        {"x_processed.csv.gz", 7, true},
        {"x_PROCESSED.csv.ZST", 8, true},
        {"x_rejects.csv.xz", 7, true},
        {"x_processed.gz", 0, false},
        {"x_processed.csv.bak.gz", 0, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cr_assert_eq(csvb_walk_csv_ext_len(cases[i].name), cases[i].ext, "%s", cases[i].name);
        cr_assert_eq(csvb_walk_has_csv_ext(cases[i].name), cases[i].ext > 0, "%s", cases[i].name);
        cr_assert_eq(csvb_walk_is_output_name(cases[i].name, "_processed"), cases[i].output, "%s",
                     cases[i].name);
    }
}

/* Issue 13 item 20: which names are our outputs, and what the notices say. */
Test(walk, output_kinds_and_notices)
{
    cr_assert_eq(csvb_walk_output_kind("a_processed.csv", "_processed.csv", "_processed"),
                 CSVB_WALK_OUTPUT);
    cr_assert_eq(csvb_walk_output_kind("a_REJECTS.csv.gz", "_v2.csv", "_v2"), CSVB_WALK_OUTPUT);
    cr_assert_eq(csvb_walk_output_kind("a_processed.csv", "_v2.csv", "_v2"),
                 CSVB_WALK_DEFAULT_OUTPUT);
    cr_assert_eq(csvb_walk_output_kind("a_v2.csv", "_v2.csv", "_v2"), CSVB_WALK_OUTPUT);
    cr_assert_eq(csvb_walk_output_kind("a.csv", "_v2.csv", "_v2"), CSVB_WALK_NOT_OUTPUT);
    char *n = csvb_walk_names_notice("d", true, 0, 0, "_processed.csv");
    cr_assert_str_eq(n, "d: no CSV files found");
    free(n);
    n = csvb_walk_names_notice("d", true, 2, 1, "_v2.csv");
    cr_assert_str_eq(n, "d: no CSV files found: 2 files named like outputs (*_v2.csv, "
                        "*_rejects.csv) were left out; name them as arguments to read them");
    free(n);
    n = csvb_walk_names_notice("d", false, 3, 1, "_v2.csv");
    cr_assert_str_eq(n, "d: 1 file named like outputs of the default suffix (*_processed.csv) "
                        "was left out; name it as an argument to read it");
    free(n);
}

/* The -o directory inside a -r tree is not walked (a notice); the argument itself always is. */
Test(walk, output_dir_not_walked)
{
    char *t = tmpdir_new();
    char *out = path_in(t, "out");
    cr_assert_eq(mkdir(out, 0755), 0);
    write_text(t, "a.csv", "x\n");
    write_text(out, "b.csv", "x\n");
    struct csvb_options opt;
    csvb_options_init(&opt);
    char *paths[] = {t};
    opt.paths = paths;
    opt.npaths = 1;
    opt.recursive = true;
    opt.output_dir = out;
    struct csvb_walk_list list;
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_walk(&opt, &list, &d), CSVB_OK);
    cr_assert_eq(list.n, 1);
    cr_assert_eq(list.nnotices, 1);
    char want[4300];
    snprintf(want, sizeof want, "%s: not descending: it is the output directory (-o)", out);
    cr_assert_str_eq(list.notices[0], want);
    csvb_walk_list_fini(&list);
    opt.paths = NULL;
    opt.npaths = 0;
    opt.output_dir = NULL;
    csvb_options_fini(&opt);
    free(out);
    tmpdir_free(t);
}
