/* csvfeed.h — libcsv behind one door: the only module that includes <csv.h>.
 *
 * A parser for one delimiter in one of three modes. Strict: RFC 4180 for quoted fields, as
 * Python's csv.reader(strict=True) reads it: blanks kept, a quote inside an unquoted field is
 * text, and text after a closing quote and a quoted field open at the end of input are refused
 * (libcsv without CSV_STRICT, which would refuse the quote inside an unquoted field too, with
 * our model refusing the rest). PowerShell (Import-Csv): libcsv without strict mode,
 * blanks around unquoted fields trimmed, and text after a closing quote continuing the field
 * unquoted ("Text"after,1 reads Textafter), where libcsv would go on in quoted mode. Python
 * (--quotes lenient): not libcsv at all but lenient.h's state machine, which this door hands
 * the same calls to, so that the reader drives one interface.
 *
 * Bytes go in one physical-line piece at a time, so that the caller always knows where records
 * start. What csvfeed says of libcsv's state (a record in progress, the bytes held for the field
 * in progress, why a byte was refused) comes from libcsv's callbacks and a model of its grammar
 * that tests/test_csvfeed.c pins against libcsv's public behaviour: a libcsv that behaves
 * differently fails that suite, saying which behaviour changed. */
#ifndef CSVBATCH_CSVFEED_H
#define CSVBATCH_CSVFEED_H

#include <stdbool.h>
#include <stddef.h>

/* Called for each field (data borrowed until the call returns) and at the end of each record. */
struct csvb_csvfeed_calls {
    void (*field)(void *ctx, const char *data, size_t len);
    void (*record)(void *ctx);
    void *ctx;
};

enum csvb_csvfeed_refusal {
    CSVB_CSVFEED_ACCEPTED,
    CSVB_CSVFEED_AFTER_QUOTE, /* strict: a byte other than delimiter or line end after a
                                 closing quote */
    CSVB_CSVFEED_NOMEM,       /* out of memory (or a field larger than SIZE_MAX) */
};

enum csvb_csvfeed_mode {
    CSVB_CSVFEED_STRICT = 0,     /* RFC 4180 */
    CSVB_CSVFEED_POWERSHELL = 1, /* Import-Csv's reading (was `lenient = true`) */
    CSVB_CSVFEED_PYTHON = 2,     /* csv.reader(strict=False): lenient.h; never refuses a byte */
};

struct csvb_csvfeed;

/* A parser at record start, or NULL when out of memory. delimiter: not '"', CR or LF. The calls
 * are copied. Free with csvb_csvfeed_free. */
struct csvb_csvfeed *csvb_csvfeed_new(char delimiter, enum csvb_csvfeed_mode mode,
                                      struct csvb_csvfeed_calls calls);

/* The same with an escape character (--escape; '\0': none, then as csvb_csvfeed_new): strict
 * or Python mode then read as Python's csv.reader(escapechar=escape, strict=) does, through
 * lenient.h's state machine (libcsv has no escape character); PowerShell mode ignores it. */
struct csvb_csvfeed *csvb_csvfeed_new_escaped(char delimiter, enum csvb_csvfeed_mode mode,
                                              char escape, struct csvb_csvfeed_calls calls);

/* Frees f (NULL-safe). */
void csvb_csvfeed_free(struct csvb_csvfeed *f);

/* Parses s[0..n), one piece of a physical line: no CR or LF in it except, optionally, as its
 * last byte. Calls back for every field and record completed. Returns n, or the offset of the
 * byte that was refused (csvb_csvfeed_refused says why); after a refusal only free is useful. */
size_t csvb_csvfeed_piece(struct csvb_csvfeed *f, const char *s, size_t n);

/* Why the last piece stopped short (CSVB_CSVFEED_ACCEPTED if it did not). */
enum csvb_csvfeed_refusal csvb_csvfeed_refused(const struct csvb_csvfeed *f);

/* True when a record has begun and not ended (a blank line begins none; nor do blanks alone in
 * lenient mode). */
bool csvb_csvfeed_in_record(const struct csvb_csvfeed *f);

/* Bytes held for the field in progress, as libcsv holds them: a pending closing quote and the
 * blanks after it, or trailing blanks of an unquoted field, included (0 between fields). */
size_t csvb_csvfeed_pending(const struct csvb_csvfeed *f);

/* End of input: delivers the record in progress, if any, and returns to record start. Returns
 * false, delivering nothing, when strict and a quoted field is still open. */
bool csvb_csvfeed_finish(struct csvb_csvfeed *f);

/* Drops whatever is in progress, without calls, and returns to record start. */
void csvb_csvfeed_reset(struct csvb_csvfeed *f);

#endif
