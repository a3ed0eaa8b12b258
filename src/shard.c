/* shard.c — this process's share of a run: K/N from argv or the environment, the byte-balanced
 * partition, and the options and plan digests that tell whether shares belong together. */
#include "csvbatch/shard.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/text.h"

#define SHARD_MAX 1000000u

/* A whole decimal number from lo to hi, nothing else. */
static bool parse_uint(const char *s, size_t len, unsigned long long lo, unsigned long long hi,
                       unsigned long long *out)
{
    unsigned long long v = 0;
    if (len == 0 || len > 18)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (unsigned long long)(s[i] - '0');
    }
    if (v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

enum csvb_err csvb_shard_parse(const char *text, unsigned *index, unsigned *count,
                               struct csvb_diag *d)
{
    const char *slash = strchr(text, '/');
    unsigned long long k, n;
    if (slash == NULL || !parse_uint(text, (size_t)(slash - text), 1, SHARD_MAX, &k) ||
        !parse_uint(slash + 1, strlen(slash + 1), 1, SHARD_MAX, &n) || k > n)
        return csvb_diag_set(d, CSVB_E_USAGE, 0,
                             "--shard: expected K/N with 1 <= K <= N, or auto, found '%s'", text);
    *index = (unsigned)k;
    *count = (unsigned)n;
    return CSVB_OK;
}

enum csvb_err csvb_shard_check_options(const struct csvb_options *opt, bool shard_given,
                                       struct csvb_diag *d)
{
    const char *why = NULL;
    if (opt->shards > 0 && opt->shard_index > 0 && opt->shards != opt->shard_count)
        why = "--shards and --shard K/N give two counts";
    else if (opt->plan_out != NULL && opt->plan_in != NULL)
        why = "--plan-out and --plan exclude each other";
    else if (opt->plan_out != NULL && shard_given)
        why = "--plan-out plans the whole run: give --shard to the runs of the plan";
    else if (opt->plan_out != NULL && (opt->report != NULL || opt->junit != NULL))
        why = "--plan-out processes nothing: give --report and --junit to the runs of the plan";
    else if ((opt->plan_out != NULL || shard_given) && opt->incremental)
        why = "--incremental does not go with --shard or --plan-out (each share would prune the "
              "others' outputs from the manifest)";
    return why != NULL ? csvb_diag_set(d, CSVB_E_USAGE, 0, "%s", why) : CSVB_OK;
}

/* ---- --shard auto ---------------------------------------------------------------------------- */

/* The number in variable name, from lo to hi; CSVB_E_USAGE naming it otherwise. */
static enum csvb_err env_number(const struct csvb_shard_env *env, const char *name,
                                unsigned long long lo, unsigned long long hi,
                                unsigned long long *out, struct csvb_diag *d)
{
    const char *v = env->get(env->ctx, name);
    if (v == NULL)
        return csvb_diag_set(d, CSVB_E_USAGE, 0, "--shard auto: %s is not set", name);
    if (!parse_uint(v, strlen(v), lo, hi, out))
        return csvb_diag_set(d, CSVB_E_USAGE, 0,
                             "--shard auto: %s: expected a whole number from %llu to %llu, "
                             "found '%s'",
                             name, lo, hi, v);
    return CSVB_OK;
}

/* Slurm numbers array tasks by ID from MIN in steps of STEP (--array=1-9:4 gives 1, 5, 9). */
static enum csvb_err from_slurm(const struct csvb_shard_env *env, unsigned long long *k,
                                unsigned long long *n, struct csvb_diag *d)
{
    const unsigned long long big = 4000000000ull;
    unsigned long long id = 0, min = 0, step = 1, count = 0;
    if (env_number(env, "SLURM_ARRAY_TASK_ID", 0, big, &id, d) != CSVB_OK ||
        env_number(env, "SLURM_ARRAY_TASK_MIN", 0, id, &min, d) != CSVB_OK ||
        (env->get(env->ctx, "SLURM_ARRAY_TASK_STEP") != NULL &&
         env_number(env, "SLURM_ARRAY_TASK_STEP", 1, big, &step, d) != CSVB_OK) ||
        env_number(env, "SLURM_ARRAY_TASK_COUNT", 1, SHARD_MAX, &count, d) != CSVB_OK)
        return d->code;
    if ((id - min) % step != 0)
        return csvb_diag_set(d, CSVB_E_USAGE, 0,
                             "--shard auto: SLURM_ARRAY_TASK_ID %llu is not MIN %llu plus a "
                             "multiple of STEP %llu (give --array as a range)",
                             id, min, step);
    *k = (id - min) / step + 1;
    *n = count;
    return CSVB_OK;
}

/* Kubernetes does not expose the completion count: --shards or CSVBATCH_SHARDS gives it. */
static enum csvb_err from_kubernetes(const struct csvb_shard_env *env, unsigned shards,
                                     unsigned long long *k, unsigned long long *n,
                                     struct csvb_diag *d)
{
    unsigned long long index = 0;
    if (env_number(env, "JOB_COMPLETION_INDEX", 0, SHARD_MAX, &index, d) != CSVB_OK)
        return d->code;
    *n = shards;
    if (shards == 0) {
        if (env->get(env->ctx, "CSVBATCH_SHARDS") == NULL)
            return csvb_diag_set(d, CSVB_E_USAGE, 0,
                                 "--shard auto: JOB_COMPLETION_INDEX is set but not the count: "
                                 "give --shards N or CSVBATCH_SHARDS (the Job's completions)");
        if (env_number(env, "CSVBATCH_SHARDS", 1, SHARD_MAX, n, d) != CSVB_OK)
            return d->code;
    }
    *k = index + 1;
    return CSVB_OK;
}

/* A rank/size pair (Open MPI, PMI): K = rank + 1. */
static enum csvb_err from_rank(const struct csvb_shard_env *env, const char *rank, const char *size,
                               unsigned long long *k, unsigned long long *n, struct csvb_diag *d)
{
    unsigned long long r = 0;
    if (env_number(env, rank, 0, SHARD_MAX, &r, d) != CSVB_OK ||
        env_number(env, size, 1, SHARD_MAX, n, d) != CSVB_OK)
        return d->code;
    *k = r + 1;
    return CSVB_OK;
}

enum csvb_err csvb_shard_from_env(const struct csvb_shard_env *env, unsigned shards,
                                  unsigned *index, unsigned *count, const char **source,
                                  struct csvb_diag *d)
{
    unsigned long long k = 0, n = 0;
    enum csvb_err e;
    const char *var = NULL;
    if (env->get(env->ctx, "SLURM_ARRAY_TASK_ID") != NULL) {
        *source = "Slurm array", var = "SLURM_ARRAY_TASK_ID";
        e = from_slurm(env, &k, &n, d);
    } else if (env->get(env->ctx, "JOB_COMPLETION_INDEX") != NULL) {
        *source = "Kubernetes indexed job", var = "JOB_COMPLETION_INDEX";
        e = from_kubernetes(env, shards, &k, &n, d);
    } else if (env->get(env->ctx, "OMPI_COMM_WORLD_RANK") != NULL) {
        *source = "Open MPI", var = "OMPI_COMM_WORLD_RANK";
        e = from_rank(env, "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", &k, &n, d);
    } else if (env->get(env->ctx, "PMI_RANK") != NULL) {
        *source = "PMI", var = "PMI_RANK";
        e = from_rank(env, "PMI_RANK", "PMI_SIZE", &k, &n, d);
    } else {
        return csvb_diag_set(d, CSVB_E_USAGE, 0,
                             "--shard auto: no shard in the environment (looked for "
                             "SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX with --shards or "
                             "CSVBATCH_SHARDS, OMPI_COMM_WORLD_RANK, PMI_RANK): give --shard K/N");
    }
    if (e != CSVB_OK)
        return e;
    if (k > n)
        return csvb_diag_set(d, CSVB_E_USAGE, 0,
                             "--shard auto: %s gives share %llu of %llu, past the last", var, k, n);
    *index = (unsigned)k;
    *count = (unsigned)n;
    return CSVB_OK;
}

/* ---- The partition --------------------------------------------------------------------------- */

struct item {
    uint64_t weight;
    size_t i;
};

static int cmp_item(const void *a, const void *b)
{
    const struct item *x = a, *y = b;
    if (x->weight != y->weight)
        return x->weight > y->weight ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* A min-heap of shares by (load, share number): the least-loaded share on top. */
struct bin {
    uint64_t load;
    unsigned share;
};

static bool bin_less(const struct bin *a, const struct bin *b)
{
    return a->load < b->load || (a->load == b->load && a->share < b->share);
}

static void sift_down(struct bin *heap, size_t n, size_t at)
{
    for (;;) {
        size_t l = 2 * at + 1, r = l + 1, m = at;
        if (l < n && bin_less(&heap[l], &heap[m]))
            m = l;
        if (r < n && bin_less(&heap[r], &heap[m]))
            m = r;
        if (m == at)
            return;
        struct bin t = heap[at];
        heap[at] = heap[m];
        heap[m] = t;
        at = m;
    }
}

enum csvb_err csvb_shard_partition(const uint64_t *weights, size_t n, unsigned count,
                                   unsigned *share, struct csvb_diag *d)
{
    struct item *items = malloc((n + 1) * sizeof *items);
    struct bin *heap = malloc((size_t)count * sizeof *heap);
    enum csvb_err e = CSVB_OK;
    if (items == NULL || heap == NULL) {
        e = csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        items[i] = (struct item){weights[i], i};
    qsort(items, n, sizeof *items, cmp_item);
    for (unsigned s = 0; s < count; s++)
        heap[s] = (struct bin){0, s}; /* already a heap: equal loads, shares ascending */
    for (size_t k = 0; k < n; k++) {
        share[items[k].i] = heap[0].share;
        heap[0].load += items[k].weight;
        sift_down(heap, count, 0);
    }
out:
    free(items);
    free(heap);
    return e;
}

/* ---- Selection ------------------------------------------------------------------------------- */

static void job_free(struct csvb_job *j)
{
    free(j->path);
    free(j->output_path);
    free(j->rejects_path);
    free(j->reason);
}

enum csvb_err csvb_shard_select(struct csvb_shard *s, struct csvb_joblist *list,
                                struct csvb_diag *d)
{
    size_t n = list->n;
    uint64_t *weights = calloc(n + 1, sizeof *weights);
    unsigned *share = calloc(n + 1, sizeof *share);
    size_t *positions = malloc((n + 1) * sizeof *positions);
    enum csvb_err e = CSVB_E_NOMEM;
    if (weights == NULL || share == NULL || positions == NULL) {
        csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
        goto out;
    }
    s->bytes_total = s->bytes_share = 0;
    for (size_t i = 0; i < n; i++) {
        const struct csvb_job *j = &list->jobs[i];
        uint64_t size = j->kind == CSVB_JOB_RUN && j->size > 0 ? (uint64_t)j->size : 0;
        weights[i] = size + 1;
        s->bytes_total += size;
    }
    if ((e = csvb_shard_partition(weights, n, s->count, share, d)) != CSVB_OK)
        goto out;
    size_t kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (share[i] + 1 != s->index) {
            job_free(&list->jobs[i]);
            continue;
        }
        s->bytes_share += weights[i] - 1;
        positions[kept] = i;
        list->jobs[kept++] = list->jobs[i];
    }
    list->n = kept;
    free(s->positions);
    s->positions = positions;
    positions = NULL;
    s->n = kept;
    s->total = n;
out:
    free(weights);
    free(share);
    free(positions);
    return e;
}

void csvb_shard_fini(struct csvb_shard *s)
{
    if (s == NULL)
        return;
    free(s->positions);
    s->positions = NULL;
    s->n = 0;
}
