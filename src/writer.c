/* writer.c — RFC 4180 encoding into a buffer, raw write(2) with every error checked, and the thread
 * that compresses a big output beside the encoding.
 * Why not stdio: one big buffer and write(2) give exact error reporting (errno of the failing
 * write, no fclose-after-failed-write surprises) and no locking per call. */
#include "csvbatch/writer.h"

#include <errno.h>
#include <fcntl.h> /* sync_file_range */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvbatch/cancel.h"

int csvb_write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        if (n == 0)
            return EIO;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

enum csvb_err csvb_writer_init(struct csvb_writer *w, int fd, size_t cap, char delimiter)
{
    memset(w, 0, sizeof *w);
    w->fd = fd;
    w->cap = cap < 64 ? 64 : cap;
    w->delimiter = delimiter;
    w->buf = malloc(w->cap);
    return w->buf != NULL ? CSVB_OK : CSVB_E_NOMEM;
}

/* Buffers the compressing thread may hold at once beyond the one being filled: enough to keep it
 * busy through a scheduler time slice in which the reading thread does not run. */
#define QUEUE 4

/* The compressing thread's side of a writer: full buffers queued in order, the encoder and fd
 * used by the thread alone while it holds any. */
struct csvb_writer_thread {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *full[QUEUE];  /* handed over, from head on */
    size_t len[QUEUE];  /* their bytes */
    size_t head, count; /* first full buffer; how many */
    char *spare[QUEUE]; /* empty buffers for the writer to fill */
    size_t spares;
    bool stop; /* the writer asks the thread to end once it holds none */
    int err;   /* first failure, sticky */
    void *zst; /* borrowed from the writer */
    const struct csvb_codec *codec;
    int fd;
};

static void *compress_loop(void *arg)
{
    struct csvb_writer_thread *t = arg;
    pthread_mutex_lock(&t->mu);
    for (;;) {
        while (t->count == 0 && !t->stop)
            pthread_cond_wait(&t->cv, &t->mu);
        if (t->count == 0)
            break;
        char *buf = t->full[t->head];
        size_t len = t->len[t->head];
        int err = t->err;
        pthread_mutex_unlock(&t->mu);
        if (err == 0) /* after a failure the stream is lost: nothing more is written */
            err = t->codec->enc_write(t->zst, t->fd, buf, len, false);
        pthread_mutex_lock(&t->mu);
        t->err = err;
        t->spare[t->spares++] = buf;
        t->head = (t->head + 1) % QUEUE;
        t->count--;
        pthread_cond_broadcast(&t->cv);
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

static void thread_free(struct csvb_writer_thread *t)
{
    for (size_t i = 0; i < t->spares; i++)
        free(t->spare[i]);
    free(t);
}

/* Starts w's compressing thread with every signal blocked (they belong to the main thread); false
 * when it cannot (the writer then compresses inline). */
static bool thread_start(struct csvb_writer *w)
{
    struct csvb_writer_thread *t = calloc(1, sizeof *t);
    if (t == NULL)
        return false;
    for (; t->spares < QUEUE; t->spares++)
        if ((t->spare[t->spares] = malloc(w->cap)) == NULL)
            goto fail;
    t->zst = w->zst;
    t->codec = w->codec;
    t->fd = w->fd;
    if (pthread_mutex_init(&t->mu, NULL) != 0)
        goto fail;
    if (pthread_cond_init(&t->cv, NULL) != 0) {
        pthread_mutex_destroy(&t->mu);
        goto fail;
    }
    bool started = csvb_cancel_thread_create(&t->thread, compress_loop, t) == 0;
    if (!started) {
        pthread_cond_destroy(&t->cv);
        pthread_mutex_destroy(&t->mu);
        goto fail;
    }
    w->thread = t;
    return true;
fail:
    thread_free(t);
    return false;
}

/* Queues buf[0..len) for the thread and takes an empty buffer, waiting for one while all are
 * full. Returns 0 or the failure of a buffer handed over before. */
static int thread_hand(struct csvb_writer *w)
{
    struct csvb_writer_thread *t = w->thread;
    pthread_mutex_lock(&t->mu);
    while (t->spares == 0 && t->err == 0)
        pthread_cond_wait(&t->cv, &t->mu);
    int err = t->err;
    if (err == 0) {
        size_t tail = (t->head + t->count) % QUEUE;
        t->full[tail] = w->buf;
        t->len[tail] = w->len;
        t->count++;
        w->buf = t->spare[--t->spares];
        pthread_cond_broadcast(&t->cv);
    }
    pthread_mutex_unlock(&t->mu);
    return err;
}

/* Lets the thread finish what it holds and ends it; its failure, or 0. NULL-safe. */
static int thread_stop(struct csvb_writer *w)
{
    struct csvb_writer_thread *t = w->thread;
    if (t == NULL)
        return 0;
    pthread_mutex_lock(&t->mu);
    while (t->count > 0)
        pthread_cond_wait(&t->cv, &t->mu);
    int err = t->err;
    t->stop = true;
    pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->mu);
    pthread_join(t->thread, NULL);
    pthread_cond_destroy(&t->cv);
    pthread_mutex_destroy(&t->mu);
    thread_free(t);
    w->thread = NULL;
    return err;
}

/* Writes buf[0..len) to fd, through the encoder when there is one: on its thread once asked and
 * more is to come (may_start; the last buffer of an output alone starts none). */
static int write_out(struct csvb_writer *w, bool may_start)
{
    if (w->codec == NULL)
        return csvb_write_all(w->fd, w->buf, w->len);
    if (may_start && w->compress_thread && w->thread == NULL && !w->finished && !thread_start(w))
        w->compress_thread = false;
    if (w->thread != NULL)
        return thread_hand(w);
    return w->codec->enc_write(w->zst, w->fd, w->buf, w->len, false);
}

static enum csvb_err flush_out(struct csvb_writer *w, bool may_start)
{
    if (w->sys_errno != 0)
        return CSVB_E_IO;
    if (w->fd == CSVB_WRITER_MEMORY)
        return CSVB_OK;
    if (w->len > 0 && w->fd >= 0)
        w->sys_errno = write_out(w, may_start);
    w->flushed += w->len;
    w->len = 0;
    if (w->writeback && w->sys_errno == 0 &&
        w->flushed - w->writeback_at >= CSVB_WRITER_WRITEBACK) {
        /* advice only: the fsync before the rename checks every byte */
        (void)sync_file_range(w->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
        w->writeback_at = w->flushed;
    }
    return w->sys_errno == 0 ? CSVB_OK : CSVB_E_IO;
}

enum csvb_err csvb_writer_flush(struct csvb_writer *w)
{
    return flush_out(w, true);
}

enum csvb_err csvb_writer_compress(struct csvb_writer *w, enum csvb_compression c, int level)
{
    const struct csvb_codec *codec = csvb_codec_for(c);
    if (codec == NULL || w->fd < 0)
        return CSVB_OK;
    if (level > codec->max_level)
        level = codec->max_level;
    if ((w->zst = codec->enc_new(level)) == NULL)
        return CSVB_E_NOMEM;
    w->codec = codec;
    return CSVB_OK;
}

enum csvb_err csvb_writer_finish(struct csvb_writer *w)
{
    if (flush_out(w, false) != CSVB_OK)
        return CSVB_E_IO;
    int err = thread_stop(w);
    if (err != 0) {
        w->sys_errno = err;
        return CSVB_E_IO;
    }
    if (w->codec != NULL && !w->finished) {
        w->finished = true;
        w->sys_errno = w->codec->enc_write(w->zst, w->fd, NULL, 0, true);
    }
    return w->sys_errno == 0 ? CSVB_OK : CSVB_E_IO;
}

/* Appends n bytes, flushing as needed. */
static enum csvb_err put(struct csvb_writer *w, const char *s, size_t n)
{
    w->bytes += n;
    while (n > 0) {
        if (w->len == w->cap && w->fd == CSVB_WRITER_MEMORY) {
            size_t cap = w->cap > 0 ? w->cap * 2 : 4096;
            char *b = realloc(w->buf, cap);
            if (b == NULL) {
                w->sys_errno = ENOMEM;
                return CSVB_E_IO;
            }
            w->buf = b;
            w->cap = cap;
        }
        if (w->len == w->cap && csvb_writer_flush(w) != CSVB_OK)
            return CSVB_E_IO;
        size_t take = w->cap - w->len < n ? w->cap - w->len : n;
        memcpy(w->buf + w->len, s, take);
        w->len += take;
        s += take;
        n -= take;
    }
    return CSVB_OK;
}

/* Non-zero when a byte of x is the byte that pat repeats: the exact "has a zero byte" test on
 * x ^ pat (a borrow may mark other bytes too, but never when no byte matches). */
static inline uint64_t has_byte(uint64_t x, uint64_t pat)
{
    uint64_t v = x ^ pat;
    return (v - 0x0101010101010101ull) & ~v & 0x8080808080808080ull;
}

static inline uint64_t special_in(uint64_t x, uint64_t delim)
{
    return has_byte(x, 0x2222222222222222ull) | has_byte(x, 0x0a0a0a0a0a0a0a0aull) |
           has_byte(x, 0x0d0d0d0d0d0d0d0dull) | has_byte(x, delim);
}

/* The bytes of s[0..n), 0 < n < 8, in one word: two overlapping 4-byte loads, or under 4 bytes
 * the first, middle and last byte with the first repeated (which adds no byte not in s). */
static inline uint64_t short_word(const char *s, size_t n)
{
    if (n >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, s, sizeof lo);
        memcpy(&hi, s + n - 4, sizeof hi);
        return lo | (uint64_t)hi << 32;
    }
    uint64_t x = 0x0101010101010101ull * (unsigned char)s[0];
    return (x & ~0xffff00ull) | (uint64_t)(unsigned char)s[n / 2] << 8 |
           (uint64_t)(unsigned char)s[n - 1] << 16;
}

/* Whether s holds '"', LF, CR or the delimiter: eight bytes at a time, the last word overlapping
 * the one before (fields are short). */
static bool needs_quotes(const char *s, size_t n, char delimiter)
{
    if (n == 0)
        return false;
    uint64_t delim = 0x0101010101010101ull * (unsigned char)delimiter, x;
    if (n < 8)
        return special_in(short_word(s, n), delim) != 0;
    for (size_t i = 0; i + 8 < n; i += 8) {
        memcpy(&x, s + i, sizeof x);
        if (special_in(x, delim) != 0)
            return true;
    }
    memcpy(&x, s + n - 8, sizeof x);
    return special_in(x, delim) != 0;
}

static enum csvb_err put_quoted(struct csvb_writer *w, const char *s, size_t n)
{
    if (put(w, "\"", 1) != CSVB_OK)
        return CSVB_E_IO;
    const char *end = s + n;
    while (s < end) {
        const char *q = memchr(s, '"', (size_t)(end - s));
        size_t chunk = q != NULL ? (size_t)(q - s) + 1 : (size_t)(end - s);
        if (put(w, s, chunk) != CSVB_OK)
            return CSVB_E_IO;
        if (q != NULL && put(w, "\"", 1) != CSVB_OK)
            return CSVB_E_IO;
        s += chunk;
    }
    return put(w, "\"", 1);
}

/* A first field starting with U+FEFF would read back as a byte-order mark and lose it. */
static bool starts_with_bom(const char *ptr, size_t len)
{
    return len >= 3 && memcmp(ptr, "\xEF\xBB\xBF", 3) == 0;
}

enum csvb_err csvb_writer_row(struct csvb_writer *w, const struct csvb_field *fields, size_t n)
{
    if (n == 1 && fields[0].len == 0 && !w->quote_all)
        return put(w, "\"\"\n", 3);
    for (size_t i = 0; i < n; i++) {
        const struct csvb_field *f = &fields[i];
        if (f->ptr == NULL && w->quote_all) { /* PowerShell's $null: written as nothing */
            enum csvb_err e = i + 1 < n ? put(w, &w->delimiter, 1) : put(w, "\n", 1);
            if (e != CSVB_OK)
                return e;
            continue;
        }
        const char *ptr = f->ptr != NULL ? f->ptr : ""; /* $null outside PowerShell mode: "" */
        bool quote = w->quote_all || needs_quotes(ptr, f->len, w->delimiter) ||
                     (w->bytes == 0 && !w->continued && i == 0 && starts_with_bom(ptr, f->len));
        size_t need = f->len + 1;
        if (!quote && w->cap - w->len >= need) { /* the common case: copy straight in */
            memcpy(w->buf + w->len, ptr, f->len);
            w->len += f->len;
            w->buf[w->len++] = i + 1 < n ? w->delimiter : '\n';
            w->bytes += need;
            continue;
        }
        enum csvb_err e = quote ? put_quoted(w, ptr, f->len) : put(w, ptr, f->len);
        if (e == CSVB_OK)
            e = i + 1 < n ? put(w, &w->delimiter, 1) : put(w, "\n", 1);
        if (e != CSVB_OK)
            return e;
    }
    return CSVB_OK;
}

void csvb_writer_fini(struct csvb_writer *w)
{
    if (w == NULL)
        return;
    (void)thread_stop(w); /* before the encoder it uses goes */
    free(w->buf);
    w->buf = NULL;
    if (w->codec != NULL)
        w->codec->enc_free(w->zst);
    w->codec = NULL;
    w->zst = NULL;
    w->len = w->cap = 0;
}
