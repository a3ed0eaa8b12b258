/* shard_run.h — the job list of this process, between the options and the run: listed by
 * outputs.h or read from a frozen plan (--plan), written as a plan (--plan-out), cut to this
 * process's share (--shard), and, from a plan, each kept file checked unchanged since. */
#ifndef CSVBATCH_SHARD_RUN_H
#define CSVBATCH_SHARD_RUN_H

#include "csvbatch/diag.h"
#include "csvbatch/options.h"
#include "csvbatch/outputs.h"
#include "csvbatch/plan_json.h"
#include "csvbatch/shard.h"

/* The options that decide what the outputs hold, one "key=value" line each (bytes outside
 * printable ASCII as \xHH), in a fixed order: what the options visitor (options.h) describes
 * less what only changes how the run goes (jobs, format, preview, chunk_size, fsync, failures
 * and time limits, colour, reports, incremental, dry run) and -r (the listing is digested apart),
 * plus max_field_size. The stamp is not among them (plan files freeze it). Caller frees; NULL when
 * out of memory. */
char *csvb_shard_run_options_text(const struct csvb_options *opt);

/* hex (CSVB_HASH_HEX bytes) gets the XXH3-128 of csvb_shard_run_options_text. False when out of
 * memory. */
bool csvb_shard_run_options_digest(const struct csvb_options *opt, char hex[CSVB_HASH_HEX]);

/* hex gets the plan digest: of the options digest and of every job of list (path, kind, size),
 * in order. Processes that list the same files with the same options get the same one. */
void csvb_shard_run_plan_digest(const char options_hex[CSVB_HASH_HEX],
                                const struct csvb_joblist *list, char hex[CSVB_HASH_HEX]);

struct csvb_shard_run {
    struct csvb_plan_file plan;  /* --plan: as read */
    struct csvb_joblist planned; /* --plan: its jobs, until csvb_shard_run_list takes them */
    struct csvb_shard shard;     /* shard.count 0: not sharded */
    char options_digest[CSVB_HASH_HEX];
};

/* Before the plan (plan.h) is made: sets sr up (csvb_shard_run_fini frees it, also on error).
 * With --shard auto, K/N from env (shard.h; NULL: the process's environment). With --plan (no PATH
 * nor --files-from, else CSVB_E_USAGE), reads the plan file and compares its options digest with
 * opt's: a difference is CSVB_E_USAGE naming the first option that differs; then, unless
 * --no-stamp, opt->timestamp becomes the plan's stamp (a different --timestamp is CSVB_E_USAGE), so
 * every share writes one stamp: opt then borrows from sr, which must outlive it. Returns CSVB_OK,
 * CSVB_E_USAGE or CSVB_E_NOMEM, with d set. */
enum csvb_err csvb_shard_run_open(struct csvb_shard_run *sr, struct csvb_options *opt,
                                  const struct csvb_shard_env *env, struct csvb_diag *d);

/* The job list (list initialized here; the caller always calls csvb_joblist_fini): the plan's
 * (moved out of sr; then csvb_conflicts_check with --report and --junit) or csvb_outputs_plan's;
 * the plan digest; with --shard, only this share's jobs (csvb_shard_select); from a plan, each
 * kept run job whose file is gone or has another size or modification time becomes
 * CSVB_JOB_FAIL, saying so. Errors as csvb_outputs_plan's (CSVB_E_USAGE, CSVB_E_NOMEM). */
enum csvb_err csvb_shard_run_list(struct csvb_shard_run *sr, const struct csvb_options *opt,
                                  struct csvb_joblist *list, struct csvb_diag *d);

/* --plan-out: writes the plan of list (the whole list) with stamp (NULL with --no-stamp).
 * Errors as csvb_plan_json_write's. */
enum csvb_err csvb_shard_run_write_plan(struct csvb_shard_run *sr, const struct csvb_options *opt,
                                        const struct csvb_joblist *list, const char *stamp,
                                        struct csvb_diag *d);

/* The table's header line for a share into buf: "Shard K of N (SOURCE): F of T files, B of A."
 * (B, A: the run jobs' bytes, human-readable). Returns buf. */
const char *csvb_shard_run_describe(const struct csvb_shard *s, char *buf, size_t size);

/* Frees what sr owns. NULL-safe, safe to call twice. */
void csvb_shard_run_fini(struct csvb_shard_run *sr);

#endif
