/* reader.h — CSV bytes in (big blocks from a source), records out to a sink.
 *
 * Rows are delivered one at a time; the fields borrow the reader's buffers and are valid only
 * during the sink call. Lines are physical lines (LF, CRLF or a lone CR each end one), 1-based;
 * a row carries the line it starts on. A UTF-8 BOM at the start is stripped; UTF-16 BOMs, NUL
 * bytes and invalid UTF-8 are errors; blank lines are skipped; parsing is strict RFC 4180.
 *
 * Well-formed records, quoted fields included (the common case), are split directly (scan.h,
 * the fast path); every other record goes through libcsv (csvfeed.h). Both give the same rows and
 * the same errors on every input: tests/test_reader.c and the fuzz target check this against
 * `fast_path = false`. */
#ifndef CSVBATCH_READER_H
#define CSVBATCH_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csvbatch/diag.h"
#include "csvbatch/row.h"
#include "csvbatch/source.h"

/* Called once per record (the header included). Setting *stop (false on entry) ends the reading
 * there: the reader returns CSVB_OK and sets stats->stopped. Returning anything but CSVB_OK
 * stops the reader, which then returns that code; the sink fills the diag itself. */
struct csvb_sink {
    enum csvb_err (*row)(void *ctx, const struct csvb_row *row, bool *stop, struct csvb_diag *d);
    void *ctx;
};

struct csvb_reader_config {
    char delimiter;        /* ',' by default; not '"', CR or LF */
    size_t block_size;     /* read size and line buffer; lines longer are streamed to libcsv */
    size_t max_field_size; /* a field or a record larger than this is CSVB_E_LIMIT */
    bool fast_path;        /* false: every line through libcsv */
    bool lenient; /* PowerShell's Import-Csv: libcsv without strict mode, blanks around unquoted
                     fields trimmed (needs fast_path off) */
    bool quotes_lenient; /* --quotes lenient: Python's csv.reader(strict=False) (lenient.h);
                            quote-free lines still take the fast path: they read the same */
    char escape;         /* --escape: '\0' none; else Python's escapechar (csvfeed.h), every
                            line through csvfeed (the fast path knows no escapes) */
    char comment;        /* --comment: '\0' none; else a line that starts with it where a
                            record would start is skipped like a blank line (counted, unread);
                            every line through csvfeed */
    bool strip_bom;      /* the input starts a file: a UTF-8 BOM is stripped (default true) */
    size_t skip_lines;   /* --skip-lines: the input's first lines (through their line feed,
                            after a BOM) are dropped unread: neither checked nor parsed, but
                            counted, so that line numbers stay the file's */
    bool range_end;      /* the input is a chunk of a larger file meant to end at a record boundary:
                            no end-of-file checks; stats->at_boundary says whether it did */
    uint64_t stop_after; /* > 0: stop at the first record boundary (just after a line feed, no
                            record in progress) at or beyond this many bytes of input, and report
                            it in stats->stop_offset: a chunk ends the record that straddles its
                            nominal end (0 = read to the end) */
    const _Atomic int *cancel; /* polled between blocks; non-zero = stop with CSVB_E_CANCELLED */
    double deadline;           /* monotonic seconds; past it, stop with CSVB_E_TIMEOUT (0 = none) */
    _Atomic uint64_t *bytes_counter; /* when set, every block read is added to it */
};

/* What kind of input error stopped the reader, for hints (the caller may ask whether another
 * option would read the file). */
enum csvb_reader_failure {
    CSVB_READER_FAIL_NONE,
    CSVB_READER_FAIL_AFTER_QUOTE,  /* strict: text after a closing quote */
    CSVB_READER_FAIL_UNTERMINATED, /* strict: a quoted field open at the end of input */
    CSVB_READER_FAIL_ENCODING      /* invalid or truncated UTF-8 (not NUL) */
};

/* The advice that ends the reader's messages for text after a closing quote and for invalid
 * UTF-8; a computed hint (hints.h) replaces it. */
#define CSVB_READER_QUOTE_ADVICE                                                                   \
    " (a quoted field ends at its closing quote: a quote inside it must be doubled)"
#define CSVB_READER_UTF8_ADVICE " (convert the file to UTF-8, or name its encoding with --encoding)"

struct csvb_reader_stats {
    uint64_t bytes_read;
    unsigned long lines;  /* physical line terminators seen */
    bool at_boundary;     /* range_end: the input ended between records, as a file end would */
    bool stopped;         /* the sink asked to stop */
    uint64_t stop_offset; /* stop_after: bytes of input up to the boundary it stopped at, or 0
                             when the input ended first */
    enum csvb_reader_failure failure; /* set with the error it names */
    uint64_t failure_offset;          /* FAIL_ENCODING: bytes of input before the bad byte */
};

/* Fills cfg with the defaults: ',', 1 MiB blocks, 64 MiB field limit, fast path on. */
void csvb_reader_config_init(struct csvb_reader_config *cfg);

/* Reads src to its end (or until the sink stops it), delivering every record to sink. Returns
 * CSVB_OK, the sink's code, or an error with d filled (line and message, no path: the caller
 * owns the path). stats may be NULL. Allocates only buffers bounded by block_size and
 * max_field_size; frees them itself. */
enum csvb_err csvb_reader_run(const struct csvb_reader_config *cfg, struct csvb_source src,
                              struct csvb_sink sink, struct csvb_reader_stats *stats,
                              struct csvb_diag *d);

#endif
