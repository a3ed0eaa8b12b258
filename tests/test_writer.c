/* test_writer.c — RFC 4180 minimal quoting, the single-empty-field rule, checked writes. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvbatch/writer.h"

/* Encodes fields (NULL-terminated list) through a pipe and returns the bytes. */
static char *encode(char delim, const char *const *values)
{
    int p[2];
    cr_assert_eq(pipe(p), 0);
    struct csvb_writer w;
    cr_assert_eq(csvb_writer_init(&w, p[1], 4, delim), CSVB_OK); /* tiny buffer: many flushes */
    struct csvb_field f[16];
    size_t n = 0;
    for (; values[n] != NULL; n++)
        f[n] = (struct csvb_field){values[n], strlen(values[n])};
    cr_assert_eq(csvb_writer_row(&w, f, n), CSVB_OK);
    cr_assert_eq(csvb_writer_flush(&w), CSVB_OK);
    uint64_t bytes = w.bytes;
    csvb_writer_fini(&w);
    close(p[1]);
    char *out = calloc(1, 4096);
    ssize_t got = read(p[0], out, 4095);
    close(p[0]);
    cr_assert_eq((uint64_t)got, bytes);
    return out;
}

struct quote_case {
    const char *in[4];
    char delim;
    const char *out;
};

static const struct quote_case quote_cases[] = {
    {{"a", "b", NULL}, ',', "a,b\n"},
    {{"", "", NULL}, ',', ",\n"},
    {{"", NULL}, ',', "\"\"\n"},
    {{"x,y", "z", NULL}, ',', "\"x,y\",z\n"},
    {{"say \"hi\"", NULL}, ',', "\"say \"\"hi\"\"\"\n"},
    {{"\"", NULL}, ',', "\"\"\"\"\n"},
    {{"l1\nl2", "cr\r", NULL}, ',', "\"l1\nl2\",\"cr\r\"\n"},
    {{" lead", "trail ", NULL}, ',', " lead,trail \n"},
    {{"x,y", "a\tb", NULL}, '\t', "x,y\t\"a\tb\"\n"},
    {{"Jos\xC3\xA9", "\xE6\x97\xA5", NULL}, ';', "Jos\xC3\xA9;\xE6\x97\xA5\n"},
    {{"a;b", NULL}, ';', "\"a;b\"\n"},
    {{"\xEF\xBB\xBFx", "\xEF\xBB\xBF", NULL}, ',', "\"\xEF\xBB\xBFx\",\xEF\xBB\xBF\n"},
};

Test(writer, quoting_table)
{
    for (size_t i = 0; i < sizeof quote_cases / sizeof quote_cases[0]; i++) {
        char *got = encode(quote_cases[i].delim, quote_cases[i].in);
        cr_assert_str_eq(got, quote_cases[i].out, "case %zu", i);
        free(got);
    }
}

Test(writer, count_only_without_fd)
{
    struct csvb_writer w;
    cr_assert_eq(csvb_writer_init(&w, -1, 8, ','), CSVB_OK);
    struct csvb_field f[2] = {{"a,b", 3}, {"c", 1}};
    for (int i = 0; i < 10; i++)
        cr_assert_eq(csvb_writer_row(&w, f, 2), CSVB_OK);
    cr_assert_eq(csvb_writer_flush(&w), CSVB_OK);
    cr_assert_eq(w.bytes, 10 * strlen("\"a,b\",c\n"));
    csvb_writer_fini(&w);
    csvb_writer_fini(&w); /* twice is safe */
}

Test(writer, write_error_is_reported_and_sticky)
{
    int fd = open("/dev/full", O_WRONLY);
    cr_assert_geq(fd, 0);
    struct csvb_writer w;
    cr_assert_eq(csvb_writer_init(&w, fd, 64, ','), CSVB_OK);
    struct csvb_field f = {"x", 1};
    cr_assert_eq(csvb_writer_row(&w, &f, 1), CSVB_OK); /* buffered */
    cr_assert_eq(csvb_writer_flush(&w), CSVB_E_IO);
    cr_assert_eq(w.sys_errno, ENOSPC);
    cr_assert_eq(csvb_writer_flush(&w), CSVB_E_IO);
    csvb_writer_fini(&w);
    close(fd);
}

Test(writer, quote_all_and_null_and_memory)
{
    struct csvb_writer w;
    cr_assert_eq(csvb_writer_init(&w, CSVB_WRITER_MEMORY, 4, ','), CSVB_OK);
    w.quote_all = true;
    struct csvb_field f[4] = {{"a", 1}, {NULL, 0}, {"", 0}, {"x\"y", 3}};
    cr_assert_eq(csvb_writer_row(&w, f, 4), CSVB_OK);
    cr_assert_eq(csvb_writer_flush(&w), CSVB_OK);
    const char *want = "\"a\",,\"\",\"x\"\"y\"\n";
    cr_assert_eq(w.len, strlen(want));
    cr_assert_eq(memcmp(w.buf, want, w.len), 0);
    csvb_writer_fini(&w);
}

/* A chunk after the first continues the output: its first field starting with U+FEFF is not
 * the output's first and is written as it is (issue 13 item 10). */
Test(writer, continued_writer_does_not_quote_a_leading_bom)
{
    struct csvb_writer w;
    cr_assert_eq(csvb_writer_init(&w, CSVB_WRITER_MEMORY, 64, ','), CSVB_OK);
    w.continued = true;
    struct csvb_field f[2] = {{"\xEF\xBB\xBFx", 4}, {"\xEF\xBB\xBFy", 4}};
    cr_assert_eq(csvb_writer_row(&w, f, 2), CSVB_OK);
    const char *want = "\xEF\xBB\xBFx,\xEF\xBB\xBFy\n";
    cr_assert_eq(w.len, strlen(want));
    cr_assert_eq(memcmp(w.buf, want, w.len), 0);
    csvb_writer_fini(&w);
}

/* A durable output starts its writeback every CSVB_WRITER_WRITEBACK bytes (the final fsync then
 * waits for the tail only); the bytes written are the same. */
Test(writer, writeback_every_8_mib_keeps_the_bytes)
{
    char path[] = "/tmp/csvb-writeback-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    struct csvb_writer w;
    cr_assert_eq(csvb_writer_init(&w, fd, 1 << 16, ','), CSVB_OK);
    w.writeback = true;
    char row[1024];
    memset(row, 'x', sizeof row - 1);
    row[sizeof row - 1] = '\0';
    struct csvb_field f = {row, sizeof row - 1};
    size_t rows = 20 * 1024; /* 20 MiB and a line feed per row */
    for (size_t i = 0; i < rows; i++)
        cr_assert_eq(csvb_writer_row(&w, &f, 1), CSVB_OK);
    cr_assert_eq(csvb_writer_flush(&w), CSVB_OK);
    cr_assert_eq(w.flushed, (uint64_t)rows * sizeof row);
    /* started at the first flush past 8 MiB and past 16 MiB: never more than 8 MiB + a buffer */
    cr_assert(w.writeback_at >= 2 * CSVB_WRITER_WRITEBACK &&
                  w.writeback_at < 2 * CSVB_WRITER_WRITEBACK + (1 << 16),
              "writeback last started at %llu", (unsigned long long)w.writeback_at);
    struct stat st;
    cr_assert_eq(fstat(fd, &st), 0);
    cr_assert_eq((uint64_t)st.st_size, (uint64_t)rows * sizeof row);
    csvb_writer_fini(&w);
    close(fd);
    unlink(path);
}

/* The word-at-a-time quoting test against the byte-by-byte rule, for every length up to 40 and
 * every position of every byte value, on a delimiter of ';' (so ',' is plain). */
static bool quoted_by(struct csvb_writer *w, const char *s, size_t n)
{
    w->len = 0;
    struct csvb_field f = {s, n};
    cr_assert_eq(csvb_writer_row(w, &f, 1), CSVB_OK);
    return w->buf[0] == '"';
}

Test(writer, quoting_test_matches_the_byte_rule_everywhere)
{
    struct csvb_writer w;
    cr_assert_eq(csvb_writer_init(&w, CSVB_WRITER_MEMORY, 64, ';'), CSVB_OK);
    w.continued = true; /* no BOM rule */
    char s[40];
    for (size_t n = 1; n <= sizeof s; n++)
        for (size_t at = 0; at < n; at++)
            for (int b = 1; b < 256; b++) {
                for (size_t i = 0; i < n; i++)
                    s[i] = (char)(i % 2 ? 0x23 : 0x81); /* neighbours of '"' and of 0x80 */
                s[at] = (char)b;
                bool want = b == '"' || b == '\n' || b == '\r' || b == ';';
                cr_assert_eq(quoted_by(&w, s, n), want, "n %zu, byte 0x%02x at %zu", n, b, at);
            }
    cr_assert(quoted_by(&w, ";", 1));
    cr_assert_not(quoted_by(&w, ",", 1));
    csvb_writer_fini(&w);
}
