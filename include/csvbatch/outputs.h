/* outputs.h — walk entries to jobs: each input's output and rejects paths, the same file named
 * twice processed once, and (through conflicts.h) the conflicts found before any work.
 *
 * Memory per job: one struct csvb_job (72 bytes on LP64), its path (moved from the walk entry),
 * its output path and, with --rejects, its rejects path (each length + 1, plus malloc's
 * rounding). Planning holds, besides, the walk list (64 bytes per entry, freed as soon as the
 * jobs hold its strings, before the conflict check) and what conflicts.h states, freed before
 * it returns; every pass is a sort, O(n log n). */
#ifndef CSVBATCH_OUTPUTS_H
#define CSVBATCH_OUTPUTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "csvbatch/diag.h"
#include "csvbatch/options.h"
#include "csvbatch/result.h"
#include "csvbatch/results.h"
#include "csvbatch/walk.h"

struct csvb_job {       /* the small members last: 72 bytes on LP64, not 80 */
    char *path;         /* owned: as the user would name it */
    char *output_path;  /* owned; NULL for skipped entries */
    char *rejects_path; /* owned; with --rejects: where dropped records go */
    char *reason;       /* owned: notice or failure message, NULL for CSVB_JOB_RUN */
    off_t size;
    dev_t dev;
    ino_t ino;
    int64_t mtime_ns; /* as the walk saw it (0 where it did not stat) */
    enum csvb_job_kind kind;
    bool named; /* named on the command line (may be a FIFO: opened blocking) */
};

struct csvb_joblist {
    struct csvb_job *jobs;
    size_t n, cap;
    char **notices; /* owned: run-level notices ("DIR: no CSV files found") */
    size_t nnotices, notices_cap;
};

/* The whole step: csvb_walk over opt->paths, then csvb_outputs_from_walk. Initializes list; on
 * error (CSVB_E_USAGE for a PATH that does not exist, CSVB_E_NOMEM) list may hold partial
 * results: the caller always calls csvb_joblist_fini. */
enum csvb_err csvb_outputs_plan(const struct csvb_options *opt, struct csvb_joblist *list,
                                struct csvb_diag *d);

/* Turns walk's entries, in their order, into list (which it initializes): drops a CSVB_JOB_RUN
 * entry whose device and inode (device not 0) an earlier one has; plans output paths (opt->
 * output_dir, opt->suffix) and, with opt->rejects, rejects paths; then csvb_conflicts_check
 * (conflicts.h) with opt->report, opt->junit and opt->plan_out: marks CSVB_JOB_FAIL the jobs whose
 * output or rejects file another written path also names, is an input file, or is a directory.
 * Moves the entries' strings and the notices into list, then frees walk (csvb_walk_list_fini:
 * the caller may call it again). Stats outputs and resolves their directories; touches nothing.
 * Returns CSVB_OK, CSVB_E_USAGE (--report or --junit conflicts: d says how) or CSVB_E_NOMEM
 * (list then partial: call csvb_joblist_fini). */
enum csvb_err csvb_outputs_from_walk(const struct csvb_options *opt, struct csvb_walk_list *walk,
                                     struct csvb_joblist *list, struct csvb_diag *d);

/* The output path for input `path`: beside it, or under out_dir + the directories of rel (the
 * input's path relative to the directory argument it came from; NULL for a file named directly).
 * The stem is path's base name less a ".csv" or ".tsv" extension (any case) or a compressed one
 * (".csv.gz", ".tsv.zst", ".csv.bz2", ".csv.xz", or a bare ".gz"...), then suffix + ".csv"
 * (".tsv" for a TSV input: x.tsv gives x_processed.tsv), then the output's
 * compression extension as `how` says (auto: the input's, lower case). The stage writes the
 * format that name ends in. Caller frees; NULL when out of memory. */
char *csvb_outputs_path_as(const char *path, const char *rel, const char *out_dir,
                           const char *suffix, enum csvb_compress how);

/* csvb_outputs_path_as with how = auto. */
char *csvb_outputs_path(const char *path, const char *rel, const char *out_dir, const char *suffix);

/* The rejects path beside output_path (which ends in suffix + ".csv" or ".tsv", maybe then a
 * compression extension, as csvb_outputs_path makes it): that ending replaced by "_rejects.csv"
 * (rejects files are never compressed). Caller frees; NULL when out of memory. */
char *csvb_outputs_rejects_path(const char *output_path, const char *suffix);

/* Standard input, named "-" on the command line (walk.h): read as a stream (never split, no
 * size, no identity); its output goes to standard output (output_path CSVB_STAGE_STDOUT, "-")
 * or, with -o DIR, to DIR/stdin + suffix + ".csv". Named twice, with --files-from -, with
 * --incremental, or with --rejects and no -o, it is a usage error (csvb_outputs_plan). */
#define CSVB_OUTPUTS_STDIN "-"
#define CSVB_OUTPUTS_STDIN_STEM "stdin"

/* Whether job reads standard input. */
bool csvb_outputs_is_stdin(const struct csvb_job *job);

/* Whether output_path (NULL allowed) is standard output. */
bool csvb_outputs_is_stdout(const char *output_path);

/* Makes the renames durable: one fsync per distinct directory holding a successful output
 * (results[i] for list->jobs[i]; standard output excluded), after all the files. Each failure
 * is said through say (its message); returns 0, or 1 when any failed. */
int csvb_outputs_sync_dirs(const struct csvb_joblist *list, const struct csvb_results *results,
                           void (*say)(const char *message));
/* Removes, in each directory that list's CSVB_JOB_RUN jobs write to (outputs and rejects files),
 * the temp files of dead owners (csvb_tempname_sweep) and adds one notice per directory where it
 * removed any: "removed N stale temporary files of earlier interrupted runs in DIR". Directories
 * that do not exist yet are skipped. Returns CSVB_OK or CSVB_E_NOMEM. */
enum csvb_err csvb_outputs_sweep_stale(struct csvb_joblist *list, struct csvb_diag *d);

/* Frees everything list owns. NULL-safe, safe to call twice. */
void csvb_joblist_fini(struct csvb_joblist *list);

#endif
