/* transcode.c — Latin-1 / Windows-1252 to UTF-8, block by block, as the reader asks for bytes. */
#include "csvbatch/transcode.h"

/* Windows-1252 0x80-0x9F; 0 = unassigned (kept as the C1 control of the same value). */
static const uint16_t cp1252[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

void csvb_transcode_init(struct csvb_transcode *t, struct csvb_source inner,
                         enum csvb_encoding encoding)
{
    t->inner = inner;
    t->encoding = encoding;
    t->raw_bytes = 0;
}

long csvb_transcode_fill(void *ctx, char *dst, size_t cap)
{
    struct csvb_transcode *t = ctx;
    size_t want = cap / 3 < sizeof t->raw ? cap / 3 : sizeof t->raw;
    if (want == 0)
        want = 1;
    long got = t->inner.fill(t->inner.ctx, (char *)t->raw, want);
    if (got <= 0)
        return got;
    t->raw_bytes += (uint64_t)got;
    unsigned char *out = (unsigned char *)dst;
    size_t n = 0;
    for (long i = 0; i < got; i++) {
        unsigned cp = t->raw[i];
        if (cp >= 0x80 && cp < 0xA0 && t->encoding == CSVB_ENC_CP1252 && cp1252[cp - 0x80] != 0)
            cp = cp1252[cp - 0x80];
        if (cp < 0x80) {
            out[n++] = (unsigned char)cp;
        } else if (cp < 0x800) {
            out[n++] = (unsigned char)(0xC0 | (cp >> 6));
            out[n++] = (unsigned char)(0x80 | (cp & 0x3F));
        } else {
            out[n++] = (unsigned char)(0xE0 | (cp >> 12));
            out[n++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
            out[n++] = (unsigned char)(0x80 | (cp & 0x3F));
        }
    }
    return (long)n;
}
