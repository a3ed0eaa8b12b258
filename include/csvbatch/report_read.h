/* report_read.h — a --report run report read back into jobs and results, so the renderers of
 * report.h print what shards wrote (merge-reports). The fourth jansson door: only this file and
 * report_json.c read or write reports. */
#ifndef CSVBATCH_REPORT_READ_H
#define CSVBATCH_REPORT_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csvbatch/diag.h"
#include "csvbatch/hash.h"
#include "csvbatch/outputs.h"
#include "csvbatch/result.h"

struct csvb_report_doc {
    int exit_code;
    bool sharded; /* the report has a "shard" member; the four fields below are its */
    unsigned shard_index, shard_count;
    size_t files_total;
    char plan_digest[CSVB_HASH_HEX];
    char *options_json;                       /* owned: the "options" object, compact JSON text */
    bool dry_run, skip_bad_rows, incremental; /* from the options */
    char *stamp, *started_at, *finished_at;   /* owned; NULL when absent */
    double seconds;                           /* totals.seconds */
    bool have_usage;                          /* totals had the CPU and memory figures */
    double cpu_user, cpu_system;
    uint64_t peak_rss;
    size_t n;                    /* files */
    struct csvb_job *jobs;       /* owned: path and output_path set, kind CSVB_JOB_RUN */
    struct csvb_result *results; /* owned: as the report says (diag: message, line) */
    size_t *index;               /* owned: each file's "index" (sharded), else its position */
};

/* Reads the report at path into doc (initialized here; on error it may hold part: the caller
 * always calls csvb_report_doc_fini). Returns CSVB_OK, CSVB_E_IO ("PATH: " and why: unreadable,
 * not JSON, not a csvbatch report, a malformed file entry) or CSVB_E_NOMEM. */
enum csvb_err csvb_report_read(const char *path, struct csvb_report_doc *doc, struct csvb_diag *d);

/* Frees what doc owns. NULL-safe, safe to call twice. */
void csvb_report_doc_fini(struct csvb_report_doc *doc);

#endif
