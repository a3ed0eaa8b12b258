/* charset.c — the one door to iconv: named encodings to UTF-8, invalid input reported. */
#include "csvbatch/charset.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/text.h"

struct csvb_charset {
    iconv_t cd;
};

struct csvb_charset *csvb_charset_new(const char *name)
{
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1) /* NOLINT(performance-no-int-to-ptr): iconv's documented failure value */
        return NULL;
    struct csvb_charset *cs = malloc(sizeof *cs);
    if (cs == NULL) {
        iconv_close(cd);
        errno = ENOMEM;
        return NULL;
    }
    cs->cd = cd;
    return cs;
}

void csvb_charset_free(struct csvb_charset *cs)
{
    if (cs == NULL)
        return;
    iconv_close(cs->cd);
    free(cs);
}

enum csvb_charset_step csvb_charset_convert(struct csvb_charset *cs, const char **in,
                                            size_t *inleft, char **out, size_t *outleft)
{
    /* iconv's prototype takes char **; it never writes through the input. */
    char *src;
    memcpy(&src, in, sizeof src);
    size_t r = iconv(cs->cd, src != NULL ? &src : NULL, inleft, out, outleft);
    *in = src;
    if (r != (size_t)-1)
        return CSVB_CHARSET_DONE;
    if (errno == E2BIG)
        return CSVB_CHARSET_OUT_FULL;
    if (errno == EINVAL)
        return CSVB_CHARSET_INCOMPLETE;
    return CSVB_CHARSET_INVALID;
}

void csvb_charset_reset(struct csvb_charset *cs)
{
    iconv(cs->cd, NULL, NULL, NULL, NULL);
}

bool csvb_charset_known(const char *name)
{
    if (name == NULL || name[0] == '\0')
        return false;
    iconv_t cd = iconv_open("UTF-8", name);
    if (cd == (iconv_t)-1) /* NOLINT(performance-no-int-to-ptr): iconv's documented failure value */
        return false;
    iconv_close(cd);
    return true;
}

bool csvb_charset_is_utf8(const char *name)
{
    size_t n = name != NULL ? strlen(name) : 0;
    return csvb_text_ieq(name, n, "utf-8", 5) || csvb_text_ieq(name, n, "utf8", 4);
}
