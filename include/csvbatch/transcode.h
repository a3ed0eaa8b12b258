/* transcode.h — the source filter that hands the reader UTF-8 whatever the input's encoding:
 * byte-order marks, --encoding NAME (any name iconv knows, through charset.h), --encoding auto
 * (UTF-8 when a sample is UTF-8, else the detector's guess when it can be trusted), and the
 * exact place of a byte that the encoding in force does not allow.
 *
 * Rules, decided on the first bytes of the input, in this order:
 *   1. A byte-order mark names the encoding, whatever was asked: UTF-32LE/BE (FF FE 00 00,
 *      00 00 FE FF), UTF-16LE/BE (FF FE, FE FF), UTF-8 (EF BB BF). The UTF-16/32 marks are
 *      dropped; a UTF-8 mark is passed on for the reader to strip. So a UTF-8 file with a BOM is
 *      never read as Latin-1 (double-encoded) under --encoding latin1.
 *   2. UTF-8 asked (the default): the bytes pass through untouched; the reader validates them.
 *   3. "auto": a sample (the first CSVB_TRANSCODE_SAMPLE bytes) that is valid UTF-8 passes
 *      through as in 2 (the rest is still validated by the reader); otherwise the guess of
 *      csvb_transcode_guess is used, and an unsure guess fails the input, naming it.
 *   4. Any other name: converted with iconv. A byte invalid there fails the input with its
 *      line and column (in characters) in the converted text: never a replacement character.
 * Memory is fixed (one raw buffer); a UTF-8 input costs one indirect call per block. */
#ifndef CSVBATCH_TRANSCODE_H
#define CSVBATCH_TRANSCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csvbatch/source.h"

#define CSVB_TRANSCODE_SAMPLE 65536 /* bytes --encoding auto looks at, and the raw buffer */
#define CSVB_TRANSCODE_NAME_MAX 40  /* room for a canonical name (struct csvb_result_dialect) */
#define CSVB_TRANSCODE_EVIDENCE 4   /* non-ASCII bytes a sample needs before a guess is trusted */

/* The encoding a byte-order mark at data[0..n) names ("utf-8", "utf-16le", "utf-16be",
 * "utf-32le", "utf-32be") with the mark's length in *len, or NULL (len 0) when there is none.
 * Needs the first 4 bytes, or all of a shorter input. */
const char *csvb_transcode_bom(const unsigned char *data, size_t n, size_t *len);

/* The name csvbatch reports for an encoding: lower case, common aliases folded (latin1 and
 * iso8859-1 -> iso-8859-1, cp1252 -> windows-1252, mac -> macintosh, sjis -> shift_jis), "" for
 * UTF-8 by any spelling. Writes at most size bytes, NUL included. */
void csvb_transcode_canonical(const char *name, char *out, size_t size);

enum csvb_transcode_guess {
    CSVB_GUESS_UTF8,  /* the sample is valid UTF-8 */
    CSVB_GUESS_FOUND, /* name holds an encoding the sample decodes in, without control bytes */
    CSVB_GUESS_UNSURE /* why says why not: no guess, or the guess does not read the sample */
};

/* What --encoding auto makes of sample[0..n) (at_end: the input ends there; else a sequence cut
 * at the end is allowed). The detector (detect.h) guesses; the guess is trusted only when the
 * sample has at least CSVB_TRANSCODE_EVIDENCE non-ASCII bytes (one accented letter is no
 * evidence: uchardet then picks among the Windows code pages at random), iconv decodes the whole
 * sample in it, and the text has no control characters but tab, CR and LF (a Mac Roman "ë" read
 * as Latin-1 is the C1 control U+0091: unsure) and no opening quote right after a letter. name gets
 * the canonical guess (also when unsure, "" when none); why a sentence for a message. */
enum csvb_transcode_guess csvb_transcode_guess(const char *sample, size_t n, bool at_end,
                                               char *name, size_t name_size, char *why,
                                               size_t why_size);

struct csvb_transcode;

/* A filter over inner (borrowed; read through it only). encoding: NULL, "" or UTF-8 by any
 * spelling (rule 2), "auto" (rule 3) or a name iconv knows (rule 4). NULL when out of memory.
 * Use csvb_transcode_fill with ctx = the filter as a source; free with csvb_transcode_free. */
struct csvb_transcode *csvb_transcode_new(struct csvb_source inner, const char *encoding);

/* Fills dst (any cap >= 1) with UTF-8. -1 with errno EILSEQ when the input fails (a byte
 * invalid in its encoding, a cut sequence at the end, an unsure auto guess: the message says
 * which), or inner's -1 and errno. Every byte converted before a bad one is delivered first. */
long csvb_transcode_fill(void *ctx, char *dst, size_t cap);

/* The encoding in force (canonical, "" for UTF-8), once the first fill has decided it. */
const char *csvb_transcode_encoding(const struct csvb_transcode *t);

/* Bytes read from inner so far. */
uint64_t csvb_transcode_raw_bytes(const struct csvb_transcode *t);

/* After a fill failed with EILSEQ: the message ("column 4: expected shift_jis text, found
 * invalid byte 0x81") and its line (0 when it has none). "" and 0 otherwise. */
const char *csvb_transcode_message(const struct csvb_transcode *t);
unsigned long csvb_transcode_line(const struct csvb_transcode *t);

/* Frees t. NULL-safe. */
void csvb_transcode_free(struct csvb_transcode *t);

#endif
