/* test_atomic.c — outputs appear whole or not at all; no temp file survives. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <string.h>
#include <unistd.h>

#include "csvbatch/atomic.h"
#include "helpers.h"

static size_t count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

Test(atomic, commit_replaces_and_abort_leaves_nothing)
{
    char *t = tmpdir_new();
    write_text(t, "out.csv", "old\n");
    char *out = path_in(t, "out.csv");
    struct csvb_atomic a;
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_atomic_open(&a, out, false, 0640, &d), CSVB_OK);
    const char *slash = strrchr(a.tmp_path, '/');
    cr_assert(csvb_atomic_is_temp_name(slash + 1), "%s", a.tmp_path);
    cr_assert_eq(write(a.fd, "new\n", 4), 4);
    char *before = read_text(t, "out.csv");
    cr_assert_str_eq(before, "old\n"); /* untouched until commit */
    free(before);
    cr_assert_eq(csvb_atomic_commit(&a, true, &d), CSVB_OK);
    char *got = read_text(t, "out.csv");
    cr_assert_str_eq(got, "new\n");
    free(got);
    struct stat st;
    cr_assert_eq(stat(out, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0640);
    cr_assert_eq(count_entries(t), 1);

    cr_assert_eq(csvb_atomic_open(&a, out, false, 0644, &d), CSVB_OK);
    cr_assert_eq(write(a.fd, "partial", 7), 7);
    csvb_atomic_abort(&a);
    csvb_atomic_abort(&a);
    got = read_text(t, "out.csv");
    cr_assert_str_eq(got, "new\n");
    free(got);
    cr_assert_eq(count_entries(t), 1);
    free(out);
    tmpdir_free(t);
}

Test(atomic, make_dirs_and_failures_name_the_path)
{
    char *t = tmpdir_new();
    char *deep = path_in(t, "a/b/c/out.csv");
    struct csvb_atomic a;
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_atomic_open(&a, deep, true, 0644, &d), CSVB_OK);
    cr_assert_eq(csvb_atomic_commit(&a, false, &d), CSVB_OK);
    cr_assert(exists_in(t, "a/b/c/out.csv"));

    /* The destination is a directory: rename fails, the temp file is removed. */
    char *dir = path_in(t, "isdir.csv");
    cr_assert_eq(mkdir(dir, 0755), 0);
    write_text(t, "isdir.csv/keep", "k");
    cr_assert_eq(csvb_atomic_open(&a, dir, false, 0644, &d), CSVB_OK);
    cr_assert_eq(csvb_atomic_commit(&a, false, &d), CSVB_E_IO);
    char want[4200];
    snprintf(want, sizeof want, "cannot rename into %s: Is a directory", dir);
    cr_assert_str_eq(d.message, want);
    cr_assert_eq(count_entries(t), 2); /* a/ and isdir.csv/, no temp file */

    csvb_diag_init(&d);
    char *missing = path_in(t, "no/such/dir/out.csv");
    cr_assert_eq(csvb_atomic_open(&a, missing, false, 0644, &d), CSVB_E_IO);
    snprintf(want, sizeof want, "cannot create a file beside %s: No such file or directory",
             missing);
    cr_assert_str_eq(d.message, want);
    free(deep);
    free(dir);
    free(missing);
    tmpdir_free(t);
}
