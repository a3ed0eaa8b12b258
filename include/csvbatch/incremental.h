/* incremental.h — --incremental: the step between outputs (the job list) and schedule that
 * marks Unchanged the jobs whose outputs are up to date, the manifest that remembers what was
 * done, the journal that keeps finished work across a crash, and the lock between runs.
 *
 * Each output root (the -o directory, or each directory argument, or the directory of a file
 * named on its own, when outputs go beside the inputs) holds:
 *   .csvbatch-manifest.json     what the last runs did (manifest_json.c, the second jansson
 *                               door), replaced atomically at the end of a run;
 *   .csvbatch-manifest.journal  one JSON line per output renamed into place since then,
 *                               appended with one O_APPEND write(2) and fsynced;
 *   .csvbatch-manifest.lock     flock(2)ed for the whole run (the manifest itself is replaced
 *                               by rename, so a lock on it would guard a stale inode).
 * An entry is keyed by its output path relative to the root (unique: outputs refuses two inputs
 * with one output). The decision, csvb_incremental_decide, is a pure function of facts. */
#ifndef CSVBATCH_INCREMENTAL_H
#define CSVBATCH_INCREMENTAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csvbatch/diag.h"
#include "csvbatch/hash.h"
#include "csvbatch/options.h"
#include "csvbatch/outputs.h"
#include "csvbatch/result.h"
#include "csvbatch/results.h"

#define CSVB_MANIFEST_NAME ".csvbatch-manifest.json"
#define CSVB_JOURNAL_NAME ".csvbatch-manifest.journal"
#define CSVB_LOCK_NAME ".csvbatch-manifest.lock"
#define CSVB_MANIFEST_FORMAT 1
/* The racy window: an input whose mtime is less than this before the moment it was opened for
 * reading may have been changed again within the same timestamp tick; it is rehashed. 2 s covers
 * the coarsest common file systems (FAT); Linux's own ticks are a few milliseconds. */
#define CSVB_INCR_RACY_NS ((int64_t)2000000000)

/* ---- The decision (pure) ------------------------------------------------------------------ */

struct csvb_incr_facts {
    bool force;            /* --force */
    bool have_entry;       /* the manifest has an entry for this output */
    bool fingerprint_same; /* made with the same version and byte-changing options */
    bool size_same, dev_same;
    bool mtime_same, ctime_same, ino_same;
    bool racy;       /* recorded mtime within CSVB_INCR_RACY_NS of the recorded read */
    bool verify;     /* --verify: content hashes compared whatever the stat says */
    bool outputs_ok; /* every recorded output exists with its recorded size (and, with
                        --verify, its recorded hash) */
    bool hash_known; /* the input has been hashed now */
    bool hash_same;  /* ... and its digest is the recorded one */
};

enum csvb_incr_verdict {
    CSVB_INCR_RUN,       /* process the file */
    CSVB_INCR_UNCHANGED, /* skip it: its outputs are up to date */
    CSVB_INCR_HASH       /* hash the input, set hash_known/hash_same, and decide again */
};

/* The rules (README "Incremental runs"): run when forced, without an entry, with another
 * fingerprint, another size or device, or outputs that are missing or differ; else, when the
 * mtime, ctime or inode differ, the entry is racy or --verify is on, the content hash decides;
 * else unchanged. */
enum csvb_incr_verdict csvb_incremental_decide(const struct csvb_incr_facts *f);

/* ---- The manifest (manifest_json.c) ------------------------------------------------------- */

struct csvb_incr_output {
    char *path; /* owned, relative to the root */
    uint64_t size;
    unsigned char hash[CSVB_HASH_SIZE];
};

struct csvb_incr_entry {
    char *key;   /* owned: the output path relative to the root */
    char *input; /* owned: the input path relative to the root, absolute when outside it */
    char fingerprint[CSVB_HASH_HEX];
    uint64_t size, dev, ino;
    int64_t mtime_ns, ctime_ns;
    int64_t read_ns; /* when the input was opened to be read (or hashed): the racy check */
    unsigned char hash[CSVB_HASH_SIZE];
    struct csvb_incr_output outputs[2]; /* the output, then the rejects file if any */
    size_t noutputs;
    char stamp[64];       /* the stamp of the run that wrote the outputs */
    char recorded_at[32]; /* when that run recorded them, UTC ISO 8601 */
};

struct csvb_manifest {
    struct csvb_incr_entry *entries; /* owned; sorted by key after csvb_manifest_sort */
    size_t n, cap;
};

/* Frees what e / m own. NULL-safe, safe twice. */
void csvb_incr_entry_fini(struct csvb_incr_entry *e);
void csvb_manifest_fini(struct csvb_manifest *m);

/* Moves *e to the end of m (e is left empty). Call csvb_manifest_sort before csvb_manifest_find:
 * of entries with equal keys, the sort keeps the one added last. Returns CSVB_OK or CSVB_E_NOMEM
 * (e is then freed). */
enum csvb_err csvb_manifest_add(struct csvb_manifest *m, struct csvb_incr_entry *e,
                                struct csvb_diag *d);

/* Sorts m by key, keeping for equal keys the one added last. */
void csvb_manifest_sort(struct csvb_manifest *m);

/* The entry with key in a sorted m, or NULL. */
struct csvb_incr_entry *csvb_manifest_find(const struct csvb_manifest *m, const char *key);

/* Reads the manifest at path into m (which it initializes) if it was written for root (its
 * real path) by this version of csvbatch. A missing file is CSVB_OK with m empty and *missing
 * set. Anything else that is not such a manifest is CSVB_E_PARSE with the reason in d (m empty).
 */
enum csvb_err csvb_manifest_load(const char *path, const char *root, struct csvb_manifest *m,
                                 bool *missing, struct csvb_diag *d);

/* Writes m (sorted) for root to path atomically (fsync unless !do_fsync). Errors: CSVB_E_IO,
 * CSVB_E_NOMEM, in d. */
enum csvb_err csvb_manifest_save(const char *path, const char *root, const struct csvb_manifest *m,
                                 bool do_fsync, struct csvb_diag *d);

/* e as one compact JSON line with its line feed; caller frees. NULL when out of memory. */
char *csvb_manifest_entry_line(const struct csvb_incr_entry *e, size_t *len);

/* Appends to m every complete, well-formed line of the journal at path (a line cut by a crash,
 * or anything unreadable, ends the replay: what follows was never acknowledged). A missing
 * journal adds nothing. Returns the entries added. */
size_t csvb_manifest_replay(const char *path, struct csvb_manifest *m);

/* ---- The run step (incremental.c) --------------------------------------------------------- */

struct csvb_incremental;

/* For opt->incremental: finds the output roots of list's jobs, takes each root's lock (waits;
 * with opt->no_wait fails at once: CSVB_E_USAGE "...: another csvbatch run is using this output
 * directory"), loads each manifest and replays its journal (a corrupt one: a warning, then every
 * file of that root is processed), opens the journal for appending (not in a dry run), and
 * decides every CSVB_JOB_RUN job: an unchanged one becomes CSVB_JOB_UNCHANGED with results[i]
 * filled (status Unchanged, its output path kept, the stamp of the run that wrote it). Stale
 * entries (inputs gone) become notices in list. stamp: this run's (recorded with what it
 * writes; copied). *out is owned by the caller (csvb_incremental_free)
 * even on error. Errors: CSVB_E_USAGE (the lock), CSVB_E_IO, CSVB_E_NOMEM. */
enum csvb_err csvb_incremental_open(struct csvb_incremental **out, const struct csvb_options *opt,
                                    const char *stamp, struct csvb_joblist *list,
                                    struct csvb_results *results, struct csvb_diag *d);

/* The warnings open found (corrupt manifests), k < count. Borrowed. */
size_t csvb_incremental_nwarnings(const struct csvb_incremental *inc);
const char *csvb_incremental_warning(const struct csvb_incremental *inc, size_t k);

/* Called by the worker that finished job i with res Success, after its outputs were renamed:
 * hashes the outputs (and the input, when res->input is not known: a split file), appends the
 * entry to the root's journal and fsyncs it, and keeps it for the final manifest. Touches only
 * slot i and one write(2): safe from any thread. A failure leaves the job unrecorded (it is
 * simply redone next time). */
void csvb_incremental_record(struct csvb_incremental *inc, size_t i, const struct csvb_job *job,
                             struct csvb_result *res);

/* After the run (not a dry run): with opt->prune removes the outputs of stale entries that are
 * still what csvbatch wrote (size and hash) and drops them; writes each root's manifest
 * atomically (old entries, journal, this run's) and removes the journal. Errors: CSVB_E_IO. */
enum csvb_err csvb_incremental_finish(struct csvb_incremental *inc, struct csvb_joblist *list,
                                      struct csvb_diag *d);

/* Releases the locks and frees inc. NULL-safe. */
void csvb_incremental_free(struct csvb_incremental *inc);

/* The fingerprint of opt: XXH3-128 of the version and of every option that changes output bytes
 * (delimiters, encoding, suffix, where, all_rows, case_sensitive, select, stamp column or none,
 * on_bad_row, rejects, compat), as csvb_options_describe lists them. The stamp value is left
 * out: a re-run must be able to skip. */
void csvb_incremental_fingerprint(const struct csvb_options *opt, char out[CSVB_HASH_HEX]);

/* ---- Internals shared by incremental.c, incremental_run.c and incremental_journal.c ------- */

struct stat;

struct csvb_incr_root {
    char *dir;  /* owned: as the paths name it */
    char *real; /* owned: its real path, recorded in the manifest */
    int lock_fd, journal_fd;
    struct csvb_manifest m; /* the manifest and its journal, sorted */
    size_t *stale;          /* owned: indices in m of entries whose input is gone */
    size_t nstale;
};

struct csvb_incremental {
    const struct csvb_options *opt;
    char fingerprint[CSVB_HASH_HEX];
    char stamp[64];
    struct csvb_incr_root *roots; /* owned */
    size_t nroots;
    size_t njobs;
    size_t *job_root;              /* owned, per job: its root, or SIZE_MAX for none */
    struct csvb_incr_entry *fresh; /* owned, per job: recorded this run (key NULL: none) */
    char **warnings;               /* owned */
    size_t nwarnings;
};

int64_t csvb_incr_now_ns(void);
void csvb_incr_utc(char *buf, size_t size);
char *csvb_incr_join(const char *dir, const char *rel);       /* caller frees; NULL: no memory */
const char *csvb_incr_rel(const char *dir, const char *path); /* borrowed; NULL: not below */
void csvb_incr_stat_facts(const struct stat *st, struct csvb_result_input *f);
/* Moves text (owned, may be NULL: out of memory) into list's notices. */
enum csvb_err csvb_incr_notice(struct csvb_joblist *list, char *text);
enum csvb_err csvb_incr_lock(struct csvb_incr_root *r, bool dry_run, bool no_wait,
                             struct csvb_diag *d);

#endif
