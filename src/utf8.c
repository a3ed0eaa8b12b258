/* utf8.c — UTF-8 validation (ASCII in 8/16-byte words, multi-byte by byte ranges), decoding, and
 * terminal width. */
#include "csvbatch/utf8.h"

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

void csvb_utf8_init(struct csvb_utf8 *v)
{
    v->need = 0;
    v->seen = 0;
    v->lo = 0x80;
    v->hi = 0xBF;
}

bool csvb_utf8_complete(const struct csvb_utf8 *v)
{
    return v->need == 0;
}

/* Sets the state for lead byte b; returns false if b cannot start a sequence. The ranges exclude
 * overlong forms, surrogates and code points above U+10FFFF (RFC 3629). */
static bool utf8_lead(struct csvb_utf8 *v, unsigned char b)
{
    v->lo = 0x80;
    v->hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
        v->need = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
        v->need = 2;
        if (b == 0xE0)
            v->lo = 0xA0;
        else if (b == 0xED)
            v->hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        v->need = 3;
        if (b == 0xF0)
            v->lo = 0x90;
        else if (b == 0xF4)
            v->hi = 0x8F;
    } else {
        return false;
    }
    return true;
}

size_t csvb_utf8_check(struct csvb_utf8 *v, const unsigned char *s, size_t len,
                       enum csvb_utf8_fault *fault)
{
    const uint64_t high = 0x8080808080808080ull, ones = 0x0101010101010101ull;
    size_t i = 0;
    *fault = CSVB_UTF8_NONE;
    while (i < len) {
        if (v->need == 0) {
            /* Skip ASCII without zero bytes: 64 bytes at a time (one test for four loads: any
             * high bit, or a zero minimum), then 16, then 8. */
#ifdef __SSE2__
            const __m128i zero = _mm_setzero_si128();
            while (i + 64 <= len) {
                const __m128i *q = (const __m128i *)(const void *)(s + i);
                __m128i a = _mm_loadu_si128(q), b = _mm_loadu_si128(q + 1),
                        c = _mm_loadu_si128(q + 2), d = _mm_loadu_si128(q + 3);
                __m128i any = _mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d));
                __m128i low = _mm_min_epu8(_mm_min_epu8(a, b), _mm_min_epu8(c, d));
                if (_mm_movemask_epi8(_mm_or_si128(any, _mm_cmpeq_epi8(low, zero))) != 0)
                    break;
                i += 64;
            }
            while (i + 16 <= len) {
                __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
                if (_mm_movemask_epi8(_mm_or_si128(x, _mm_cmpeq_epi8(x, zero))) != 0)
                    break;
                i += 16;
            }
#endif
            while (i + 8 <= len) {
                uint64_t w;
                memcpy(&w, s + i, 8);
                if ((w & high) != 0 || ((w - ones) & ~w & high) != 0)
                    break;
                i += 8;
            }
            if (i >= len)
                break;
            unsigned char b = s[i];
            if (b == 0) {
                *fault = CSVB_UTF8_NUL;
                return i;
            }
            if (b >= 0x80) {
                if (!utf8_lead(v, b)) {
                    *fault = CSVB_UTF8_INVALID;
                    return i;
                }
                v->seen = 1;
                v->lead = b;
            }
            i++;
        } else {
            unsigned char b = s[i];
            if (b < v->lo || b > v->hi) {
                v->need = 0; /* v->seen stays: where the broken sequence began */
                *fault = CSVB_UTF8_INVALID;
                return i;
            }
            v->need--;
            v->seen = v->need == 0 ? 0 : v->seen + 1;
            v->lo = 0x80;
            v->hi = 0xBF;
            i++;
        }
    }
    return len;
}

size_t csvb_utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
    if (n == 0)
        return 0;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    struct csvb_utf8 v;
    if (!utf8_lead(&v, s[0]) || n < 1 + (size_t)v.need)
        return 0;
    unsigned value = s[0] & (v.need == 1 ? 0x1Fu : v.need == 2 ? 0x0Fu : 0x07u);
    for (unsigned k = 1; k <= v.need; k++) {
        if (s[k] < v.lo || s[k] > v.hi)
            return 0;
        value = (value << 6) | (s[k] & 0x3Fu);
        v.lo = 0x80; /* only the first continuation byte has a narrower range */
        v.hi = 0xBF;
    }
    *cp = value;
    return 1 + (size_t)v.need;
}

size_t csvb_utf8_cp_width(unsigned cp)
{
    if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
        (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F) || cp == 0x200B ||
        cp == 0x200D)
        return 0;
    if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
        (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
        (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
        (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
        (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
        (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
        (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

size_t csvb_utf8_width(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t len = csvb_utf8_decode(p + i, n - i, &cp);
        if (len == 0) {
            w++;
            i++;
        } else {
            w += csvb_utf8_cp_width(cp);
            i += len;
        }
    }
    return w;
}
