/* scan.h — the quote-free fast path: splits whole lines into fields, many lines per call, finding
 * delimiters, line feeds, quotes and CRs 16 bytes at a time (SSE2; a byte loop without it).
 *
 * Scanning is a pure function of the bytes: no I/O, no libcsv, no allocation (only the tables'
 * init and growth allocate). A quote-free line split on the delimiter gives exactly what libcsv
 * in strict mode, without blank trimming, gives for it: the reader relies on that, and
 * tests/test_reader.c and the fuzz target check it. */
#ifndef CSVBATCH_SCAN_H
#define CSVBATCH_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "csvbatch/diag.h"
#include "csvbatch/row.h"

#define CSVB_SCAN_LINES 256 /* lines per call at most */

struct csvb_scan_line {
    size_t end;     /* offset just past this line's LF (or of the input's end), from s */
    size_t len;     /* bytes before the LF or CRLF; 0 for a blank line */
    size_t nfields; /* 0 for a blank line; the line's fields follow the previous line's */
};

/* The scanner's settings and tables (caller-allocated; csvb_scan_init / csvb_scan_fini). */
struct csvb_scan {
    char delimiter;            /* not CR, LF or '"' */
    size_t max_len;            /* a line with more bytes than this is left to the caller */
    size_t max_fields;         /* the field table grows up to this */
    struct csvb_field *fields; /* out: point into the scanned bytes */
    size_t fields_cap;
    struct csvb_scan_line lines[CSVB_SCAN_LINES];
    size_t nfields, nlines; /* out: entries used */
    bool full;              /* out: the scan stopped because a table was full */
};

/* Sets sc up with a field table of `fields` entries (at most max_fields). Errors: CSVB_E_NOMEM.
 * csvb_scan_fini frees it, also after a failed init. */
enum csvb_err csvb_scan_init(struct csvb_scan *sc, char delimiter, size_t max_len, size_t fields,
                             size_t max_fields, struct csvb_diag *d);

/* Frees the field table (NULL-safe, safe twice). */
void csvb_scan_fini(struct csvb_scan *sc);

/* Doubles the field table (up to max_fields), for a line that did not fit. False when it is at
 * max_fields already or memory runs out (the table is kept). */
bool csvb_scan_grow(struct csvb_scan *sc);

/* Scans s[0..n), which starts at a line start, for whole lines that end in LF (or CRLF) and hold
 * no quote and no other CR: each is split on the delimiter into sc's tables. `final`: s ends the
 * input, so a last line without LF is whole too. Stops before the first line that has a quote or
 * a lone CR, that n cuts, that is longer than max_len, or that does not fit in the tables (then
 * sc->full is set; a line with more fields than fields_cap never fits). Returns the bytes of the
 * lines recorded: sc->lines[sc->nlines - 1].end, or 0. */
size_t csvb_scan_lines(struct csvb_scan *sc, const char *s, size_t n, bool final);

#endif
