/* zstd_source.c — the libzstd door: zstd frames decoded one after another, and written. */
#include "csvbatch/zstd_source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "csvbatch/writer.h"

struct zs_dec {
    ZSTD_DCtx *ctx;
    bool in_frame; /* a frame was started and has not ended */
};

static void *dec_new(void)
{
    struct zs_dec *s = calloc(1, sizeof *s);
    if (s != NULL && (s->ctx = ZSTD_createDCtx()) == NULL) {
        free(s);
        s = NULL;
    }
    return s;
}

static void dec_free(void *st)
{
    struct zs_dec *s = st;
    if (s == NULL)
        return;
    ZSTD_freeDCtx(s->ctx);
    free(s);
}

static long failed(size_t code, const struct csvb_zin *in, char *msg, size_t size)
{
    ZSTD_ErrorCode c = ZSTD_getErrorCode(code);
    unsigned long long at = (unsigned long long)(in->total - (in->len - in->pos));
    if (c == ZSTD_error_prefix_unknown)
        snprintf(msg, size, "not a zstd frame after %llu compressed bytes", at);
    else if (c == ZSTD_error_checksum_wrong)
        snprintf(msg, size, "zstd data is corrupt after %llu compressed bytes: checksum mismatch",
                 at);
    else if (c == ZSTD_error_memory_allocation)
        snprintf(msg, size, "out of memory decoding zstd data");
    else
        snprintf(msg, size, "zstd data is corrupt after %llu compressed bytes: %s", at,
                 ZSTD_getErrorName(code));
    errno = c == ZSTD_error_memory_allocation ? ENOMEM : EBADMSG;
    return -1;
}

static long dec_fill(void *st, struct csvb_zin *in, char *dst, size_t cap, char *msg, size_t size)
{
    struct zs_dec *s = st;
    ZSTD_outBuffer out = {dst, cap, 0};
    while (out.pos < out.size) {
        int r = csvb_zin_refill(in);
        if (r < 0)
            return -1;
        if (r == 0 && !s->in_frame)
            break;
        /* At the end of the input the decoder is still called: it may hold output to flush. */
        ZSTD_inBuffer inb = {in->buf, in->len, in->pos};
        size_t before = out.pos, z = ZSTD_decompressStream(s->ctx, &out, &inb);
        in->pos = inb.pos;
        if (ZSTD_isError(z))
            return failed(z, in, msg, size);
        s->in_frame = z != 0; /* 0: a frame ended exactly here */
        if (r == 0 && s->in_frame && out.pos == before) {
            snprintf(msg, size, "zstd data is truncated after %llu compressed bytes",
                     (unsigned long long)in->total);
            errno = EIO;
            return -1;
        }
    }
    return (long)out.pos;
}

/* The default output level: 1, zstd's fastest standard level. A re-compressed output is then
 * about as fast to write as the input is to decode (level 3, the library's default, costs 40%
 * more CPU for a 4% smaller file), so one .zst file in and out keeps the pace of `zstd -dc`. */
#define ZSTD_OUTPUT_LEVEL 1

static void *enc_new(int level)
{
    ZSTD_CCtx *c = ZSTD_createCCtx();
    if (c == NULL)
        return NULL;
    if (ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel,
                                            level > 0 ? level : ZSTD_OUTPUT_LEVEL)) ||
        ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1))) {
        ZSTD_freeCCtx(c);
        return NULL;
    }
    return c;
}

static int enc_write(void *st, int fd, const char *p, size_t n, bool finish)
{
    ZSTD_CCtx *c = st;
    char buf[64 << 10];
    ZSTD_inBuffer in = {p, n, 0};
    ZSTD_EndDirective mode = finish ? ZSTD_e_end : ZSTD_e_continue;
    for (;;) {
        ZSTD_outBuffer out = {buf, sizeof buf, 0};
        size_t left = ZSTD_compressStream2(c, &out, &in, mode);
        if (ZSTD_isError(left))
            return ZSTD_getErrorCode(left) == ZSTD_error_memory_allocation ? ENOMEM : EINVAL;
        int err = out.pos > 0 ? csvb_write_all(fd, buf, out.pos) : 0;
        if (err != 0)
            return err;
        if (finish ? left == 0 : in.pos == in.size)
            return 0;
    }
}

static void enc_free(void *st)
{
    ZSTD_freeCCtx(st);
}

const struct csvb_codec csvb_zstd_codec = {
    CSVB_COMPRESSION_ZSTD, dec_new, dec_fill, dec_free, enc_new, enc_write, enc_free, 19};
