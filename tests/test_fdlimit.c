/* test_fdlimit.c — the thread count the open-file limit allows (issue 13 item 12). */
#include <criterion/criterion.h>

#include "csvbatch/fdlimit.h"

Test(fdlimit, unlimited_keeps_the_threads)
{
    cr_assert_eq(csvb_fdlimit_threads(1024, -1, 10), 1024);
}

Test(fdlimit, a_low_limit_lowers_them)
{
    /* 64 - 4 held - 16 reserved = 44 descriptors: 11 threads of 4. */
    cr_assert_eq(csvb_fdlimit_threads(1024, 64, 4), 11);
    cr_assert_eq(csvb_fdlimit_threads(8, 64, 4), 8);
    cr_assert_eq(csvb_fdlimit_threads(1024, 1024, 3), 251);
    /* Uncountable: the three standard streams. */
    cr_assert_eq(csvb_fdlimit_threads(1024, 64, -1), 11);
}

Test(fdlimit, at_least_one_thread)
{
    cr_assert_eq(csvb_fdlimit_threads(16, 10, 8), 1);
    cr_assert_eq(csvb_fdlimit_threads(1, 0, 0), 1);
}

Test(fdlimit, raise_reaches_the_hard_limit)
{
    long soft = csvb_fdlimit_raise();
    cr_assert(soft == -1 || soft >= 3);
    long open_now = csvb_fdlimit_in_use();
    cr_assert(open_now == -1 || open_now >= 3, "in use: %ld", open_now);
}
