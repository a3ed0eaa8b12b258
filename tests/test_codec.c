/* test_codec.c — the encoders behind the writer: every format's output decodes (by the real
 * tool and by our filter) to exactly the CSV written; one member per writer, so two writers'
 * outputs concatenate into one valid stream; write errors (ENOSPC) are reported. */
#include <fcntl.h>

#include "csvbatch/writer.h"
#include "zhelpers.h"

static const enum csvb_compression formats[] = {CSVB_COMPRESSION_GZIP, CSVB_COMPRESSION_ZSTD,
                                                CSVB_COMPRESSION_BZIP2, CSVB_COMPRESSION_XZ};

static const char *dcmd(enum csvb_compression c)
{
    return c == CSVB_COMPRESSION_GZIP    ? "gzip -dc"
           : c == CSVB_COMPRESSION_ZSTD  ? "zstd -qdc"
           : c == CSVB_COMPRESSION_BZIP2 ? "bzip2 -dc"
                                         : "xz -dc";
}

/* Writes rows [from, to) as "i,name i" through a writer compressing as c (on a thread of its own
 * when thread), appending to fd. */
static void write_rows_with(int fd, enum csvb_compression c, int level, unsigned from, unsigned to,
                            bool thread)
{
    struct csvb_writer w;
    cr_assert_eq(csvb_writer_init(&w, fd, 4096, ','), CSVB_OK);
    cr_assert_eq(csvb_writer_compress(&w, c, level), CSVB_OK);
    cr_assert_not_null(w.codec);
    w.compress_thread = thread;
    char num[16], name[32];
    for (unsigned i = from; i < to; i++) {
        snprintf(num, sizeof num, "%u", i);
        snprintf(name, sizeof name, "name, %u", i * 31);
        struct csvb_field f[2] = {{num, strlen(num)}, {name, strlen(name)}};
        cr_assert_eq(csvb_writer_row(&w, f, 2), CSVB_OK);
    }
    cr_assert_eq(w.thread != NULL, thread && to - from > 300, "a thread once a buffer is full");
    cr_assert_eq(csvb_writer_finish(&w), CSVB_OK);
    cr_assert_null(w.thread, "finish stops the thread");
    cr_assert_eq(csvb_writer_finish(&w), CSVB_OK, "finish twice: only flushes");
    csvb_writer_fini(&w);
    csvb_writer_fini(&w);
}

static void write_rows(int fd, enum csvb_compression c, int level, unsigned from, unsigned to)
{
    write_rows_with(fd, c, level, from, to, false);
}

static char *expected_rows(unsigned n)
{
    char *t = malloc((size_t)n * 32 + 1);
    size_t len = 0;
    for (unsigned i = 0; i < n; i++)
        len += (size_t)sprintf(t + len, "%u,\"name, %u\"\n", i, i * 31);
    return t;
}

Test(codec, every_encoder_round_trips_as_two_members)
{
    char *want = expected_rows(20000);
    for (size_t f = 0; f < sizeof formats / sizeof *formats; f++) {
        char *dir = tmpdir_new(), *path = path_in(dir, "out");
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        cr_assert_geq(fd, 0);
        write_rows(fd, formats[f], f == 0 ? 1 : 0, 0, 12000); /* two members, as two chunks */
        write_rows(fd, formats[f], 0, 12000, 20000);
        cr_assert_eq(close(fd), 0);
        struct zbuf z = file_bytes(path);
        cr_assert_eq(csvb_compression_detect((unsigned char *)z.data, z.len), formats[f]);
        struct zbuf plain = run_filter(dcmd(formats[f]), z.data, z.len);
        cr_assert_eq(plain.len, strlen(want), "%s", csvb_compression_name(formats[f]));
        cr_assert(memcmp(plain.data, want, plain.len) == 0);
        size_t n;
        long rc;
        int err;
        char *ours = decode_all(&z, 4096, 1 << 16, true, &n, &rc, &err, NULL, 0);
        cr_assert_eq(rc, 0);
        cr_assert_eq(n, plain.len);
        cr_assert(memcmp(ours, want, n) == 0);
        free(ours);
        free(plain.data);
        free(z.data);
        free(path);
        tmpdir_free(dir);
    }
    free(want);
}

Test(codec, none_and_count_only_writers_stay_plain)
{
    struct csvb_writer w;
    cr_assert_eq(csvb_writer_init(&w, -1, 64, ','), CSVB_OK);
    cr_assert_eq(csvb_writer_compress(&w, CSVB_COMPRESSION_GZIP, 0), CSVB_OK);
    cr_assert_null(w.codec, "a dry run compresses nothing");
    csvb_writer_fini(&w);
    cr_assert_eq(csvb_writer_init(&w, 1, 64, ','), CSVB_OK);
    cr_assert_eq(csvb_writer_compress(&w, CSVB_COMPRESSION_NONE, 5), CSVB_OK);
    cr_assert_null(w.codec);
    csvb_writer_fini(&w);
}

/* A full disk while writing a compressed output: the finish (or a flush) fails with ENOSPC. */
Test(codec, enospc_is_reported)
{
    int fd = open("/dev/full", O_WRONLY);
    cr_assert_geq(fd, 0);
    for (size_t f = 0; f < sizeof formats / sizeof *formats; f++) {
        struct csvb_writer w;
        cr_assert_eq(csvb_writer_init(&w, fd, 4096, ','), CSVB_OK);
        cr_assert_eq(csvb_writer_compress(&w, formats[f], 0), CSVB_OK);
        struct csvb_field fl[1] = {{"abc", 3}};
        enum csvb_err e = CSVB_OK;
        for (int i = 0; i < 10 && e == CSVB_OK; i++)
            e = csvb_writer_row(&w, fl, 1);
        if (e == CSVB_OK)
            e = csvb_writer_finish(&w);
        cr_assert_eq(e, CSVB_E_IO, "%s", csvb_compression_name(formats[f]));
        cr_assert_eq(w.sys_errno, ENOSPC);
        csvb_writer_fini(&w);
    }
    close(fd);
}

/* Compressed on the writer's thread: the very bytes the inline encoder writes; a short output
 * (one buffer) starts no thread. */
Test(codec, a_compressing_thread_writes_the_same_bytes)
{
    for (size_t f = 0; f < sizeof formats / sizeof *formats; f++) {
        char *dir = tmpdir_new(), *inline_path = path_in(dir, "inline"),
             *thread_path = path_in(dir, "thread");
        for (int t = 0; t < 2; t++) {
            int fd = open(t ? thread_path : inline_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
            cr_assert_geq(fd, 0);
            write_rows_with(fd, formats[f], 0, 0, 30000, t);
            write_rows_with(fd, formats[f], 0, 30000, 30100, t); /* 2 KB: no thread */
            cr_assert_eq(close(fd), 0);
        }
        struct zbuf a = file_bytes(inline_path), b = file_bytes(thread_path);
        cr_assert_eq(a.len, b.len, "%s", csvb_compression_name(formats[f]));
        cr_assert(memcmp(a.data, b.data, a.len) == 0, "%s", csvb_compression_name(formats[f]));
        free(a.data);
        free(b.data);
        free(inline_path);
        free(thread_path);
        tmpdir_free(dir);
    }
}

/* A full disk under the compressing thread: a later row, flush or the finish fails with ENOSPC,
 * and stays failed; a writer dropped while its thread holds a buffer frees everything. */
Test(codec, enospc_on_the_compressing_thread_is_reported)
{
    int fd = open("/dev/full", O_WRONLY);
    cr_assert_geq(fd, 0);
    for (size_t f = 0; f < sizeof formats / sizeof *formats; f++) {
        struct csvb_writer w;
        cr_assert_eq(csvb_writer_init(&w, fd, 4096, ','), CSVB_OK);
        cr_assert_eq(csvb_writer_compress(&w, formats[f], 0), CSVB_OK);
        w.compress_thread = true;
        char row[64];
        enum csvb_err e = CSVB_OK;
        for (int i = 0; i < 200000 && e == CSVB_OK; i++) {
            struct csvb_field fl[1] = {{row, (size_t)snprintf(row, sizeof row, "%d,%x", i, i * 7)}};
            e = csvb_writer_row(&w, fl, 1);
        }
        if (e == CSVB_OK)
            e = csvb_writer_finish(&w);
        cr_assert_eq(e, CSVB_E_IO, "%s", csvb_compression_name(formats[f]));
        cr_assert_eq(w.sys_errno, ENOSPC);
        cr_assert_eq(csvb_writer_flush(&w), CSVB_E_IO, "sticky");
        cr_assert_eq(csvb_writer_finish(&w), CSVB_E_IO, "sticky");
        csvb_writer_fini(&w);
        /* dropped mid-way: the thread still holds the buffer just handed over */
        cr_assert_eq(csvb_writer_init(&w, fd, 4096, ','), CSVB_OK);
        cr_assert_eq(csvb_writer_compress(&w, formats[f], 0), CSVB_OK);
        w.compress_thread = true;
        for (int i = 0; i < 2000; i++) {
            struct csvb_field fl[1] = {{row, (size_t)snprintf(row, sizeof row, "%d", i)}};
            (void)csvb_writer_row(&w, fl, 1);
        }
        csvb_writer_fini(&w);
        cr_assert_null(w.thread);
        csvb_writer_fini(&w);
    }
    close(fd);
}
