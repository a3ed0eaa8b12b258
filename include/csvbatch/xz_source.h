/* xz_source.h — the liblzma door: xz decoding (every xz stream in a file, read whole) and
 * encoding, behind the table of codec.h. The only file that includes liblzma's header. */
#ifndef CSVBATCH_XZ_SOURCE_H
#define CSVBATCH_XZ_SOURCE_H

#include "csvbatch/codec.h"

/* The xz decoder and encoder (contracts in codec.h). */
extern const struct csvb_codec csvb_xz_codec;

#endif
