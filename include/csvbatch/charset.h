/* charset.h — iconv behind one door: the only module that includes <iconv.h>. A converter from
 * one named encoding to UTF-8 that reports invalid and incomplete input instead of replacing
 * it (glibc's iconv without //IGNORE or //TRANSLIT never substitutes U+FFFD), and the questions
 * asked of a name (does iconv know it, is it UTF-8). What the door relies on of glibc's iconv
 * (EILSEQ, EINVAL, E2BIG, no BOM kept for UTF-16LE/BE) is pinned by tests/test_charset.c. */
#ifndef CSVBATCH_CHARSET_H
#define CSVBATCH_CHARSET_H

#include <stdbool.h>
#include <stddef.h>

struct csvb_charset;

enum csvb_charset_step {
    CSVB_CHARSET_DONE,       /* all input converted */
    CSVB_CHARSET_OUT_FULL,   /* the output ran out of room; input is left */
    CSVB_CHARSET_INVALID,    /* *in points at a byte sequence invalid in the encoding */
    CSVB_CHARSET_INCOMPLETE, /* *in holds the start of a sequence that needs more bytes */
};

/* A converter from `name` to UTF-8, or NULL when iconv does not know the name (errno EINVAL) or
 * memory is short (ENOMEM). Free with csvb_charset_free. */
struct csvb_charset *csvb_charset_new(const char *name);

/* Frees cs. NULL-safe. */
void csvb_charset_free(struct csvb_charset *cs);

/* Converts from *in (*inleft bytes) into *out (*outleft bytes of room), advancing all four past
 * what was done. in == NULL flushes a stateful encoding's pending shift state. */
enum csvb_charset_step csvb_charset_convert(struct csvb_charset *cs, const char **in,
                                            size_t *inleft, char **out, size_t *outleft);

/* Back to the initial shift state (a new input). */
void csvb_charset_reset(struct csvb_charset *cs);

/* True when iconv can convert from `name` to UTF-8. */
bool csvb_charset_known(const char *name);

/* True when name is UTF-8 by any spelling iconv accepts for it ("utf-8", "UTF8", any case). */
bool csvb_charset_is_utf8(const char *name);

#endif
