/* sniff.h — which delimiter a CSV sample is written with (-d auto), and the peek source that
 * gives the sniffer the first bytes of a decoded input without taking them from the reader.
 *
 * The rule (README "Dialects"): the sample is the first CSVB_SNIFF_SAMPLE bytes of the decoded
 * input (less a leading UTF-8 BOM). It is split into records under each candidate `,` tab `;`
 * `|`, quote-aware: a field that starts with '"' runs to its closing quote (a doubled quote is
 * one quote; delimiters and line breaks inside are text); a quote elsewhere is text, as is
 * anything between a closing quote and the next delimiter (so a stray quote never hides a
 * record). LF, CRLF and a lone CR end a record; empty lines are no records. When the sample is
 * not the whole input, its last record (the bytes after its last record end) is partial and
 * ignored. A candidate AGREES when the first record (the header) has k > 1 fields and more than
 * half of the other complete records of the sample have exactly k fields (all of none: a header
 * alone agrees), so that a few ragged records do not hide the delimiter. The answer is the agreeing
 * candidate; with several, the extension's delimiter if it is one of them, else the first in the
 * order `,` tab
 * `;` `|`; with none, the extension's delimiter. The answer depends on the sample's bytes alone:
 * never on how they were read. */
#ifndef CSVBATCH_SNIFF_H
#define CSVBATCH_SNIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "csvbatch/source.h"

#define CSVB_SNIFF_SAMPLE ((size_t)64 << 10)

/* The candidates, in tie order. */
#define CSVB_SNIFF_CANDIDATES ",\t;|"

/* What the sniffer found in a sample. */
struct csvb_sniff {
    unsigned agree;   /* bit i set: CSVB_SNIFF_CANDIDATES[i] agrees */
    size_t fields[4]; /* header width under each candidate (0 when the header is incomplete) */
    size_t shorter[4], longer[4]; /* complete records after it narrower, wider than the header */
    size_t exact[4];              /* ... as wide as the header */
    char delimiter;               /* the answer */
};

/* Sniffs data[0..len) (borrowed). complete: the sample is the whole input (its last record is
 * then complete, even without a line end). fallback: the extension's delimiter (',' or '\t'),
 * the answer for no agreement and first in ties. Pure; fills *out. */
void csvb_sniff_sample(const char *data, size_t len, bool complete, char fallback,
                       struct csvb_sniff *out);

/* Where data[0..len) goes on after a UTF-8 BOM and its first `lines` lines (each through its line
 * feed): len when they take all of it. What --skip-lines drops, in a sample. */
size_t csvb_sniff_skip(const char *data, size_t len, size_t lines);

/* The preamble of a sample (sniffed as csvb_sniff_sample does, with `complete` and `fallback`):
 * the fewest leading lines k, 1 <= k <= CSVB_SNIFF_PREAMBLE_MAX (after a UTF-8 BOM), after which
 * the rest of the sample agrees on a delimiter, with at least one complete record after its
 * header: `used` when it is not '\0' (-d CHAR), else any (the one -d auto would then choose),
 * and each of the k lines is blank, a comment (starts with '#') or at most half as wide as that
 * header (a title, a date; a line nearly as wide is more likely a header one field short).
 * 0 when there is none. What --skip-lines k would read. */
#define CSVB_SNIFF_PREAMBLE_MAX 64
size_t csvb_sniff_preamble(const char *data, size_t len, bool complete, char fallback, char used);

/* --skip-lines auto: the lines to skip before the header in a sample (sniffed as
 * csvb_sniff_sample does, with `complete` and `fallback`; used: -d CHAR, or '\0' for -d auto).
 * 0 when the sample's first record agrees with its records under the delimiter a run would read
 * with (used, or the one -d auto chooses): a file that reads as it is is read as it is. Else its
 * csvb_sniff_preamble, when each of its lines is blank, a '#' comment or a single field read
 * strictly (text with none of the candidate delimiters and no quote, or one quoted field with
 * nothing after it); else 0 (a line with a stray quote or a delimiter may be a damaged header:
 * the file fails with the hint instead). A file that could only fail or lose rows read from its
 * first line is so read from the header after its preamble. Fills *out with the sniff of the sample
 * after the lines skipped (what csvb_sniff_sample gives for it; one pass when nothing is skipped).
 * Pure: the same bytes give the same answer. */
size_t csvb_sniff_auto_skip(const char *data, size_t len, bool complete, char fallback, char used,
                            struct csvb_sniff *out);

/* --escape auto: the escape character a sample (after the BOM and the lines skipped) is written
 * with, read with `delimiter`: CSVB_SNIFF_ESCAPE when the sample holds it right before a quote,
 * the delimiter or a line break (what only an escape character makes text), does not read
 * strictly without an escape character (Python's csv.reader(strict=True): a byte after a closing
 * quote refused, a complete record not as wide as the header, or no record after it), and does
 * with it (nothing refused, every complete record after the header as wide as it, at least one;
 * an open field at the end counts only when the sample is the whole input); else '\0'. MySQL's
 * and many hand-written exports write \" for a quote inside a quoted field (read without the
 * escape character such a file fails on text after a closing quote), or, unquoted, \, for a
 * delimiter and \ before a line break in a field (the field counts then differ). Pure. */
#define CSVB_SNIFF_ESCAPE '\\'
char csvb_sniff_escape(const char *data, size_t len, bool complete, char delimiter);

/* --comment auto: the comment character of a sample (after the BOM and the lines skipped), read
 * with `delimiter` and `escape`: CSVB_SNIFF_COMMENT when the sample's first record (its header)
 * does not start with it, some line does where a record would start, the sample does not read
 * strictly as it is (csvb_sniff_escape's test), and does with those lines skipped; and each of
 * them is worded as a comment ('#' then a blank, '#' again or the line end: "# note", "##") or,
 * read alone, is not as wide as the header (so that a data row such as #FF0000,red is never
 * taken for a comment); else '\0'. Lines before the header may be comments too (at most
 * CSVB_SNIFF_PREAMBLE_MAX of them not so worded). Pure. */
#define CSVB_SNIFF_COMMENT '#'
char csvb_sniff_comment(const char *data, size_t len, bool complete, char delimiter, char escape);

/* --escape auto and --comment auto on one sample (as above, the comment read with the escape
 * found): each of *escape and *comment is set only when its auto flag is. */
void csvb_sniff_extras(const char *data, size_t len, bool complete, char delimiter,
                       bool escape_auto, bool comment_auto, char *escape, char *comment);

/* The best agreeing candidate of s other than `used` (the delimiter the file was read with), by
 * the tie rule with fallback first, or '\0' when there is none: what a field-count hint names. */
char csvb_sniff_other(const struct csvb_sniff *s, char used, char fallback);

/* The input's first bytes, all of them (the lines --skip-lines drops included), as sniffed. */
struct csvb_sniff_bytes {
    const char *data;
    size_t len;
    bool complete; /* they are the whole input */
};

/* Attaches to d (a field-count error of a file read with `used`) the hint that names what would
 * read it: the delimiter, when s has one (csvb_sniff_other): "the file looks tab-separated: -d
 * tab, or -d auto" (explicit: used came from -d CHAR; without it, "-d auto" is not offered: it
 * was in force); else, for a record wider than its header (not short_record) when `used` does
 * not agree in s, the sample's preamble (csvb_sniff_preamble of `bytes`, under `used` when
 * explicit), when it ends before the failing line and is not the `skipped` lines already in
 * force: "the first k lines look like a preamble before the header: --skip-lines k"; else, for
 * a short record when the sample under `used` has no record wider than its header,
 * "--on-bad-row pad fills short records with empty fields"; else none (skip would drop data,
 * not read it). */
struct csvb_diag;
void csvb_sniff_hint(const struct csvb_sniff *s, const struct csvb_sniff_bytes *bytes, char used,
                     char fallback, bool explicit, bool short_record, size_t skipped,
                     struct csvb_diag *d);

/* The delimiter a file name implies: '\t' for *.tsv (any case, after a compression extension:
 * x.tsv.gz), else ','. */
char csvb_sniff_ext_delimiter(const char *path);

/* The delimiter's name for -d and messages: "," "tab" ";" "|" or the character itself, in
 * static storage; and a word for "the file looks X-separated": "comma", "tab", "semicolon",
 * "pipe" (NULL for other characters). */
const char *csvb_sniff_delimiter_name(char delimiter);
const char *csvb_sniff_delimiter_word(char delimiter);

/* A source filter holding the first bytes of another source: csvb_peek_fill reads up to `want`
 * bytes (or to the end, or an error) ahead into buf, and then serves them before the rest. An
 * error while peeking is kept and returned (errno restored) once the buffered bytes are served,
 * so the reader sees every byte and the same error at the same place. */
struct csvb_peek {
    struct csvb_source inner;
    char *buf; /* owned */
    size_t len, pos;
    bool ended; /* the inner source ended (or failed) within the peeked bytes */
    int err;    /* the inner source's errno when it failed while peeking, else 0 */
};

/* Sets p over inner and reads ahead up to want bytes. Returns false when out of memory (p is
 * then safe to fini). */
bool csvb_peek_init(struct csvb_peek *p, struct csvb_source inner, size_t want);

/* The source function (ctx = struct csvb_peek). */
long csvb_peek_fill(void *ctx, char *dst, size_t cap);

/* Frees the buffer. NULL-safe, safe to call twice. */
void csvb_peek_fini(struct csvb_peek *p);

#endif
