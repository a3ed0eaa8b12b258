/* chunks.h — one big regular file split into chunks processed in parallel, then assembled.
 *
 * Boundaries are speculative: each chunk after the first starts just after a line feed found
 * near its nominal offset, as if that line feed ended a record. The chunk before it must then
 * end exactly there, between records (its reader reports at_boundary). Where one does not, the
 * speculation was wrong (the line feed was inside a quoted field): that chunk is merged with the
 * next and the pair parsed again from its verified start. The first error in chunk order is the
 * file's error, with its line made absolute. Outputs are therefore byte-identical to the serial
 * path's, always. Each chunk writes its own temp file; the first one is extended with the others
 * (copy_file_range) and renamed. */
#ifndef CSVBATCH_CHUNKS_H
#define CSVBATCH_CHUNKS_H

#include <stddef.h>

#include "csvbatch/outputs.h"
#include "csvbatch/plan.h"
#include "csvbatch/result.h"

struct csvb_chunks;

/* Plans the chunks of job: NULL when the file is not split (not a regular file, smaller than
 * twice plan->chunk_size, no usable line feeds, a header that does not parse or bind: the
 * serial path handles all of those, with their exact errors). Caller passes the plan to
 * csvb_chunks_run for every chunk, then to csvb_chunks_finish, which frees it. */
struct csvb_chunks *csvb_chunks_new(const struct csvb_plan *plan, const struct csvb_job *job);

/* Number of chunks (at least 2). */
size_t csvb_chunks_count(const struct csvb_chunks *c);

/* Processes chunk k. Safe to call concurrently for different k. */
void csvb_chunks_run(const struct csvb_plan *plan, const struct csvb_job *job,
                     struct csvb_chunks *c, size_t k);

/* After every chunk ran: verifies the boundaries, assembles and commits the output (or runs the
 * file serially when a boundary was wrong), fills res, frees c. */
void csvb_chunks_finish(const struct csvb_plan *plan, const struct csvb_job *job,
                        struct csvb_chunks *c, struct csvb_result *res);

#endif
