/* scan_kernel.h — the fast path's SIMD part: 64 bytes in, bit masks out (quotes, in-quote
 * state, delimiters and line ends), in three builds chosen at run time.
 *
 * Bit i of a mask stands for byte i of the block. The in-quote mask is the prefix XOR of the
 * quote mask (simdjson's technique) carried from block to block: bit i is set when an odd number
 * of quotes lie at or before byte i since the scan began outside quotes, so an opening quote is
 * inside, a closing quote outside, and a doubled quote closes and reopens. The levels give the
 * same masks on every input (tests/test_scan.c checks them against each other): AVX2 (32 bytes
 * per compare, PCLMULQDQ for the prefix XOR), SSE2 (16 bytes, shift-and-xor doubling, every
 * x86-64), scalar (a byte loop; the only one elsewhere). The default build stays plain x86-64:
 * the AVX2 kernel is compiled with a target attribute and used only where the CPU has it. */
#ifndef CSVBATCH_SCAN_KERNEL_H
#define CSVBATCH_SCAN_KERNEL_H

#include <stdint.h>

enum csvb_scan_isa {
    CSVB_SCAN_AUTO,   /* the best the CPU has (CSVB_SCAN_ISA=scalar|sse2|avx2 overrides) */
    CSVB_SCAN_SCALAR, /* a byte loop */
    CSVB_SCAN_SSE2,   /* x86-64 only */
    CSVB_SCAN_AVX2,   /* x86-64 with AVX2 and PCLMULQDQ */
};

struct csvb_scan_masks {
    uint64_t quote;      /* '"' */
    uint64_t in_quote;   /* inside quotes (see above) */
    uint64_t structural; /* delimiter, LF or CR, wherever they are */
    uint64_t line_end;   /* LF or CR */
};

/* Classifies the 64 bytes at p (all readable). *carry: 0 or ~0, the in-quote state before the
 * block; updated to the state after it. */
typedef void csvb_scan_kernel_fn(const char *p, char delimiter, uint64_t *carry,
                                 struct csvb_scan_masks *m);

/* The kernel for `want`: AUTO picks the best the CPU supports, after CSVB_SCAN_ISA in the
 * environment if that names a supported level. A level the CPU lacks falls back to the best one
 * below it. *got (may be NULL) says which level the kernel is. Pure apart from reading the
 * environment and the CPU's feature bits; thread-safe. */
csvb_scan_kernel_fn *csvb_scan_kernel(enum csvb_scan_isa want, enum csvb_scan_isa *got);

/* "scalar", "sse2", "avx2" ("auto" for AUTO). */
const char *csvb_scan_isa_name(enum csvb_scan_isa isa);

#endif
