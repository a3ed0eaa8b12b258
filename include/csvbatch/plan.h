/* plan.h — options turned, once per run, into the narrow configs each module takes.
 *
 * Policy lives here and only here: which runs may split files, what PowerShell compatibility
 * means for the reader, the filter, the projection and the writer (named flags, resolved once),
 * the thread count, the stamp. Workers share the plan read-only. */
#ifndef CSVBATCH_PLAN_H
#define CSVBATCH_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "csvbatch/diag.h"
#include "csvbatch/options.h"
#include "csvbatch/progress.h"
#include "csvbatch/reader.h"
#include "csvbatch/stage.h"
#include "csvbatch/stamp.h"

/* The driver's share of the run: what decides whether a file starts at all. */
struct csvb_plan_limits {
    size_t max_failures; /* 0 = no limit */
    bool fail_fast;      /* the limit came from --fail-fast (for the message) */
    double deadline;     /* whole run, seconds after the driver starts; 0 = none */
    double timeout;      /* per file, seconds; 0 = none */
};

struct csvb_incremental; /* incremental.h */

struct csvb_plan {
    char stamp[CSVB_STAMP_MAX];       /* the run's ProcessedDate value */
    struct csvb_reader_config reader; /* delimiter '\0': -d auto (csvb_plan_dialect per file) */
    bool skip_auto; /* --skip-lines auto: reader.skip_lines is 0, each file's input sets its own */
    bool escape_auto;  /* --escape auto: reader.escape is '\0', each file's input sets its own */
    bool comment_auto; /* --comment auto: reader.comment is '\0', likewise */
    struct csvb_stage_config stage; /* delimiters '\0': as each file is read */
    struct csvb_plan_limits limits;
    const char *encoding;      /* of the inputs (borrowed from opt): "" = UTF-8 (no filter unless
                                  a BOM asks), "auto", or a name iconv knows (transcode.h) */
    bool fsync;                /* outputs made durable before they are renamed */
    size_t chunk_size;         /* files over twice this are split into chunks (0: never) */
    int threads;               /* -j, OMP_NUM_THREADS or the online CPUs, 1..1024 */
    const _Atomic int *cancel; /* polled by every worker; never NULL */
    struct csvb_progress *progress;       /* NULL when no progress is shown */
    struct csvb_filter_rule *rules;       /* owned: the conditions stage.filter points to */
    const char **columns;                 /* owned array (names borrowed): stage.projection's */
    bool hash_inputs;                     /* --incremental, not a dry run: input.c taps a hash */
    struct csvb_incremental *incremental; /* borrowed, set by main: the driver records each
                                             finished job there; NULL when not incremental */
};

/* Builds p from opt: the stamp (from --timestamp, SOURCE_DATE_EPOCH `sde` or `now`), every
 * module's config, the thread count (`omp_env`: OMP_NUM_THREADS, may be NULL; `cpus`: the online
 * CPUs). p borrows strings from opt, which must outlive it. Errors: CSVB_E_USAGE (a bad stamp),
 * CSVB_E_NOMEM. Call csvb_plan_fini afterwards, also on error. */
enum csvb_err csvb_plan_init(struct csvb_plan *p, const struct csvb_options *opt, const char *sde,
                             time_t now, mode_t umask_value, const char *omp_env, long cpus,
                             struct csvb_diag *d);

/* One file's configs: p's reader and stage configs copied into *reader and *stage, reading with
 * delimiter (the file's, after -d auto: plan's reader.delimiter is then '\0') and writing with
 * --output-delimiter, else with delimiter. */
void csvb_plan_dialect(const struct csvb_plan *p, char delimiter, struct csvb_reader_config *reader,
                       struct csvb_stage_config *stage);

/* Frees what p owns. NULL-safe, safe to call twice. */
void csvb_plan_fini(struct csvb_plan *p);

/* The thread count: jobs when > 0, else omp_env's leading number when 1..1024, else cpus when
 * 1..1024, else 1. */
int csvb_plan_threads(int jobs, const char *omp_env, long cpus);

/* Whether OMP_NUM_THREADS's value is one libgomp reads without a warning and whose numbers are
 * all thread counts -j accepts (1..1024): "4", "4,2", " 8 ". main hides any other value from
 * libgomp before it starts (it would warn, or size teams past the cap) and says so itself. */
bool csvb_plan_omp_env_ok(const char *omp_env);

#endif
