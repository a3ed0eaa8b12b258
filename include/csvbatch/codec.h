/* codec.h — what every compression library's door (gzip_source, zstd_source, bz2_source,
 * xz_source) offers behind one table: a streaming decoder over a compressed source and a
 * streaming encoder into a file descriptor; the formats' names, magic bytes and file extensions.
 * No library header is seen here. */
#ifndef CSVBATCH_CODEC_H
#define CSVBATCH_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csvbatch/reader.h" /* struct csvb_source */

enum csvb_compression {
    CSVB_COMPRESSION_NONE,
    CSVB_COMPRESSION_GZIP,
    CSVB_COMPRESSION_ZSTD,
    CSVB_COMPRESSION_BZIP2,
    CSVB_COMPRESSION_XZ,
};

/* Bytes csvb_compression_detect needs to tell every format apart. */
#define CSVB_COMPRESSION_MAGIC_MAX 6

/* The format's name ("gzip", "zstd", "bzip2", "xz"), NULL for NONE. */
const char *csvb_compression_name(enum csvb_compression c);

/* The format's file extension with its dot (".gz", ".zst", ".bz2", ".xz"), "" for NONE. */
const char *csvb_compression_ext(enum csvb_compression c);

/* The format that the first n bytes of a stream start with (gzip 1f 8b, zstd 28 b5 2f fd,
 * bzip2 "BZh", xz fd 37 7a 58 5a 00), NONE when none (or too few bytes to tell). */
enum csvb_compression csvb_compression_detect(const unsigned char *p, size_t n);

/* The format a file name's last extension names, any case (".gz", ".zst", ".bz2", ".xz"); NONE
 * otherwise. *ext_len (may be NULL) gets the extension's length, dot included (0 for NONE). */
enum csvb_compression csvb_compression_from_name(const char *name, size_t *ext_len);

/* The compressed side of a decoder: a buffer refilled from src, and how much was taken. */
#define CSVB_ZIN_SIZE ((size_t)128 << 10)
struct csvb_zin {
    struct csvb_source src; /* borrowed */
    unsigned char *buf;     /* CSVB_ZIN_SIZE bytes, owned by the decoder's owner */
    size_t len, pos;        /* buf[pos..len) not consumed yet */
    uint64_t total;         /* compressed bytes taken from src */
    bool eof;               /* src returned 0 */
};

/* Refills in->buf when everything in it was consumed. Returns 1 when bytes are waiting, 0 at the
 * end of src, -1 with errno set (src's error). */
int csvb_zin_refill(struct csvb_zin *in);

#define CSVB_CODEC_MESSAGE_MAX 200

/* One library. A decoder reads whole streams: concatenated gzip members, zstd frames, bzip2 and
 * xz streams are one stream. dec_fill returns the bytes put in dst (1..cap), 0 at the clean end,
 * or -1 with errno EIO (truncated), EBADMSG (corrupt, not this format), ENOMEM, or the source's
 * errno; msg then holds a sentence without a path ("gzip data is truncated after N compressed
 * bytes"). An encoder compresses everything written into one complete member/frame/stream:
 * enc_write(st, fd, p, n, finish) writes what it produced to fd and, with finish, ends the
 * stream; returns 0 or an errno value. level 0 = the library's default. */
struct csvb_codec {
    enum csvb_compression kind;
    void *(*dec_new)(void); /* NULL when out of memory */
    long (*dec_fill)(void *st, struct csvb_zin *in, char *dst, size_t cap, char *msg,
                     size_t msg_size);
    void (*dec_free)(void *st); /* NULL-safe */
    void *(*enc_new)(int level);
    int (*enc_write)(void *st, int fd, const char *p, size_t n, bool finish);
    void (*enc_free)(void *st); /* NULL-safe */
    int max_level;              /* levels are 1..max_level */
};

/* The library table for c, NULL for NONE. */
const struct csvb_codec *csvb_codec_for(enum csvb_compression c);

#endif
