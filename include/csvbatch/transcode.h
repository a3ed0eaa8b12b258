/* transcode.h — a source that turns Latin-1 or Windows-1252 input into UTF-8 as it is read. */
#ifndef CSVBATCH_TRANSCODE_H
#define CSVBATCH_TRANSCODE_H

#include <stdint.h>

#include "csvbatch/source.h"

/* The input encodings the core can read (names: options.h). */
enum csvb_encoding { CSVB_ENC_UTF8, CSVB_ENC_LATIN1, CSVB_ENC_CP1252 };

#define CSVB_TRANSCODE_RAW 65536

struct csvb_transcode {
    struct csvb_source inner; /* the raw bytes */
    enum csvb_encoding encoding;
    uint64_t raw_bytes; /* bytes read from inner */
    unsigned char raw[CSVB_TRANSCODE_RAW];
};

/* Wraps inner; use csvb_transcode_fill with ctx = t as the reader's source. */
void csvb_transcode_init(struct csvb_transcode *t, struct csvb_source inner,
                         enum csvb_encoding encoding);

/* Fills dst (cap >= 3) with UTF-8: each input byte becomes 1 to 3 bytes. Windows-1252 bytes
 * 0x80-0x9F map to their characters (the five unassigned ones to U+0081 etc., as WHATWG does). */
long csvb_transcode_fill(void *ctx, char *dst, size_t cap);

#endif
