/* chunk_starts.c — where a big file's chunks start: nominal shares, record starts, serial blocks.
 */
#include "csvbatch/chunk_starts.h"

#include <stdbool.h>
#include <string.h>
#include <unistd.h>

/* Offset just past the first LF at or after `from` (before `limit`), or -1. */
static off_t next_line_start(int fd, off_t from, off_t limit)
{
    char buf[64 * 1024];
    while (from < limit) {
        size_t want = (size_t)(limit - from) < sizeof buf ? (size_t)(limit - from) : sizeof buf;
        ssize_t n = pread(fd, buf, want, from);
        if (n <= 0)
            return -1;
        char *nl = memchr(buf, '\n', (size_t)n);
        if (nl != NULL)
            return from + (nl - buf) + 1;
        from += n;
    }
    return -1;
}

/* Offset just past the last LF in [from, to), or -1 when there is none. */
static off_t last_line_start(int fd, off_t from, off_t to)
{
    char buf[64 * 1024];
    while (to > from) {
        size_t want = (size_t)(to - from) < sizeof buf ? (size_t)(to - from) : sizeof buf;
        ssize_t n = pread(fd, buf, want, to - (off_t)want);
        if (n != (ssize_t)want)
            return -1;
        char *nl = memrchr(buf, '\n', want);
        if (nl != NULL)
            return to - (off_t)want + (nl - buf) + 1;
        to -= (off_t)want;
    }
    return -1;
}

off_t csvb_chunk_serial_block_end(int fd, off_t block, off_t at)
{
    off_t start = 0, end = block;
    while (end <= at) {
        off_t next = last_line_start(fd, start, end);
        start = next > start ? next : end;
        end = start + block;
    }
    return end;
}

static bool line_end_or(char c, char delimiter)
{
    return c == delimiter || c == '\n' || c == '\r';
}

/* Whether buf[0] lies inside quotes, as the first quote that tells says (0 if none does). In
 * well-formed CSV a quote followed by a byte other than a delimiter, line end or quote leaves a
 * quoted field open (it opens one, or ends a doubled pair); one preceded by such a byte leaves
 * quotes (it closes, or begins a doubled pair). Counting the quotes up to it gives the state at
 * buf[0]. Only a guess on malformed input: the chunks' verification repairs a wrong start. */
static bool starts_in_quotes(const char *buf, size_t n, char delimiter)
{
    bool odd = false;
    for (size_t i = 0; i < n; i++) {
        if (buf[i] != '"')
            continue;
        odd = !odd; /* quotes in buf[0..i] */
        bool opens = i + 1 < n && buf[i + 1] != '"' && !line_end_or(buf[i + 1], delimiter);
        bool closes = i > 0 && buf[i - 1] != '"' && !line_end_or(buf[i - 1], delimiter);
        if (opens != closes)
            return opens != odd; /* inside after it = state at buf[0] XOR odd */
    }
    return false;
}

off_t csvb_chunk_record_start(int fd, off_t from, off_t limit, char delimiter)
{
    char buf[64 * 1024];
    size_t want = (size_t)(limit - from) < sizeof buf ? (size_t)(limit - from) : sizeof buf;
    ssize_t n = from < limit ? pread(fd, buf, want, from) : -1;
    if (n <= 0)
        return -1;
    bool in_quotes = starts_in_quotes(buf, (size_t)n, delimiter);
    for (size_t i = 0; i < (size_t)n; i++) {
        if (buf[i] == '"')
            in_quotes = !in_quotes;
        else if (buf[i] == '\n' && !in_quotes)
            return from + (off_t)i + 1;
    }
    return next_line_start(fd, from + n, limit);
}

/* Chunk j's weight: halved with each batch of `threads` chunks, from 8 to 1. */
static off_t chunk_weight(size_t threads, size_t j)
{
    size_t batch = j / threads;
    return (off_t)8 >> (batch < 3 ? batch : 3);
}

off_t csvb_chunk_nominal(off_t size, size_t n, size_t threads, size_t k)
{
    if (k >= n)
        return size;
    if (threads == 0)
        threads = 1;
    off_t w = 0, u = 0; /* weights before chunk k; of all n */
    for (size_t j = 0; j < n; j++) {
        if (j == k)
            w = u;
        u += chunk_weight(threads, j);
    }
    return size / u * w + size % u * w / u; /* size * w / u, exactly */
}
