/* writer.c — RFC 4180 encoding into a buffer, raw write(2) with every error checked.
 * Why not stdio: one big buffer and write(2) give exact error reporting (errno of the failing
 * write, no fclose-after-failed-write surprises) and no locking per call. */
#include "csvbatch/writer.h"

#include <errno.h>
#include <fcntl.h> /* sync_file_range */
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

enum csvb_err csvb_writer_flush(struct csvb_writer *w)
{
    if (w->sys_errno != 0)
        return CSVB_E_IO;
    if (w->fd == CSVB_WRITER_MEMORY)
        return CSVB_OK;
    if (w->len > 0 && w->fd >= 0)
        w->sys_errno = w->codec != NULL ? w->codec->enc_write(w->zst, w->fd, w->buf, w->len, false)
                                        : csvb_write_all(w->fd, w->buf, w->len);
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
    if (csvb_writer_flush(w) != CSVB_OK)
        return CSVB_E_IO;
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
    free(w->buf);
    w->buf = NULL;
    if (w->codec != NULL)
        w->codec->enc_free(w->zst);
    w->codec = NULL;
    w->zst = NULL;
    w->len = w->cap = 0;
}
