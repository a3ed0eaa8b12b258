/* stamp.h — the ProcessedDate value, computed once per run before any file is processed. */
#ifndef CSVBATCH_STAMP_H
#define CSVBATCH_STAMP_H

#include <stddef.h>
#include <time.h>

#include "csvbatch/diag.h"

#define CSVB_STAMP_MAX 128

/* Fills out (size >= CSVB_STAMP_MAX) with the run's stamp: `literal` verbatim when non-NULL;
 * else SOURCE_DATE_EPOCH (`sde`, decimal seconds) when non-NULL; else `now`; the last two as UTC
 * "YYYY-MM-DDTHH:MM:SSZ". A literal may hold any text (the writer quotes it as needed); one
 * longer than size - 1 bytes, or a malformed sde, is CSVB_E_USAGE with a message in d. */
enum csvb_err csvb_stamp_make(char *out, size_t size, const char *literal, const char *sde,
                              time_t now, struct csvb_diag *d);

/* The stamp as PowerShell's Export-Csv writes Get-Date (invariant culture): local time
 * "MM/dd/yyyy HH:mm:ss", or UTC when sde (SOURCE_DATE_EPOCH) is given; literal wins as above. */
enum csvb_err csvb_stamp_make_powershell(char *out, size_t size, const char *literal,
                                         const char *sde, time_t now, struct csvb_diag *d);

#endif
