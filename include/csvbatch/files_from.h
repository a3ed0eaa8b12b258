/* files_from.h — --files-from: the PATHs listed in a file (or stdin), added after the PATH
 * arguments. Run layer: main calls it once cli has parsed argv. */
#ifndef CSVBATCH_FILES_FROM_H
#define CSVBATCH_FILES_FROM_H

#include "csvbatch/diag.h"
#include "csvbatch/options.h"

/* Reads opt->files_from ('-': standard input, left open) when it is set, and appends its names
 * to opt->paths (which must hold cli's owned array, or NULL). Names end at a line feed (a CR
 * before it is dropped: a list written on Windows) or, with opt->files_from_nul, at a NUL; empty
 * names are skipped. opt->files_buf owns the bytes the new names point into (freed by
 * csvb_options_fini).
 * Returns CSVB_OK (doing nothing without --files-from), or CSVB_E_USAGE with d set when the file
 * cannot be read, holds NUL bytes without -0, or when no PATH at all is left; CSVB_E_NOMEM when
 * out of memory. opt may then hold some of the names; csvb_options_fini frees it all. */
enum csvb_err csvb_files_from_read(struct csvb_options *opt, struct csvb_diag *d);

#endif
