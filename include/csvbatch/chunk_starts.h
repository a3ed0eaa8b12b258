/* chunk_starts.h — where the chunks of a big file start (chunks.h): each chunk's nominal share,
 * the speculative record start after it, and the serial path's block boundaries. Pure functions
 * of the file's bytes, read with pread only. */
#ifndef CSVBATCH_CHUNK_STARTS_H
#define CSVBATCH_CHUNK_STARTS_H

#include <stddef.h>
#include <sys/types.h>

/* Where chunk k of n (k = n: the end) nominally starts in a file of `size` bytes, for `threads`
 * threads (n is at most 4 per thread). The chunks come in batches of one per thread, each batch's
 * chunks half the size of the batch's before, down to an eighth (factoring, as in loop
 * scheduling: 8 chunks on 2 threads are 8, 8, 4, 4, 2, 2, 1, 1 thirtieths): the threads, which
 * finish their chunks at different times, take the small ones at the end as they come free, so
 * that they end within about one small chunk of each other, while the first chunks are big (few
 * chunks, little to assemble). Up to one chunk per thread are of one size. The real starts are
 * the first record starts at or after these. */
off_t csvb_chunk_nominal(off_t size, size_t n, size_t threads, size_t k);

/* Offset just past the first line feed at or after `from` that lies outside quotes, as far as
 * the 64 KiB after `from` tell (a quote followed by a byte other than a delimiter, line end or
 * quote leaves a quoted field open; one preceded by such a byte leaves quotes; counting the
 * quotes up to the first that tells gives the state at `from`), then any line feed; -1 when
 * there is none before `limit`. Only a guess on malformed input: the chunks' verification
 * repairs a wrong start. */
off_t csvb_chunk_record_start(int fd, off_t from, off_t limit, char delimiter);

/* Where the serial reader's block that holds offset `at` ends. The serial path (pipeline.c)
 * reads the file in blocks of `block` bytes, each starting after the last line feed of the one
 * before (or where it ended, for a line longer than a block): a run from the record start `at`
 * whose first read ends there reads exactly the blocks the serial run reads from `at` on, so a
 * file that fails there reports the serial run's bytes_read. */
off_t csvb_chunk_serial_block_end(int fd, off_t block, off_t at);

#endif
