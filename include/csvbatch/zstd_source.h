/* zstd_source.h — the libzstd door: zstd decoding (every zstd stream in a file, read whole) and
 * encoding, behind the table of codec.h. The only file that includes libzstd's header. */
#ifndef CSVBATCH_ZSTD_SOURCE_H
#define CSVBATCH_ZSTD_SOURCE_H

#include "csvbatch/codec.h"

/* The zstd decoder and encoder (contracts in codec.h). */
extern const struct csvb_codec csvb_zstd_codec;

#endif
