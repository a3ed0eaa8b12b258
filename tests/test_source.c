/* test_source.c — the plain sources: fd (a pipe, polled, cancelled, timed out; a file), memory in
 * every chunk and read size, and byte ranges of a file read with pread. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvbatch/clock.h"
#include "csvbatch/source.h"
#include "helpers.h"

/* Reads src to its end with reads of at most cap bytes; returns the bytes (NUL-terminated). */
static char *drain(struct csvb_source src, size_t cap, size_t *len)
{
    size_t n = 0, size = 64;
    char *out = malloc(size + 1);
    for (;;) {
        if (n + cap > size) {
            size = (n + cap) * 2;
            out = realloc(out, size + 1);
        }
        long got = src.fill(src.ctx, out + n, cap);
        cr_assert_geq(got, 0, "fill failed: %s", strerror(errno));
        cr_assert_leq((size_t)got, cap);
        if (got == 0)
            break;
        n += (size_t)got;
    }
    out[n] = '\0';
    *len = n;
    return out;
}

Test(source, mem_every_chunk_and_read_size)
{
    const char data[] = "id,name\n1,\xC3\xA9t\xC3\xA9\n2,\"x\ny\"\n";
    size_t total = sizeof data - 1;
    for (size_t chunk = 0; chunk <= total + 1; chunk++) {
        for (size_t cap = 1; cap <= total + 1; cap++) {
            struct csvb_mem_source m = {data, total, 0, chunk};
            size_t n;
            char *got = drain((struct csvb_source){csvb_source_mem_fill, &m}, cap, &n);
            cr_assert_eq(n, total);
            cr_assert(memcmp(got, data, n) == 0, "chunk %zu cap %zu", chunk, cap);
            cr_assert_eq(m.pos, total);
            free(got);
        }
    }
    struct csvb_mem_source m = {data, total, 0, 3};
    char buf[8];
    cr_assert_eq(csvb_source_mem_fill(&m, buf, sizeof buf), 3, "at most `chunk` bytes a fill");
    m.pos = total + 5; /* past the end: still the end */
    cr_assert_eq(csvb_source_mem_fill(&m, buf, sizeof buf), 0);
}

static char *write_file(const char *dir, const char *name, const char *data, size_t len)
{
    char *path = malloc(strlen(dir) + strlen(name) + 2);
    sprintf(path, "%s/%s", dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, data, len), (ssize_t)len);
    close(fd);
    return path;
}

Test(source, fd_on_a_regular_file)
{
    char *dir = tmpdir_new();
    char data[5000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (char)('a' + i % 26);
    char *path = write_file(dir, "in.csv", data, sizeof data);
    static const size_t caps[] = {1, 7, 4096, 65536};
    for (size_t k = 0; k < 4; k++) {
        struct csvb_fd_source s = {open(path, O_RDONLY), NULL, false, 0};
        size_t n;
        char *got = drain((struct csvb_source){csvb_source_fd_fill, &s}, caps[k], &n);
        cr_assert_eq(n, sizeof data);
        cr_assert(memcmp(got, data, n) == 0);
        free(got);
        close(s.fd);
    }
    struct csvb_fd_source bad = {-1, NULL, false, 0};
    char buf[4];
    cr_assert_eq(csvb_source_fd_fill(&bad, buf, sizeof buf), -1);
    cr_assert_eq(errno, EBADF);
    free(path);
    tmpdir_free(dir);
}

struct writer {
    int fd;
    const char *data;
    size_t len;
};

/* Writes the data in small pieces, pausing, then closes: the reader must poll in between. */
static void *slow_writer(void *arg)
{
    struct writer *w = arg;
    for (size_t i = 0; i < w->len; i += 5) {
        size_t n = w->len - i < 5 ? w->len - i : 5;
        if (write(w->fd, w->data + i, n) != (ssize_t)n)
            abort(); /* not cr_assert: this is not the test's thread */
        usleep(2000);
    }
    close(w->fd);
    return NULL;
}

Test(source, fd_on_a_pipe_polls_until_data_and_end)
{
    int p[2];
    cr_assert_eq(pipe(p), 0);
    cr_assert_eq(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
    const char data[] = "a,b\n1,2\n3,4\nlast line without newline";
    struct writer w = {p[1], data, sizeof data - 1};
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, slow_writer, &w), 0);
    struct csvb_fd_source s = {p[0], NULL, true, 0};
    size_t n;
    char *got = drain((struct csvb_source){csvb_source_fd_fill, &s}, 64, &n);
    pthread_join(t, NULL);
    cr_assert_eq(n, sizeof data - 1);
    cr_assert_str_eq(got, data);
    free(got);
    close(p[0]);
}

Test(source, fd_on_a_silent_pipe_honours_cancel_and_deadline)
{
    int p[2];
    cr_assert_eq(pipe(p), 0);
    cr_assert_eq(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
    char buf[16];
    _Atomic int cancel = 1;
    struct csvb_fd_source s = {p[0], &cancel, true, 0};
    double t0 = csvb_now();
    cr_assert_eq(csvb_source_fd_fill(&s, buf, sizeof buf), -1);
    cr_assert_eq(errno, EINTR, "cancelled: EINTR");
    cr_assert_lt(csvb_now() - t0, 1.0, "one poll period at most");
    cancel = 0;
    s.deadline = csvb_now() + 0.05;
    cr_assert_eq(csvb_source_fd_fill(&s, buf, sizeof buf), -1);
    cr_assert_eq(errno, ETIMEDOUT);
    cr_assert_geq(csvb_now(), s.deadline, "not before the deadline");
    s.deadline = csvb_now() - 1; /* already past */
    cr_assert_eq(csvb_source_fd_fill(&s, buf, sizeof buf), -1);
    cr_assert_eq(errno, ETIMEDOUT);
    close(p[0]);
    close(p[1]);
}

Test(source, range_reads_exactly_its_bytes)
{
    char *dir = tmpdir_new();
    const char *data = "0123456789abcdefghij";
    char *path = write_file(dir, "r.csv", data, 20);
    int fd = open(path, O_RDONLY);
    for (off_t start = 0; start <= 20; start++) {
        for (off_t end = start; end <= 24; end++) { /* past the file's end: it ends there */
            for (size_t cap = 1; cap <= 6; cap++) {
                struct csvb_range_source r = {fd, start, end, NULL};
                size_t n;
                char *got = drain((struct csvb_source){csvb_source_range_fill, &r}, cap, &n);
                size_t want = (size_t)((end < 20 ? end : 20) - start);
                cr_assert_eq(n, want, "[%ld, %ld) cap %zu", (long)start, (long)end, cap);
                cr_assert(memcmp(got, data + start, n) == 0);
                free(got);
            }
        }
    }
    /* pos past end, and two ranges sharing the fd in turns */
    struct csvb_range_source back = {fd, 9, 3, NULL};
    char buf[8];
    cr_assert_eq(csvb_source_range_fill(&back, buf, sizeof buf), 0);
    struct csvb_range_source a = {fd, 0, 6, NULL}, b = {fd, 10, 16, NULL};
    char out[13] = {0};
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(csvb_source_range_fill(&a, out + 2 * i, 2), 2);
        cr_assert_eq(csvb_source_range_fill(&b, out + 6 + 2 * i, 2), 2);
    }
    cr_assert_str_eq(out, "012345abcdef");
    cr_assert_eq(csvb_source_range_fill(&a, buf, sizeof buf), 0);
    close(fd);
    struct csvb_range_source closed = {fd, 0, 6, NULL};
    cr_assert_eq(csvb_source_range_fill(&closed, buf, sizeof buf), -1);
    cr_assert_eq(errno, EBADF);
    free(path);
    tmpdir_free(dir);
}
