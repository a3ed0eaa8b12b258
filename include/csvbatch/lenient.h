/* lenient.h — --quotes lenient: the records Python's csv.reader(f, strict=False) yields (default
 * dialect: doublequote, no escape character, no skipinitialspace), as a state machine fed one
 * physical-line piece at a time like csvfeed.h.
 *
 * The rules, from CPython's Modules/_csv.c: a quote opens a quoted field only as a field's first
 * byte; elsewhere in an unquoted field it is text. In a quoted field "" is one quote, and any
 * other byte after the closing quote (not the delimiter, CR or LF) is text that continues the
 * field unquoted ("a"b,c reads ab and c; later quotes in it are text). A quoted field left open
 * at the end of input runs to the end of the file, line breaks included. CR, LF and CRLF end a
 * record outside quotes. What differs from Python on purpose is only what the reader does for
 * both modes: a line with nothing on it is skipped (Python yields []), and NUL and invalid UTF-8
 * are refused before parsing. libcsv's own non-strict mode is not this grammar (it keeps a field
 * quoted after text follows a closing quote, and trims blanks): tests/test_lenient.c and
 * tests/lenient.sh compare this module with python3 itself. */
#ifndef CSVBATCH_LENIENT_H
#define CSVBATCH_LENIENT_H

#include <stdbool.h>
#include <stddef.h>

#include "csvbatch/csvfeed.h" /* struct csvb_csvfeed_calls */

struct csvb_lenient;

/* A parser at record start, or NULL when out of memory. delimiter: not '"', CR or LF. calls are
 * copied. Free with csvb_lenient_free. */
struct csvb_lenient *csvb_lenient_new(char delimiter, struct csvb_csvfeed_calls calls);

/* The same with an escape character ('\0': none; else not '"', CR, LF or the delimiter) and
 * Python's strict flag: csv.reader(f, delimiter=, escapechar=, strict=). The escape character
 * makes the next byte text, in a field (a delimiter, a quote, CR or LF: the field goes on) or
 * in a quoted field; "" stays one quote in a quoted field (doublequote). Strictly, a byte other
 * than the delimiter, CR or LF after a closing quote is refused (csvb_lenient_stopped says so),
 * and finish refuses an input that ends in a quoted field, after an escape character or after
 * an escaped line break (_csv.c's "unexpected end of data"). Never strict and no escape: what
 * csvb_lenient_new makes. */
struct csvb_lenient *csvb_lenient_new_dialect(char delimiter, char escape, bool strict,
                                              struct csvb_csvfeed_calls calls);

/* Why the parser stopped: still reading, or what it refused. */
enum csvb_lenient_stop {
    CSVB_LENIENT_READING,
    CSVB_LENIENT_AFTER_QUOTE, /* strict: the byte piece returned the offset of */
    CSVB_LENIENT_OPEN_AT_END, /* strict: finish found the input cut in a field */
    CSVB_LENIENT_NOMEM
};
enum csvb_lenient_stop csvb_lenient_stopped(const struct csvb_lenient *l);

/* Frees l (NULL-safe). */
void csvb_lenient_free(struct csvb_lenient *l);

/* Parses s[0..n) (a piece as csvb_csvfeed_piece takes), calling back for every field and record
 * completed. Returns n; when strict, the offset of a byte refused; 0 when out of memory (then
 * only free is useful). Not strict, it never refuses a byte. */
size_t csvb_lenient_piece(struct csvb_lenient *l, const char *s, size_t n);

/* True when a record has begun and not ended (a blank line begins none). */
bool csvb_lenient_in_record(const struct csvb_lenient *l);

/* Bytes held for the field in progress (0 between fields). */
size_t csvb_lenient_pending(const struct csvb_lenient *l);

/* End of input: delivers the record in progress, an open quoted field included. Returns false
 * when out of memory, after a refusal, or (strict) when the input ends cut in a field. */
bool csvb_lenient_finish(struct csvb_lenient *l);

/* Drops whatever is in progress, without calls, and returns to record start. */
void csvb_lenient_reset(struct csvb_lenient *l);

#endif
