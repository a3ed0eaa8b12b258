/* bz2_source.h — the libbz2 door: bzip2 decoding (every bzip2 stream in a file, read whole) and
 * encoding, behind the table of codec.h. The only file that includes libbz2's header. */
#ifndef CSVBATCH_BZ2_SOURCE_H
#define CSVBATCH_BZ2_SOURCE_H

#include "csvbatch/codec.h"

/* The bzip2 decoder and encoder (contracts in codec.h). */
extern const struct csvb_codec csvb_bz2_codec;

#endif
