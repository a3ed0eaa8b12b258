/* scan.h — the fast path: splits whole records into fields, many records per call, quoted
 * fields and quoted line breaks included, 64 bytes per step (scan_kernel.h finds the quotes, the
 * in-quote mask, delimiters and line ends; this module walks the structural bytes outside
 * quotes).
 *
 * Scanning is a pure function of the bytes: no I/O, no libcsv (only the tables' init and growth
 * allocate). Every record it takes is exactly what csvfeed's strict grammar (csvfeed.h), without
 * blank trimming, gives for it: a field is either unquoted (a quote inside it is text), or quoted
 * from its first byte to its last with every quote inside doubled (unescaped into the scanner's
 * arena; other fields point into the scanned bytes). Anything else (text after a closing quote,
 * an unterminated quote) stops the scan before that record, for libcsv to parse or to
 * report: the reader relies on that, and tests/test_scan.c, tests/test_reader.c and the fuzz
 * target check it. Records end at LF, CRLF or a lone CR outside quotes. */
#ifndef CSVBATCH_SCAN_H
#define CSVBATCH_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "csvbatch/diag.h"
#include "csvbatch/row.h"
#include "csvbatch/scan_kernel.h"

#define CSVB_SCAN_LINES 256 /* records (and blank lines) per call at most */

/* One record, or a blank line (nfields 0). */
struct csvb_scan_line {
    size_t end;     /* offset just past its line end (LF, CRLF or CR), or of the input's end */
    size_t len;     /* bytes before that line end; 0 for a blank line */
    size_t nfields; /* 0 for a blank line; the record's fields follow the previous record's */
    size_t breaks;  /* line ends inside its quoted fields (CRLF counts one) */
    size_t tail;    /* bytes of its last physical line (after its last quoted line end) */
};

/* The scanner's settings and tables (caller-allocated; csvb_scan_init / csvb_scan_fini). */
struct csvb_scan {
    char delimiter;            /* not CR, LF or '"' */
    size_t max_len;            /* a record with more bytes than this is left to the caller */
    size_t max_fields;         /* the field table grows up to this */
    struct csvb_field *fields; /* out: point into the scanned bytes */
    size_t fields_cap;
    struct csvb_scan_line lines[CSVB_SCAN_LINES];
    size_t nfields, nlines; /* out: entries used */
    bool full;              /* out: the scan stopped because a table was full */
    char *arena;            /* unescaped quoted fields of the last call */
    size_t arena_cap;
    csvb_scan_kernel_fn *kernel;
    enum csvb_scan_isa isa; /* the kernel's level */
};

/* Sets sc up with a field table of `fields` entries (at most max_fields) and the best kernel
 * (csvb_scan_kernel(CSVB_SCAN_AUTO)). Errors: CSVB_E_NOMEM. csvb_scan_fini frees it, also after a
 * failed init. */
enum csvb_err csvb_scan_init(struct csvb_scan *sc, char delimiter, size_t max_len, size_t fields,
                             size_t max_fields, struct csvb_diag *d);

/* Uses the kernel of level `want` (tests force each one); returns the level in use. */
enum csvb_scan_isa csvb_scan_force(struct csvb_scan *sc, enum csvb_scan_isa want);

/* Frees the tables (NULL-safe, safe twice). */
void csvb_scan_fini(struct csvb_scan *sc);

/* Doubles the field table (up to max_fields), for a line that did not fit. False when it is at
 * max_fields already or memory runs out (the table is kept). */
bool csvb_scan_grow(struct csvb_scan *sc);

/* Scans s[0..n), which starts at a record start outside quotes, for whole records (and blank
 * lines), each split into sc's tables. `final`: s ends the input, so a last record without a
 * line end is whole too. Stops before the first record that libcsv must see (see the top), that
 * n cuts (a CR as the last byte is cut unless final: an LF may follow), that is longer than
 * max_len, or that does not fit in the tables (then sc->full is set; a record with more fields
 * than fields_cap never fits). Fields point into s or into sc's arena, valid until the next
 * call. Returns the bytes of the records recorded: sc->lines[sc->nlines - 1].end, or 0. */
size_t csvb_scan_lines(struct csvb_scan *sc, const char *s, size_t n, bool final);

#endif
