/* hints.h — computed hints for a file that failed to read: when another option would read it,
 * say which (DESIGN §4: ask the lenient parser and the detector, never guess).
 *
 * A strict quote error: the file is read again, from the start, with --quotes lenient through a
 * dry-run stage (header, field counts, --on-bad-row as configured); when that succeeds the hint
 * names --quotes lenient. Invalid UTF-8: a sample around the bad byte goes to the detector
 * (csvb_transcode_guess: a guess that decodes the sample as text); when it is trusted the hint
 * names --encoding GUESS, and --encoding auto too when auto would choose the same on the file's
 * first bytes (under --encoding auto, which kept UTF-8 for a UTF-8 start, only GUESS). The hint
 * replaces the reader's generic advice in the message. Nothing is asked of a stream (it cannot be
 * read twice) or under --compat powershell. */
#ifndef CSVBATCH_HINTS_H
#define CSVBATCH_HINTS_H

#include "csvbatch/diag.h"
#include "csvbatch/outputs.h"
#include "csvbatch/plan.h"
#include "csvbatch/reader.h"

/* Fills d's hint for the reader failure in stats (the error already in d, from that reader run
 * on job under plan), re-reading the file as above; deadline (monotonic seconds, 0 = none) and
 * the plan's cancel flag bound the extra reading. Leaves d as it is when no option would read
 * the file or the question cannot be asked. */
void csvb_hints_explain(const struct csvb_plan *plan, const struct csvb_job *job,
                        const struct csvb_reader_stats *stats, double deadline,
                        struct csvb_diag *d);

/* A field-count (or other stage) failure, under --comment auto and --escape auto: when the file
 * reads with --comment '#' (a dry run, as above) while the run found no comment character, or
 * else with --escape backslash while it found no escape character, d's hint names that option,
 * in place of a hint already there (the sniffer's, which would read such lines as records).
 * And the sniffer's "the file looks X-separated" hint stays only when -d X reads the whole file
 * (a dry run); else it gives way to --on-bad-row pad when that reads the file, or to none. */
void csvb_hints_explain_width(const struct csvb_plan *plan, const struct csvb_job *job,
                              double deadline, struct csvb_diag *d);

#endif
