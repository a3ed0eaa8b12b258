/* test_chunks.c — where a big file's chunks nominally start: one size, the last quarter half
 * that (so that the threads end together), and always the whole file, in order. */
#include <criterion/criterion.h>

#include "csvbatch/chunks.h"

Test(chunks, eight_chunks_end_in_halves)
{
    /* 8 chunks (2 threads): 6 of 1000 bytes, then 2 of 500. */
    const off_t want[] = {0, 1000, 2000, 3000, 4000, 5000, 6000, 6500, 7000};
    for (size_t k = 0; k <= 8; k++)
        cr_expect_eq(csvb_chunk_nominal(7000, 8, k), want[k], "chunk %zu: %lld", k,
                     (long long)csvb_chunk_nominal(7000, 8, k));
}

Test(chunks, few_chunks_are_equal)
{
    for (size_t k = 0; k <= 3; k++)
        cr_expect_eq(csvb_chunk_nominal(3000, 3, k), (off_t)(1000 * k));
    cr_expect_eq(csvb_chunk_nominal(3001, 2, 1), 1500);
}

Test(chunks, every_count_covers_the_file_in_order)
{
    const off_t sizes[] = {4, 97, 4096, 1000003, (off_t)1 << 38};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
        for (size_t n = 2; n <= CSVB_CHUNKS_MAX; n++) {
            off_t size = sizes[s], unit = csvb_chunk_nominal(size, n, 1);
            cr_assert_eq(csvb_chunk_nominal(size, n, 0), 0);
            cr_assert_eq(csvb_chunk_nominal(size, n, n), size);
            for (size_t k = 1; k <= n; k++) {
                off_t a = csvb_chunk_nominal(size, n, k - 1), b = csvb_chunk_nominal(size, n, k);
                cr_assert_leq(a, b, "size %lld n %zu k %zu", (long long)size, n, k);
                /* No chunk bigger than the first (the cap and block size rest on it). */
                cr_assert_leq(b - a, unit + 1, "size %lld n %zu k %zu", (long long)size, n, k);
            }
            /* The last quarter is about half the others (exact shares up to rounding). */
            if (n >= 4 && size >= 1000000) {
                off_t last = size - csvb_chunk_nominal(size, n, n - 1);
                cr_expect(last * 2 <= unit + 2 && last * 2 + (off_t)n >= unit, "n %zu", n);
            }
        }
}
