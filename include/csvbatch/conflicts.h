/* conflicts.h — the one check of every path a run writes (each job's output and rejects file,
 * --report, --junit) against every input, every other written path and each other, by name
 * (the resolved directory and the base name) and by device and inode (an existing file, a hard
 * or symbolic link to one), before any work.
 *
 * Memory (LP64), freed before it returns: per written path 40 bytes (the list) and 24 (what a
 * listing of its directory says), plus 8 per path for a sort order while it sorts (the sort's
 * buffer as much again); per written path that exists 24 more, and then per input 24 (sorted
 * identities) and the sort's buffer; one resolved directory per distinct output directory.
 * Every pass is a sort, O(n log n). */
#ifndef CSVBATCH_CONFLICTS_H
#define CSVBATCH_CONFLICTS_H

#include <stddef.h>

#include "csvbatch/diag.h"
#include "csvbatch/outputs.h"

/* A file the run writes once, not per job: option is how the user named it ("--report"). */
struct csvb_conflicts_run_file {
    const char *option; /* borrowed */
    const char *path;   /* borrowed; NULL: not asked, ignored */
};

/* Whether each run file (path not NULL) can be written, before any work is done: a run whose
 * report cannot be written is a configuration error, found now rather than after every file.
 * CSVB_E_USAGE for the first that is a directory ("--report: 'x' is a directory") or whose
 * directory is not writable ("--report: cannot write in 'd': " + strerror); else CSVB_OK. */
enum csvb_err csvb_conflicts_run_files_writable(const struct csvb_conflicts_run_file *run_files,
                                                size_t nrun, struct csvb_diag *d);

/* Checks the written paths of list's CSVB_JOB_RUN jobs (output_path, rejects_path when set) and
 * run_files[0..nrun) against the inputs (every job with a device, whatever its kind), each other
 * and themselves. A conflict between jobs' files marks each job involved CSVB_JOB_FAIL with a
 * reason naming the other file ("output X would also be written from Y", "output X is an input
 * file (a link to one?); refusing to overwrite it", "... is a directory"); a conflict that
 * involves a run file is the run's: CSVB_E_USAGE with the first one in d, the jobs untouched.
 * Stats and resolves paths; writes nothing. Returns CSVB_OK, CSVB_E_USAGE or CSVB_E_NOMEM. */
enum csvb_err csvb_conflicts_check(struct csvb_joblist *list,
                                   const struct csvb_conflicts_run_file *run_files, size_t nrun,
                                   struct csvb_diag *d);

#endif
