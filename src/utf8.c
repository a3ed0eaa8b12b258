/* utf8.c — streaming UTF-8 validation: ASCII in 8-byte words, multi-byte by byte ranges. */
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
            /* Skip ASCII without zero bytes: 16 bytes at a time, then 8. */
#ifdef __SSE2__
            const __m128i zero = _mm_setzero_si128();
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
