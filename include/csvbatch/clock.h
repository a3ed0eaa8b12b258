/* clock.h — monotonic seconds, for durations, timeouts and deadlines. */
#ifndef CSVBATCH_CLOCK_H
#define CSVBATCH_CLOCK_H

#include <time.h>

static inline double csvb_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif
