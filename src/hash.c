/* hash.c — XXH3-128 content hashes (the only file that includes <xxhash.h>): streamed, as a
 * source tap, over a file. */
#include "csvbatch/hash.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

void csvb_hash_init(struct csvb_hash *h)
{
    h->state = XXH3_createState();
    h->ok = h->state != NULL && XXH3_128bits_reset(h->state) == XXH_OK;
}

void csvb_hash_update(struct csvb_hash *h, const void *data, size_t len)
{
    if (h->ok && len > 0 && XXH3_128bits_update(h->state, data, len) != XXH_OK)
        h->ok = false;
}

static void put_be64(unsigned char *out, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        out[i] = (unsigned char)(v & 0xff);
}

static void put_digest(XXH128_hash_t v, unsigned char out[CSVB_HASH_SIZE])
{
    put_be64(out, v.high64);
    put_be64(out + 8, v.low64);
}

void csvb_hash_digest(const struct csvb_hash *h, unsigned char out[CSVB_HASH_SIZE])
{
    if (!h->ok) {
        memset(out, 0, CSVB_HASH_SIZE);
        return;
    }
    put_digest(XXH3_128bits_digest(h->state), out);
}

void csvb_hash_fini(struct csvb_hash *h)
{
    if (h == NULL)
        return;
    if (h->state != NULL)
        XXH3_freeState(h->state);
    h->state = NULL;
    h->ok = false;
}

void csvb_hash_buffer(const void *data, size_t len, unsigned char out[CSVB_HASH_SIZE])
{
    put_digest(XXH3_128bits(data, len), out);
}

void csvb_hash_tap_init(struct csvb_hash_tap *t, struct csvb_source inner)
{
    t->inner = inner;
    t->bytes = 0;
    csvb_hash_init(&t->hash);
}

long csvb_hash_tap_fill(void *ctx, char *dst, size_t cap)
{
    struct csvb_hash_tap *t = ctx;
    long n = t->inner.fill(t->inner.ctx, dst, cap);
    if (n > 0) {
        csvb_hash_update(&t->hash, dst, (size_t)n);
        t->bytes += (uint64_t)n;
    }
    return n;
}

void csvb_hash_tap_fini(struct csvb_hash_tap *t)
{
    if (t != NULL)
        csvb_hash_fini(&t->hash);
}

enum csvb_err csvb_hash_file(const char *path, unsigned char out[CSVB_HASH_SIZE], uint64_t *bytes,
                             struct csvb_diag *d)
{
    enum csvb_err e = CSVB_OK;
    struct csvb_hash h;
    csvb_hash_init(&h);
    char *buf = malloc((size_t)1 << 20);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    *bytes = 0;
    if (buf == NULL || !h.ok) {
        e = csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
        goto out;
    }
    if (fd < 0) {
        e = csvb_diag_errno(d, CSVB_E_IO, errno, "%s: cannot open", path);
        goto out;
    }
    for (;;) {
        ssize_t n = read(fd, buf, (size_t)1 << 20);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            e = csvb_diag_errno(d, CSVB_E_IO, errno, "%s: cannot read", path);
            goto out;
        }
        if (n == 0)
            break;
        csvb_hash_update(&h, buf, (size_t)n);
        *bytes += (uint64_t)n;
    }
    csvb_hash_digest(&h, out);
out:
    if (fd >= 0)
        close(fd);
    free(buf);
    csvb_hash_fini(&h);
    return e;
}

const char *csvb_hash_hex(const unsigned char digest[CSVB_HASH_SIZE], char hex[CSVB_HASH_HEX])
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < CSVB_HASH_SIZE; i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 15];
    }
    hex[(size_t)2 * CSVB_HASH_SIZE] = '\0';
    return hex;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool csvb_hash_parse(const char *hex, unsigned char digest[CSVB_HASH_SIZE])
{
    if (hex == NULL || strlen(hex) != (size_t)2 * CSVB_HASH_SIZE)
        return false;
    for (size_t i = 0; i < CSVB_HASH_SIZE; i++) {
        int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        digest[i] = (unsigned char)(hi << 4 | lo);
    }
    return true;
}
