/* decompress.h — the decompressing source filter: a format detected from the first bytes of a
 * source (never from a name), its library's decoder stacked on it, and optionally a read-ahead
 * thread that decodes a bounded ring of blocks ahead of the reader (constant memory: 8 blocks of
 * 512 KiB, whatever the compression ratio). Plain pthreads; no OpenMP here. */
#ifndef CSVBATCH_DECOMPRESS_H
#define CSVBATCH_DECOMPRESS_H

#include <stdbool.h>
#include <stdint.h>

#include "csvbatch/codec.h"
#include "csvbatch/reader.h"

struct csvb_decompress;

/* Stacks kind's decoder on raw (borrowed: must outlive the filter). prefix[0..n) are bytes already
 * taken from raw (a peek), decoded first. kind NONE passes bytes through unchanged. read_ahead:
 * decode on a thread of its own (only over sources that never block for long: regular files).
 * Returns NULL when out of memory. Free with csvb_decompress_free. */
struct csvb_decompress *csvb_decompress_new(struct csvb_source raw, enum csvb_compression kind,
                                            const unsigned char *prefix, size_t n, bool read_ahead);

/* Reads up to CSVB_COMPRESSION_MAGIC_MAX bytes of raw, detects the format and stacks its decoder
 * (or a pass-through) as csvb_decompress_new does: for streams, which cannot be peeked at. An
 * error of raw during the peek is returned by the first fill. NULL when out of memory. */
struct csvb_decompress *csvb_decompress_detect_new(struct csvb_source raw, bool read_ahead);

/* The source fill (ctx = the filter): decoded bytes, 0 at the end, -1 with errno set (EIO:
 * truncated; EBADMSG: corrupt; ENOMEM; or raw's errno, e.g. ETIMEDOUT); then
 * csvb_decompress_message says why. */
long csvb_decompress_fill(void *ctx, char *dst, size_t cap);

/* The decoder's sentence for the last -1 ("gzip data is truncated after 1048576 compressed
 * bytes"), "" when the error came from raw itself or there was none. Borrowed from z. */
const char *csvb_decompress_message(const struct csvb_decompress *z);

/* The format decoded (NONE for a pass-through). */
enum csvb_compression csvb_decompress_kind(const struct csvb_decompress *z);

/* Compressed bytes taken from raw for what fill has returned so far (with read-ahead: up to the
 * block last handed out), and the decoded bytes fill has returned. */
uint64_t csvb_decompress_in_bytes(const struct csvb_decompress *z);
uint64_t csvb_decompress_out_bytes(const struct csvb_decompress *z);

/* From now on every compressed byte behind what fill returns is added to *counter (progress
 * counted in compressed bytes, as the files' sizes are); NULL stops it. */
void csvb_decompress_set_counter(struct csvb_decompress *z, _Atomic uint64_t *counter);

/* Stops the read-ahead thread (joins it) and frees everything. NULL-safe. */
void csvb_decompress_free(struct csvb_decompress *z);

#endif
