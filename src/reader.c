/* reader.c — the buffer loop: blocks in, lines, columns and UTF-8 checked, each line to the fast
 * path (scan.h) or to libcsv (csvfeed.h), records out to the sink.
 *
 * Why two paths: libcsv copies every byte through a per-character state machine (~350 MB/s per
 * core here). For a well-formed record (fields unquoted, a quote inside one being text, or
 * quoted with inner quotes doubled, line breaks inside quotes allowed), csvfeed's strict grammar
 * with no blank trimming is exactly "split on the structural bytes outside quotes", which scan
 * does on the read buffer. Anything else (text after a closing quote, a record already in
 * progress, a record longer than the buffer, a bad byte) goes to libcsv, fed one physical line
 * piece at a time so that line numbers and record start lines are exact in both paths.
 *
 * Slightly over the 400-line budget: the loop's state (buffer, lines, columns, UTF-8, the
 * stop_after boundary) is one machine, and splitting it across files would hide that. */
#include "csvbatch/reader.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/clock.h"
#include "csvbatch/csvfeed.h"
#include "csvbatch/record.h"
#include "csvbatch/scan.h"
#include "csvbatch/utf8.h"

#define CSVB_MIN_BLOCK 4
#define SCAN_FIELDS 1024 /* the fast path's field table to start with; grows for wider lines */

struct reader {
    const struct csvb_reader_config *cfg;
    struct csvb_source src;
    struct csvb_sink sink;
    struct csvb_diag *d;
    struct csvb_csvfeed *feed;
    char *buf;
    size_t cap, len, pos, scan;
    bool eof;
    unsigned long line;        /* line of the next unprocessed byte */
    unsigned long record_line; /* line the libcsv record in progress started on */
    size_t col;                /* bytes since the last line terminator */
    bool prev_cr;              /* the last byte processed was a CR */
    struct csvb_utf8 utf8;     /* validator state at buf[valid] */
    size_t valid;              /* buf[0..valid) is known to be valid UTF-8 without NUL */
    bool has_bad;              /* buf[valid] is a bad byte (of kind bad_fault) */
    enum csvb_utf8_fault bad_fault;
    size_t bad_back;              /* the broken sequence began this many bytes before buf[valid] */
    unsigned char bad_byte;       /* the byte to report: the sequence's lead, or buf[valid] */
    struct csvb_record rec;       /* the libcsv record in progress */
    struct csvb_scan scan_tables; /* the fast path's */
    enum csvb_err cb_err;         /* first error raised inside a libcsv callback */
    bool stopped;                 /* the sink asked to stop, or stop_after was reached */
    uint64_t stop_offset;         /* stop_after: where it was reached */
    uint64_t bytes;
    bool at_boundary;
    enum csvb_reader_failure failure;
    uint64_t failure_offset;
    bool in_comment;   /* --comment: the rest of a comment line is still to come */
    size_t skip_left;  /* --skip-lines still to drop */
    uint64_t skip_end; /* where the lines skipped ended (an offset in the input) */
};

void csvb_reader_config_init(struct csvb_reader_config *cfg)
{
    *cfg = (struct csvb_reader_config){.delimiter = ',',
                                       .block_size = (size_t)1 << 20,
                                       .max_field_size = (size_t)64 << 20,
                                       .fast_path = true,
                                       .strip_bom = true};
}

/* Hands one record to the sink; a stop request is kept in r->stopped. */
static enum csvb_err deliver(struct reader *r, const struct csvb_field *fields, size_t n,
                             unsigned long line)
{
    struct csvb_row row = {fields, n, line};
    bool stop = false;
    enum csvb_err e = r->sink.row(r->sink.ctx, &row, &stop, r->d);
    r->stopped = r->stopped || stop;
    return e;
}

/* csvfeed's calls: fields are copied (libcsv reuses its buffer), records handed on. */
static void on_field(void *ctx, const char *data, size_t len)
{
    struct reader *r = ctx;
    if (r->cb_err == CSVB_OK && !r->stopped)
        r->cb_err = csvb_record_add(&r->rec, data, len, r->record_line, r->d);
}

static void on_record(void *ctx)
{
    struct reader *r = ctx;
    if (r->cb_err == CSVB_OK && !r->stopped) {
        csvb_record_seal(&r->rec);
        r->cb_err = deliver(r, r->rec.fields, r->rec.nfields, r->record_line);
    }
    csvb_record_clear(&r->rec);
}

/* Reports csvfeed's refusal of byte c (after a closing quote) at the current line and column. */
static enum csvb_err parse_error(struct reader *r, enum csvb_csvfeed_refusal why, unsigned char c,
                                 size_t col)
{
    if (why == CSVB_CSVFEED_NOMEM)
        return csvb_diag_set(r->d, CSVB_E_NOMEM, r->record_line, "out of memory in libcsv");
    char shown[32], delim[32];
    r->failure = CSVB_READER_FAIL_AFTER_QUOTE;
    csvb_diag_byte(c, shown, sizeof shown);
    csvb_diag_byte((unsigned char)r->cfg->delimiter, delim, sizeof delim);
    return csvb_diag_set(r->d, CSVB_E_PARSE, r->line,
                         "column %zu: expected %s or end of line after a closing quote, found "
                         "%s" CSVB_READER_QUOTE_ADVICE,
                         col, delim, shown);
}

/* Feeds s[0..n) to libcsv one piece per line terminator, keeping line, column and the start line
 * of the record in progress exact. */
static enum csvb_err feed_libcsv(struct reader *r, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && s[j] != '\n' && s[j] != '\r')
            j++;
        size_t end = j < n ? j + 1 : n;
        /* --comment: a line that starts with it where a record would start is skipped whole,
         * like a blank line (a long one arrives in parts: the rest of it too) */
        bool comment =
            r->in_comment || (r->cfg->comment != '\0' && r->col == 0 && s[i] == r->cfg->comment &&
                              !csvb_csvfeed_in_record(r->feed));
        if (comment) {
            r->in_comment = j == n;
        } else {
            if (!csvb_csvfeed_in_record(r->feed))
                r->record_line = r->line;
            size_t done = csvb_csvfeed_piece(r->feed, s + i, end - i);
            if (r->cb_err != CSVB_OK)
                return r->cb_err;
            if (done < end - i)
                return parse_error(r, csvb_csvfeed_refused(r->feed), (unsigned char)s[i + done],
                                   r->col + done + 1);
            enum csvb_err e =
                csvb_record_check(&r->rec, csvb_csvfeed_pending(r->feed), r->record_line, r->d);
            if (e != CSVB_OK)
                return e;
        }
        if (j < n) {
            bool crlf = s[j] == '\n' && j == i && r->prev_cr;
            if (!crlf)
                r->line++;
            r->prev_cr = s[j] == '\r';
            r->col = 0;
        } else if (end > i) {
            r->col += end - i;
            r->prev_cr = false;
        }
        i = end;
        if (r->stopped)
            return CSVB_OK;
    }
    return CSVB_OK;
}

/* stop_after: buf[at] follows a line feed; when no record is in progress there and it lies at or
 * beyond the limit, the reading ends here. */
static bool boundary_reached(struct reader *r, size_t at)
{
    uint64_t offset = r->bytes - r->len + at;
    if (r->cfg->stop_after == 0 || offset < r->cfg->stop_after || csvb_csvfeed_in_record(r->feed))
        return false;
    r->stopped = true;
    r->stop_offset = offset;
    return true;
}

/* True where a line may take the fast path: at a line start, no libcsv record in progress. */
static bool fast_ok(const struct reader *r)
{
    return r->cfg->fast_path && r->cfg->escape == '\0' && r->cfg->comment == '\0' && r->col == 0 &&
           !r->prev_cr && !csvb_csvfeed_in_record(r->feed);
}

/* The bulk fast path over buf[pos..valid) (validated, fast_ok): batches of whole records from
 * scan, delivered in order. `final`: the input ends at valid. Stops at the first record that
 * needs libcsv: a quote libcsv refuses or reads otherwise, an unterminated quote, too wide for
 * the tables, or longer than max_field_size (libcsv then reports the limit exactly; it splits a
 * well-formed record just as scan does). */
static enum csvb_err fast_run(struct reader *r, bool final)
{
    struct csvb_scan *sc = &r->scan_tables;
    for (;;) {
        size_t used = csvb_scan_lines(sc, r->buf + r->pos, r->valid - r->pos, final);
        if (used == 0 && sc->full && csvb_scan_grow(sc))
            continue;
        const struct csvb_field *f = sc->fields;
        size_t start = 0;
        for (size_t i = 0; i < sc->nlines; i++) {
            const struct csvb_scan_line *l = &sc->lines[i];
            if (l->len > 0) {
                enum csvb_err e = deliver(r, f, l->nfields, r->line);
                if (e != CSVB_OK)
                    return e;
                f += l->nfields;
            }
            bool ended = l->end > start + l->len;
            r->line += l->breaks;
            if (ended)
                r->line++;
            else
                r->col = l->tail; /* the last record, without a line end */
            start = l->end;
            /* A boundary is just after a line feed, as on libcsv's path (not after a lone CR). */
            if (r->stopped ||
                (ended && r->cfg->stop_after != 0 && r->buf[r->pos + start - 1] == '\n' &&
                 boundary_reached(r, r->pos + start))) {
                r->pos += start;
                return CSVB_OK;
            }
        }
        r->pos += used;
        if (!sc->full || used == 0)
            return CSVB_OK;
    }
}

/* The encoding error at buf[valid], once everything before it has been processed. */
static enum csvb_err fail_at_bad(struct reader *r)
{
    enum csvb_err e = feed_libcsv(r, r->buf + r->pos, r->valid - r->pos);
    if (e != CSVB_OK || r->stopped)
        return e;
    size_t col = r->col + 1 - r->bad_back;
    r->failure = r->bad_fault == CSVB_UTF8_NUL ? CSVB_READER_FAIL_NONE : CSVB_READER_FAIL_ENCODING;
    r->failure_offset = r->bytes - r->len + r->valid - r->bad_back;
    if (r->bad_fault == CSVB_UTF8_NUL)
        return csvb_diag_set(r->d, CSVB_E_PARSE, r->line,
                             "column %zu: expected text, found a NUL byte (is the file UTF-16 "
                             "or binary?)",
                             col);
    return csvb_diag_set(
        r->d, CSVB_E_PARSE, r->line,
        "column %zu: expected UTF-8 text, found invalid byte 0x%02X" CSVB_READER_UTF8_ADVICE, col,
        r->bad_byte);
}

/* Extends the validated prefix of the buffer over newly read bytes. */
static void validate_ahead(struct reader *r)
{
    if (r->has_bad || r->valid >= r->len)
        return;
    size_t n = r->len - r->valid, ok;
    ok = csvb_utf8_check(&r->utf8, (const unsigned char *)r->buf + r->valid, n, &r->bad_fault);
    r->valid += ok;
    r->has_bad = ok < n;
    if (r->has_bad) {
        /* Report the start of a broken sequence (its lead byte may already be parsed). */
        r->bad_back = r->utf8.seen;
        r->bad_byte = r->bad_back > 0 ? r->utf8.lead : (unsigned char)r->buf[r->valid];
    }
}

/* --skip-lines: drops whole lines from buf[pos] on, before anything is checked or parsed; a
 * line not ended in the buffer is dropped too, and the rest of it with the next block. */
static void skip_lines(struct reader *r)
{
    while (r->skip_left > 0 && r->pos < r->len) {
        const char *nl = memchr(r->buf + r->pos, '\n', r->len - r->pos);
        if (nl == NULL) {
            r->pos = r->len;
            break;
        }
        r->pos = (size_t)(nl - r->buf) + 1;
        r->line++;
        r->skip_left--;
    }
    r->record_line = r->line;
    if (r->scan < r->pos)
        r->scan = r->pos;
    if (r->valid < r->pos)
        r->valid = r->pos; /* at a line start: the validator's state is its initial one */
}

/* Strips a UTF-8 BOM; refuses UTF-16/32 ones. Needs the first 3 bytes (or all, if fewer). */
static enum csvb_err check_bom(struct reader *r)
{
    const unsigned char *b = (const unsigned char *)r->buf;
    if (r->len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
        r->pos = r->scan = r->valid = 3;
    } else if (r->len >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
        return csvb_diag_set(r->d, CSVB_E_PARSE, 1,
                             "expected UTF-8 text, found a UTF-16 byte-order mark (convert the "
                             "file to UTF-8)");
    }
    return CSVB_OK;
}

static enum csvb_err finish(struct reader *r)
{
    r->failure =
        csvb_utf8_complete(&r->utf8) ? CSVB_READER_FAIL_UNTERMINATED : CSVB_READER_FAIL_ENCODING;
    r->failure_offset = r->bytes - r->utf8.seen;
    if (!csvb_utf8_complete(&r->utf8))
        return csvb_diag_set(r->d, CSVB_E_PARSE, r->line,
                             "column %zu: expected UTF-8 text, found a truncated multi-byte "
                             "sequence at end of file",
                             r->col + 1 - r->utf8.seen);
    if (csvb_csvfeed_finish(r->feed)) {
        r->failure = CSVB_READER_FAIL_NONE;
        return r->cb_err;
    }
    if (csvb_csvfeed_refused(r->feed) == CSVB_CSVFEED_NOMEM) {
        r->failure = CSVB_READER_FAIL_NONE;
        return parse_error(r, CSVB_CSVFEED_NOMEM, 0, 0);
    }
    if (r->cfg->escape != '\0') { /* or cut after the escape character (Python's "unexpected end
                                     of data" covers both) */
        char esc[32];
        csvb_diag_byte((unsigned char)r->cfg->escape, esc, sizeof esc);
        return csvb_diag_set(r->d, CSVB_E_PARSE, r->record_line,
                             "unterminated field: expected a closing '\"' or a byte after the "
                             "escape character %s, found end of file",
                             esc);
    }
    return csvb_diag_set(r->d, CSVB_E_PARSE, r->record_line,
                         "unterminated quoted field: expected a closing '\"', found end of file");
}

/* Checks cancel and deadline, drops the processed bytes and reads the next block. */
static enum csvb_err read_block(struct reader *r)
{
    const _Atomic int *cancel = r->cfg->cancel;
    if (cancel != NULL && atomic_load_explicit(cancel, memory_order_relaxed) != 0)
        return csvb_diag_set(r->d, CSVB_E_CANCELLED, 0, "interrupted");
    if (r->cfg->deadline > 0 && csvb_now() > r->cfg->deadline)
        return csvb_diag_set(r->d, CSVB_E_TIMEOUT, 0, "timed out");
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->len -= r->pos;
        r->scan -= r->pos;
        r->valid -= r->pos;
        r->pos = 0;
    }
    if (r->eof)
        return CSVB_OK;
    long got = r->src.fill(r->src.ctx, r->buf + r->len, r->cap - r->len);
    if (got < 0 && errno == ETIMEDOUT)
        return csvb_diag_set(r->d, CSVB_E_TIMEOUT, 0, "timed out");
    if (got < 0)
        return csvb_diag_errno(r->d, CSVB_E_IO, errno, "read failed");
    if (got == 0)
        r->eof = true;
    r->len += (size_t)got;
    r->bytes += (uint64_t)got;
    if (r->cfg->bytes_counter != NULL)
        atomic_fetch_add_explicit(r->cfg->bytes_counter, (uint64_t)got, memory_order_relaxed);
    return CSVB_OK;
}

/* Every complete line in the buffer, in bulk through the fast path where it can. */
static enum csvb_err whole_lines(struct reader *r)
{
    for (;;) {
        if (fast_ok(r) && r->valid > r->pos) {
            enum csvb_err e = fast_run(r, false);
            if (e != CSVB_OK || r->stopped)
                return e;
            if (r->scan < r->pos)
                r->scan = r->pos;
        }
        char *nl = memchr(r->buf + r->scan, '\n', r->len - r->scan);
        if (nl == NULL)
            return CSVB_OK;
        size_t end = (size_t)(nl - r->buf) + 1;
        if (r->valid < end)
            return fail_at_bad(r);
        enum csvb_err e = feed_libcsv(r, r->buf + r->pos, end - r->pos);
        if (e != CSVB_OK || r->stopped)
            return e;
        r->pos = r->scan = end;
        if (r->cfg->stop_after != 0 && boundary_reached(r, end))
            return CSVB_OK;
    }
}

static enum csvb_err at_eof(struct reader *r)
{
    if (r->cfg->skip_lines > 0 && (r->skip_left > 0 || r->skip_end == r->bytes))
        return csvb_diag_set(r->d, CSVB_E_PARSE, r->line,
                             "expected a header record after the first %zu lines "
                             "(--skip-lines), found the end of the file (%lu lines)",
                             r->cfg->skip_lines, r->line - 1);
    if (r->has_bad)
        return fail_at_bad(r);
    if (r->cfg->range_end) {
        r->at_boundary = r->len == r->pos && r->col == 0 && !r->prev_cr &&
                         !csvb_csvfeed_in_record(r->feed) && csvb_utf8_complete(&r->utf8);
        return CSVB_OK;
    }
    enum csvb_err e = CSVB_OK;
    if (r->len > r->pos && fast_ok(r) && csvb_utf8_complete(&r->utf8))
        e = fast_run(r, true); /* the last line, without a line end */
    if (e == CSVB_OK && !r->stopped && r->len > r->pos)
        e = feed_libcsv(r, r->buf + r->pos, r->len - r->pos);
    if (e != CSVB_OK || r->stopped)
        return e;
    return finish(r);
}

static enum csvb_err run_loop(struct reader *r)
{
    bool bom_done = !r->cfg->strip_bom;
    for (;;) {
        enum csvb_err e = read_block(r);
        if (e != CSVB_OK)
            return e;
        if (!bom_done) {
            if (r->len < 3 && !r->eof)
                continue;
            if ((e = check_bom(r)) != CSVB_OK)
                return e;
            bom_done = true;
        }
        if (r->skip_left > 0) {
            skip_lines(r);
            if (r->skip_left == 0)
                r->skip_end = r->bytes - (r->len - r->pos);
            else if (!r->eof)
                continue;
        }
        validate_ahead(r);
        e = whole_lines(r);
        if (e != CSVB_OK || r->stopped)
            return e;
        r->scan = r->len;
        if (r->eof)
            return at_eof(r);
        if (r->pos == 0 && r->len == r->cap) {
            /* A line longer than the buffer: stream it to libcsv in pieces. */
            if (r->has_bad)
                return fail_at_bad(r);
            if ((e = feed_libcsv(r, r->buf, r->len)) != CSVB_OK || r->stopped)
                return e;
            r->pos = r->scan = r->len;
        }
    }
}

enum csvb_err csvb_reader_run(const struct csvb_reader_config *cfg, struct csvb_source src,
                              struct csvb_sink sink, struct csvb_reader_stats *stats,
                              struct csvb_diag *d)
{
    struct reader r = {.cfg = cfg,
                       .src = src,
                       .sink = sink,
                       .d = d,
                       .line = 1,
                       .record_line = 1,
                       .skip_left = cfg->skip_lines};
    csvb_utf8_init(&r.utf8);
    enum csvb_err err;
    r.cap = cfg->block_size < CSVB_MIN_BLOCK ? CSVB_MIN_BLOCK : cfg->block_size;
    r.buf = malloc(r.cap);
    enum csvb_csvfeed_mode mode = cfg->lenient          ? CSVB_CSVFEED_POWERSHELL
                                  : cfg->quotes_lenient ? CSVB_CSVFEED_PYTHON
                                                        : CSVB_CSVFEED_STRICT;
    r.feed = csvb_csvfeed_new_escaped(cfg->delimiter, mode, cfg->escape,
                                      (struct csvb_csvfeed_calls){on_field, on_record, &r});
    if ((err = csvb_record_init(&r.rec, cfg->max_field_size, d)) != CSVB_OK ||
        (err = csvb_scan_init(&r.scan_tables, cfg->delimiter, cfg->max_field_size, SCAN_FIELDS,
                              CSVB_RECORD_MAX_FIELDS, d)) != CSVB_OK)
        goto out;
    if (r.buf == NULL || r.feed == NULL) {
        err = csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
        goto out;
    }
    err = run_loop(&r);
    if (stats != NULL) {
        stats->bytes_read = r.bytes;
        stats->lines = r.line - 1;
        stats->at_boundary = r.at_boundary;
        stats->stopped = r.stopped && err == CSVB_OK && r.stop_offset == 0;
        stats->stop_offset = err == CSVB_OK ? r.stop_offset : 0;
        stats->failure = err == CSVB_E_PARSE ? r.failure : CSVB_READER_FAIL_NONE;
        stats->failure_offset = r.failure_offset;
    }
out:
    csvb_csvfeed_free(r.feed);
    csvb_record_fini(&r.rec);
    csvb_scan_fini(&r.scan_tables);
    free(r.buf);
    return err;
}
