/* gzip_source.h — the zlib door: gzip decoding (every gzip stream in a file, read whole) and
 * encoding, behind the table of codec.h. The only file that includes zlib's header. */
#ifndef CSVBATCH_GZIP_SOURCE_H
#define CSVBATCH_GZIP_SOURCE_H

#include "csvbatch/codec.h"

/* The gzip decoder and encoder (contracts in codec.h). */
extern const struct csvb_codec csvb_gzip_codec;

#endif
