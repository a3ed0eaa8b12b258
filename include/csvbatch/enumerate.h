/* enumerate.h — PATH arguments to a sorted, de-duplicated job list with planned output paths.
 * Finds outputs shared by two inputs and outputs that are an input (same device and inode). */
#ifndef CSVBATCH_ENUMERATE_H
#define CSVBATCH_ENUMERATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "csvbatch/diag.h"
#include "csvbatch/options.h"

enum csvb_job_kind {
    CSVB_JOB_RUN,  /* to be processed */
    CSVB_JOB_SKIP, /* not a processable file (FIFO, dangling link...): notice, no failure */
    CSVB_JOB_FAIL, /* fails without being read (output conflict, unreadable dir) */
};

struct csvb_job {
    char *path;         /* owned: as the user would name it */
    char *output_path;  /* owned; NULL for skipped entries */
    char *rejects_path; /* owned; with --rejects: where dropped records go */
    enum csvb_job_kind kind;
    char *reason; /* owned: notice or failure message, NULL for CSVB_JOB_RUN */
    bool named;   /* named on the command line (may be a FIFO: opened blocking) */
    off_t size;
    dev_t dev;
    ino_t ino;
};

struct csvb_joblist {
    struct csvb_job *jobs;
    size_t n, cap;
    char **notices; /* owned: run-level notices ("DIR: no CSV files found") */
    size_t nnotices, notices_cap;
};

/* Expands opt->paths into jobs (input order: arguments in order, each directory's files sorted
 * by path). A PATH that does not exist is CSVB_E_USAGE. Never opens a file for reading. */
enum csvb_err csvb_enumerate(const struct csvb_options *opt, struct csvb_joblist *list,
                             struct csvb_diag *d);

/* The output path for input `path`: beside it, or under out_dir + rel (the input's path relative
 * to the directory argument it came from; NULL for a file named directly). Caller frees. */
char *csvb_output_path(const char *path, const char *rel, const char *out_dir, const char *suffix);

/* True when name (a base name) ends in ".csv", ASCII case-insensitively. */
bool csvb_has_csv_ext(const char *name);

/* True when name is one of our outputs: ends in suffix + ".csv" or "_rejects.csv",
 * case-insensitively. */
bool csvb_is_output_name(const char *name, const char *suffix);

/* Frees everything list owns. NULL-safe, safe to call twice. */
void csvb_joblist_fini(struct csvb_joblist *list);

#endif
