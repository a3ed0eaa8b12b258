/* test_rusage.c — peak memory and CPU time come from the real process, and from its children. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "csvbatch/rusage.h"

#define MIB (UINT64_C(1) << 20)

/* Touches every page of n bytes, so they count in the resident set. */
static void touch(size_t n)
{
    volatile unsigned char *p = malloc(n);
    cr_assert_not_null(p);
    memset((void *)p, 0x5a, n);
    for (size_t i = 0; i < n; i += 4096)
        p[i] = (unsigned char)i;
    free((void *)p);
}

/* Spends at least `seconds` of CPU time (measured by the clock this process is charged with). */
static void burn(double seconds)
{
    struct timespec t0, t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    volatile unsigned long x = 1;
    do {
        for (int i = 0; i < 100000; i++)
            x = x * 6364136223846793005UL + 1442695040888963407UL;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    } while ((double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9 < seconds);
}

Test(rusage, peak_and_user_time_of_self)
{
    touch(64 * MIB);
    burn(0.05);
    struct csvb_rusage u;
    csvb_rusage_get(&u);
    cr_assert_geq(u.peak_rss_bytes, 64 * MIB, "peak %llu", (unsigned long long)u.peak_rss_bytes);
    cr_assert_lt(u.peak_rss_bytes, 64 * 1024 * MIB, "KiB were not multiplied twice");
    cr_assert_gt(u.cpu_user_seconds, 0.0);
    cr_assert_geq(u.cpu_system_seconds, 0.0);
}

Test(rusage, children_count_once_waited_for)
{
    struct csvb_rusage before, after;
    csvb_rusage_get(&before);
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        touch(160 * MIB); /* well above this test process's own peak */
        burn(0.1);        /* user and system time together: page faults are system time */
        _exit(0);
    }
    int status = 0;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    csvb_rusage_get(&after);

    struct rusage self;
    cr_assert_eq(getrusage(RUSAGE_SELF, &self), 0);
    cr_assert_lt((uint64_t)self.ru_maxrss * 1024, 160 * MIB,
                 "own peak must stay below the child's");
    cr_assert_geq(after.peak_rss_bytes, 160 * MIB, "the child's peak is the run's peak");
    double cpu_before = before.cpu_user_seconds + before.cpu_system_seconds;
    double cpu_after = after.cpu_user_seconds + after.cpu_system_seconds;
    cr_assert_geq(cpu_after - cpu_before, 0.09, "the child's CPU time is added: %f -> %f",
                  cpu_before, cpu_after);
}
