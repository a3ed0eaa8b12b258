/* gzip_source.c — the zlib door: gzip members decoded one after another, and written. */
#include "csvbatch/gzip_source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "csvbatch/writer.h"

struct gz_dec {
    z_stream z;
    bool in_member; /* a member was started and has not ended */
};

static void *dec_new(void)
{
    struct gz_dec *g = calloc(1, sizeof *g);
    if (g != NULL && inflateInit2(&g->z, 15 + 16) != Z_OK) {
        free(g);
        g = NULL;
    }
    return g;
}

static void dec_free(void *st)
{
    struct gz_dec *g = st;
    if (g == NULL)
        return;
    inflateEnd(&g->z);
    free(g);
}

/* zlib's words for a bad trailer become the ones users search for. */
static long corrupt(const struct gz_dec *g, const struct csvb_zin *in, char *msg, size_t size)
{
    const char *why = g->z.msg != NULL ? g->z.msg : "bad data";
    if (strcmp(why, "incorrect data check") == 0)
        why = "CRC mismatch";
    else if (strcmp(why, "incorrect length check") == 0)
        why = "length mismatch";
    else if (strcmp(why, "incorrect header check") == 0)
        why = "not gzip data";
    snprintf(msg, size, "gzip data is corrupt after %llu compressed bytes: %s",
             (unsigned long long)(in->total - (in->len - in->pos)), why);
    errno = EBADMSG;
    return -1;
}

static long dec_fill(void *st, struct csvb_zin *in, char *dst, size_t cap, char *msg, size_t size)
{
    struct gz_dec *g = st;
    g->z.next_out = (Bytef *)dst;
    g->z.avail_out = cap > UINT32_MAX ? UINT32_MAX : (uInt)cap;
    while (g->z.avail_out > 0) {
        int r = csvb_zin_refill(in);
        if (r < 0)
            return -1;
        if (r == 0 && !g->in_member)
            break;
        /* At the end of the input inflate is still called: it may hold output to flush. */
        g->z.next_in = in->buf + in->pos;
        g->z.avail_in = (uInt)(in->len - in->pos);
        g->in_member = true;
        uInt before = g->z.avail_out;
        int z = inflate(&g->z, Z_NO_FLUSH);
        in->pos = in->len - g->z.avail_in;
        if (z == Z_STREAM_END) { /* the next member, if any, starts afresh */
            g->in_member = false;
            if (inflateReset(&g->z) != Z_OK)
                return corrupt(g, in, msg, size);
        } else if (z == Z_MEM_ERROR) {
            snprintf(msg, size, "out of memory decoding gzip data");
            errno = ENOMEM;
            return -1;
        } else if (z != Z_OK && z != Z_BUF_ERROR) {
            return corrupt(g, in, msg, size);
        } else if (r == 0 && g->z.avail_out == before) {
            snprintf(msg, size, "gzip data is truncated after %llu compressed bytes",
                     (unsigned long long)in->total);
            errno = EIO;
            return -1;
        }
    }
    return (long)(cap - g->z.avail_out);
}

static void *enc_new(int level)
{
    z_stream *z = calloc(1, sizeof *z);
    if (z != NULL && deflateInit2(z, level > 0 ? level : Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16,
                                  8, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(z);
        z = NULL;
    }
    return z;
}

static int enc_write(void *st, int fd, const char *p, size_t n, bool finish)
{
    z_stream *z = st;
    unsigned char out[64 << 10];
    Bytef *in; /* the library's field is not const, though it never writes through it */
    memcpy(&in, &p, sizeof in);
    z->next_in = in;
    z->avail_in = (uInt)n;
    int flush = finish ? Z_FINISH : Z_NO_FLUSH, r;
    do {
        z->next_out = out;
        z->avail_out = sizeof out;
        r = deflate(z, flush);
        if (r == Z_STREAM_ERROR)
            return EINVAL;
        size_t have = sizeof out - z->avail_out;
        int err = have > 0 ? csvb_write_all(fd, (const char *)out, have) : 0;
        if (err != 0)
            return err;
    } while (z->avail_out == 0 || (finish && r != Z_STREAM_END));
    return 0;
}

static void enc_free(void *st)
{
    if (st == NULL)
        return;
    deflateEnd(st);
    free(st);
}

const struct csvb_codec csvb_gzip_codec = {
    CSVB_COMPRESSION_GZIP, dec_new, dec_fill, dec_free, enc_new, enc_write, enc_free, 9};
