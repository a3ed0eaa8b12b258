/* reader.c — streaming CSV reader: quote-free lines split directly, all others through libcsv.
 *
 * Why two paths: libcsv copies every byte through a per-character state machine (~350 MB/s per
 * core here). Most real lines contain no quote character; for those, libcsv in strict mode with
 * no space trimming is exactly "split on the delimiter", so we do that with memchr on the read
 * buffer. Anything else (a quote, a lone CR, a record already in progress, a line longer than
 * the buffer, a bad byte) goes to libcsv, fed one physical line piece at a time so that line
 * numbers and record start lines are exact in both paths. */
#include "csvbatch/reader.h"

#include <csv.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdatomic.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvbatch/clock.h"
#include "csvbatch/utf8.h"

/* libcsv's parser states (libcsv.c); only "no record in progress" matters to us. */
#define LIBCSV_ROW_NOT_BEGUN 0
#define LIBCSV_FIELD_BEGUN 2
#define LIBCSV_FIELD_MIGHT_HAVE_ENDED 3

/* A record with more fields than this is refused: bounds memory on hostile input. */
#define CSVB_MAX_FIELDS ((size_t)1 << 20)
#define CSVB_MIN_BLOCK 4

struct reader {
    const struct csvb_reader_config *cfg;
    struct csvb_source src;
    struct csvb_sink sink;
    struct csvb_diag *d;
    struct csv_parser parser;
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
    size_t bad_back;        /* the broken sequence began this many bytes before buf[valid] */
    unsigned char bad_byte; /* the byte to report: the sequence's lead, or buf[valid] */
    struct csvb_field *fields;
    size_t *offsets; /* libcsv path: field start in arena */
    size_t nfields, fields_cap;
    char *arena;
    size_t arena_len, arena_cap;
    enum csvb_err cb_err; /* first error raised inside a libcsv callback */
    uint64_t bytes;
    bool at_boundary;
};

void csvb_reader_config_init(struct csvb_reader_config *cfg)
{
    cfg->delimiter = ',';
    cfg->block_size = (size_t)1 << 20;
    cfg->max_field_size = (size_t)64 << 20;
    cfg->fast_path = true;
    cfg->strip_bom = true;
    cfg->range_end = false;
    cfg->cancel = NULL;
    cfg->deadline = 0;
    cfg->lenient = false;
    cfg->bytes_counter = NULL;
}

static bool cancelled(const _Atomic int *cancel)
{
    return cancel != NULL && atomic_load_explicit(cancel, memory_order_relaxed) != 0;
}

long csvb_source_fd_fill(void *ctx, char *dst, size_t cap)
{
    const struct csvb_fd_source *s = ctx;
    for (;;) {
        if (s->stream) {
            int wait_ms = 250;
            if (s->deadline > 0) {
                double left = s->deadline - csvb_now();
                if (left <= 0) {
                    errno = ETIMEDOUT;
                    return -1;
                }
                if (left * 1000 < wait_ms)
                    wait_ms = (int)(left * 1000) + 1;
            }
            struct pollfd p = {s->fd, POLLIN, 0};
            int r = poll(&p, 1, wait_ms);
            if (cancelled(s->cancel)) {
                errno = EINTR;
                return -1;
            }
            if (r == 0 || (r < 0 && errno == EINTR))
                continue;
            if (r < 0)
                return -1;
        }
        ssize_t n = read(s->fd, dst, cap);
        if (n >= 0)
            return (long)n;
        if (errno == EAGAIN && s->stream)
            continue;
        if (errno != EINTR || cancelled(s->cancel))
            return -1;
    }
}

long csvb_source_mem_fill(void *ctx, char *dst, size_t cap)
{
    struct csvb_mem_source *m = ctx;
    size_t n = m->len - m->pos;
    if (n > cap)
        n = cap;
    if (m->chunk > 0 && n > m->chunk)
        n = m->chunk;
    if (n > 0)
        memcpy(dst, m->data + m->pos, n);
    m->pos += n;
    return (long)n;
}

static int never_space(unsigned char c)
{
    (void)c;
    return 0;
}

/* Makes room for one more field. Errors: CSVB_E_LIMIT, CSVB_E_NOMEM. */
static enum csvb_err reserve_field(struct reader *r)
{
    if (r->nfields < r->fields_cap)
        return CSVB_OK;
    if (r->nfields >= CSVB_MAX_FIELDS)
        return csvb_diag_set(r->d, CSVB_E_LIMIT, r->record_line,
                             "expected at most %zu fields in a record, found more",
                             CSVB_MAX_FIELDS);
    size_t cap = r->fields_cap ? r->fields_cap * 2 : 64;
    struct csvb_field *f = realloc(r->fields, cap * sizeof *f);
    if (f == NULL)
        return csvb_diag_set(r->d, CSVB_E_NOMEM, r->record_line, "out of memory");
    r->fields = f;
    size_t *o = realloc(r->offsets, cap * sizeof *o);
    if (o == NULL)
        return csvb_diag_set(r->d, CSVB_E_NOMEM, r->record_line, "out of memory");
    r->offsets = o;
    r->fields_cap = cap;
    return CSVB_OK;
}

/* The field and record size limits, checked in the same order by both paths. */
static enum csvb_err check_sizes(struct reader *r, size_t field_len, size_t record_len)
{
    size_t max = r->cfg->max_field_size;
    if (field_len > max)
        return csvb_diag_set(r->d, CSVB_E_LIMIT, r->record_line,
                             "expected fields of at most %zu bytes (--max-field-size), found a "
                             "larger one",
                             max);
    if (record_len > max)
        return csvb_diag_set(r->d, CSVB_E_LIMIT, r->record_line,
                             "expected records of at most %zu bytes (--max-field-size), found a "
                             "larger one",
                             max);
    return CSVB_OK;
}

static void on_field(void *data, size_t len, void *ctx)
{
    struct reader *r = ctx;
    if (r->cb_err != CSVB_OK)
        return;
    if ((r->cb_err = reserve_field(r)) != CSVB_OK)
        return;
    if ((r->cb_err = check_sizes(r, len, r->arena_len + len)) != CSVB_OK)
        return;
    if (r->arena_len + len > r->arena_cap) {
        size_t cap = r->arena_cap ? r->arena_cap : 4096;
        while (cap < r->arena_len + len)
            cap *= 2;
        char *a = realloc(r->arena, cap);
        if (a == NULL) {
            r->cb_err = csvb_diag_set(r->d, CSVB_E_NOMEM, r->record_line, "out of memory");
            return;
        }
        r->arena = a;
        r->arena_cap = cap;
    }
    if (len > 0)
        memcpy(r->arena + r->arena_len, data, len);
    r->offsets[r->nfields] = r->arena_len;
    r->fields[r->nfields].len = len;
    r->arena_len += len;
    r->nfields++;
}

static void on_row(int c, void *ctx)
{
    (void)c;
    struct reader *r = ctx;
    if (r->cb_err == CSVB_OK) {
        for (size_t i = 0; i < r->nfields; i++)
            r->fields[i].ptr = r->arena + r->offsets[i];
        struct csvb_row row = {r->fields, r->nfields, r->record_line};
        r->cb_err = r->sink.row(r->sink.ctx, &row, r->d);
    }
    r->nfields = 0;
    r->arena_len = 0;
}

/* Reports libcsv's strict-mode refusal of byte c at the current line and column `col`. */
static enum csvb_err parse_error(struct reader *r, unsigned char c, size_t col)
{
    char shown[32], delim[32];
    csvb_diag_byte(c, shown, sizeof shown);
    csvb_diag_byte((unsigned char)r->cfg->delimiter, delim, sizeof delim);
    if (r->parser.pstate == LIBCSV_FIELD_MIGHT_HAVE_ENDED)
        return csvb_diag_set(r->d, CSVB_E_PARSE, r->line,
                             "column %zu: expected %s or end of line after a closing quote, found "
                             "%s",
                             col, delim, shown);
    return csvb_diag_set(r->d, CSVB_E_PARSE, r->line,
                         "column %zu: expected %s or end of line, found %s inside an unquoted "
                         "field (a field containing quotes must be quoted, with quotes doubled)",
                         col, delim, shown);
}

/* csv_parse, except in lenient (PowerShell) mode: there, text after a closing quote continues
 * the field as unquoted text ("Text"after,1 reads Textafter), as Import-Csv does, where libcsv
 * would go on in quoted mode to the next quote. That needs a look at libcsv's state after every
 * byte of a quoted field; compatibility mode is not the fast one. */
static size_t parse_piece(struct reader *r, const char *s, size_t n)
{
    if (!r->cfg->lenient)
        return csv_parse(&r->parser, s, n, on_field, on_row, r);
    for (size_t i = 0; i < n; i++) {
        int before = r->parser.pstate;
        size_t spaces = r->parser.spaces;
        if (csv_parse(&r->parser, s + i, 1, on_field, on_row, r) != 1)
            return i;
        if (before == LIBCSV_FIELD_MIGHT_HAVE_ENDED && r->parser.pstate == LIBCSV_FIELD_BEGUN &&
            s[i] != '"') {
            /* libcsv kept the closing quote (then the blanks, then this byte): drop the quote
             * and go on unquoted. */
            size_t q = r->parser.entry_pos - 2 - spaces;
            memmove(r->parser.entry_buf + q, r->parser.entry_buf + q + 1, spaces + 1);
            r->parser.entry_pos--;
            r->parser.quoted = 0;
        }
    }
    return n;
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
        if (r->parser.pstate == LIBCSV_ROW_NOT_BEGUN)
            r->record_line = r->line;
        size_t done = parse_piece(r, s + i, end - i);
        if (r->cb_err != CSVB_OK)
            return r->cb_err;
        if (done < end - i) {
            if (csv_error(&r->parser) == CSV_EPARSE)
                return parse_error(r, (unsigned char)s[i + done], r->col + done + 1);
            return csvb_diag_set(r->d, CSVB_E_NOMEM, r->record_line, "out of memory in libcsv");
        }
        enum csvb_err e = check_sizes(r, r->parser.entry_pos, r->arena_len + r->parser.entry_pos);
        if (e != CSVB_OK)
            return e;
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
    }
    return CSVB_OK;
}

/* The fast path for one complete line s[0..n) (ending in LF, or the last line of the input).
 * Returns false (having done nothing) when the line needs libcsv. */
static bool try_fast(struct reader *r, const char *s, size_t n, enum csvb_err *err)
{
    if (!r->cfg->fast_path || r->col != 0 || r->prev_cr ||
        r->parser.pstate != LIBCSV_ROW_NOT_BEGUN || memchr(s, '"', n) != NULL)
        return false;
    size_t e = n;
    bool terminated = e > 0 && s[e - 1] == '\n';
    if (!terminated && !csvb_utf8_complete(&r->utf8))
        return false;
    if (terminated) {
        e--;
        if (e > 0 && s[e - 1] == '\r')
            e--;
    }
    if (memchr(s, '\r', e) != NULL)
        return false;
    *err = CSVB_OK;
    if (e > 0) {
        r->record_line = r->line;
        r->nfields = 0;
        const char *p = s, *end = s + e;
        size_t total = 0;
        for (;;) {
            const char *q = memchr(p, r->cfg->delimiter, (size_t)(end - p));
            const char *fe = q != NULL ? q : end;
            if ((*err = reserve_field(r)) != CSVB_OK)
                return true;
            total += (size_t)(fe - p);
            if ((*err = check_sizes(r, (size_t)(fe - p), total)) != CSVB_OK)
                return true;
            r->fields[r->nfields].ptr = p;
            r->fields[r->nfields].len = (size_t)(fe - p);
            r->nfields++;
            if (q == NULL)
                break;
            p = q + 1;
        }
        struct csvb_row row = {r->fields, r->nfields, r->line};
        r->nfields = 0;
        *err = r->sink.row(r->sink.ctx, &row, r->d);
        if (*err != CSVB_OK)
            return true;
    }
    if (terminated) {
        r->line++;
        r->col = 0;
    } else {
        r->col += n;
    }
    return true;
}

/* State of the bulk scanner within the current line. */
struct scan {
    const char *line, *field, *cr, *end;
};

enum scan_step { SCAN_GO, SCAN_STOP, SCAN_ERROR };

/* One structural byte at q (delimiter, LF, CR or quote) in a quote-free stretch. */
static inline __attribute__((always_inline)) enum scan_step
scan_event(struct reader *r, struct scan *st, const char *q, enum csvb_err *err)
{
    char c = *q;
    if (c == r->cfg->delimiter) {
        if (r->nfields == r->fields_cap && reserve_field(r) != CSVB_OK) {
            csvb_diag_init(r->d); /* let the libcsv path report it, exactly as it would */
            return SCAN_STOP;
        }
        r->fields[r->nfields].ptr = st->field;
        r->fields[r->nfields++].len = (size_t)(q - st->field);
        st->field = q + 1;
        return SCAN_GO;
    }
    if (c == '\n') {
        const char *fe = st->cr == q - 1 ? q - 1 : q;
        size_t line_len = (size_t)(fe - st->line);
        if (line_len > 0) {
            if (line_len > r->cfg->max_field_size ||
                (r->nfields == r->fields_cap && reserve_field(r) != CSVB_OK)) {
                csvb_diag_init(r->d);
                return SCAN_STOP; /* rare: the line-by-line path reports the limit */
            }
            r->fields[r->nfields].ptr = st->field;
            r->fields[r->nfields++].len = (size_t)(fe - st->field);
            struct csvb_row row = {r->fields, r->nfields, r->line};
            r->record_line = r->line;
            r->nfields = 0;
            if ((*err = r->sink.row(r->sink.ctx, &row, r->d)) != CSVB_OK)
                return SCAN_ERROR;
        }
        r->line++;
        st->line = st->field = q + 1;
        return SCAN_GO;
    }
    if (c == '\r' && q + 1 < st->end && q[1] == '\n') {
        st->cr = q;
        return SCAN_GO;
    }
    return SCAN_STOP; /* a quote or a lone CR: libcsv's job */
}

/* The bulk fast path: delivers every complete quote-free line of s[0..n) (validated bytes, at a
 * line start, no record in progress) in one pass that finds delimiters, line feeds, quotes and
 * CRs 16 bytes at a time. Returns the bytes consumed: whole lines, up to the first line that
 * needs libcsv or is incomplete. */
static size_t fast_scan(struct reader *r, const char *s, size_t n, enum csvb_err *err)
{
    struct scan st = {s, s, NULL, s + n};
    const char *p = s, *end = s + n;
    enum scan_step step = SCAN_GO;
    *err = CSVB_OK;
    r->nfields = 0;
#ifdef __SSE2__
    const __m128i vd = _mm_set1_epi8(r->cfg->delimiter), vq = _mm_set1_epi8('"');
    const __m128i vr = _mm_set1_epi8('\r'), vn = _mm_set1_epi8('\n');
    for (; step == SCAN_GO && p + 16 <= end; p += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i hits = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, vd), _mm_cmpeq_epi8(v, vn)),
                                    _mm_or_si128(_mm_cmpeq_epi8(v, vq), _mm_cmpeq_epi8(v, vr)));
        unsigned mask = (unsigned)_mm_movemask_epi8(hits);
        while (mask != 0 && step == SCAN_GO) {
            step = scan_event(r, &st, p + __builtin_ctz(mask), err);
            mask &= mask - 1;
        }
    }
#endif
    for (; step == SCAN_GO && p < end; p++) {
        char c = *p;
        if (c == r->cfg->delimiter || c == '\n' || c == '\r' || c == '"')
            step = scan_event(r, &st, p, err);
    }
    r->nfields = 0;
    return (size_t)(st.line - s);
}

/* Processes s[0..n) (validated): a complete line (`whole`) or a piece of a longer one. */
static enum csvb_err process(struct reader *r, const char *s, size_t n, bool whole)
{
    enum csvb_err err;
    if (whole && try_fast(r, s, n, &err))
        return err;
    return feed_libcsv(r, s, n);
}

/* The encoding error at buf[valid], once everything before it has been processed. */
static enum csvb_err fail_at_bad(struct reader *r)
{
    enum csvb_err e = feed_libcsv(r, r->buf + r->pos, r->valid - r->pos);
    if (e != CSVB_OK)
        return e;
    size_t col = r->col + 1 - r->bad_back;
    if (r->bad_fault == CSVB_UTF8_NUL)
        return csvb_diag_set(r->d, CSVB_E_PARSE, r->line,
                             "column %zu: expected text, found a NUL byte (is the file UTF-16 "
                             "or binary?)",
                             col);
    return csvb_diag_set(r->d, CSVB_E_PARSE, r->line,
                         "column %zu: expected UTF-8 text, found invalid byte 0x%02X (convert "
                         "the file to UTF-8, or name its encoding with --encoding)",
                         col, r->bad_byte);
}

/* Extends the validated prefix of the buffer over newly read bytes. */
static void validate_ahead(struct reader *r)
{
    if (r->has_bad || r->valid >= r->len)
        return;
    size_t n = r->len - r->valid;
    size_t ok =
        csvb_utf8_check(&r->utf8, (const unsigned char *)r->buf + r->valid, n, &r->bad_fault);
    r->valid += ok;
    r->has_bad = ok < n;
    if (r->has_bad) {
        /* Report the start of a broken sequence (its lead byte may already be parsed). */
        r->bad_back = r->utf8.seen;
        r->bad_byte = r->bad_back > 0 ? r->utf8.lead : (unsigned char)r->buf[r->valid];
    }
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
    if (!csvb_utf8_complete(&r->utf8))
        return csvb_diag_set(r->d, CSVB_E_PARSE, r->line,
                             "column %zu: expected UTF-8 text, found a truncated multi-byte "
                             "sequence at end of file",
                             r->col + 1 - r->utf8.seen);
    if (csv_fini(&r->parser, on_field, on_row, r) != 0)
        return csvb_diag_set(r->d, CSVB_E_PARSE, r->record_line,
                             "unterminated quoted field: expected a closing '\"', found end of "
                             "file");
    return r->cb_err;
}

static enum csvb_err run_loop(struct reader *r)
{
    bool bom_done = false;
    for (;;) {
        if (cancelled(r->cfg->cancel))
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
        if (!r->eof) {
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
                atomic_fetch_add_explicit(r->cfg->bytes_counter, (uint64_t)got,
                                          memory_order_relaxed);
        }
        if (!bom_done && r->cfg->strip_bom) {
            if (r->len < 3 && !r->eof)
                continue;
            enum csvb_err e = check_bom(r);
            if (e != CSVB_OK)
                return e;
            bom_done = true;
        }
        validate_ahead(r);
        for (;;) {
            if (r->cfg->fast_path && r->col == 0 && !r->prev_cr &&
                r->parser.pstate == LIBCSV_ROW_NOT_BEGUN && r->valid > r->pos) {
                enum csvb_err e;
                r->pos += fast_scan(r, r->buf + r->pos, r->valid - r->pos, &e);
                if (e != CSVB_OK)
                    return e;
                if (r->scan < r->pos)
                    r->scan = r->pos;
            }
            char *nl = memchr(r->buf + r->scan, '\n', r->len - r->scan);
            if (nl == NULL)
                break;
            size_t end = (size_t)(nl - r->buf) + 1;
            if (r->valid < end)
                return fail_at_bad(r);
            enum csvb_err e = process(r, r->buf + r->pos, end - r->pos, true);
            if (e != CSVB_OK)
                return e;
            r->pos = r->scan = end;
        }
        r->scan = r->len;
        if (r->eof) {
            if (r->has_bad)
                return fail_at_bad(r);
            if (r->cfg->range_end) {
                r->at_boundary = r->len == r->pos && r->col == 0 && !r->prev_cr &&
                                 r->parser.pstate == LIBCSV_ROW_NOT_BEGUN &&
                                 csvb_utf8_complete(&r->utf8);
                return CSVB_OK;
            }
            if (r->len > r->pos) {
                enum csvb_err e = process(r, r->buf + r->pos, r->len - r->pos, true);
                if (e != CSVB_OK)
                    return e;
            }
            return finish(r);
        }
        if (r->pos == 0 && r->len == r->cap) {
            /* A line longer than the buffer: stream it to libcsv in pieces. */
            if (r->has_bad)
                return fail_at_bad(r);
            enum csvb_err e = process(r, r->buf, r->len, false);
            if (e != CSVB_OK)
                return e;
            r->pos = r->scan = r->len;
        }
    }
}

enum csvb_err csvb_reader_run(const struct csvb_reader_config *cfg, struct csvb_source src,
                              struct csvb_sink sink, struct csvb_reader_stats *stats,
                              struct csvb_diag *d)
{
    struct reader r;
    memset(&r, 0, sizeof r);
    r.cfg = cfg;
    r.src = src;
    r.sink = sink;
    r.d = d;
    r.line = 1;
    r.record_line = 1;
    csvb_utf8_init(&r.utf8);
    enum csvb_err err = CSVB_OK;
    r.cap = cfg->block_size < CSVB_MIN_BLOCK ? CSVB_MIN_BLOCK : cfg->block_size;
    r.buf = malloc(r.cap);
    r.arena_cap = 4096;
    r.arena = malloc(r.arena_cap); /* never NULL: empty fields point into it */
    unsigned char strict = cfg->lenient ? 0 : CSV_STRICT | CSV_STRICT_FINI;
    if (r.buf == NULL || r.arena == NULL || csv_init(&r.parser, strict) != 0) {
        free(r.buf);
        free(r.arena);
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    }
    csv_set_delim(&r.parser, (unsigned char)cfg->delimiter);
    if (!cfg->lenient)
        csv_set_space_func(&r.parser, never_space);
    csv_set_blk_size(&r.parser, (size_t)64 << 10);
    err = run_loop(&r);
    if (stats != NULL) {
        stats->bytes_read = r.bytes;
        stats->lines = r.line - 1;
        stats->at_boundary = r.at_boundary;
    }
    csv_free(&r.parser);
    free(r.buf);
    free(r.fields);
    free(r.offsets);
    free(r.arena);
    return err;
}
