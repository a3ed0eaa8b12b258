/* plan_json.h — the frozen plan (--plan-out, --plan): the whole job list as outputs.h made it
 * (paths, outputs, kinds and reasons, sizes, modification times), the output options' text and
 * digest, the plan digest and the stamp, as one JSON file. The one door of jansson in the run
 * layer's planning (manifest_json.c is the other, for --incremental).
 *
 * Paths are bytes: one that is not UTF-8 is written as "<key>_hex" (two hex digits a byte)
 * instead of "<key>", so a plan names every file exactly. */
#ifndef CSVBATCH_PLAN_JSON_H
#define CSVBATCH_PLAN_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csvbatch/diag.h"
#include "csvbatch/hash.h"
#include "csvbatch/options.h"
#include "csvbatch/outputs.h"

/* What a plan file holds besides the job list. */
struct csvb_plan_file {
    char options_digest[CSVB_HASH_HEX];
    char plan_digest[CSVB_HASH_HEX];
    char *options_text; /* owned: csvb_shard_run_options_text of the planning run */
    char *stamp;        /* owned: the planning run's stamp ("" with --no-stamp) */
    int64_t *mtime_ns;  /* owned: per job of the whole list; -1 = not known (not a run job) */
    size_t n;
};

/* Clears pf (nothing owned). */
void csvb_plan_file_init(struct csvb_plan_file *pf);

/* Frees what pf owns. NULL-safe, safe to call twice. */
void csvb_plan_file_fini(struct csvb_plan_file *pf);

/* Writes the plan of list to path atomically (temp file, rename; fsync unless --no-fsync): each
 * job with its size and, for a CSVB_JOB_RUN job, its modification time as stat(2) gives it now;
 * pf's options text, digests and stamp (the caller fills them). Returns CSVB_OK, or CSVB_E_NOMEM
 * or CSVB_E_IO with d naming path. */
enum csvb_err csvb_plan_json_write(const char *path, const struct csvb_plan_file *pf,
                                   const struct csvb_joblist *list, bool fsync,
                                   struct csvb_diag *d);

/* Reads the plan at path into pf and list (both initialized here; on error both may hold part:
 * the caller always calls csvb_plan_file_fini and csvb_joblist_fini). Returns CSVB_OK, or
 * CSVB_E_USAGE ("--plan: PATH: ..." naming the file and what is wrong: unreadable, not JSON, not
 * a csvbatch plan, a job without its path) or CSVB_E_NOMEM. */
enum csvb_err csvb_plan_json_read(const char *path, struct csvb_plan_file *pf,
                                  struct csvb_joblist *list, struct csvb_diag *d);

#endif
