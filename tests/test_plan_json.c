/* test_plan_json.c — a plan file written and read back: every job as it was (paths that are not
 * UTF-8 too), the mtimes stat gives, the header; files that are not plans are refused. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvbatch/plan_json.h"

static char dir[64];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/csvb-plan-json.XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

static char *in_dir(const char *name)
{
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(p, "%s/%s", dir, name);
    return p;
}

TestSuite(plan_json, .init = make_dir, .fini = remove_dir);

Test(plan_json, round_trip)
{
    char *a = in_dir("a.csv"), *odd = in_dir("caf\xe9.csv"), *plan = in_dir("plan.json");
    FILE *f = fopen(a, "w");
    cr_assert_not_null(f);
    fputs("Name,ID,Status\n", f);
    fclose(f);
    struct stat st;
    cr_assert_eq(stat(a, &st), 0);
    struct csvb_job jobs[3];
    memset(jobs, 0, sizeof jobs);
    jobs[0] = (struct csvb_job){.path = a,
                                .output_path = "out/a_processed.csv",
                                .rejects_path = "out/a_rejects.csv",
                                .kind = CSVB_JOB_RUN,
                                .named = true,
                                .size = 15,
                                .dev = 7,
                                .ino = 9};
    jobs[1] = (struct csvb_job){
        .path = odd, .kind = CSVB_JOB_FAIL, .reason = "output x would also be written from \xff"};
    jobs[2] = (struct csvb_job){.path = "fifo.csv", .kind = CSVB_JOB_SKIP, .reason = "skipped"};
    char *notices[] = {"d: no CSV files found"};
    struct csvb_joblist list = {jobs, 3, 3, notices, 1, 1};
    struct csvb_plan_file pf;
    csvb_plan_file_init(&pf);
    memcpy(pf.options_digest, "0123456789abcdef0123456789abcdef", CSVB_HASH_HEX);
    memcpy(pf.plan_digest, "fedcba9876543210fedcba9876543210", CSVB_HASH_HEX);
    pf.options_text = "suffix=\"_processed\"\n";
    pf.stamp = "2026-01-01T00:00:00Z";
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_plan_json_write(plan, &pf, &list, false, &d), CSVB_OK, "%s", d.message);

    struct csvb_plan_file back;
    struct csvb_joblist got;
    cr_assert_eq(csvb_plan_json_read(plan, &back, &got, &d), CSVB_OK, "%s", d.message);
    cr_assert_str_eq(back.options_digest, pf.options_digest);
    cr_assert_str_eq(back.plan_digest, pf.plan_digest);
    cr_assert_str_eq(back.options_text, pf.options_text);
    cr_assert_str_eq(back.stamp, pf.stamp);
    cr_assert_eq(got.n, 3);
    cr_assert_eq(back.n, 3);
    cr_assert_str_eq(got.jobs[0].path, a);
    cr_assert_str_eq(got.jobs[0].output_path, "out/a_processed.csv");
    cr_assert_str_eq(got.jobs[0].rejects_path, "out/a_rejects.csv");
    cr_assert(got.jobs[0].named);
    cr_assert_eq(got.jobs[0].size, 15);
    cr_assert_eq(got.jobs[0].dev, 7);
    cr_assert_eq(got.jobs[0].ino, 9);
    cr_assert_eq(back.mtime_ns[0], (int64_t)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec);
    cr_assert_str_eq(got.jobs[1].path, odd); /* the byte 0xE9 survives */
    cr_assert_eq(got.jobs[1].kind, CSVB_JOB_FAIL);
    cr_assert_str_eq(got.jobs[1].reason, "output x would also be written from \xff");
    cr_assert_null(got.jobs[1].output_path);
    cr_assert_eq(back.mtime_ns[1], -1);
    cr_assert_eq(got.jobs[2].kind, CSVB_JOB_SKIP);
    cr_assert_not(got.jobs[2].named);
    cr_assert_eq(got.nnotices, 1);
    cr_assert_str_eq(got.notices[0], "d: no CSV files found");
    csvb_plan_file_fini(&back);
    csvb_plan_file_fini(&back);
    csvb_joblist_fini(&got);
    DIR *dp = opendir(dir); /* a.csv and plan.json: no temp file left */
    size_t entries = 0;
    for (struct dirent *e; (e = readdir(dp)) != NULL;)
        entries += e->d_name[0] != '.' || (e->d_name[1] != '\0' && e->d_name[1] != '.');
    closedir(dp);
    cr_assert_eq(entries, 2);
    free(a);
    free(odd);
    free(plan);
}

Test(plan_json, not_a_plan)
{
    char *p = in_dir("x.json");
    struct csvb_plan_file pf;
    struct csvb_joblist list;
    struct csvb_diag d;
    FILE *f = fopen(p, "w");
    fputs("{\"tool\": \"csvbatch\", \"files\": []}\n", f);
    fclose(f);
    csvb_diag_init(&d);
    cr_assert_eq(csvb_plan_json_read(p, &pf, &list, &d), CSVB_E_USAGE);
    char want[256];
    snprintf(want, sizeof want, "--plan: %s: not a csvbatch plan (--plan-out FILE)", p);
    cr_assert_str_eq(d.message, want);
    csvb_plan_file_fini(&pf);
    csvb_joblist_fini(&list);
    f = fopen(p, "w");
    fputs("Name,ID\n", f);
    fclose(f);
    csvb_diag_init(&d);
    cr_assert_eq(csvb_plan_json_read(p, &pf, &list, &d), CSVB_E_USAGE);
    snprintf(want, sizeof want, "--plan: %s: ", p);
    cr_assert_eq(strncmp(d.message, want, strlen(want)), 0, "%s", d.message);
    csvb_plan_file_fini(&pf);
    csvb_joblist_fini(&list);
    free(p);
}
