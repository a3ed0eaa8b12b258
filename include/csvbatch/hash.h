/* hash.h — content hashes: XXH3-128 (libxxhash; hash.c is its only door), streamed, as a source
 * tap that hashes and counts the raw bytes passing through a source chain, or over a whole file.
 * A digest is 16 bytes, written as 32 lowercase hex digits (high 64 bits first). */
#ifndef CSVBATCH_HASH_H
#define CSVBATCH_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csvbatch/diag.h"
#include "csvbatch/reader.h"

#define CSVB_HASH_SIZE 16
#define CSVB_HASH_HEX (2 * CSVB_HASH_SIZE + 1)

struct csvb_hash {
    void *state; /* owned XXH3 state; NULL when out of memory (then every digest is all zeros and
                    ok is false) */
    bool ok;
};

/* Starts a hash. Never fails outright: without memory h->ok is false. Pair with csvb_hash_fini. */
void csvb_hash_init(struct csvb_hash *h);
void csvb_hash_update(struct csvb_hash *h, const void *data, size_t len);
/* The digest of everything so far (the state stays usable). */
void csvb_hash_digest(const struct csvb_hash *h, unsigned char out[CSVB_HASH_SIZE]);
/* Frees the state. NULL-safe, safe to call twice. */
void csvb_hash_fini(struct csvb_hash *h);

/* A source filter: every byte the inner source gives is hashed and counted, then passed on
 * unchanged. Stack it directly above the file's own source, so that the digest is of the file's
 * bytes (before any decoding). */
struct csvb_hash_tap {
    struct csvb_source inner;
    struct csvb_hash hash;
    uint64_t bytes;
};
void csvb_hash_tap_init(struct csvb_hash_tap *t, struct csvb_source inner);
long csvb_hash_tap_fill(void *ctx, char *dst, size_t cap);
void csvb_hash_tap_fini(struct csvb_hash_tap *t);

/* Hashes the whole file at path (a sequential read), giving its digest and byte count. Errors:
 * CSVB_E_IO (message names the path), CSVB_E_NOMEM. */
enum csvb_err csvb_hash_file(const char *path, unsigned char out[CSVB_HASH_SIZE], uint64_t *bytes,
                             struct csvb_diag *d);

/* The 32 hex digits of a digest, NUL-terminated, into hex. Returns hex. */
const char *csvb_hash_hex(const unsigned char digest[CSVB_HASH_SIZE], char hex[CSVB_HASH_HEX]);

/* Parses 32 hex digits (either case) into digest; false for anything else. */
bool csvb_hash_parse(const char *hex, unsigned char digest[CSVB_HASH_SIZE]);

/* The digest of one buffer. */
void csvb_hash_buffer(const void *data, size_t len, unsigned char out[CSVB_HASH_SIZE]);

#endif
