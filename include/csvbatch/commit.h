/* commit.h — durable commits off the workers' threads, as a group commit.
 *
 * A worker that has written an output hands its temp files (the output and its rejects file) to
 * the pool, which starts their writeback at once (sync_file_range), and goes on with the next
 * file instead of waiting on fsync. Pool threads each take one queued ticket at a time and fsync,
 * close and rename it: several fsyncs are in the kernel together, so one journal commit (and one
 * device flush) carries many files, and the disk works while the workers compute. The promise of
 * csvb_atomic_commit holds for each file: it appears under its name only after its bytes are
 * durable (fsync before rename), and a file whose commit fails is removed. Tickets still queued
 * when the process is killed stay temp files, whose names say their owner (tempname.h).
 *
 * The pool bounds the tickets in flight (each holds up to two descriptors): a submit waits while
 * the bound is reached. Pool threads block every signal: fsync and rename never see EINTR. */
#ifndef CSVBATCH_COMMIT_H
#define CSVBATCH_COMMIT_H

#include <stddef.h>

#include "csvbatch/atomic.h"
#include "csvbatch/diag.h"

struct csvb_commit;

/* Pool threads for a run: enough concurrent fsyncs to share journal commits; each is a thread
 * that mostly sleeps in fsync. Measured on W3 (5,000 files of 2 KB, ext4 on a 2-core VM, medians
 * of 7 interleaved runs): 4 threads beat 2 (too few fsyncs together) and 8 (more threads than
 * the cores can wake in time), 1.3 s against 3.4 s and 2.6 s. */
#define CSVB_COMMIT_THREADS 4

/* Called on a pool thread once a ticket is settled: e is CSVB_OK when both files are in place,
 * else the first error (d describes it; borrowed for the call). index is the submitter's. */
struct csvb_commit_done {
    void (*fn)(void *ctx, size_t index, enum csvb_err e, const struct csvb_diag *d);
    void *ctx;
    size_t index;
};

/* The tickets a pool of `threads` keeps in flight for `workers` workers under the open-file
 * limit `nofile` (the soft RLIMIT_NOFILE): enough to keep the disk busy while every worker
 * computes, few enough that the descriptors they hold leave the workers theirs. At least 1. */
size_t csvb_commit_in_flight(int workers, long nofile);

/* Starts `threads` pool threads (at least 1) that keep at most max_in_flight tickets. Returns
 * NULL when out of memory or when no thread can be started (the caller then commits inline). */
struct csvb_commit *csvb_commit_new(int threads, size_t max_in_flight);

/* Takes out and rejects over (either may hold no temp file: tmp_path NULL), leaving them empty,
 * and queues them; waits first while max_in_flight tickets are queued or being committed. done
 * is called exactly once: out is fsynced, closed and renamed, then rejects (as
 * csvb_stage_commit orders them); if out fails, rejects is aborted. */
void csvb_commit_submit(struct csvb_commit *c, struct csvb_atomic *out, struct csvb_atomic *rejects,
                        struct csvb_commit_done done);

/* Settles every ticket submitted (each done is called), joins the threads and frees c. NULL-safe.
 */
void csvb_commit_free(struct csvb_commit *c);

#endif
