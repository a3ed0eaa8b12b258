/* test_chunk_starts.c — where a big file's chunks start: nominal shares halved with each batch of
 * one chunk per thread (so that the threads end together), the whole file in order; record
 * starts judged by the quotes after a nominal start. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "csvbatch/chunk_starts.h"
#include "csvbatch/chunks.h"

Test(chunks, eight_chunks_on_two_threads_halve_in_batches)
{
    /* Weights 8, 8, 4, 4, 2, 2, 1, 1 of 30: one batch of 2 per size. */
    const off_t want[] = {0, 8000, 16000, 20000, 24000, 26000, 28000, 29000, 30000};
    for (size_t k = 0; k <= 8; k++)
        cr_expect_eq(csvb_chunk_nominal(30000, 8, 2, k), want[k], "chunk %zu: %lld", k,
                     (long long)csvb_chunk_nominal(30000, 8, 2, k));
}

Test(chunks, sixteen_chunks_on_four_threads_end_in_eighths)
{
    /* 4 x 8, 4 x 4, 4 x 2, 4 x 1: 60 shares; the last four are 1 each. */
    cr_expect_eq(csvb_chunk_nominal(60000, 16, 4, 4), 32000);
    cr_expect_eq(csvb_chunk_nominal(60000, 16, 4, 8), 48000);
    cr_expect_eq(csvb_chunk_nominal(60000, 16, 4, 12), 56000);
    cr_expect_eq(csvb_chunk_nominal(60000, 16, 4, 15), 59000);
}

Test(chunks, up_to_one_chunk_per_thread_are_equal)
{
    for (size_t k = 0; k <= 3; k++)
        cr_expect_eq(csvb_chunk_nominal(3000, 3, 4, k), (off_t)(1000 * k));
    cr_expect_eq(csvb_chunk_nominal(3001, 2, 2, 1), 1500);
    /* One thread's worth more than that: the next batch is half size. */
    cr_expect_eq(csvb_chunk_nominal(5000, 3, 2, 2), 4000);
}

Test(chunks, every_count_covers_the_file_in_order)
{
    const off_t sizes[] = {4, 97, 4096, 1000003, (off_t)1 << 38};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
        for (size_t n = 2; n <= CSVB_CHUNKS_MAX; n++)
            for (size_t threads = 1; threads <= 16; threads++) {
                off_t size = sizes[s], unit = csvb_chunk_nominal(size, n, threads, 1);
                cr_assert_eq(csvb_chunk_nominal(size, n, threads, 0), 0);
                cr_assert_eq(csvb_chunk_nominal(size, n, threads, n), size);
                for (size_t k = 1; k <= n; k++) {
                    off_t a = csvb_chunk_nominal(size, n, threads, k - 1),
                          b = csvb_chunk_nominal(size, n, threads, k);
                    cr_assert_leq(a, b, "size %lld n %zu k %zu", (long long)size, n, k);
                    /* No chunk bigger than the first (the cap and block size rest on it). */
                    cr_assert_leq(b - a, unit + 1, "size %lld n %zu k %zu", (long long)size, n, k);
                }
                /* With four batches the last chunk is an eighth of the first (up to rounding). */
                if (n == 4 * threads && size >= 1000000) {
                    off_t last = size - csvb_chunk_nominal(size, n, threads, n - 1);
                    cr_expect(last * 8 <= unit + 8 && last * 8 + 8 >= unit, "n %zu", n);
                }
            }
}

/* A file of `text` (anonymous, removed when closed); its descriptor. */
static int file_of(const char *text)
{
    FILE *f = tmpfile();
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(text, 1, strlen(text), f), strlen(text));
    cr_assert_eq(fflush(f), 0);
    return fileno(f);
}

static off_t at(const char *text, const char *part)
{
    return (off_t)(strstr(text, part) - text);
}

Test(chunk_starts, a_start_inside_quotes_skips_the_quoted_line_feed)
{
    const char *text = "h1,h2\n\"long\nfield\",2\nnext,3\n";
    int fd = file_of(text);
    /* From just before the quoted line feed: the quote after "field" closes a field (a letter
     * before it, a delimiter after), so the line feed there lies inside quotes. */
    cr_expect_eq(csvb_chunk_record_start(fd, at(text, "\nfield"), (off_t)strlen(text), ','),
                 at(text, "next"));
}

Test(chunk_starts, a_start_outside_quotes_takes_the_next_line_feed)
{
    const char *text = "h1,h2\n\"a\",\"b\"\nnext,3\nlast,4\n";
    int fd = file_of(text);
    cr_expect_eq(csvb_chunk_record_start(fd, at(text, "ext,3"), (off_t)strlen(text), ','),
                 at(text, "last"));
    /* Inside the quoted "a": the quote after it is followed by the delimiter and preceded by a
     * letter, so it closes; the line feed after "b" is outside. */
    cr_expect_eq(csvb_chunk_record_start(fd, at(text, "a\""), (off_t)strlen(text), ','),
                 at(text, "next"));
}

Test(chunk_starts, no_line_feed_before_the_limit_is_none)
{
    const char *text = "h1,h2\nabc,def\n";
    int fd = file_of(text);
    cr_expect_eq(csvb_chunk_record_start(fd, at(text, "bc"), at(text, "\n") + 8, ','), -1);
    cr_expect_eq(csvb_chunk_record_start(fd, (off_t)strlen(text), (off_t)strlen(text), ','), -1);
}

Test(chunk_starts, serial_blocks_start_after_the_last_line_feed_of_the_one_before)
{
    /* Blocks of 8 bytes, each after the last line feed of the one before: [0, 8), then [4, 12). */
    const char *text = "aaa\nbbbbbb\ncc\ndddddddddddddddd\ne\n";
    int fd = file_of(text);
    cr_expect_eq(csvb_chunk_serial_block_end(fd, 8, 0), 8);
    /* The second block starts at 4 (after "aaa\n"), so it ends at 12. */
    cr_expect_eq(csvb_chunk_serial_block_end(fd, 8, 9), 12);
}
