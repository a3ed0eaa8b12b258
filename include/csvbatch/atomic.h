/* atomic.h — an output that appears whole or not at all: temp file in the destination directory,
 * then flush, fsync, checked close, rename. Abort unlinks the temp file. */
#ifndef CSVBATCH_ATOMIC_H
#define CSVBATCH_ATOMIC_H

#include <stdbool.h>
#include <sys/types.h>

#include "csvbatch/diag.h"

/* Temp names are ".<output name>.tmp-<owner>-XXXXXX" (tempname.h): hidden, so enumeration never
 * takes them, and their owner known, so a later run can remove those of a process that died. */
#define CSVB_TMP_MARK ".tmp-"

struct csvb_atomic {
    int fd;           /* -1 when not open */
    char *tmp_path;   /* owned */
    char *final_path; /* owned copy */
    int tracked;      /* handle in the cancel registry, -1 when none */
};

/* Creates the temp file beside final_path with `mode` (the umask applies), and, when make_dirs,
 * any missing directories above it first. Errors: CSVB_E_IO naming the path. */
enum csvb_err csvb_atomic_open(struct csvb_atomic *a, const char *final_path, bool make_dirs,
                               mode_t mode, struct csvb_diag *d);

/* fsync (when do_fsync), close, rename over final_path. On error the temp file is removed and
 * final_path is untouched. Errors: CSVB_E_IO. Frees a's strings either way. */
enum csvb_err csvb_atomic_commit(struct csvb_atomic *a, bool do_fsync, struct csvb_diag *d);

/* Parks a: flushes nothing (a has no buffer), closes the temp file with a checked close and
 * keeps it on disk, still registered for removal on a hard exit. A parked a can be committed,
 * appended to or aborted. Errors: CSVB_E_IO. */
enum csvb_err csvb_atomic_park(struct csvb_atomic *a, struct csvb_diag *d);

/* Appends the whole temp file of src to dst (opening a parked dst again and keeping it open),
 * then aborts src (always: src is consumed). writeback: dst will be fsynced, so the kernel is
 * asked to start writing what is appended now (the fsync then finds it on its way). Errors:
 * CSVB_E_IO naming dst's final path. */
enum csvb_err csvb_atomic_append(struct csvb_atomic *dst, struct csvb_atomic *src, bool writeback,
                                 struct csvb_diag *d);

/* Closes and unlinks the temp file, if any. NULL-safe, safe to call twice. */
void csvb_atomic_abort(struct csvb_atomic *a);

/* fsyncs the directory that holds file_path, making renames into it durable. Errors:
 * CSVB_E_IO naming the directory. */
/* Writes text and a final line feed to path atomically (temp file, fsync when do_fsync, rename;
 * the file is created 0666 less the umask). On any error nothing is left behind and d says
 * "cannot write PATH" with errno's cause. */
enum csvb_err csvb_atomic_write_text(const char *path, const char *text, bool do_fsync,
                                     struct csvb_diag *d);

enum csvb_err csvb_atomic_sync_dir(const char *file_path, struct csvb_diag *d);

/* True when the base name of path looks like one of our temp files. */
bool csvb_atomic_is_temp_name(const char *name);

#endif
