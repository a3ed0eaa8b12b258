/* zhelpers.h — compressed test data made by the real tools (gzip, zstd, bzip2, xz), and a
 * whole-stream decode through the decompressing filter. */
#ifndef CSVBATCH_TEST_ZHELPERS_H
#define CSVBATCH_TEST_ZHELPERS_H

#include <errno.h>
#include <stdint.h>

#include "csvbatch/decompress.h"
#include "helpers.h"

struct zbuf {
    char *data;
    size_t len;
};

/* The compressing command for each format (-c: to stdout). */
static inline const char *zcmd(enum csvb_compression c)
{
    return c == CSVB_COMPRESSION_GZIP    ? "gzip -c"
           : c == CSVB_COMPRESSION_ZSTD  ? "zstd -q -c"
           : c == CSVB_COMPRESSION_BZIP2 ? "bzip2 -c"
                                         : "xz -c";
}

static inline struct zbuf file_bytes(const char *path)
{
    struct zbuf b = {NULL, 0};
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    size_t cap = 1 << 16;
    b.data = malloc(cap);
    size_t got;
    while ((got = fread(b.data + b.len, 1, cap - b.len, f)) > 0) {
        b.len += got;
        if (b.len == cap)
            b.data = realloc(b.data, cap *= 2);
    }
    fclose(f);
    return b;
}

/* data compressed by `cmd` (a shell command reading stdin, writing stdout). */
static inline struct zbuf run_filter(const char *cmd, const char *data, size_t len)
{
    char *dir = tmpdir_new(), *in = path_in(dir, "in"), *out = path_in(dir, "out"), *sh = NULL;
    write_bytes(in, data, len);
    cr_assert_geq(asprintf(&sh, "%s <'%s' >'%s'", cmd, in, out), 0);
    cr_assert_eq(system(sh), 0, "%s failed", sh);
    struct zbuf b = file_bytes(out);
    free(sh);
    free(in);
    free(out);
    tmpdir_free(dir);
    return b;
}

static inline struct zbuf zcompress(enum csvb_compression c, const char *data, size_t len)
{
    return run_filter(zcmd(c), data, len);
}

/* Text of about n bytes that compresses poorly enough to span several 4 KiB blocks. */
static inline char *rows_text(size_t n)
{
    char *t = malloc(n + 64);
    size_t len = 0;
    uint32_t x = 12345;
    for (unsigned i = 0; len < n; i++) {
        x = x * 1103515245u + 12345u;
        len += (size_t)snprintf(t + len, 64, "%u,%08x,%u\n", i, x, (x >> 7) % 1000);
    }
    t[n] = '\0';
    return t;
}

/* Decodes z through the filter (reading in `cap`-byte fills from a source of `chunk`-byte
 * fills). Returns the bytes (caller frees), *n their count, *rc the last fill's result. */
static inline char *decode_all(const struct zbuf *z, size_t chunk, size_t cap, bool read_ahead,
                               size_t *n, long *rc, int *err, char *msg, size_t msg_size)
{
    struct csvb_mem_source mem = {z->data, z->len, 0, chunk};
    struct csvb_decompress *dz =
        csvb_decompress_detect_new((struct csvb_source){csvb_source_mem_fill, &mem}, read_ahead);
    cr_assert_not_null(dz);
    size_t cap_out = 1 << 16, len = 0;
    char *out = malloc(cap_out);
    long got;
    for (;;) {
        if (cap_out - len < cap)
            out = realloc(out, cap_out = (cap_out + cap) * 2);
        if ((got = csvb_decompress_fill(dz, out + len, cap)) <= 0)
            break;
        len += (size_t)got;
    }
    *err = got < 0 ? errno : 0;
    if (msg != NULL)
        snprintf(msg, msg_size, "%s", csvb_decompress_message(dz));
    *rc = got;
    *n = len;
    csvb_decompress_free(dz);
    return out;
}

#endif
