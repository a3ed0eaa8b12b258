/* shard.h — one share of the run for one process of many (Slurm arrays, Kubernetes Indexed Jobs,
 * GNU parallel, mpirun): K/N from the command line or the environment, the partition of the full
 * job list by bytes, and the digests that tell whether processes ran the same plan.
 *
 * The partition is computed from the whole sorted job list after outputs and conflicts
 * (outputs.h), so every process sees the same list, computes the same shares, and no two write
 * one file. Memory: 8 bytes per job for the weights, 4 for the shares and 8 per kept job for the
 * positions; O(n log n + n log N). */
#ifndef CSVBATCH_SHARD_H
#define CSVBATCH_SHARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csvbatch/diag.h"
#include "csvbatch/hash.h"
#include "csvbatch/options.h"
#include "csvbatch/outputs.h"

/* Parses "K/N" (decimal, 1 <= K <= N <= 1000000) into *index = K and *count = N. Returns CSVB_OK,
 * or CSVB_E_USAGE with "--shard: expected K/N with 1 <= K <= N, or auto, found 'TEXT'" in d. */
enum csvb_err csvb_shard_parse(const char *text, unsigned *index, unsigned *count,
                               struct csvb_diag *d);

/* The rules between the shard and plan options, once all are parsed (cli_table.c calls it):
 * --shards N and --shard K/M with M != N; --plan-out excludes --plan, --shard, --incremental,
 * --report and --junit;
 * --shard excludes --incremental (each share would prune the others' outputs). shard_given: --shard
 * was on the command line. Returns CSVB_OK or CSVB_E_USAGE with d set. */
enum csvb_err csvb_shard_check_options(const struct csvb_options *opt, bool shard_given,
                                       struct csvb_diag *d);

/* Looks up an environment variable: the value or NULL. getenv in main, a table in tests. */
struct csvb_shard_env {
    const char *(*get)(void *ctx, const char *name);
    void *ctx;
};

/* --shard auto: K/N from the environment, the first found of: a Slurm array
 * (SLURM_ARRAY_TASK_ID, _MIN, _STEP (default 1), _COUNT: K = (ID - MIN) / STEP + 1, N = COUNT),
 * a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, 0-based; N = shards when not 0, else
 * CSVBATCH_SHARDS), Open MPI (OMPI_COMM_WORLD_RANK, OMPI_COMM_WORLD_SIZE), MPICH/PMI (PMI_RANK,
 * PMI_SIZE). *source gets the engine's name (static storage: "Slurm array", "Kubernetes
 * indexed job", "Open MPI", "PMI"). Returns CSVB_OK, or CSVB_E_USAGE with d set: nothing found
 * (the message lists every variable looked for), or a variable that is missing or not a number,
 * or a K outside 1..N (the message names the variable). */
enum csvb_err csvb_shard_from_env(const struct csvb_shard_env *env, unsigned shards,
                                  unsigned *index, unsigned *count, const char **source,
                                  struct csvb_diag *d);

/* The partition (pure): items 0..n-1 with weights[i], taken largest weight first (ties: lower
 * i first), each into the share with the least weight so far (ties: the lower share). share[i]
 * gets item i's share, 0..count-1. count >= 1. Deterministic. Returns CSVB_OK or CSVB_E_NOMEM. */
enum csvb_err csvb_shard_partition(const uint64_t *weights, size_t n, unsigned count,
                                   unsigned *share, struct csvb_diag *d);

/* This process's share once selected. */
struct csvb_shard {
    unsigned index, count; /* K and N, K 1-based; count 0: not sharded */
    const char *source;    /* how K/N was found: "--shard" or csvb_shard_from_env's name */
    char plan_digest[CSVB_HASH_HEX];
    size_t total;      /* jobs in the whole list */
    size_t *positions; /* owned: the whole list's index of each job kept, in order */
    size_t n;          /* jobs kept */
    uint64_t bytes_total, bytes_share; /* sizes of the CSVB_JOB_RUN jobs: all, this share's */
};

/* Keeps in list only the jobs of share s->index of s->count (s->index, count, plan_digest set by
 * the caller), freeing the others (never opened), in their order; the weights are the sizes of
 * CSVB_JOB_RUN jobs plus one byte per job, so empty files and notices spread too. Fills total,
 * positions, n, bytes_total and bytes_share. Returns CSVB_OK or CSVB_E_NOMEM (list untouched). */
enum csvb_err csvb_shard_select(struct csvb_shard *s, struct csvb_joblist *list,
                                struct csvb_diag *d);

/* Frees the positions. NULL-safe, safe to call twice. */
void csvb_shard_fini(struct csvb_shard *s);

#endif
