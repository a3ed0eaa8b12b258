/* xz_source.c — the liblzma door: concatenated xz streams decoded as one, and written. */
#include "csvbatch/xz_source.h"

#include <errno.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>

#include "csvbatch/writer.h"

struct xz_dec {
    lzma_stream z; /* first: enc_free frees an encoder's bare lzma_stream the same way */
    bool done;     /* LZMA_STREAM_END seen: liblzma must not be called again */
};

static void *dec_new(void)
{
    struct xz_dec *x = calloc(1, sizeof *x);
    if (x == NULL)
        return NULL;
    x->z = (lzma_stream)LZMA_STREAM_INIT;
    if (lzma_stream_decoder(&x->z, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) {
        free(x);
        return NULL;
    }
    return x;
}

static void dec_free(void *st)
{
    if (st == NULL)
        return;
    lzma_end(st);
    free(st);
}

static long failed(lzma_ret r, const struct csvb_zin *in, char *msg, size_t size)
{
    unsigned long long at = (unsigned long long)(in->total - (in->len - in->pos));
    errno = EBADMSG;
    if (r == LZMA_BUF_ERROR) {
        snprintf(msg, size, "xz data is truncated after %llu compressed bytes", at);
        errno = EIO;
    } else if (r == LZMA_MEM_ERROR || r == LZMA_MEMLIMIT_ERROR) {
        snprintf(msg, size, "out of memory decoding xz data");
        errno = ENOMEM;
    } else if (r == LZMA_FORMAT_ERROR) {
        snprintf(msg, size, "not xz data after %llu compressed bytes", at);
    } else {
        snprintf(msg, size, "xz data is corrupt after %llu compressed bytes: %s", at,
                 r == LZMA_DATA_ERROR ? "bad data or check mismatch" : "unsupported options");
    }
    return -1;
}

static long dec_fill(void *st, struct csvb_zin *in, char *dst, size_t cap, char *msg, size_t size)
{
    struct xz_dec *x = st;
    lzma_stream *z = &x->z;
    z->next_out = (uint8_t *)dst;
    z->avail_out = cap;
    while (z->avail_out > 0 && !x->done) {
        int r = csvb_zin_refill(in);
        if (r < 0)
            return -1;
        z->next_in = in->buf + in->pos;
        z->avail_in = in->len - in->pos;
        lzma_ret ret = lzma_code(z, r == 0 ? LZMA_FINISH : LZMA_RUN);
        in->pos = in->len - z->avail_in;
        if (ret == LZMA_STREAM_END)
            x->done = true;
        else if (ret != LZMA_OK)
            return failed(ret, in, msg, size);
    }
    return (long)(cap - z->avail_out);
}

static void *enc_new(int level)
{
    lzma_stream *z = calloc(1, sizeof *z);
    if (z == NULL)
        return NULL;
    *z = (lzma_stream)LZMA_STREAM_INIT;
    uint32_t preset = level > 0 ? (uint32_t)level : LZMA_PRESET_DEFAULT;
    if (lzma_easy_encoder(z, preset, LZMA_CHECK_CRC64) != LZMA_OK) {
        free(z);
        return NULL;
    }
    return z;
}

static int enc_write(void *st, int fd, const char *p, size_t n, bool finish)
{
    lzma_stream *z = st;
    uint8_t out[64 << 10];
    z->next_in = (const uint8_t *)p;
    z->avail_in = n;
    for (;;) {
        z->next_out = out;
        z->avail_out = sizeof out;
        lzma_ret r = lzma_code(z, finish ? LZMA_FINISH : LZMA_RUN);
        if (r != LZMA_OK && r != LZMA_STREAM_END)
            return r == LZMA_MEM_ERROR ? ENOMEM : EINVAL;
        size_t have = sizeof out - z->avail_out;
        int err = have > 0 ? csvb_write_all(fd, (const char *)out, have) : 0;
        if (err != 0)
            return err;
        if (finish ? r == LZMA_STREAM_END : z->avail_in == 0)
            return 0;
    }
}

static void enc_free(void *st)
{
    dec_free(st);
}

const struct csvb_codec csvb_xz_codec = {CSVB_COMPRESSION_XZ, dec_new,  dec_fill, dec_free, enc_new,
                                         enc_write,           enc_free, 9};
