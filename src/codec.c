/* codec.c — the compression formats' names, magic bytes and extensions, and the decoders'
 * shared input buffer; the libraries themselves live in their doors. */
#include "csvbatch/codec.h"

#include <string.h>

#include "csvbatch/bz2_source.h"
#include "csvbatch/gzip_source.h"
#include "csvbatch/text.h"
#include "csvbatch/xz_source.h"
#include "csvbatch/zstd_source.h"

static const char *const names[] = {NULL, "gzip", "zstd", "bzip2", "xz"};
static const char *const exts[] = {"", ".gz", ".zst", ".bz2", ".xz"};

const char *csvb_compression_name(enum csvb_compression c)
{
    return (size_t)c < sizeof names / sizeof *names ? names[c] : NULL;
}

const char *csvb_compression_ext(enum csvb_compression c)
{
    return (size_t)c < sizeof exts / sizeof *exts ? exts[c] : "";
}

enum csvb_compression csvb_compression_detect(const unsigned char *p, size_t n)
{
    if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
        return CSVB_COMPRESSION_GZIP;
    if (n >= 4 && memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0)
        return CSVB_COMPRESSION_ZSTD;
    if (n >= 3 && memcmp(p, "BZh", 3) == 0)
        return CSVB_COMPRESSION_BZIP2;
    if (n >= 6 && memcmp(p,
                         "\xfd"
                         "7zXZ\0",
                         6) == 0)
        return CSVB_COMPRESSION_XZ;
    return CSVB_COMPRESSION_NONE;
}

enum csvb_compression csvb_compression_from_name(const char *name, size_t *ext_len)
{
    size_t n = strlen(name);
    for (size_t c = 1; c < sizeof exts / sizeof *exts; c++) {
        size_t m = strlen(exts[c]);
        if (n > m && csvb_text_ieq(name + n - m, m, exts[c], m)) {
            if (ext_len != NULL)
                *ext_len = m;
            return (enum csvb_compression)c;
        }
    }
    if (ext_len != NULL)
        *ext_len = 0;
    return CSVB_COMPRESSION_NONE;
}

int csvb_zin_refill(struct csvb_zin *in)
{
    if (in->pos < in->len)
        return 1;
    in->pos = in->len = 0;
    if (in->eof)
        return 0;
    long got = in->src.fill(in->src.ctx, (char *)in->buf, CSVB_ZIN_SIZE);
    if (got < 0)
        return -1;
    if (got == 0) {
        in->eof = true;
        return 0;
    }
    in->len = (size_t)got;
    in->total += (uint64_t)got;
    return 1;
}

const struct csvb_codec *csvb_codec_for(enum csvb_compression c)
{
    switch (c) {
    case CSVB_COMPRESSION_GZIP:
        return &csvb_gzip_codec;
    case CSVB_COMPRESSION_ZSTD:
        return &csvb_zstd_codec;
    case CSVB_COMPRESSION_BZIP2:
        return &csvb_bz2_codec;
    case CSVB_COMPRESSION_XZ:
        return &csvb_xz_codec;
    case CSVB_COMPRESSION_NONE:
        break;
    }
    return NULL;
}
