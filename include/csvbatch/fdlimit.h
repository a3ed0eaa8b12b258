/* fdlimit.h — the open-file limit (RLIMIT_NOFILE): raised to the hard limit at start, and the
 * thread count it allows, so that no file fails with "Too many open files" whatever -j is.
 *
 * Per thread, at most CSVB_FDLIMIT_PER_THREAD descriptors are open at once: a whole file holds
 * its input, its output's temp file and its rejects file's (3); a chunked file holds its input,
 * and the thread that waits for its chunks runs chunk tasks meanwhile (a temp file each, one at a
 * time) and then appends them (two more: 3 in all); the split check opens a probe on its own (1).
 * One more is slack. What the run holds for itself before the files start (the incremental
 * locks and journals, inherited descriptors) is counted as it is, and CSVB_FDLIMIT_RESERVE more
 * are kept for what it opens around the files (--report, --junit, directory syncs, libraries). */
#ifndef CSVBATCH_FDLIMIT_H
#define CSVBATCH_FDLIMIT_H

#define CSVB_FDLIMIT_PER_THREAD 4
#define CSVB_FDLIMIT_RESERVE 16

/* Raises the soft RLIMIT_NOFILE to the hard one (when it is lower). Returns the soft limit then,
 * or -1 when it is unlimited or cannot be read. Never fails the run. */
long csvb_fdlimit_raise(void);

/* Descriptors open now (counted in /proc/self/fd), or -1 when they cannot be counted. */
long csvb_fdlimit_in_use(void);

/* The threads that fit (pure): `threads` when limit < 0; else at most
 * (limit - in_use - CSVB_FDLIMIT_RESERVE) / CSVB_FDLIMIT_PER_THREAD (in_use < 0 counts as 3, the
 * standard streams), and at least 1. */
int csvb_fdlimit_threads(int threads, long limit, long in_use);

#endif
