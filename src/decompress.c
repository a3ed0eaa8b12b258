/* decompress.c — the decompressing source filter: detection, the decoder, and the read-ahead
 * ring that lets decoding (one core) run beside parsing (another). */
#include "csvbatch/decompress.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/cancel.h"

/* 4 MiB decoded ahead: enough for the decoder to run on through a scheduler time slice in which
 * the parser does not (the compressing thread of an output may share the two cores). */
#define RING_SLOTS 8
#define SLOT_SIZE ((size_t)512 << 10)

struct csvb_decompress {
    enum csvb_compression kind;
    const struct csvb_codec *codec; /* NULL for a pass-through */
    void *st;                       /* the codec's decoder */
    struct csvb_zin in;
    int peek_errno;                     /* raw failed while peeking: the first fill fails */
    char msg[CSVB_CODEC_MESSAGE_MAX];   /* the producer's (the decoder's) sentence */
    char error[CSVB_CODEC_MESSAGE_MAX]; /* what the consumer saw: csvb_decompress_message */
    uint64_t in_bytes, out_bytes;       /* the consumer's view */
    _Atomic uint64_t *counter;          /* progress: compressed bytes, when set */
    uint64_t counted;                   /* in_bytes already added to *counter */
    /* read-ahead */
    bool threaded;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *ring;                   /* RING_SLOTS * SLOT_SIZE */
    size_t lens[RING_SLOTS];      /* decoded bytes in each slot */
    uint64_t slot_in[RING_SLOTS]; /* compressed bytes taken when the slot was filled */
    size_t head, count, cpos;     /* first filled slot, filled slots, bytes taken of head */
    bool done, stop;              /* producer finished; consumer asks it to stop */
    int err;                      /* producer's errno when it finished with an error */
    uint64_t end_in;              /* compressed bytes taken when the producer finished */
};

/* One decode (or pass-through) step, on whichever thread decodes. */
static long decode(struct csvb_decompress *z, char *dst, size_t cap)
{
    if (z->peek_errno != 0) {
        errno = z->peek_errno;
        return -1;
    }
    if (z->codec != NULL)
        return z->codec->dec_fill(z->st, &z->in, dst, cap, z->msg, sizeof z->msg);
    if (z->in.pos < z->in.len) { /* the peeked bytes first */
        size_t take = z->in.len - z->in.pos < cap ? z->in.len - z->in.pos : cap;
        memcpy(dst, z->in.buf + z->in.pos, take);
        z->in.pos += take;
        return (long)take;
    }
    long got = z->in.src.fill(z->in.src.ctx, dst, cap);
    if (got > 0)
        z->in.total += (uint64_t)got;
    return got;
}

/* The read-ahead thread: fills free slots whole until the end, an error, or stop. */
static void *produce(void *arg)
{
    struct csvb_decompress *z = arg;
    for (;;) {
        pthread_mutex_lock(&z->mu);
        while (z->count == RING_SLOTS && !z->stop)
            pthread_cond_wait(&z->cv, &z->mu);
        bool stop = z->stop;
        size_t idx = (z->head + z->count) % RING_SLOTS;
        pthread_mutex_unlock(&z->mu);
        if (stop)
            return NULL;
        char *slot = z->ring + idx * SLOT_SIZE;
        size_t n = 0;
        long got = 1;
        int err = 0;
        while (n < SLOT_SIZE && (got = decode(z, slot + n, SLOT_SIZE - n)) > 0)
            n += (size_t)got;
        if (got < 0)
            err = errno != 0 ? errno : EIO;
        pthread_mutex_lock(&z->mu);
        z->lens[idx] = n;
        z->slot_in[idx] = z->in.total - (z->in.len - z->in.pos);
        if (n > 0)
            z->count++;
        if (got <= 0) {
            z->done = true;
            z->err = err;
            z->end_in = z->slot_in[idx];
        }
        pthread_cond_broadcast(&z->cv);
        pthread_mutex_unlock(&z->mu);
        if (got <= 0)
            return NULL;
    }
}

/* The consumer side of the ring. */
static long take(struct csvb_decompress *z, char *dst, size_t cap)
{
    pthread_mutex_lock(&z->mu);
    while (z->count == 0 && !z->done)
        pthread_cond_wait(&z->cv, &z->mu);
    if (z->count == 0) {
        int err = z->err;
        z->in_bytes = z->end_in;
        if (err != 0)
            memcpy(z->error, z->msg, sizeof z->error);
        pthread_mutex_unlock(&z->mu);
        errno = err;
        return err != 0 ? -1 : 0;
    }
    size_t idx = z->head, left = z->lens[idx] - z->cpos;
    z->in_bytes = z->slot_in[idx];
    pthread_mutex_unlock(&z->mu);
    size_t n = left < cap ? left : cap;
    memcpy(dst, z->ring + idx * SLOT_SIZE + z->cpos, n); /* the producer keeps off filled slots */
    z->cpos += n;
    if (z->cpos == z->lens[idx]) {
        pthread_mutex_lock(&z->mu);
        z->head = (z->head + 1) % RING_SLOTS;
        z->count--;
        z->cpos = 0;
        pthread_cond_broadcast(&z->cv);
        pthread_mutex_unlock(&z->mu);
    }
    return (long)n;
}

long csvb_decompress_fill(void *ctx, char *dst, size_t cap)
{
    struct csvb_decompress *z = ctx;
    long got;
    if (z->threaded) {
        got = take(z, dst, cap);
    } else {
        z->msg[0] = '\0';
        got = decode(z, dst, cap);
        if (got < 0)
            memcpy(z->error, z->msg, sizeof z->error);
        z->in_bytes = z->in.total - (z->in.len - z->in.pos);
    }
    if (got > 0)
        z->out_bytes += (uint64_t)got;
    if (z->counter != NULL && z->in_bytes > z->counted) {
        atomic_fetch_add_explicit(z->counter, z->in_bytes - z->counted, memory_order_relaxed);
        z->counted = z->in_bytes;
    }
    return got;
}

void csvb_decompress_set_counter(struct csvb_decompress *z, _Atomic uint64_t *counter)
{
    z->counter = counter;
    z->counted = z->in_bytes;
}

/* Starts the read-ahead thread with every signal blocked (they belong to the main thread). */
static bool start_thread(struct csvb_decompress *z)
{
    if ((z->ring = malloc(RING_SLOTS * SLOT_SIZE)) == NULL)
        return false;
    if (pthread_mutex_init(&z->mu, NULL) != 0)
        return false;
    if (pthread_cond_init(&z->cv, NULL) != 0) {
        pthread_mutex_destroy(&z->mu);
        return false;
    }
    z->threaded = csvb_cancel_thread_create(&z->thread, produce, z) == 0;
    if (!z->threaded) {
        pthread_cond_destroy(&z->cv);
        pthread_mutex_destroy(&z->mu);
    }
    return z->threaded;
}

struct csvb_decompress *csvb_decompress_new(struct csvb_source raw, enum csvb_compression kind,
                                            const unsigned char *prefix, size_t n, bool read_ahead)
{
    struct csvb_decompress *z = calloc(1, sizeof *z);
    if (z == NULL || (z->in.buf = malloc(CSVB_ZIN_SIZE)) == NULL)
        goto fail;
    z->kind = kind;
    z->in.src = raw;
    if (n > CSVB_ZIN_SIZE)
        n = CSVB_ZIN_SIZE;
    if (n > 0)
        memcpy(z->in.buf, prefix, n);
    z->in.len = n;
    z->in.total = n;
    z->codec = csvb_codec_for(kind);
    if (z->codec != NULL && (z->st = z->codec->dec_new()) == NULL)
        goto fail;
    if (read_ahead && !start_thread(z)) { /* decode inline, one thread, as a fallback */
        free(z->ring);
        z->ring = NULL;
    }
    return z;
fail:
    csvb_decompress_free(z);
    return NULL;
}

struct csvb_decompress *csvb_decompress_detect_new(struct csvb_source raw, bool read_ahead)
{
    unsigned char head[CSVB_COMPRESSION_MAGIC_MAX];
    size_t n = 0;
    int err = 0;
    while (n < sizeof head) {
        long got = raw.fill(raw.ctx, (char *)head + n, sizeof head - n);
        if (got < 0)
            err = errno != 0 ? errno : EIO;
        if (got <= 0)
            break;
        n += (size_t)got;
    }
    struct csvb_decompress *z =
        csvb_decompress_new(raw, csvb_compression_detect(head, n), head, n, read_ahead && !err);
    if (z != NULL)
        z->peek_errno = err;
    return z;
}

const char *csvb_decompress_message(const struct csvb_decompress *z)
{
    return z->error;
}

enum csvb_compression csvb_decompress_kind(const struct csvb_decompress *z)
{
    return z->kind;
}

uint64_t csvb_decompress_in_bytes(const struct csvb_decompress *z)
{
    return z->in_bytes;
}

uint64_t csvb_decompress_out_bytes(const struct csvb_decompress *z)
{
    return z->out_bytes;
}

void csvb_decompress_free(struct csvb_decompress *z)
{
    if (z == NULL)
        return;
    if (z->threaded) {
        pthread_mutex_lock(&z->mu);
        z->stop = true;
        pthread_cond_broadcast(&z->cv);
        pthread_mutex_unlock(&z->mu);
        pthread_join(z->thread, NULL);
        pthread_cond_destroy(&z->cv);
        pthread_mutex_destroy(&z->mu);
    }
    if (z->codec != NULL)
        z->codec->dec_free(z->st);
    free(z->ring);
    free(z->in.buf);
    free(z);
}
