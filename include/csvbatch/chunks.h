/* chunks.h — one big regular file split into chunks processed in parallel, then assembled.
 *
 * The protocol (zsv's): chunk k starts at a speculative record start (just after the first line
 * feed at or after k x chunk size that the quotes after it say lies outside quotes) and parses on
 * past its nominal end (the next chunk's start) to the end of the record that straddles it, then
 * reports where it really stopped. Chunk k+1 is valid when it started exactly there; otherwise
 * only chunk k+1 is parsed again, from the right place. A speculative run reads at most one chunk
 * size past its nominal end (a chunk that started inside a quoted field could otherwise read to
 * the end of the file); a valid chunk whose straddling record is longer is parsed again without
 * that cap. So every byte is parsed at most three times, whatever the data: linear, never
 * quadratic. The first error in file order is the file's error, with its line made absolute; the
 * failing chunk is parsed once more from its true start to the error, reading the blocks the
 * serial path reads there, so that the file's bytes_read is the serial one. A file that changed
 * while it was read fails for that, as on the serial path. Each chunk writes its own temp file;
 * the first one is extended with the others in order (as soon as each is verified, while later
 * chunks still run) and renamed: outputs are byte-identical to the serial path's (a later
 * chunk's first field is never quoted as if it began the output). A chunk still running when
 * every chunk before it has been verified and appended, and that started where the record before
 * it ended, takes over: what its temp file holds is appended, and it writes the rest at the end
 * of the output itself, so that only the part written before its turn came is copied (nothing,
 * for the chunks of a file run on one thread; an uncompressed output only). Should such a chunk
 * be run again after all (its straddling record was longer than the cap, or it failed), its
 * bytes are cut off the output first.
 *
 * Bounded whatever --chunk-size is: a file has at most max_chunks chunks (the chunk size is
 * raised to size / max_chunks when needed), so at most max_chunks temp files, chunk records and
 * tasks per file; a run reads at most min(block size, chunk size) bytes at a time. */
#ifndef CSVBATCH_CHUNKS_H
#define CSVBATCH_CHUNKS_H

#include <stddef.h>
#include <sys/types.h>

#include "csvbatch/chunk_starts.h"
#include "csvbatch/outputs.h"
#include "csvbatch/plan.h"
#include "csvbatch/result.h"

struct csvb_chunks;

/* Most chunks per file, whatever the size: CSVB_CHUNKS_PER_THREAD per thread, at most
 * CSVB_CHUNKS_MAX (enough for balance; more only add temp files and verification). */
#define CSVB_CHUNKS_PER_THREAD 4
#define CSVB_CHUNKS_MAX 64

/* The max_chunks for csvb_chunks_new with `threads` threads: 4 per thread, 2..CSVB_CHUNKS_MAX. */
size_t csvb_chunks_max(int threads);

/* Plans the chunks of job, at most max_chunks (>= 2): NULL when the file is not split (the plan
 * does not split it, not a regular file of the listed size, no usable line feeds, a header that
 * does not parse or bind: the serial path handles all of those, with their exact errors). Caller
 * passes the plan to csvb_chunks_run for every chunk, then to csvb_chunks_finish, which frees it.
 */
struct csvb_chunks *csvb_chunks_new(const struct csvb_plan *plan, const struct csvb_job *job,
                                    size_t max_chunks);

/* Number of chunks (2..max_chunks). */
size_t csvb_chunks_count(const struct csvb_chunks *c);

/* The speculative run of the next chunk in file order that no call has taken yet (none when all
 * are taken): call it csvb_chunks_count times, concurrently from any threads. Chunks run in
 * file order whichever thread runs which call, so that each run's end can verify the chunks
 * ready so far, in order, parse again the ones that started in the wrong place, and append
 * their outputs to the first chunk's: checking and assembling overlap the runs still going. */
void csvb_chunks_run(const struct csvb_plan *plan, const struct csvb_job *job,
                     struct csvb_chunks *c);

/* After every chunk ran: verifies what is left, commits the output, fills res (its
 * bytes_parsed, parse_runs, chunks, chunk_temps_max and bytes_copied tell the work done), frees c.
 */
void csvb_chunks_finish(const struct csvb_plan *plan, const struct csvb_job *job,
                        struct csvb_chunks *c, struct csvb_result *res);

#endif
