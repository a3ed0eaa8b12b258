/* utf8.h — UTF-8 for the whole program: streaming validation (NUL bytes rejected too, state kept
 * across buffers), decoding one character, and the columns text takes on a terminal. Util: the
 * report, the progress line and the reader share one definition of "valid" and of "wide". */
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

/* Decodes the character that starts s (n bytes available, n may be 0). Returns its length
 * (1-4) with the code point in *cp, or 0 when s does not start a complete, valid character by
 * RFC 3629 (no overlong forms, surrogates or code points above U+10FFFF; the same rule as
 * csvb_utf8_check, except that NUL decodes, as U+0000). */
size_t csvb_utf8_decode(const unsigned char *s, size_t n, unsigned *cp);

/* Columns code point cp takes on a terminal: 0 for combining marks and zero-width joiners, 2
 * for East Asian wide and fullwidth forms and most emoji, else 1 (control characters too:
 * escape them before measuring). A fixed table: the output must not depend on the locale, and
 * the workers never set one. */
size_t csvb_utf8_cp_width(unsigned cp);

/* Columns s[0..n) takes on a terminal: the sum of its characters' widths; a byte that does not
 * start a valid character counts one (a terminal shows one replacement mark for it). */
size_t csvb_utf8_width(const char *s, size_t n);

#endif
