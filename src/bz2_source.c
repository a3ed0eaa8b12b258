/* bz2_source.c — the libbz2 door: bzip2 streams decoded one after another, and written. */
#include "csvbatch/bz2_source.h"

#include <bzlib.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/writer.h"

struct bz_dec {
    bz_stream z;
    bool live;      /* BZ2_bzDecompressInit succeeded and End is owed */
    bool in_stream; /* a stream was started and has not ended */
};

static void *dec_new(void)
{
    struct bz_dec *b = calloc(1, sizeof *b);
    if (b != NULL && BZ2_bzDecompressInit(&b->z, 0, 0) != BZ_OK) {
        free(b);
        return NULL;
    }
    if (b != NULL)
        b->live = true;
    return b;
}

static void dec_free(void *st)
{
    struct bz_dec *b = st;
    if (b == NULL)
        return;
    if (b->live)
        BZ2_bzDecompressEnd(&b->z);
    free(b);
}

static long failed(int r, const struct csvb_zin *in, char *msg, size_t size)
{
    unsigned long long at = (unsigned long long)(in->total - (in->len - in->pos));
    if (r == BZ_MEM_ERROR) {
        snprintf(msg, size, "out of memory decoding bzip2 data");
        errno = ENOMEM;
        return -1;
    }
    snprintf(msg, size, "bzip2 data is corrupt after %llu compressed bytes: %s", at,
             r == BZ_DATA_ERROR_MAGIC ? "not bzip2 data" : "CRC mismatch or bad block");
    errno = EBADMSG;
    return -1;
}

static long dec_fill(void *st, struct csvb_zin *in, char *dst, size_t cap, char *msg, size_t size)
{
    struct bz_dec *b = st;
    unsigned room = cap > UINT32_MAX ? UINT32_MAX : (unsigned)cap;
    b->z.next_out = dst;
    b->z.avail_out = room;
    while (b->z.avail_out > 0) {
        int r = csvb_zin_refill(in);
        if (r < 0)
            return -1;
        if (r == 0 && !b->in_stream)
            break;
        if (!b->live) { /* the stream before ended: one more follows (pbzip2, cat) */
            unsigned left = b->z.avail_out;
            if ((r = BZ2_bzDecompressInit(&b->z, 0, 0)) != BZ_OK)
                return failed(r, in, msg, size);
            b->live = true;
            b->z.next_out = dst + (room - left);
            b->z.avail_out = left;
            r = 1;
        }
        /* At the end of the input the decoder is still called: it may hold output to flush. */
        b->z.next_in = (char *)(in->buf + in->pos);
        b->z.avail_in = (unsigned)(in->len - in->pos);
        b->in_stream = true;
        unsigned before = b->z.avail_out;
        int z = BZ2_bzDecompress(&b->z);
        in->pos = in->len - b->z.avail_in;
        if (z == BZ_STREAM_END) {
            unsigned left = b->z.avail_out;
            BZ2_bzDecompressEnd(&b->z);
            b->live = b->in_stream = false;
            b->z.avail_out = left;
        } else if (z != BZ_OK) {
            return failed(z, in, msg, size);
        } else if (r == 0 && b->z.avail_out == before) {
            snprintf(msg, size, "bzip2 data is truncated after %llu compressed bytes",
                     (unsigned long long)in->total);
            errno = EIO;
            return -1;
        }
    }
    return (long)(room - b->z.avail_out);
}

static void *enc_new(int level)
{
    bz_stream *z = calloc(1, sizeof *z);
    if (z != NULL && BZ2_bzCompressInit(z, level > 0 ? level : 9, 0, 0) != BZ_OK) {
        free(z);
        z = NULL;
    }
    return z;
}

static int enc_write(void *st, int fd, const char *p, size_t n, bool finish)
{
    bz_stream *z = st;
    char out[64 << 10];
    char *in; /* the library's field is not const, though it never writes through it */
    memcpy(&in, &p, sizeof in);
    z->next_in = in;
    z->avail_in = (unsigned)n;
    for (;;) {
        z->next_out = out;
        z->avail_out = sizeof out;
        int r = BZ2_bzCompress(z, finish ? BZ_FINISH : BZ_RUN);
        if (r < 0)
            return r == BZ_MEM_ERROR ? ENOMEM : EINVAL;
        size_t have = sizeof out - z->avail_out;
        int err = have > 0 ? csvb_write_all(fd, out, have) : 0;
        if (err != 0)
            return err;
        if (finish ? r == BZ_STREAM_END : z->avail_in == 0)
            return 0;
    }
}

static void enc_free(void *st)
{
    if (st == NULL)
        return;
    BZ2_bzCompressEnd(st);
    free(st);
}

const struct csvb_codec csvb_bz2_codec = {
    CSVB_COMPRESSION_BZIP2, dec_new, dec_fill, dec_free, enc_new, enc_write, enc_free, 9};
