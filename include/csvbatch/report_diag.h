/* report_diag.h — the run's diagnostics on stderr. */
#ifndef CSVBATCH_REPORT_DIAG_H
#define CSVBATCH_REPORT_DIAG_H

#include <stdbool.h>
#include <stdio.h>

#include "csvbatch/outputs.h"
#include "csvbatch/result.h"
#include "csvbatch/results.h"

/* Writes to err, in list order: each notice of list ("csvbatch: notice: ..."), then one line
 * per file not processed ("csvbatch: PATH:LINE: MESSAGE", skipped ones as notices), every line
 * escaped as diagnostics are; with color the prefixes are coloured (color.h); with github the
 * GitHub workflow commands follow (report_github.h). CSVBATCH_DEBUG_CHUNKS set in the
 * environment adds a debug line per chunked file (tests/chunks.sh reads it). */
void csvb_report_diagnostics(FILE *err, const struct csvb_joblist *list,
                             const struct csvb_results *results, bool color, bool github);

#endif
