/* test_shard.c — K/N parsing, --shard auto from each engine's environment, the byte-balanced
 * partition (no job lost or done twice under any N, balance on W1-like sizes), the selection. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/shard.h"

/* ---- K/N ---- */

Test(shard, parse_k_of_n)
{
    struct csvb_diag d;
    unsigned k = 0, n = 0;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_shard_parse("3/4", &k, &n, &d), CSVB_OK);
    cr_assert_eq(k, 3);
    cr_assert_eq(n, 4);
    cr_assert_eq(csvb_shard_parse("1/1", &k, &n, &d), CSVB_OK);
    cr_assert_eq(csvb_shard_parse("1000000/1000000", &k, &n, &d), CSVB_OK);
    const char *bad[] = {"0/3",  "4/3",  "a/3",   "3",    "3/", "/3",    "1/1000001",
                         "+1/2", " 1/2", "1/2/3", "1/-2", "",   "auto2", "1//2"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        csvb_diag_init(&d);
        k = n = 77;
        cr_assert_eq(csvb_shard_parse(bad[i], &k, &n, &d), CSVB_E_USAGE, "'%s'", bad[i]);
        char want[128];
        snprintf(want, sizeof want, "--shard: expected K/N with 1 <= K <= N, or auto, found '%s'",
                 bad[i]);
        cr_assert_str_eq(d.message, want);
        cr_assert_eq(k, 77, "'%s' stored nothing", bad[i]);
    }
}

Test(shard, option_rules)
{
    struct csvb_options opt;
    struct csvb_diag d;
    csvb_options_init(&opt);
    csvb_diag_init(&d);
    cr_assert_eq(csvb_shard_check_options(&opt, false, &d), CSVB_OK);
    opt.shards = 3;
    cr_assert_eq(csvb_shard_check_options(&opt, false, &d), CSVB_OK); /* unused without auto */
    opt.shard_index = 1;
    opt.shard_count = 4;
    cr_assert_eq(csvb_shard_check_options(&opt, true, &d), CSVB_E_USAGE);
    cr_assert_str_eq(d.message, "--shards and --shard K/N give two counts");
    opt.shard_index = opt.shard_count = 0;
    opt.shard_auto = true;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_shard_check_options(&opt, true, &d), CSVB_OK);
    opt.incremental = true;
    cr_assert_eq(csvb_shard_check_options(&opt, true, &d), CSVB_E_USAGE);
    opt.incremental = false;
    opt.plan_out = "p.json";
    csvb_diag_init(&d);
    cr_assert_eq(csvb_shard_check_options(&opt, true, &d), CSVB_E_USAGE);
    cr_assert_str_eq(d.message,
                     "--plan-out plans the whole run: give --shard to the runs of the plan");
    opt.report = "r.json";
    csvb_diag_init(&d);
    cr_assert_eq(csvb_shard_check_options(&opt, false, &d), CSVB_E_USAGE);
    cr_assert_str_eq(d.message,
                     "--plan-out processes nothing: give --report and --junit to the runs of the "
                     "plan");
    opt.report = NULL;
    opt.plan_in = "p.json";
    csvb_diag_init(&d);
    cr_assert_eq(csvb_shard_check_options(&opt, false, &d), CSVB_E_USAGE);
    cr_assert_str_eq(d.message, "--plan-out and --plan exclude each other");
    csvb_options_fini(&opt);
}

/* ---- --shard auto: a fake environment, NAME=VALUE strings ---- */

static const char *fake_get(void *ctx, const char *name)
{
    size_t len = strlen(name);
    for (const char *const *v = ctx; *v != NULL; v++)
        if (strncmp(*v, name, len) == 0 && (*v)[len] == '=')
            return *v + len + 1;
    return NULL;
}

/* Runs csvb_shard_from_env on vars; returns the code, K/N in *k, *n, message in d. */
static enum csvb_err from(const char *const *vars, unsigned shards, unsigned *k, unsigned *n,
                          const char **source, struct csvb_diag *d)
{
    struct csvb_shard_env env = {fake_get, (void *)vars};
    csvb_diag_init(d);
    *k = *n = 0;
    *source = NULL;
    return csvb_shard_from_env(&env, shards, k, n, source, d);
}

Test(shard, env_slurm_array_ids_need_not_start_at_0_nor_step_by_1)
{
    struct csvb_diag d;
    unsigned k, n;
    const char *src;
    const char *a[] = {"SLURM_ARRAY_TASK_ID=9",
                       "SLURM_ARRAY_TASK_MIN=5",
                       "SLURM_ARRAY_TASK_STEP=2",
                       "SLURM_ARRAY_TASK_COUNT=3",
                       "OMPI_COMM_WORLD_RANK=0",
                       "OMPI_COMM_WORLD_SIZE=8",
                       NULL};
    cr_assert_eq(from(a, 0, &k, &n, &src, &d), CSVB_OK, "%s", d.message);
    cr_assert_eq(k, 3); /* 5, 7, 9: the third; Slurm wins over Open MPI */
    cr_assert_eq(n, 3);
    cr_assert_str_eq(src, "Slurm array");
    const char *b[] = {"SLURM_ARRAY_TASK_ID=0", "SLURM_ARRAY_TASK_MIN=0",
                       "SLURM_ARRAY_TASK_COUNT=4", NULL}; /* no STEP: 1 */
    cr_assert_eq(from(b, 0, &k, &n, &src, &d), CSVB_OK);
    cr_assert_eq(k, 1);
    cr_assert_eq(n, 4);
    const char *c[] = {"SLURM_ARRAY_TASK_ID=8", "SLURM_ARRAY_TASK_MIN=5", "SLURM_ARRAY_TASK_STEP=2",
                       "SLURM_ARRAY_TASK_COUNT=3", NULL};
    cr_assert_eq(from(c, 0, &k, &n, &src, &d), CSVB_E_USAGE);
    cr_assert_str_eq(d.message, "--shard auto: SLURM_ARRAY_TASK_ID 8 is not MIN 5 plus a "
                                "multiple of STEP 2 (give --array as a range)");
    const char *e[] = {"SLURM_ARRAY_TASK_ID=3", "SLURM_ARRAY_TASK_MIN=0", NULL};
    cr_assert_eq(from(e, 0, &k, &n, &src, &d), CSVB_E_USAGE);
    cr_assert_str_eq(d.message, "--shard auto: SLURM_ARRAY_TASK_COUNT is not set");
    const char *f[] = {"SLURM_ARRAY_TASK_ID=x", NULL};
    cr_assert_eq(from(f, 0, &k, &n, &src, &d), CSVB_E_USAGE);
    cr_assert_str_eq(d.message, "--shard auto: SLURM_ARRAY_TASK_ID: expected a whole number "
                                "from 0 to 4000000000, found 'x'");
    const char *g[] = {"SLURM_ARRAY_TASK_ID=13", "SLURM_ARRAY_TASK_MIN=1",
                       "SLURM_ARRAY_TASK_STEP=4", "SLURM_ARRAY_TASK_COUNT=3", NULL};
    cr_assert_eq(from(g, 0, &k, &n, &src, &d), CSVB_E_USAGE); /* 1, 5, 9: 13 is a fourth */
    cr_assert_str_eq(d.message,
                     "--shard auto: SLURM_ARRAY_TASK_ID gives share 4 of 3, past the last");
}

Test(shard, env_kubernetes_indexed_job)
{
    struct csvb_diag d;
    unsigned k, n;
    const char *src;
    const char *a[] = {"JOB_COMPLETION_INDEX=0", "PMI_RANK=3", "PMI_SIZE=4", NULL};
    cr_assert_eq(from(a, 3, &k, &n, &src, &d), CSVB_OK);
    cr_assert_eq(k, 1);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(src, "Kubernetes indexed job");
    const char *b[] = {"JOB_COMPLETION_INDEX=2", "CSVBATCH_SHARDS=3", NULL};
    cr_assert_eq(from(b, 0, &k, &n, &src, &d), CSVB_OK);
    cr_assert_eq(k, 3);
    cr_assert_eq(n, 3);
    cr_assert_eq(from(b, 5, &k, &n, &src, &d), CSVB_OK); /* --shards wins */
    cr_assert_eq(n, 5);
    cr_assert_eq(from(b, 2, &k, &n, &src, &d), CSVB_E_USAGE);
    cr_assert_str_eq(d.message,
                     "--shard auto: JOB_COMPLETION_INDEX gives share 3 of 2, past the last");
    const char *c[] = {"JOB_COMPLETION_INDEX=1", NULL};
    cr_assert_eq(from(c, 0, &k, &n, &src, &d), CSVB_E_USAGE);
    cr_assert_str_eq(d.message, "--shard auto: JOB_COMPLETION_INDEX is set but not the count: "
                                "give --shards N or CSVBATCH_SHARDS (the Job's completions)");
    const char *e[] = {"JOB_COMPLETION_INDEX=1", "CSVBATCH_SHARDS=0", NULL};
    cr_assert_eq(from(e, 0, &k, &n, &src, &d), CSVB_E_USAGE);
    cr_assert_str_eq(d.message, "--shard auto: CSVBATCH_SHARDS: expected a whole number from 1 "
                                "to 1000000, found '0'");
}

Test(shard, env_open_mpi_and_pmi)
{
    struct csvb_diag d;
    unsigned k, n;
    const char *src;
    const char *a[] = {"OMPI_COMM_WORLD_RANK=1", "OMPI_COMM_WORLD_SIZE=4", "PMI_RANK=0",
                       "PMI_SIZE=2", NULL};
    cr_assert_eq(from(a, 0, &k, &n, &src, &d), CSVB_OK);
    cr_assert_eq(k, 2);
    cr_assert_eq(n, 4);
    cr_assert_str_eq(src, "Open MPI");
    const char *b[] = {"PMI_RANK=0", "PMI_SIZE=1", NULL};
    cr_assert_eq(from(b, 0, &k, &n, &src, &d), CSVB_OK);
    cr_assert_eq(k, 1);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(src, "PMI");
    const char *c[] = {"PMI_RANK=2", NULL};
    cr_assert_eq(from(c, 0, &k, &n, &src, &d), CSVB_E_USAGE);
    cr_assert_str_eq(d.message, "--shard auto: PMI_SIZE is not set");
    const char *e[] = {"OMPI_COMM_WORLD_RANK=4", "OMPI_COMM_WORLD_SIZE=4", NULL};
    cr_assert_eq(from(e, 0, &k, &n, &src, &d), CSVB_E_USAGE);
}

Test(shard, env_nothing_found_lists_what_was_looked_for)
{
    struct csvb_diag d;
    unsigned k, n;
    const char *src;
    const char *a[] = {"HOME=/root", "CSVBATCH_SHARDS=4", NULL};
    cr_assert_eq(from(a, 4, &k, &n, &src, &d), CSVB_E_USAGE);
    cr_assert_str_eq(d.message, "--shard auto: no shard in the environment (looked for "
                                "SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX with --shards or "
                                "CSVBATCH_SHARDS, OMPI_COMM_WORLD_RANK, PMI_RANK): give --shard "
                                "K/N");
}

/* ---- The partition ---- */

Test(shard, largest_first_into_least_loaded_ties_in_order)
{
    struct csvb_diag d;
    csvb_diag_init(&d);
    const uint64_t w[] = {5, 3, 3, 1};
    unsigned share[4];
    cr_assert_eq(csvb_shard_partition(w, 4, 2, share, &d), CSVB_OK);
    const unsigned want[] = {0, 1, 1, 0}; /* 5 -> A; 3 -> B; 3 -> B (3 < 5); 1 -> A (5 < 6) */
    for (int i = 0; i < 4; i++)
        cr_assert_eq(share[i], want[i], "item %d", i);
    const uint64_t eq[] = {2, 2, 2, 2, 2};
    unsigned s2[5];
    cr_assert_eq(csvb_shard_partition(eq, 5, 3, s2, &d), CSVB_OK);
    const unsigned want2[] = {0, 1, 2, 0, 1};
    for (int i = 0; i < 5; i++)
        cr_assert_eq(s2[i], want2[i], "item %d", i);
    const uint64_t late[] = {1, 9}; /* the larger goes first, though it comes later */
    cr_assert_eq(csvb_shard_partition(late, 2, 2, s2, &d), CSVB_OK);
    cr_assert_eq(s2[1], 0);
    cr_assert_eq(s2[0], 1);
    cr_assert_eq(csvb_shard_partition(late, 0, 4, s2, &d), CSVB_OK); /* nothing to share */
}

/* A job list of n run jobs with the given sizes, named f0000.csv ... */
static void make_list(struct csvb_joblist *l, const off_t *sizes, size_t n)
{
    memset(l, 0, sizeof *l);
    l->jobs = calloc(n + 1, sizeof *l->jobs);
    cr_assert_not_null(l->jobs);
    for (size_t i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "f%04zu.csv", i);
        l->jobs[i].path = strdup(name);
        l->jobs[i].output_path = strdup("out.csv");
        l->jobs[i].kind = i % 17 == 5 ? CSVB_JOB_SKIP : CSVB_JOB_RUN;
        l->jobs[i].size = sizes[i];
    }
    l->n = l->cap = n;
}

Test(shard, every_job_in_exactly_one_share_under_random_n_and_listings)
{
    srand(20261201);
    for (int round = 0; round < 300; round++) {
        size_t n = (size_t)(rand() % 120);
        unsigned count = 1 + (unsigned)(rand() % 12);
        off_t *sizes = calloc(n + 1, sizeof *sizes);
        for (size_t i = 0; i < n; i++) /* zeros, duplicates and large ones */
            sizes[i] = rand() % 4 == 0 ? 0 : (off_t)(rand() % (rand() % 3 == 0 ? 5 : 100000));
        unsigned *seen = calloc(n + 1, sizeof *seen);
        for (unsigned k = 1; k <= count; k++) {
            struct csvb_joblist l;
            struct csvb_diag d;
            csvb_diag_init(&d);
            make_list(&l, sizes, n);
            struct csvb_shard s = {.index = k, .count = count};
            cr_assert_eq(csvb_shard_select(&s, &l, &d), CSVB_OK);
            cr_assert_eq(s.total, n);
            cr_assert_eq(s.n, l.n);
            for (size_t j = 0; j < l.n; j++) {
                size_t at = s.positions[j];
                cr_assert_lt(at, n);
                cr_assert(j == 0 || s.positions[j - 1] < at, "kept in input order");
                char name[32];
                snprintf(name, sizeof name, "f%04zu.csv", at);
                cr_assert_str_eq(l.jobs[j].path, name);
                seen[at]++;
            }
            csvb_shard_fini(&s);
            csvb_shard_fini(&s);
            csvb_joblist_fini(&l);
        }
        for (size_t i = 0; i < n; i++)
            cr_assert_eq(seen[i], 1, "round %d (N %u): job %zu done %u times", round, count, i,
                         seen[i]);
        free(seen);
        free(sizes);
    }
}

Test(shard, deterministic)
{
    uint64_t w[500];
    unsigned a[500], b[500];
    struct csvb_diag d;
    csvb_diag_init(&d);
    srand(7);
    for (int i = 0; i < 500; i++)
        w[i] = (uint64_t)(rand() % 50);
    cr_assert_eq(csvb_shard_partition(w, 500, 7, a, &d), CSVB_OK);
    cr_assert_eq(csvb_shard_partition(w, 500, 7, b, &d), CSVB_OK);
    cr_assert_arr_eq(a, b, sizeof a);
}

/* 2,000 files from 1 KB to 10 MB, about log-uniform (W1-like: over three orders of magnitude). */
Test(shard, balance_on_w1_like_sizes)
{
    enum { N_FILES = 2000 };
    static uint64_t w[N_FILES];
    static unsigned share[N_FILES];
    struct csvb_diag d;
    csvb_diag_init(&d);
    srand(42);
    uint64_t total = 0, largest = 0;
    for (int i = 0; i < N_FILES; i++) {
        double e = 3.0 * rand() / (double)RAND_MAX; /* 10^0 .. 10^3 KB */
        uint64_t kb = 1;
        for (double x = e; x >= 1.0; x -= 1.0)
            kb *= 10;
        w[i] = (uint64_t)((double)kb * 1024.0 * (1.0 + 9.0 * (e - (int)e))); /* 1 KB .. 10 MB */
        total += w[i];
        largest = w[i] > largest ? w[i] : largest;
    }
    const unsigned counts[] = {2, 3, 4, 7, 8, 16, 64, 500};
    for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        unsigned count = counts[c];
        uint64_t load[500] = {0}, top = 0;
        cr_assert_eq(csvb_shard_partition(w, N_FILES, count, share, &d), CSVB_OK);
        for (int i = 0; i < N_FILES; i++)
            load[share[i]] += w[i];
        for (unsigned s = 0; s < count; s++)
            top = load[s] > top ? load[s] : top;
        double mean = (double)total / count;
        bool ok = (double)top <= 1.10 * mean ||
                  ((double)largest > mean && (double)top <= mean + (double)largest);
        cr_assert(ok, "N %u: largest share %llu, mean %.0f, largest file %llu", count,
                  (unsigned long long)top, mean, (unsigned long long)largest);
        if ((double)largest * 10 < mean) /* many files a share: LPT is within a file of the mean */
            cr_assert_leq((double)top, mean + (double)largest);
    }
}

Test(shard, one_file_bigger_than_the_mean)
{
    const uint64_t w[] = {1000, 10, 10, 10, 10};
    unsigned share[5];
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_shard_partition(w, 5, 3, share, &d), CSVB_OK);
    cr_assert_eq(share[0], 0);
    for (int i = 1; i < 5; i++)
        cr_assert_neq(share[i], 0, "the small files go to the other shares");
}
