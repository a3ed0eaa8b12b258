/* test_conflicts.c — every written path against the inputs and each other, by name and inode. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvbatch/conflicts.h"
#include "helpers.h"

/* Appends a CSVB_JOB_RUN job for input path (stat'ed when it exists) writing output/rejects. */
static void add_job(struct csvb_joblist *list, const char *path, const char *output,
                    const char *rejects)
{
    list->jobs = realloc(list->jobs, (list->n + 1) * sizeof *list->jobs);
    cr_assert_not_null(list->jobs);
    struct csvb_job *j = &list->jobs[list->n++];
    memset(j, 0, sizeof *j);
    j->path = strdup(path);
    j->output_path = strdup(output);
    j->rejects_path = rejects != NULL ? strdup(rejects) : NULL;
    j->kind = CSVB_JOB_RUN;
    struct stat st;
    if (stat(path, &st) == 0) {
        j->dev = st.st_dev;
        j->ino = st.st_ino;
    }
    list->cap = list->n;
}

static char *in(const char *dir, const char *name, bool create)
{
    char *p = path_in(dir, name);
    if (create) {
        FILE *f = fopen(p, "w");
        cr_assert_not_null(f);
        fputs("Name\nA\n", f);
        fclose(f);
    }
    return p;
}

Test(conflicts, outputs_and_rejects_by_name)
{
    char *t = tmpdir_new();
    char *a = in(t, "a.csv", true), *b = in(t, "b.csv", true), *c = in(t, "c.csv", true);
    char *o = in(t, "o.csv", false), *dotted = NULL, *c_out = in(t, "c_out.csv", false);
    cr_assert_geq(asprintf(&dotted, "%s/./o.csv", t), 0);
    struct csvb_joblist list = {0};
    add_job(&list, a, o, NULL);
    add_job(&list, b, dotted, NULL); /* the same file through "./" */
    add_job(&list, c, c_out, c_out); /* its own rejects file */
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_conflicts_check(&list, NULL, 0, &d), CSVB_OK);
    char want[8192];
    cr_assert_eq(list.jobs[0].kind, CSVB_JOB_FAIL);
    snprintf(want, sizeof want, "output %s would also be written from %s", o, b);
    cr_assert_str_eq(list.jobs[0].reason, want);
    cr_assert_eq(list.jobs[1].kind, CSVB_JOB_FAIL);
    snprintf(want, sizeof want, "output %s would also be written from %s", dotted, a);
    cr_assert_str_eq(list.jobs[1].reason, want);
    cr_assert_eq(list.jobs[2].kind, CSVB_JOB_FAIL);
    snprintf(want, sizeof want, "output %s would also be written from %s (as its rejects file)",
             c_out, c);
    cr_assert_str_eq(list.jobs[2].reason, want);
    csvb_joblist_fini(&list);
    free(a), free(b), free(c), free(o), free(dotted), free(c_out);
    tmpdir_free(t);
}

Test(conflicts, run_files_are_usage_errors)
{
    char *t = tmpdir_new();
    char *a = in(t, "a.csv", true), *o = in(t, "a_p.csv", false), *r = in(t, "r.json", false);
    char *link = in(t, "link.json", false);
    cr_assert_eq(symlink(a, link), 0);
    struct csvb_joblist list = {0};
    add_job(&list, a, o, NULL);
    struct csvb_diag d;
    char want[8192];
    /* not asked (NULL) and a fresh name: fine */
    struct csvb_conflicts_run_file ok[] = {{"--report", r}, {"--junit", NULL}};
    csvb_diag_init(&d);
    cr_assert_eq(csvb_conflicts_check(&list, ok, 2, &d), CSVB_OK);
    cr_assert_eq(list.jobs[0].kind, CSVB_JOB_RUN);
    /* a symbolic link to the input */
    struct csvb_conflicts_run_file to_input[] = {{"--report", link}};
    csvb_diag_init(&d);
    cr_assert_eq(csvb_conflicts_check(&list, to_input, 1, &d), CSVB_E_USAGE);
    snprintf(want, sizeof want,
             "--report: '%s' is an input file (a link to one?); refusing to overwrite it", link);
    cr_assert_str_eq(d.message, want);
    cr_assert_eq(list.jobs[0].kind, CSVB_JOB_RUN, "the run's conflict, not the job's");
    /* the output, then the two run files with each other */
    struct csvb_conflicts_run_file to_output[] = {{"--junit", o}};
    csvb_diag_init(&d);
    cr_assert_eq(csvb_conflicts_check(&list, to_output, 1, &d), CSVB_E_USAGE);
    snprintf(want, sizeof want, "--junit: '%s' is also the output of %s", o, a);
    cr_assert_str_eq(d.message, want);
    struct csvb_conflicts_run_file same[] = {{"--report", r}, {"--junit", r}};
    csvb_diag_init(&d);
    cr_assert_eq(csvb_conflicts_check(&list, same, 2, &d), CSVB_E_USAGE);
    snprintf(want, sizeof want, "--report and --junit name the same file '%s'", r);
    cr_assert_str_eq(d.message, want);
    csvb_joblist_fini(&list);
    free(a), free(o), free(r), free(link);
    tmpdir_free(t);
}

Test(conflicts, hard_link_between_written_files)
{
    char *t = tmpdir_new();
    char *a = in(t, "a.csv", true), *b = in(t, "b.csv", true);
    char *oa = in(t, "a_p.csv", true), *ob = in(t, "b_p.csv", false);
    cr_assert_eq(link(oa, ob), 0);
    struct csvb_joblist list = {0};
    add_job(&list, a, oa, NULL);
    add_job(&list, b, ob, NULL);
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_conflicts_check(&list, NULL, 0, &d), CSVB_OK);
    char want[8192];
    snprintf(want, sizeof want, "output %s would also be written from %s", oa, b);
    cr_assert_str_eq(list.jobs[0].reason, want);
    cr_assert_eq(list.jobs[1].kind, CSVB_JOB_FAIL);
    csvb_joblist_fini(&list);
    free(a), free(b), free(oa), free(ob);
    tmpdir_free(t);
}

Test(conflicts, run_files_writable)
{
    char *t = tmpdir_new();
    char *r = path_in(t, "r.json"), *gone = path_in(t, "gone/r.json");
    struct csvb_diag d;
    char want[8192];
    struct csvb_conflicts_run_file fine[] = {{"--report", r}, {"--junit", NULL}};
    csvb_diag_init(&d);
    cr_assert_eq(csvb_conflicts_run_files_writable(fine, 2, &d), CSVB_OK);
    struct csvb_conflicts_run_file dir[] = {{"--report", r}, {"--junit", t}};
    csvb_diag_init(&d);
    cr_assert_eq(csvb_conflicts_run_files_writable(dir, 2, &d), CSVB_E_USAGE);
    snprintf(want, sizeof want, "--junit: '%s' is a directory", t);
    cr_assert_str_eq(d.message, want);
    struct csvb_conflicts_run_file missing[] = {{"--report", gone}};
    csvb_diag_init(&d);
    cr_assert_eq(csvb_conflicts_run_files_writable(missing, 1, &d), CSVB_E_USAGE);
    snprintf(want, sizeof want, "--report: cannot write in '%s/gone': No such file or directory",
             t);
    cr_assert_str_eq(d.message, want);
    free(r);
    free(gone);
    tmpdir_free(t);
}
