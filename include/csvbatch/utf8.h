/* utf8.h — streaming UTF-8 validation (NUL bytes rejected too), state kept across buffers. */
#ifndef CSVBATCH_UTF8_H
#define CSVBATCH_UTF8_H

#include <stdbool.h>
#include <stddef.h>

struct csvb_utf8 {
    unsigned need;        /* continuation bytes still expected */
    unsigned seen;        /* bytes of the open sequence consumed so far (0 between characters) */
    unsigned char lead;   /* first byte of the open sequence */
    unsigned char lo, hi; /* allowed range of the next continuation byte */
};

enum csvb_utf8_fault { CSVB_UTF8_NONE, CSVB_UTF8_NUL, CSVB_UTF8_INVALID };

/* Resets the validator to "between characters". */
void csvb_utf8_init(struct csvb_utf8 *v);

/* Validates s[0..len) continuing from v's state. Returns len if all bytes are valid so far (a
 * sequence may stay open across calls), else the offset of the first bad byte, with *fault set
 * and v->seen holding how many bytes before it the broken sequence began (0: the bad byte is
 * itself the start). */
size_t csvb_utf8_check(struct csvb_utf8 *v, const unsigned char *s, size_t len,
                       enum csvb_utf8_fault *fault);

/* True when no multi-byte sequence is open (the input may end here). */
bool csvb_utf8_complete(const struct csvb_utf8 *v);

#endif
