/* commit.c — the group-commit pool: batches of temp files fsynced and renamed off the workers. */
#include "csvbatch/commit.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/cancel.h"

/* Tickets in flight at most, whatever the limits allow: beyond this the disk is busy anyway and
 * an interrupted run would only leave more temp files behind. */
#define CSVB_COMMIT_MAX 64

struct ticket {
    struct csvb_atomic out, rejects;
    struct csvb_commit_done done;
};

struct csvb_commit {
    pthread_mutex_t lock;
    pthread_cond_t work;     /* a ticket was queued, or closing */
    pthread_cond_t not_full; /* a ticket was settled */
    struct ticket *ring;     /* max tickets; queued ones from head */
    size_t max, head, queued, busy;
    bool closing;
    pthread_t *threads;
    int nthreads;
};

size_t csvb_commit_in_flight(int workers, long nofile)
{
    /* Each worker may hold an input, an output, a rejects file and a chunk's parts; keep 8 per
     * worker and 32 for the process (standard streams, directories, reports), 2 per ticket. */
    long spare = nofile - 32 - 8L * (workers > 0 ? workers : 1);
    long n = spare / 2;
    if (n > CSVB_COMMIT_MAX)
        n = CSVB_COMMIT_MAX;
    return n >= 1 ? (size_t)n : 1;
}

/* Starts writing f's dirty pages now, so that the fsync that follows finds them on their way
 * (and their blocks allocated in the journal transaction that the first fsync commits). */
static void start_writeback(const struct csvb_atomic *f)
{
    if (f->fd >= 0)
        (void)sync_file_range(f->fd, 0, 0, SYNC_FILE_RANGE_WRITE); /* advice: fsync checks */
}

static void settle(struct ticket *t)
{
    struct csvb_diag d;
    csvb_diag_init(&d);
    enum csvb_err e = t->out.tmp_path != NULL ? csvb_atomic_commit(&t->out, true, &d) : CSVB_OK;
    if (e == CSVB_OK && t->rejects.tmp_path != NULL)
        e = csvb_atomic_commit(&t->rejects, true, &d);
    csvb_atomic_abort(&t->out);
    csvb_atomic_abort(&t->rejects);
    t->done.fn(t->done.ctx, t->done.index, e, &d);
}

static void *pool_thread(void *arg)
{
    struct csvb_commit *c = arg;
    pthread_mutex_lock(&c->lock);
    for (;;) {
        while (c->queued == 0 && !c->closing)
            pthread_cond_wait(&c->work, &c->lock);
        if (c->queued == 0)
            break;
        /* One ticket per thread at a time: the fsyncs of several threads are in the kernel
         * together, where the journal commits them (and the device flushes) as one. */
        struct ticket t = c->ring[c->head];
        c->head = (c->head + 1) % c->max;
        c->queued--;
        c->busy++;
        pthread_mutex_unlock(&c->lock);
        settle(&t);
        pthread_mutex_lock(&c->lock);
        c->busy--;
        pthread_cond_signal(&c->not_full);
    }
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

struct csvb_commit *csvb_commit_new(int threads, size_t max_in_flight)
{
    struct csvb_commit *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->max = max_in_flight > 0 ? max_in_flight : 1;
    c->ring = malloc(c->max * sizeof *c->ring);
    c->threads = calloc((size_t)(threads > 0 ? threads : 1), sizeof *c->threads);
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->work, NULL);
    pthread_cond_init(&c->not_full, NULL);
    for (int i = 0; c->ring != NULL && c->threads != NULL && i < (threads > 0 ? threads : 1); i++)
        if (csvb_cancel_thread_create(&c->threads[c->nthreads], pool_thread, c) == 0)
            c->nthreads++;
    if (c->nthreads == 0) {
        csvb_commit_free(c);
        return NULL;
    }
    return c;
}

void csvb_commit_submit(struct csvb_commit *c, struct csvb_atomic *out, struct csvb_atomic *rejects,
                        struct csvb_commit_done done)
{
    /* The batch's data goes to the disk now, while the ticket waits for a thread. */
    start_writeback(out);
    start_writeback(rejects);
    pthread_mutex_lock(&c->lock);
    while (c->queued + c->busy >= c->max)
        pthread_cond_wait(&c->not_full, &c->lock);
    struct ticket *t = &c->ring[(c->head + c->queued) % c->max];
    t->out = *out;
    t->rejects = *rejects;
    t->done = done;
    c->queued++;
    pthread_cond_signal(&c->work);
    pthread_mutex_unlock(&c->lock);
    *out = (struct csvb_atomic){-1, NULL, NULL, -1};
    *rejects = (struct csvb_atomic){-1, NULL, NULL, -1};
}

void csvb_commit_free(struct csvb_commit *c)
{
    if (c == NULL)
        return;
    pthread_mutex_lock(&c->lock);
    c->closing = true;
    pthread_cond_broadcast(&c->work);
    pthread_mutex_unlock(&c->lock);
    for (int i = 0; i < c->nthreads; i++)
        pthread_join(c->threads[i], NULL);
    pthread_mutex_destroy(&c->lock);
    pthread_cond_destroy(&c->work);
    pthread_cond_destroy(&c->not_full);
    free(c->ring);
    free(c->threads);
    free(c);
}
