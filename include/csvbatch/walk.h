/* walk.h — PATH arguments to the list of input entries, in input order: the arguments in order,
 * each directory argument's files sorted by path (byte order). Decides which names are taken;
 * never opens a file for reading (directories are opened to list them).
 *
 * Names taken from a directory: "*.csv" and "*.tsv", also compressed ("*.csv.gz", ...; ASCII
 * case-insensitive), or, with --include, the names matching one of its globs (fnmatch, no flags);
 * never hidden names (a leading '.', which covers our temp files) nor our outputs (suffix +
 * ".csv" or ".tsv", "_rejects.csv", and under another --suffix the default "_processed.csv":
 * csvb_walk_output_kind). With -r, the -o directory (when it exists) is not walked: a notice says
 * so. An entry (file or directory) whose path relative to its directory argument matches an
 * --exclude glob (fnmatch, no flags: '*' matches '/') is left out, a directory with everything
 * below it. A taken
 * name that is not a regular file (FIFO, socket, device, directory without -r, dangling link,
 * link loop) is a CSVB_JOB_SKIP entry with its reason. A file named on the command line is always
 * taken, whatever its name or type. With -r, subdirectories are walked too, except one that is
 * its own ancestor (a notice) and a symbolic link to a directory without opt->follow (-L: a
 * CSVB_JOB_SKIP entry). With -L and no -o, a CSV file in a directory reached through such a link
 * that resolves outside every directory argument (walk_roots.h) is a CSVB_JOB_FAIL entry: its
 * output would be written there. An entry that cannot be examined (fstatat fails other than for
 * a dangling link or a link loop, e.g. EACCES) is a CSVB_JOB_FAIL entry, "cannot examine:
 * CAUSE"; a directory that cannot be opened, "cannot read directory: CAUSE". Directories are
 * walked by descriptor (openat, fstatat), the first CSVB_WALK_FD_LEVELS levels of a tree, so
 * depth is not limited by PATH_MAX there; deeper ones by whole path (where a path of PATH_MAX
 * bytes or more is ENAMETOOLONG: "cannot examine"). A CSV file whose path is PATH_MAX bytes or
 * more is a CSVB_JOB_FAIL entry ("cannot be processed: its path is longer than PATH_MAX"): jobs
 * open and write files by name. Nothing found is left out without an entry or a notice.
 *
 * Memory per listed file: one struct csvb_walk_entry (64 bytes on LP64) and its path (length + 1,
 * plus malloc's rounding); a skipped or failed entry also owns its reason. While a directory is
 * read, each of its names costs length + 1 + 16 bytes until its entries are classified. */
#ifndef CSVBATCH_WALK_H
#define CSVBATCH_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "csvbatch/diag.h"
#include "csvbatch/options.h"

/* Directory levels of one tree that keep a descriptor open while their entries are examined. */
#define CSVB_WALK_FD_LEVELS 64

enum csvb_job_kind {
    CSVB_JOB_RUN,       /* to be processed */
    CSVB_JOB_SKIP,      /* not a processable file (FIFO, dangling link...): notice, no failure */
    CSVB_JOB_FAIL,      /* fails without being read (output conflict, unreadable dir) */
    CSVB_JOB_UNCHANGED, /* --incremental: outputs up to date; incremental.c fills its result */
};

struct csvb_walk_entry {
    char *path;   /* owned: as the user would name it (the argument, joined with names by '/') */
    char *reason; /* owned: "skipped: ..." or the failure; NULL for CSVB_JOB_RUN */
    off_t size;   /* size, device and inode from stat; 0 where stat failed */
    dev_t dev;
    ino_t ino;
    int64_t mtime_ns; /* st_mtim in nanoseconds: input.h's check that the file read is the one
                         listed, unchanged */
    size_t rel; /* offset in path of the part relative to the directory argument it was found in;
                   0 for a file named on the command line and for an unreadable directory */
    enum csvb_job_kind kind;
    bool named; /* named on the command line (may be a FIFO: opened blocking) */
};

struct csvb_walk_list {
    struct csvb_walk_entry *entries;
    size_t n, cap;
    char **notices; /* owned: run-level notices ("DIR: no CSV files found") */
    size_t nnotices, notices_cap;
};

/* Expands opt->paths (using opt->recursive and opt->suffix) into list, which it initializes.
 * A PATH that does not exist is CSVB_E_USAGE ("cannot access 'PATH': ..."); out of memory is
 * CSVB_E_NOMEM. On error list holds the entries found so far: the caller always calls
 * csvb_walk_list_fini. A directory that cannot be read is a CSVB_JOB_FAIL entry, not an error. */
enum csvb_err csvb_walk(const struct csvb_options *opt, struct csvb_walk_list *list,
                        struct csvb_diag *d);

/* Frees everything list owns. NULL-safe, safe to call twice. */
void csvb_walk_list_fini(struct csvb_walk_list *list);

/* The length of name's CSV extension: ".csv" or ".tsv", or either and a compression extension
 * (".csv.gz", ".tsv.zst", ".csv.bz2", ".csv.xz"), ASCII case-insensitively; 0 when it has none. */
size_t csvb_walk_csv_ext_len(const char *name);

/* True when name (a base name) has a CSV extension (csvb_walk_csv_ext_len). */
bool csvb_walk_has_csv_ext(const char *name);

/* True when name ends in ".tsv", after any compression extension, case-insensitively. */
bool csvb_walk_is_tsv(const char *name);

/* Whether a directory walk takes the file called name (a base name): not one of our outputs
 * (output_tail: suffix + ".csv"), and a CSV extension or, with opt->include, a match of one of
 * its globs. */
bool csvb_walk_takes_name(const struct csvb_options *opt, const char *name,
                          const char *output_tail);

/* Whether rel_path (relative to the directory argument) matches one of opt->exclude's globs. */
bool csvb_walk_excluded(const struct csvb_options *opt, const char *rel_path);

/* True when name is one of our outputs: ends in suffix + ".csv", suffix + ".tsv" or
 * "_rejects.csv", after any compression extension, case-insensitively. */
bool csvb_walk_is_output_name(const char *name, const char *suffix);

/* csvb_walk_is_output_name with output_tail = suffix + ".csv" made once by the caller (a walk),
 * not once per name. */
bool csvb_walk_is_output_tail(const char *name, const char *output_tail);

/* What a CSV name says of its origin. */
enum csvb_walk_output {
    CSVB_WALK_NOT_OUTPUT,
    CSVB_WALK_OUTPUT,         /* ends in output_tail or "_rejects.csv" (csvb_walk_is_output_tail) */
    CSVB_WALK_DEFAULT_OUTPUT, /* suffix is not the default, and it ends in "_processed.csv" */
};

/* Which of our outputs name looks like: this run's (output_tail = suffix + ".csv", and rejects
 * files) or, when suffix is not CSVB_DEFAULT_SUFFIX, the default suffix's: a directory walk
 * leaves both out, so an earlier run's outputs never come back as inputs when --suffix changes
 * (named on the command line, any file is read). */
enum csvb_walk_output csvb_walk_output_kind(const char *name, const char *output_tail,
                                            const char *suffix);

/* The notice for directory argument arg (caller frees; NULL when out of memory). none: nothing
 * was taken from it: "ARG: no CSV files found", and when output_named names were left out as
 * outputs, ": N files named like outputs (*_processed.csv, *_rejects.csv) were left out; name
 * them as arguments to read them". Else the default_named (> 0) names of the default suffix
 * left out under another --suffix: "ARG: N files named like outputs of the default suffix
 * (*_processed.csv) were left out; ...". */
char *csvb_walk_names_notice(const char *arg, bool none, size_t output_named, size_t default_named,
                             const char *output_tail);

#endif
