/* scan_kernel.c — 64-byte block classifiers for the fast path: AVX2+PCLMUL, SSE2, scalar. */
#include "csvbatch/scan_kernel.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#define CSVB_SCAN_X86 1
#include <immintrin.h>
#else
#define CSVB_SCAN_X86 0
#endif

/* Prefix XOR by doubling: bit i becomes the XOR of bits 0..i. */
static inline uint64_t prefix_xor(uint64_t x)
{
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

static inline void finish(uint64_t quote, uint64_t in_quote, uint64_t structural, uint64_t line_end,
                          uint64_t *carry, struct csvb_scan_masks *m)
{
    in_quote ^= *carry;
    *carry = (uint64_t)0 - (in_quote >> 63);
    *m = (struct csvb_scan_masks){quote, in_quote, structural, line_end};
}

static void kernel_scalar(const char *p, char delimiter, uint64_t *carry, struct csvb_scan_masks *m)
{
    uint64_t quote = 0, delim = 0, line_end = 0;
    for (unsigned i = 0; i < 64; i++) {
        char c = p[i];
        quote |= (uint64_t)(c == '"') << i;
        delim |= (uint64_t)(c == delimiter) << i;
        line_end |= (uint64_t)(c == '\n' || c == '\r') << i;
    }
    finish(quote, prefix_xor(quote), delim | line_end, line_end, carry, m);
}

#if CSVB_SCAN_X86
/* 16 bits per compare: the four 16-byte lanes of the block. */
static inline uint64_t bits16(__m128i a, __m128i b, __m128i c, __m128i d)
{
    return (uint64_t)(unsigned)_mm_movemask_epi8(a) |
           (uint64_t)(unsigned)_mm_movemask_epi8(b) << 16 |
           (uint64_t)(unsigned)_mm_movemask_epi8(c) << 32 |
           (uint64_t)(unsigned)_mm_movemask_epi8(d) << 48;
}

static void kernel_sse2(const char *p, char delimiter, uint64_t *carry, struct csvb_scan_masks *m)
{
    const __m128i vq = _mm_set1_epi8('"'), vd = _mm_set1_epi8(delimiter);
    const __m128i vn = _mm_set1_epi8('\n'), vr = _mm_set1_epi8('\r');
    __m128i v[4], q[4], s[4], e[4];
    for (size_t k = 0; k < 4; k++) {
        v[k] = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * k));
        q[k] = _mm_cmpeq_epi8(v[k], vq);
        e[k] = _mm_or_si128(_mm_cmpeq_epi8(v[k], vn), _mm_cmpeq_epi8(v[k], vr));
        s[k] = _mm_or_si128(e[k], _mm_cmpeq_epi8(v[k], vd));
    }
    uint64_t quote = bits16(q[0], q[1], q[2], q[3]);
    finish(quote, prefix_xor(quote), bits16(s[0], s[1], s[2], s[3]), bits16(e[0], e[1], e[2], e[3]),
           carry, m);
}

__attribute__((target("avx2"))) static inline uint64_t bits32(__m256i lo, __m256i hi)
{
    return (uint64_t)(unsigned)_mm256_movemask_epi8(lo) |
           (uint64_t)(unsigned)_mm256_movemask_epi8(hi) << 32;
}

/* The carry-less product with all ones is the prefix XOR, in one instruction. */
__attribute__((target("avx2,pclmul"))) static void
kernel_avx2(const char *p, char delimiter, uint64_t *carry, struct csvb_scan_masks *m)
{
    const __m256i vq = _mm256_set1_epi8('"'), vd = _mm256_set1_epi8(delimiter);
    const __m256i vn = _mm256_set1_epi8('\n'), vr = _mm256_set1_epi8('\r');
    __m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)p);
    __m256i hi = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32));
    __m256i e_lo = _mm256_or_si256(_mm256_cmpeq_epi8(lo, vn), _mm256_cmpeq_epi8(lo, vr));
    __m256i e_hi = _mm256_or_si256(_mm256_cmpeq_epi8(hi, vn), _mm256_cmpeq_epi8(hi, vr));
    uint64_t quote = bits32(_mm256_cmpeq_epi8(lo, vq), _mm256_cmpeq_epi8(hi, vq));
    uint64_t structural = bits32(_mm256_or_si256(e_lo, _mm256_cmpeq_epi8(lo, vd)),
                                 _mm256_or_si256(e_hi, _mm256_cmpeq_epi8(hi, vd)));
    __m128i x = _mm_clmulepi64_si128(_mm_set_epi64x(0, (long long)quote), _mm_set1_epi8(-1), 0);
    finish(quote, (uint64_t)_mm_cvtsi128_si64(x), structural, bits32(e_lo, e_hi), carry, m);
}
#endif

/* A level named in CSVB_SCAN_ISA, or AUTO. */
static enum csvb_scan_isa from_env(void)
{
    const char *v = getenv("CSVB_SCAN_ISA");
    if (v == NULL)
        return CSVB_SCAN_AUTO;
    for (int isa = CSVB_SCAN_SCALAR; isa <= CSVB_SCAN_AVX2; isa++)
        if (strcmp(v, csvb_scan_isa_name((enum csvb_scan_isa)isa)) == 0)
            return (enum csvb_scan_isa)isa;
    return CSVB_SCAN_AUTO;
}

csvb_scan_kernel_fn *csvb_scan_kernel(enum csvb_scan_isa want, enum csvb_scan_isa *got)
{
    if (want == CSVB_SCAN_AUTO)
        want = from_env();
    if (want == CSVB_SCAN_AUTO)
        want = CSVB_SCAN_AVX2;
    enum csvb_scan_isa level = CSVB_SCAN_SCALAR;
    csvb_scan_kernel_fn *fn = kernel_scalar;
#if CSVB_SCAN_X86
    if (want >= CSVB_SCAN_AVX2 && __builtin_cpu_supports("avx2") &&
        __builtin_cpu_supports("pclmul")) {
        level = CSVB_SCAN_AVX2;
        fn = kernel_avx2;
    } else if (want >= CSVB_SCAN_SSE2) {
        level = CSVB_SCAN_SSE2;
        fn = kernel_sse2;
    }
#endif
    if (got != NULL)
        *got = level;
    return fn;
}

const char *csvb_scan_isa_name(enum csvb_scan_isa isa)
{
    switch (isa) {
    case CSVB_SCAN_SCALAR:
        return "scalar";
    case CSVB_SCAN_SSE2:
        return "sse2";
    case CSVB_SCAN_AVX2:
        return "avx2";
    case CSVB_SCAN_AUTO:
        break;
    }
    return "auto";
}
