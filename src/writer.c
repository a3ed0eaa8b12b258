/* writer.c — RFC 4180 encoding into a buffer, raw write(2) with every error checked.
 * Why not stdio: one big buffer and write(2) give exact error reporting (errno of the failing
 * write, no fclose-after-failed-write surprises) and no locking per call. */
#include "csvbatch/writer.h"

#include <errno.h>
#include <fcntl.h> /* sync_file_range */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* The compressing thread's side of a writer: one buffer at a time handed over (len > 0), the
 * encoder and fd used by the thread alone until it is idle again. */
struct csvb_writer_thread {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *buf;   /* the buffer handed over, or the spare one while idle */
    size_t len;  /* bytes of buf to compress; 0 = idle */
    bool stop;   /* the writer asks the thread to end once idle */
    int err;     /* first failure, sticky */
    void *zst;   /* borrowed from the writer */
    const struct csvb_codec *codec;
    int fd;
};

static void *compress_loop(void *arg)
{
    struct csvb_writer_thread *t = arg;
    pthread_mutex_lock(&t->mu);
    for (;;) {
        while (t->len == 0 && !t->stop)
            pthread_cond_wait(&t->cv, &t->mu);
        if (t->len == 0)
            break;
        int err = t->err;
        pthread_mutex_unlock(&t->mu);
        if (err == 0) /* after a failure the stream is lost: nothing more is written */
            err = t->codec->enc_write(t->zst, t->fd, t->buf, t->len, false);
        pthread_mutex_lock(&t->mu);
        t->err = err;
        t->len = 0;
        pthread_cond_broadcast(&t->cv);
    }
    pthread_mutex_unlock(&t->mu);
    return NULL;
}

/* Starts w's compressing thread with every signal blocked (they belong to the main thread); false
 * when it cannot (the writer then compresses inline). */
static bool thread_start(struct csvb_writer *w)
{
    struct csvb_writer_thread *t = calloc(1, sizeof *t);
    if (t == NULL || (t->buf = malloc(w->cap)) == NULL)
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
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    bool started = pthread_create(&t->thread, NULL, compress_loop, t) == 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!started) {
        pthread_cond_destroy(&t->cv);
        pthread_mutex_destroy(&t->mu);
        goto fail;
    }
    w->thread = t;
    return true;
fail:
    if (t != NULL)
        free(t->buf);
    free(t);
    return false;
}

/* Waits until the thread holds no buffer; its failure, or 0. Called with t->mu held. */
static int thread_idle(struct csvb_writer_thread *t)
{
    while (t->len > 0)
        pthread_cond_wait(&t->cv, &t->mu);
    return t->err;
}

/* Hands buf[0..len) to the thread, taking its spare buffer in exchange. Returns 0 or the
 * failure of what it was handed before. */
static int thread_hand(struct csvb_writer *w)
{
    struct csvb_writer_thread *t = w->thread;
    pthread_mutex_lock(&t->mu);
    int err = thread_idle(t);
    if (err == 0) {
        char *spare = t->buf;
        t->buf = w->buf;
        t->len = w->len;
        w->buf = spare;
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
    int err = thread_idle(t);
    t->stop = true;
    pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->mu);
    pthread_join(t->thread, NULL);
    pthread_cond_destroy(&t->cv);
    pthread_mutex_destroy(&t->mu);
    free(t->buf);
    free(t);
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
            char *b = realloc(w->buf, w->cap * 2);
            if (b == NULL) {
                w->sys_errno = ENOMEM;
                return CSVB_E_IO;
            }
            w->buf = b;
            w->cap *= 2;
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

/* Bytes that force quoting: the delimiter is added per writer. */
static bool needs_quotes(const char *s, size_t n, char delimiter)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (c <= '"' || c == (unsigned char)delimiter) {
            if (c == '"' || c == '\n' || c == '\r' || c == (unsigned char)delimiter)
                return true;
        }
    }
    return false;
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
