/* test_decompress.c — the decompressing filter: every format, detection by content, whole
 * multi-member streams, every fill size, truncation at every 4 KiB boundary, corrupt data, a
 * bomb in bounded memory. Data is made by the real tools (gzip, zstd, bzip2, xz). */
#include <sys/resource.h>

#include "zhelpers.h"

static const enum csvb_compression formats[] = {CSVB_COMPRESSION_GZIP, CSVB_COMPRESSION_ZSTD,
                                                CSVB_COMPRESSION_BZIP2, CSVB_COMPRESSION_XZ};
#define NFORMATS (sizeof formats / sizeof *formats)

Test(decompress, detects_magic_bytes_not_names)
{
    cr_assert_eq(csvb_compression_detect((const unsigned char *)"\x1f\x8b\x08", 3),
                 CSVB_COMPRESSION_GZIP);
    cr_assert_eq(csvb_compression_detect((const unsigned char *)"\x28\xb5\x2f\xfd", 4),
                 CSVB_COMPRESSION_ZSTD);
    cr_assert_eq(csvb_compression_detect((const unsigned char *)"BZh9", 4), CSVB_COMPRESSION_BZIP2);
    cr_assert_eq(csvb_compression_detect((const unsigned char *)"\xfd"
                                                                "7zXZ\0",
                                         6),
                 CSVB_COMPRESSION_XZ);
    cr_assert_eq(csvb_compression_detect((const unsigned char *)"\xfd"
                                                                "7zXZ",
                                         5),
                 CSVB_COMPRESSION_NONE);
    cr_assert_eq(csvb_compression_detect((const unsigned char *)"\x1f", 1), CSVB_COMPRESSION_NONE);
    cr_assert_eq(csvb_compression_detect((const unsigned char *)"a,b\n", 4), CSVB_COMPRESSION_NONE);
    size_t ext;
    cr_assert_eq(csvb_compression_from_name("x.CSV.GZ", &ext), CSVB_COMPRESSION_GZIP);
    cr_assert_eq(ext, 3);
    cr_assert_eq(csvb_compression_from_name("x.csv.zst", &ext), CSVB_COMPRESSION_ZSTD);
    cr_assert_eq(ext, 4);
    cr_assert_eq(csvb_compression_from_name(".gz", &ext), CSVB_COMPRESSION_NONE);
    cr_assert_eq(ext, 0);
    cr_assert_str_eq(csvb_compression_name(CSVB_COMPRESSION_BZIP2), "bzip2");
    cr_assert_null(csvb_compression_name(CSVB_COMPRESSION_NONE));
}

/* Every format, in every pairing of source fill and reader fill sizes, with and without the
 * read-ahead thread: exactly the original bytes, and the kind detected. */
Test(decompress, every_format_every_fill_size)
{
    char *text = rows_text(300000);
    size_t len = strlen(text);
    const size_t chunks[] = {1, 13, 4096, 1 << 20}, caps[] = {1, 7, 4096, 1 << 20};
    for (size_t f = 0; f < NFORMATS; f++) {
        struct zbuf z = zcompress(formats[f], text, len);
        for (size_t i = 0; i < 4; i++)
            for (size_t j = 0; j < 4; j++)
                for (int ra = 0; ra < 2; ra++) {
                    if ((chunks[i] == 1 || caps[j] == 1) && (i + j) % 2) /* keep it quick */
                        continue;
                    size_t n;
                    long rc;
                    int err;
                    char *out = decode_all(&z, chunks[i], caps[j], ra, &n, &rc, &err, NULL, 0);
                    cr_assert_eq(rc, 0, "%s chunk %zu cap %zu: rc %ld errno %d",
                                 csvb_compression_name(formats[f]), chunks[i], caps[j], rc, err);
                    cr_assert_eq(n, len);
                    cr_assert(memcmp(out, text, len) == 0);
                    free(out);
                }
        free(z.data);
    }
    free(text);
}

/* Without zstd's checksum the last block is taken whole before its output is flushed: the end
 * of the input is not the end of the output, in 1-byte fills too. */
Test(decompress, output_pending_at_the_end_of_input)
{
    char *text = rows_text(300000);
    size_t len = strlen(text);
    const char *cmds[] = {"zstd -q -c --no-check", "gzip -c", "bzip2 -c", "xz -c --check=none"};
    for (size_t c = 0; c < 4; c++) {
        struct zbuf z = run_filter(cmds[c], text, len);
        const size_t caps[] = {1, 100, 4096};
        for (size_t i = 0; i < 3; i++) {
            size_t n;
            long rc;
            int err;
            char msg[CSVB_CODEC_MESSAGE_MAX];
            char *out = decode_all(&z, 1 << 20, caps[i], false, &n, &rc, &err, msg, sizeof msg);
            cr_assert_eq(rc, 0, "%s, cap %zu: %s", cmds[c], caps[i], msg);
            cr_assert_eq(n, len);
            cr_assert(memcmp(out, text, len) == 0);
            free(out);
        }
        free(z.data);
    }
    free(text);
}

Test(decompress, plain_bytes_pass_through)
{
    const char *text = "a,b\n1,2\n";
    struct zbuf z = {(char *)text, strlen(text)};
    for (size_t chunk = 1; chunk < 10; chunk++) {
        size_t n;
        long rc;
        int err;
        char *out = decode_all(&z, chunk, 3, false, &n, &rc, &err, NULL, 0);
        cr_assert_eq(rc, 0);
        cr_assert_eq(n, z.len);
        cr_assert(memcmp(out, text, n) == 0);
        free(out);
    }
}

/* gzip members, zstd frames, bzip2 and xz streams one after another read as one stream. */
Test(decompress, concatenated_streams_read_whole)
{
    const char *a = "h\n1\n2\n", *b = "3\n4\n";
    for (size_t f = 0; f < NFORMATS; f++) {
        struct zbuf za = zcompress(formats[f], a, strlen(a)), zb = zcompress(formats[f], b, 4);
        struct zbuf z = {malloc(za.len + zb.len), za.len + zb.len};
        memcpy(z.data, za.data, za.len);
        memcpy(z.data + za.len, zb.data, zb.len);
        for (int ra = 0; ra < 2; ra++) {
            size_t n;
            long rc;
            int err;
            char *out = decode_all(&z, 5, 3, ra, &n, &rc, &err, NULL, 0);
            cr_assert_eq(rc, 0, "%s", csvb_compression_name(formats[f]));
            cr_assert_eq(n, 10);
            cr_assert(memcmp(out, "h\n1\n2\n3\n4\n", 10) == 0);
            free(out);
        }
        free(za.data);
        free(zb.data);
        free(z.data);
    }
}

/* A stream cut at every 4 KiB boundary fails cleanly: -1, EIO or EBADMSG, a sentence saying
 * where, and only bytes of the original before it. */
Test(decompress, cut_at_every_4k_boundary_fails_cleanly)
{
    char *text = rows_text(120000);
    size_t len = strlen(text);
    for (size_t f = 0; f < NFORMATS; f++) {
        struct zbuf z = zcompress(formats[f], text, len);
        cr_assert_gt(z.len, 3 * 4096, "%s: %zu bytes", csvb_compression_name(formats[f]), z.len);
        for (size_t cut = 4096; cut < z.len; cut += 4096) {
            struct zbuf part = {z.data, cut};
            for (int ra = 0; ra < 2; ra++) {
                size_t n;
                long rc;
                int err;
                char msg[CSVB_CODEC_MESSAGE_MAX];
                char *out = decode_all(&part, 4096, 65536, ra, &n, &rc, &err, msg, sizeof msg);
                cr_assert_eq(rc, -1, "%s cut at %zu", csvb_compression_name(formats[f]), cut);
                cr_assert(err == EIO || err == EBADMSG, "errno %d", err);
                cr_assert(strstr(msg, "truncated") != NULL, "%s", msg);
                cr_assert_leq(n, len);
                cr_assert(memcmp(out, text, n) == 0);
                free(out);
            }
        }
        free(z.data);
    }
    free(text);
}

Test(decompress, truncation_names_the_compressed_bytes)
{
    struct zbuf z = zcompress(CSVB_COMPRESSION_GZIP, "a,b\n1,2\n", 8);
    z.len -= 4; /* the size field of the trailer */
    size_t n;
    long rc;
    int err;
    char msg[CSVB_CODEC_MESSAGE_MAX], want[80];
    free(decode_all(&z, 1 << 20, 1 << 20, true, &n, &rc, &err, msg, sizeof msg));
    snprintf(want, sizeof want, "gzip data is truncated after %zu compressed bytes", z.len);
    cr_assert_str_eq(msg, want);
    cr_assert_eq(err, EIO);
    free(z.data);
}

static void expect_corrupt(struct zbuf *z, const char *want)
{
    size_t n;
    long rc;
    int err;
    char msg[CSVB_CODEC_MESSAGE_MAX];
    for (int ra = 0; ra < 2; ra++) {
        free(decode_all(z, 1 << 20, 1 << 20, ra, &n, &rc, &err, msg, sizeof msg));
        cr_assert_eq(rc, -1);
        cr_assert_eq(err, EBADMSG);
        cr_assert(strstr(msg, want) != NULL, "'%s' lacks '%s'", msg, want);
    }
}

Test(decompress, corrupt_checksums_and_frames)
{
    const char *text = "a,b\n1,2\n3,4\n";
    struct zbuf g = zcompress(CSVB_COMPRESSION_GZIP, text, strlen(text));
    g.data[g.len - 8] ^= 0x55; /* the CRC-32 of the trailer */
    expect_corrupt(&g, "CRC mismatch");
    free(g.data);
    struct zbuf zs = zcompress(CSVB_COMPRESSION_ZSTD, text, strlen(text));
    zs.data[zs.len - 1] ^= 0x55; /* the content checksum */
    expect_corrupt(&zs, "checksum mismatch");
    zs.data[zs.len - 1] ^= 0x55;
    struct zbuf two = {malloc(zs.len + 8), zs.len + 8};
    memcpy(two.data, zs.data, zs.len);
    memcpy(two.data + zs.len, "garbage!", 8);
    expect_corrupt(&two, "not a zstd frame");
    free(two.data);
    free(zs.data);
    struct zbuf b = zcompress(CSVB_COMPRESSION_BZIP2, text, strlen(text));
    b.data[b.len - 3] ^= 0x55; /* the stream CRC */
    expect_corrupt(&b, "bzip2 data is corrupt");
    free(b.data);
    struct zbuf x = zcompress(CSVB_COMPRESSION_XZ, text, strlen(text));
    x.data[x.len / 2] ^= 0x55;
    expect_corrupt(&x, "xz data is corrupt");
    free(x.data);
}

/* 256 MiB of one repeated line (about 1000:1) decodes in a few MiB: the ring is bounded. */
Test(decompress, bomb_in_bounded_memory, .timeout = 120)
{
    struct zbuf z = run_filter("{ yes a,b,c,d,e,f,g | head -c 268435456 | gzip -c; }", "", 0);
    cr_assert_lt(z.len, 1 << 20);
    struct csvb_mem_source mem = {z.data, z.len, 0, 1 << 16};
    struct csvb_decompress *dz = csvb_decompress_new(
        (struct csvb_source){csvb_source_mem_fill, &mem}, CSVB_COMPRESSION_GZIP, NULL, 0, true);
    static char buf[1 << 20];
    uint64_t total = 0;
    long got;
    while ((got = csvb_decompress_fill(dz, buf, sizeof buf)) > 0)
        total += (uint64_t)got;
    cr_assert_eq(got, 0);
    cr_assert_eq(total, (uint64_t)268435456);
    cr_assert_eq(csvb_decompress_out_bytes(dz), total);
    cr_assert_eq(csvb_decompress_in_bytes(dz), z.len);
    csvb_decompress_free(dz);
#if !defined(__SANITIZE_ADDRESS__) /* ASan's shadow memory is not ours */
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    cr_assert_lt(ru.ru_maxrss, 32 * 1024, "peak RSS %ld KiB", ru.ru_maxrss);
#endif
    free(z.data);
}

/* The reader stopping early (the filter freed mid-stream) stops and joins the thread. */
Test(decompress, free_mid_stream)
{
    char *text = rows_text(2000000);
    struct zbuf z = zcompress(CSVB_COMPRESSION_ZSTD, text, strlen(text));
    struct csvb_mem_source mem = {z.data, z.len, 0, 4096};
    struct csvb_decompress *dz = csvb_decompress_new(
        (struct csvb_source){csvb_source_mem_fill, &mem}, CSVB_COMPRESSION_ZSTD, NULL, 0, true);
    char buf[100];
    cr_assert_eq(csvb_decompress_fill(dz, buf, sizeof buf), 100);
    cr_assert(memcmp(buf, text, 100) == 0);
    csvb_decompress_free(dz);
    free(z.data);
    free(text);
}
