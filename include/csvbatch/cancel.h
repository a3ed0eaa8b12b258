/* cancel.h — cancellation by signal (SIGINT, SIGTERM, SIGHUP).
 *
 * The first signal sets the flag that workers poll and wakes every registered worker thread out
 * of a blocking system call (a read on a pipe, an open of a FIFO). A second signal removes every
 * temp file still registered and exits at once with 128 + the first signal. With progress
 * (progress.h) it is one of the two modules with process-wide state: a signal handler can reach
 * nothing else. It sits in util, below atomic (core), which registers here every temp file it
 * creates. */
#ifndef CSVBATCH_CANCEL_H
#define CSVBATCH_CANCEL_H

#include <pthread.h>

/* Installs the handlers and sizes the wake-up table for `threads` workers (plus the driver and
 * main threads). Call once, before the workers start. */
void csvb_cancel_install(int threads);

/* The flag workers poll: non-zero once a signal arrived. Never NULL. */
const _Atomic int *csvb_cancel_flag(void);

/* The first signal received, or 0. */
int csvb_cancel_signal(void);

/* Brackets a job: between enter and leave the calling thread is woken (SIGUSR1) on cancellation.
 * Outside them it is never signalled, so a thread that has ended is never a target. */
void csvb_cancel_enter(void);
void csvb_cancel_leave(void);

/* pthread_create for a helper thread (a decoder, a compressor, a committer) that must never take
 * a signal: it starts with every signal blocked, so that signals reach the main and worker
 * threads, which know what to do with them. Returns pthread_create's result. */
int csvb_cancel_thread_create(pthread_t *thread, void *(*fn)(void *), void *arg);

/* Remembers path (copied) as an in-flight temp file, to be unlinked if the process must exit at
 * once. The registry grows as needed (no fixed limit). Returns a handle for untrack, or -1 when
 * out of memory. untrack forgets a handle; -1 is ignored. */
int csvb_cancel_track_temp(const char *path);
void csvb_cancel_untrack_temp(int handle);

#endif
