/* source.c — the plain byte sources: a file descriptor (polled if a stream), memory, a range. */
#include "csvbatch/source.h"

#include <errno.h>
#include <poll.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "csvbatch/clock.h"

static bool cancelled(const _Atomic int *cancel)
{
    return cancel != NULL && atomic_load_explicit(cancel, memory_order_relaxed) != 0;
}

/* Waits until the stream has data: 0, or -1 with errno (EINTR: cancelled; ETIMEDOUT). */
static int wait_readable(const struct csvb_fd_source *s)
{
    for (;;) {
        int wait_ms = 250;
        if (s->deadline > 0) {
            double left = s->deadline - csvb_now();
            if (left <= 0) {
                errno = ETIMEDOUT;
                return -1;
            }
            if (left * 1000 < wait_ms)
                wait_ms = (int)(left * 1000) + 1;
        }
        struct pollfd p = {s->fd, POLLIN, 0};
        int r = poll(&p, 1, wait_ms);
        if (cancelled(s->cancel)) {
            errno = EINTR;
            return -1;
        }
        if (r > 0)
            return 0;
        if (r < 0 && errno != EINTR)
            return -1;
    }
}

long csvb_source_fd_fill(void *ctx, char *dst, size_t cap)
{
    const struct csvb_fd_source *s = ctx;
    for (;;) {
        if (s->stream && wait_readable(s) != 0)
            return -1;
        ssize_t n = read(s->fd, dst, cap);
        if (n >= 0)
            return (long)n;
        if (errno == EAGAIN && s->stream)
            continue;
        if (errno != EINTR || cancelled(s->cancel))
            return -1;
    }
}

long csvb_source_mem_fill(void *ctx, char *dst, size_t cap)
{
    struct csvb_mem_source *m = ctx;
    size_t n = m->pos < m->len ? m->len - m->pos : 0;
    if (n > cap)
        n = cap;
    if (m->chunk > 0 && n > m->chunk)
        n = m->chunk;
    if (n > 0)
        memcpy(dst, m->data + m->pos, n);
    m->pos += n;
    return (long)n;
}

long csvb_source_range_fill(void *ctx, char *dst, size_t cap)
{
    struct csvb_range_source *r = ctx;
    if (r->pos >= r->end)
        return 0;
    size_t want = (size_t)(r->end - r->pos) < cap ? (size_t)(r->end - r->pos) : cap;
    for (;;) {
        ssize_t n = pread(r->fd, dst, want, r->pos);
        if (n >= 0) {
            r->pos += n;
            return (long)n;
        }
        if (errno != EINTR || cancelled(r->cancel))
            return -1;
    }
}
