/* rusage.h — what the run cost: peak memory and CPU time of the process and its children. */
#ifndef CSVBATCH_RUSAGE_H
#define CSVBATCH_RUSAGE_H

#include <stdint.h>

struct csvb_rusage {
    uint64_t peak_rss_bytes;   /* the larger peak resident set of self and waited-for children */
    double cpu_user_seconds;   /* user CPU time, self plus children */
    double cpu_system_seconds; /* system CPU time, self plus children */
};

/* Fills u from getrusage(RUSAGE_SELF) and getrusage(RUSAGE_CHILDREN) (children count only once
 * waited for). The peak is the maximum of the two, not their sum: ru_maxrss is a high-water
 * mark, and the largest child's peak is all that RUSAGE_CHILDREN reports. Linux gives ru_maxrss
 * in KiB. Safe from any thread (it reads the whole process); a failed call leaves its part 0. */
void csvb_rusage_get(struct csvb_rusage *u);

#endif
