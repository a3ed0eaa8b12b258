/* test_outdir.c — the -o directory checked before any work: one usage error, with its cause. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvbatch/outdir.h"
#include "helpers.h"

static enum csvb_err check(const char *dir, struct csvb_diag *d)
{
    csvb_diag_init(d);
    return csvb_outdir_check(dir, d);
}

Test(outdir, usable_and_not)
{
    char *t = tmpdir_new();
    char *file = path_in(t, "file"), *under = path_in(t, "file/sub"), *fresh = path_in(t, "a/b/c");
    char want[4300];
    FILE *f = fopen(file, "w");
    cr_assert_not_null(f);
    fclose(f);
    struct csvb_diag d;
    cr_assert_eq(check(t, &d), CSVB_OK, "%s", d.message);
    cr_assert_eq(check(fresh, &d), CSVB_OK, "%s", d.message); /* created by the run */
    struct stat st;
    cr_assert_neq(stat(fresh, &st), 0, "the check created it");

    cr_assert_eq(check(file, &d), CSVB_E_USAGE);
    snprintf(want, sizeof want, "-o: '%s' is not a directory", file);
    cr_assert_str_eq(d.message, want);

    cr_assert_eq(check(under, &d), CSVB_E_USAGE);
    snprintf(want, sizeof want, "-o: cannot access '%s': Not a directory", under);
    cr_assert_str_eq(d.message, want);

    free(file);
    free(under);
    free(fresh);
    tmpdir_free(t);
}

/* Without write permission (not as root: root writes anyway). */
Test(outdir, read_only)
{
    if (geteuid() == 0)
        cr_skip_test("root ignores permissions");
    char *t = tmpdir_new();
    char *ro = path_in(t, "ro"), *sub = path_in(t, "ro/sub");
    char want[4300];
    cr_assert_eq(mkdir(ro, 0555), 0);
    struct csvb_diag d;
    cr_assert_eq(check(ro, &d), CSVB_E_USAGE);
    snprintf(want, sizeof want, "-o: cannot write in '%s': Permission denied", ro);
    cr_assert_str_eq(d.message, want);
    cr_assert_eq(check(sub, &d), CSVB_E_USAGE);
    snprintf(want, sizeof want, "-o: cannot create '%s': cannot write in '%s': Permission denied",
             sub, ro);
    cr_assert_str_eq(d.message, want);
    chmod(ro, 0755);
    free(ro);
    free(sub);
    tmpdir_free(t);
}
