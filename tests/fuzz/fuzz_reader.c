/* fuzz_reader.c — libFuzzer target over the reader and writer.
 *
 * For every input: (1) the fast path and the plain libcsv path give the same rows and the same
 * error, in a large buffer and in a tiny one fed in small chunks, with each scanner kernel
 * (scalar, SSE2, AVX2) forced; (2) when the input is accepted,
 * writing its records back with the writer and reading them again gives the same records;
 * (3) split at a line feed as the chunked runner splits big files, a first part that ends
 * between records plus the second part give exactly the rows of the whole (lines shifted);
 * (4) the lenient (PowerShell) parser gives the same result whatever the buffering;
 * (5) compressed with gzip and with zstd and read back through the decompressing filter (with
 * and without its read-ahead thread, in small fills), the same rows and error as the plain bytes;
 * the raw bytes through the detecting filter never crash, and pass through when no magic;
 * (6) --quotes lenient (Python's non-strict grammar) gives the same rows whatever the buffering
 * and the fast path, and, on valid UTF-8 without NUL, exactly the rows of lenient_ref.h.
 * (10) strict (the default) gives, on valid UTF-8 without NUL, exactly the rows of lenient_ref.h
 * run as Python's strict=True, and a parse error exactly where that raises (the rows before it
 * delivered); a quote inside an unquoted field is text.
 * (7) the delimiter sniffer (-d auto) gives the same answer for the same bytes however they are
 * fed: through the peek source in any fill size, whole or bounded, compressed or not.
 * (8) --skip-lines k gives exactly the rows and error of the bytes after the first k lines
 * (csvb_sniff_skip, the sniffer's own cut) read alone with their lines shifted by k, in a large
 * buffer and in a tiny one fed in small chunks.
 * (9) --skip-lines auto skips nothing when the first record agrees; what it skips leaves a sample
 * that agrees, and is the preamble the hint would name; the same whatever the feeding (7).
 * (11) --escape '\\', strict and lenient, gives the same rows whatever the buffering and, on
 * valid UTF-8 without NUL, exactly the rows of lenient_ref.h with Python's escapechar (the
 * error where strict Python raises); --escape auto (csvb_sniff_escape) answers the same for the
 * same bytes, and chooses the backslash only for an input that Python's strict reading without
 * it refuses or reads ragged, and reads, strictly and as wide as its header, with it.
 * (12) --comment '#' gives the same rows whatever the buffering and exactly lenient_ref.h's with
 * comment lines skipped; --comment auto chooses '#' only for an input that reads strictly and as
 * wide as its header only with them skipped.
 * Built with clang -fsanitize=fuzzer (make fuzz); with gcc the replay main below runs the
 * corpus files given on the command line (make fuzz-replay), so crashes stay regression tests. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "csvbatch/decompress.h"
#include "csvbatch/reader.h"
#include "csvbatch/sniff.h"
#include "csvbatch/utf8.h"
#include "csvbatch/writer.h"

struct capture {
    char *text;
    size_t len, cap;
    struct csvb_field *rows; /* copies for the round trip: offsets into text */
};

static void put(struct capture *c, const void *s, size_t n)
{
    if (c->len + n + 1 > c->cap) {
        c->cap = (c->len + n + 1) * 2;
        c->text = realloc(c->text, c->cap);
        if (c->text == NULL)
            abort();
    }
    if (n > 0)
        memcpy(c->text + c->len, s, n);
    c->len += n;
    c->text[c->len] = '\0';
}

/* Length-prefixed serialisation, so that any byte in a field stays unambiguous. */
static enum csvb_err on_row(void *ctx, const struct csvb_row *row, bool *stop, struct csvb_diag *d)
{
    (void)stop;
    (void)d;
    struct capture *c = ctx;
    size_t n = row->nfields;
    put(c, "R", 1);
    put(c, &n, sizeof n);
    put(c, &row->line, sizeof row->line);
    for (size_t i = 0; i < n; i++) {
        put(c, &row->fields[i].len, sizeof row->fields[i].len);
        put(c, row->fields[i].ptr, row->fields[i].len);
    }
    return CSVB_OK;
}

struct run_mode {
    bool lenient, strip_bom, range_end;
    unsigned long line_offset; /* added to every row's line (a later chunk) */
    bool at_boundary;          /* out: range_end ended between records */
    bool via_filter;           /* read through the detecting decompress filter */
    bool read_ahead;           /* ... with its thread */
};

static struct capture run_with(const uint8_t *data, size_t size, size_t chunk, size_t block,
                               bool fast, struct run_mode *mode, enum csvb_err *err);
static bool python_mode; /* (6): run_with reads with --quotes lenient */
static size_t skip_mode; /* (8): run_with reads with --skip-lines skip_mode */

static struct capture run(const uint8_t *data, size_t size, size_t chunk, size_t block, bool fast,
                          enum csvb_err *err)
{
    struct run_mode plain = {false, true, false, 0, false, false, false};
    return run_with(data, size, chunk, block, fast, &plain, err);
}

static unsigned long line_shift;
static char escape_mode;  /* (11): --escape for run_with */
static char comment_mode; /* (12): --comment for run_with */

static enum csvb_err on_row_shifted(void *ctx, const struct csvb_row *row, bool *stop,
                                    struct csvb_diag *d)
{
    struct csvb_row shifted = *row;
    shifted.line += line_shift;
    return on_row(ctx, &shifted, stop, d);
}

static struct capture run_with(const uint8_t *data, size_t size, size_t chunk, size_t block,
                               bool fast, struct run_mode *mode, enum csvb_err *err)
{
    struct capture c = {NULL, 0, 0, NULL};
    put(&c, "", 0);
    struct csvb_reader_config cfg;
    csvb_reader_config_init(&cfg);
    cfg.block_size = block;
    cfg.fast_path = fast && !mode->lenient;
    cfg.lenient = mode->lenient;
    cfg.quotes_lenient = python_mode && !mode->lenient;
    cfg.skip_lines = skip_mode;
    cfg.escape = escape_mode;
    cfg.comment = comment_mode;
    cfg.strip_bom = mode->strip_bom;
    cfg.range_end = mode->range_end;
    cfg.max_field_size = 1 << 16;
    struct csvb_mem_source mem = {(const char *)data, size, 0, chunk};
    struct csvb_diag d;
    csvb_diag_init(&d);
    struct csvb_reader_stats stats = {0};
    line_shift = mode->line_offset;
    struct csvb_source src = {csvb_source_mem_fill, &mem};
    struct csvb_decompress *dz = NULL;
    if (mode->via_filter) {
        if ((dz = csvb_decompress_detect_new(src, mode->read_ahead)) == NULL)
            abort();
        src = (struct csvb_source){csvb_decompress_fill, dz};
    }
    *err = csvb_reader_run(&cfg, src, (struct csvb_sink){on_row_shifted, &c}, &stats, &d);
    csvb_decompress_free(dz);
    mode->at_boundary = stats.at_boundary;
    mode->line_offset = stats.lines; /* out: lines seen, for the next part */
    if (*err != CSVB_OK) {
        char e[CSVB_DIAG_MESSAGE_MAX + 64];
        int n = snprintf(e, sizeof e, "E%d@%lu:%s", (int)*err, d.line ? d.line + line_shift : 0,
                         d.message);
        put(&c, e, (size_t)n);
    }
    return c;
}

/* (8): --skip-lines k against the rest read alone (no BOM stripped there: the skip run strips
 * only the file's own, before the lines skipped). Nothing left after the lines: not compared
 * (the skip run fails for want of a header, the rest alone reads nothing). */
static void check_skip(const uint8_t *data, size_t size, size_t chunk, size_t block)
{
    size_t k = size > 1 ? 1 + data[1] % 3 : 1;
    size_t at = csvb_sniff_skip((const char *)data, size, k);
    if (at >= size || (size >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) ||
                                     (data[0] == 0xFE && data[1] == 0xFF))))
        return; /* a UTF-16 byte-order mark fails the file before any line is skipped */
    enum csvb_err want_err, e1, e2;
    struct run_mode rest = {false, false, false, k, false, false, false};
    struct capture want = run_with(data + at, size - at, 0, 1 << 20, true, &rest, &want_err);
    skip_mode = k;
    struct run_mode whole1 = {false, true, false, 0, false, false, false}, whole2 = whole1;
    struct capture big = run_with(data, size, 0, 1 << 20, true, &whole1, &e1);
    struct capture small = run_with(data, size, chunk, block, true, &whole2, &e2);
    skip_mode = 0;
    if (e1 != want_err || big.len != want.len || memcmp(big.text, want.text, want.len) != 0 ||
        e2 != want_err || small.len != want.len || memcmp(small.text, want.text, want.len) != 0) {
        fprintf(stderr,
                "--skip-lines %zu differs from the rest read alone\nrest: %s\nskip: %s\n"
                "small: %s\n",
                k, want.text, big.text, small.text);
        abort();
    }
    free(want.text);
    free(big.text);
    free(small.text);
}

/* (3): split after the first line feed at or past the middle, as chunks.c does. */
static void check_split(const uint8_t *data, size_t size, const struct capture *whole,
                        enum csvb_err whole_err)
{
    const uint8_t *nl = size > 1 ? memchr(data + size / 2, '\n', size - size / 2) : NULL;
    if (nl == NULL || (size_t)(nl - data) + 1 >= size)
        return;
    size_t cut = (size_t)(nl - data) + 1;
    struct run_mode first = {false, true, true, 0, false, false, false};
    enum csvb_err e1, e2;
    struct capture a = run_with(data, cut, 0, 1 << 20, true, &first, &e1);
    if (e1 == CSVB_OK && first.at_boundary) {
        struct run_mode second = {false, false, false, first.line_offset, false, false, false};
        struct capture b = run_with(data + cut, size - cut, 0, 1 << 20, true, &second, &e2);
        put(&a, b.text, b.len);
        if (e2 != whole_err || a.len != whole->len || memcmp(a.text, whole->text, a.len) != 0) {
            fprintf(stderr,
                    "a split at %zu that ended between records changed the result\n"
                    "whole: %s\nsplit: %s\n",
                    cut, whole->text, a.text);
            abort();
        }
        free(b.text);
    } else if (e1 != CSVB_OK) {
        /* An error in the first part is the whole's error too (same bytes, same start). */
        if (whole_err != e1 || memcmp(a.text, whole->text, a.len) != 0) {
            fprintf(stderr, "an error in the first part differs from the whole's\n");
            abort();
        }
    }
    free(a.text);
}

/* Rows only, without line numbers: what must survive a write and re-read. */
struct records {
    struct capture c;
    int fd;
    struct csvb_writer w;
};

static enum csvb_err write_row(void *ctx, const struct csvb_row *row, bool *stop,
                               struct csvb_diag *d)
{
    (void)stop;
    (void)d;
    struct records *r = ctx;
    if (csvb_writer_row(&r->w, row->fields, row->nfields) != CSVB_OK)
        abort();
    size_t n = row->nfields;
    put(&r->c, &n, sizeof n);
    for (size_t i = 0; i < n; i++) {
        put(&r->c, &row->fields[i].len, sizeof row->fields[i].len);
        put(&r->c, row->fields[i].ptr, row->fields[i].len);
    }
    return CSVB_OK;
}

static enum csvb_err record_row(void *ctx, const struct csvb_row *row, bool *stop,
                                struct csvb_diag *d)
{
    (void)stop;
    (void)d;
    struct capture *c = ctx;
    size_t n = row->nfields;
    put(c, &n, sizeof n);
    for (size_t i = 0; i < n; i++) {
        put(c, &row->fields[i].len, sizeof row->fields[i].len);
        put(c, row->fields[i].ptr, row->fields[i].len);
    }
    return CSVB_OK;
}

static void round_trip(const uint8_t *data, size_t size)
{
    struct records r = {{NULL, 0, 0, NULL}, memfd_create("csvb-fuzz", 0), {0}};
    if (r.fd < 0 || csvb_writer_init(&r.w, r.fd, 4096, ',') != CSVB_OK)
        abort();
    put(&r.c, "", 0);
    struct csvb_reader_config cfg;
    csvb_reader_config_init(&cfg);
    cfg.max_field_size = 1 << 16;
    struct csvb_mem_source mem = {(const char *)data, size, 0, 0};
    struct csvb_diag d;
    csvb_diag_init(&d);
    if (csvb_reader_run(&cfg, (struct csvb_source){csvb_source_mem_fill, &mem},
                        (struct csvb_sink){write_row, &r}, NULL, &d) == CSVB_OK) {
        if (csvb_writer_flush(&r.w) != CSVB_OK || lseek(r.fd, 0, SEEK_SET) != 0)
            abort();
        struct capture again = {NULL, 0, 0, NULL};
        put(&again, "", 0);
        csvb_diag_init(&d);
        cfg.max_field_size = (size_t)1 << 20;
        struct csvb_fd_source fds = {r.fd, NULL, false, 0};
        enum csvb_err e = csvb_reader_run(&cfg, (struct csvb_source){csvb_source_fd_fill, &fds},
                                          (struct csvb_sink){record_row, &again}, NULL, &d);
        if (e != CSVB_OK || again.len != r.c.len || memcmp(again.text, r.c.text, r.c.len) != 0) {
            fprintf(stderr, "round trip changed the records (%d: %s)\n", (int)e, d.message);
            abort();
        }
        free(again.text);
    }
    csvb_writer_fini(&r.w);
    close(r.fd);
    free(r.c.text);
}

/* data compressed whole by kind's encoder (level 1), in memory; caller frees. */
static uint8_t *compress_all(enum csvb_compression kind, const uint8_t *data, size_t size,
                             size_t *out_len)
{
    const struct csvb_codec *codec = csvb_codec_for(kind);
    int fd = memfd_create("csvb-fuzz-z", 0);
    void *st = codec->enc_new(1);
    if (fd < 0 || st == NULL || codec->enc_write(st, fd, (const char *)data, size, true) != 0)
        abort();
    codec->enc_free(st);
    off_t len = lseek(fd, 0, SEEK_END);
    uint8_t *out = malloc((size_t)len + 1);
    if (len < 0 || out == NULL || pread(fd, out, (size_t)len, 0) != len)
        abort();
    close(fd);
    *out_len = (size_t)len;
    return out;
}

/* (5) */
static void check_compressed(const uint8_t *data, size_t size, const struct capture *want,
                             enum csvb_err want_err, size_t chunk, size_t block)
{
    static const enum csvb_compression kinds[] = {CSVB_COMPRESSION_GZIP, CSVB_COMPRESSION_ZSTD};
    enum csvb_err e;
    for (size_t k = 0; k < 2; k++) {
        size_t zlen;
        uint8_t *z = compress_all(kinds[k], data, size, &zlen);
        for (int ra = 0; ra < 2; ra++) {
            struct run_mode via = {false, true, false, 0, false, true, ra != 0};
            struct capture got =
                run_with(z, zlen, ra ? 0 : chunk, ra ? 1 << 20 : block, true, &via, &e);
            if (e != want_err || got.len != want->len || memcmp(got.text, want->text, got.len)) {
                fprintf(stderr,
                        "through the %s filter (read-ahead %d) the result changed\n%s\n%s\n",
                        csvb_compression_name(kinds[k]), ra, want->text, got.text);
                abort();
            }
            free(got.text);
        }
        free(z);
    }
    struct run_mode raw = {false, true, false, 0, false, true, true};
    struct capture got = run_with(data, size, chunk, block, true, &raw, &e);
    if (csvb_compression_detect(data, size) == CSVB_COMPRESSION_NONE &&
        (e != want_err || got.len != want->len || memcmp(got.text, want->text, got.len) != 0)) {
        fprintf(stderr, "plain bytes through the detecting filter changed the result\n");
        abort();
    }
    free(got.text);
}

#include "lenient_ref.h"

/* (6) */
static void check_python_lenient(const uint8_t *data, size_t size, size_t chunk, size_t block)
{
    enum csvb_err e1, e2, e3;
    python_mode = true;
    struct capture a = run(data, size, 0, 1 << 20, false, &e1);
    struct capture b = run(data, size, 0, 1 << 20, true, &e2);
    struct capture c = run(data, size, chunk, block, true, &e3);
    python_mode = false;
    if (e1 != e2 || e1 != e3 || a.len != b.len || a.len != c.len || memcmp(a.text, b.text, a.len) ||
        memcmp(a.text, c.text, a.len)) {
        fprintf(stderr, "--quotes lenient depends on buffering or the fast path\n%s\n%s\n%s\n",
                a.text, b.text, c.text);
        abort();
    }
    struct csvb_utf8 v;
    csvb_utf8_init(&v);
    enum csvb_utf8_fault fault;
    bool text = csvb_utf8_check(&v, data, size, &fault) == size && csvb_utf8_complete(&v);
    struct capture ref = {NULL, 0, 0, NULL};
    put(&ref, "", 0);
    bool raised;
    size_t longest = python_reference(data, size, false, &raised, &ref);
    if (text && longest <= (1 << 16) && size < (1 << 16) &&
        (e1 != CSVB_OK || ref.len != a.len || memcmp(ref.text, a.text, a.len) != 0)) {
        fprintf(stderr, "--quotes lenient differs from the reference (error %d)\n", (int)e1);
        abort();
    }
    /* (10): strict, as the default reads (fast path on) */
    ref.len = 0;
    longest = python_reference(data, size, true, &raised, &ref);
    enum csvb_err e4;
    struct capture s = run(data, size, 0, 1 << 20, true, &e4);
    bool fits = text && longest <= (1 << 16) && size < (1 << 16);
    if (fits && (raised ? e4 != CSVB_E_PARSE || s.len <= ref.len ||
                              memcmp(ref.text, s.text, ref.len) || s.text[ref.len] != 'E'
                        : e4 != CSVB_OK || ref.len != s.len || memcmp(ref.text, s.text, s.len))) {
        fprintf(stderr, "strict differs from Python's strict=True (raised %d, error %d)\n%s\n",
                (int)raised, (int)e4, s.text);
        abort();
    }
    free(s.text);
    free(ref.text);
    free(a.text);
    free(b.text);
    free(c.text);
}

/* Whether ref (python_reference's capture) holds records all as wide as the first, at least two. */
static bool ref_even(const struct capture *ref)
{
    size_t at = 0, first = 0, n = 0;
    while (at < ref->len && ref->text[at] == 'R') {
        size_t nf;
        memcpy(&nf, ref->text + at + 1, sizeof nf);
        if (n++ == 0)
            first = nf;
        else if (nf != first)
            return false;
        at += 1 + sizeof nf + sizeof(unsigned long);
        for (size_t f = 0; f < nf; f++) {
            size_t len;
            memcpy(&len, ref->text + at, sizeof len);
            at += sizeof len + len;
        }
    }
    return n >= 2;
}

/* Whether data is what the references read: valid UTF-8 without NUL, small enough. */
static bool reference_text(const uint8_t *data, size_t size)
{
    struct csvb_utf8 v;
    csvb_utf8_init(&v);
    enum csvb_utf8_fault fault;
    return csvb_utf8_check(&v, data, size, &fault) == size && csvb_utf8_complete(&v) &&
           memchr(data, 0, size) == NULL && size < (1 << 16);
}

/* (11), (12): the reader under escape_mode, comment_mode and python_mode (as set) gives the same
 * in every buffering and, on reference_text, lenient_ref.h's rows with the same escape and
 * comment character (the error where the strict reference raises). */
static void check_dialect(const uint8_t *data, size_t size, size_t chunk, size_t block,
                          const char *what)
{
    enum csvb_err e1, e2;
    struct capture a = run(data, size, 0, 1 << 20, true, &e1);
    struct capture b = run(data, size, chunk, block, true, &e2);
    if (e1 != e2 || a.len != b.len || memcmp(a.text, b.text, a.len)) {
        fprintf(stderr, "%s depends on buffering\n%s\n%s\n", what, a.text, b.text);
        abort();
    }
    struct capture ref = {NULL, 0, 0, NULL};
    put(&ref, "", 0);
    bool raised;
    size_t longest = python_reference_dialect(
        data, size, !python_mode, escape_mode ? (unsigned char)escape_mode : -1,
        comment_mode ? (unsigned char)comment_mode : -1, &raised, &ref);
    if (reference_text(data, size) && longest <= (1 << 16) &&
        (raised ? e1 != CSVB_E_PARSE || a.len <= ref.len || memcmp(ref.text, a.text, ref.len) ||
                      a.text[ref.len] != 'E'
                : e1 != CSVB_OK || ref.len != a.len || memcmp(ref.text, a.text, a.len))) {
        fprintf(stderr, "%s differs from the reference (lenient %d, raised %d, error %d)\n%s\n",
                what, (int)python_mode, (int)raised, (int)e1, a.text);
        abort();
    }
    free(ref.text);
    free(a.text);
    free(b.text);
}

/* Whether the strict reference of data, with escape and comment characters escape and comment
 * (-1: none), raises nothing and reads every record as wide as the header (two at least). */
static bool reference_reads(const uint8_t *data, size_t size, int escape, int comment)
{
    struct capture ref = {NULL, 0, 0, NULL};
    put(&ref, "", 0);
    bool raised;
    python_reference_dialect(data, size, true, escape, comment, &raised, &ref);
    bool even = !raised && ref_even(&ref);
    free(ref.text);
    return even;
}

/* (11) */
static void check_escape(const uint8_t *data, size_t size, size_t chunk, size_t block)
{
    escape_mode = '\\';
    for (int lenient = 0; lenient < 2; lenient++) {
        python_mode = lenient;
        check_dialect(data, size, chunk, block, "--escape");
    }
    python_mode = false;
    escape_mode = '\0';
    /* --escape auto, on the whole input as its sample (BOM and all: csvb_sniff_skip's cut) */
    size_t from = csvb_sniff_skip((const char *)data, size, 0);
    char got = csvb_sniff_escape((const char *)data + from, size - from, true, ',');
    if (csvb_sniff_escape((const char *)data + from, size - from, true, ',') != got)
        abort();
    if (got != '\0' && reference_text(data, size) &&
        (!reference_reads(data, size, '\\', -1) || reference_reads(data, size, -1, -1))) {
        fprintf(stderr, "--escape auto chose a backslash against Python's readings\n");
        abort();
    }
}

/* (12) */
static void check_comment(const uint8_t *data, size_t size, size_t chunk, size_t block)
{
    comment_mode = '#';
    check_dialect(data, size, chunk, block, "--comment");
    comment_mode = '\0';
    size_t from = csvb_sniff_skip((const char *)data, size, 0);
    char got = csvb_sniff_comment((const char *)data + from, size - from, true, ',', '\0');
    if (got != '\0' && reference_text(data, size) &&
        (!reference_reads(data, size, -1, '#') || reference_reads(data, size, -1, -1))) {
        fprintf(stderr, "--comment auto chose '#' against the readings\n");
        abort();
    }
}

/* (7): the sample the peek holds, and so the answer, depend on the bytes alone. */
static void check_sniff_once(const uint8_t *data, size_t size, size_t want, size_t chunk,
                             bool compressed)
{
    struct csvb_sniff pure, fed;
    size_t len = size < want ? size : want;
    csvb_sniff_sample((const char *)data, len, size < want, size & 1 ? '\t' : ',', &pure);
    size_t zlen = size;
    uint8_t *z = compressed ? compress_all(CSVB_COMPRESSION_GZIP, data, size, &zlen) : NULL;
    struct csvb_mem_source mem = {(const char *)(z != NULL ? z : data), zlen, 0, chunk};
    struct csvb_source src = {csvb_source_mem_fill, &mem};
    struct csvb_decompress *dz = NULL;
    if (compressed) {
        if ((dz = csvb_decompress_detect_new(src, false)) == NULL)
            abort();
        src = (struct csvb_source){csvb_decompress_fill, dz};
    }
    struct csvb_peek p;
    if (!csvb_peek_init(&p, src, want))
        abort();
    csvb_sniff_sample(p.buf, p.len, p.ended && p.err == 0, size & 1 ? '\t' : ',', &fed);
    /* every byte still reaches the reader, in order */
    char *all = malloc(size + 1);
    size_t got = 0;
    long n;
    while (all != NULL && got <= size && (n = csvb_peek_fill(&p, all + got, size + 1 - got)) > 0)
        got += (size_t)n;
    struct csvb_sniff after_pure, after_fed;
    size_t skip_pure =
        csvb_sniff_auto_skip((const char *)data, len, size < want, ',', '\0', &after_pure);
    size_t skip_fed =
        csvb_sniff_auto_skip(p.buf, p.len, p.ended && p.err == 0, ',', '\0', &after_fed);
    if (p.len != len || (len > 0 && memcmp(p.buf, data, len) != 0) ||
        fed.delimiter != pure.delimiter || fed.agree != pure.agree || skip_fed != skip_pure ||
        after_fed.delimiter != after_pure.delimiter || after_fed.agree != after_pure.agree ||
        all == NULL || got != size || (size > 0 && memcmp(all, data, size) != 0)) {
        fprintf(stderr,
                "sniffing depends on the feeding (want %zu, chunk %zu, gzip %d): %02x %02x\n", want,
                chunk, compressed, pure.delimiter, fed.delimiter);
        abort();
    }
    free(all);
    csvb_peek_fini(&p);
    csvb_decompress_free(dz);
    free(z);
}

/* (9) --skip-lines auto: 0 when the sample's first record agrees under its delimiter; else, when
 * it skips k lines, what follows them agrees (with a record after its header), and k is the
 * fewest such: k - 1 lines would not do. */
static void check_auto_skip(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    size_t len = size < CSVB_SNIFF_SAMPLE ? size : CSVB_SNIFF_SAMPLE;
    bool complete = size <= CSVB_SNIFF_SAMPLE;
    static const char cands[] = CSVB_SNIFF_CANDIDATES;
    for (int e = 0; e < 2; e++) {
        char ext = e ? '\t' : ',';
        struct csvb_sniff s, got;
        csvb_sniff_sample(text, len, complete, ext, &s);
        size_t k = csvb_sniff_auto_skip(text, len, complete, ext, '\0', &got);
        bool agrees = (s.agree & (1u << (strchr(cands, s.delimiter) - cands))) != 0;
        bool bad = (agrees && k != 0) ||
                   (k == 0 && (got.delimiter != s.delimiter || got.agree != s.agree));
        if (k > 0) {
            size_t at = csvb_sniff_skip(text, len, k);
            struct csvb_sniff after;
            csvb_sniff_sample(text + at, len - at, complete, ext, &after);
            unsigned i = (unsigned)(strchr(cands, after.delimiter) - cands);
            bad = bad || k > CSVB_SNIFF_PREAMBLE_MAX || (after.agree & (1u << i)) == 0 ||
                  got.delimiter != after.delimiter || got.agree != after.agree ||
                  after.exact[i] == 0 || csvb_sniff_preamble(text, len, complete, ext, '\0') != k;
        }
        if (bad) {
            fprintf(stderr, "auto skip: %zu lines, agrees %d\n", k, agrees);
            abort();
        }
    }
}

static void check_sniff(const uint8_t *data, size_t size, size_t chunk)
{
    check_auto_skip(data, size);
    check_sniff_once(data, size, CSVB_SNIFF_SAMPLE, 0, false);
    check_sniff_once(data, size, CSVB_SNIFF_SAMPLE, chunk, false);
    check_sniff_once(data, size, size / 2 + 1, chunk, false);
    check_sniff_once(data, size, CSVB_SNIFF_SAMPLE, chunk, true);
}

/* (1) again with each scanner kernel forced (scan_kernel.h), in one large buffer, in the small
 * one, and in a medium one (33 to 332 bytes) whose edges fall anywhere in a 64-byte block. */
static void check_levels(const uint8_t *data, size_t size, const struct capture *want,
                         enum csvb_err want_err, size_t chunk, size_t block)
{
    static const char *const levels[] = {"scalar", "sse2", "avx2"};
    for (size_t k = 0; k < 3; k++) {
        setenv("CSVB_SCAN_ISA", levels[k], 1);
        size_t medium = 33 + (size > 0 ? (size_t)data[size / 2] * 7 % 300 : 0);
        for (int small = 0; small < 3; small++) {
            enum csvb_err e;
            size_t b = small == 0 ? 1 << 20 : small == 1 ? block : medium;
            struct capture got = run(data, size, (size_t)small * chunk, b, true, &e);
            if (e != want_err || got.len != want->len || memcmp(got.text, want->text, got.len)) {
                fprintf(stderr, "the %s scanner (small buffers %d) disagrees with libcsv\n%s\n%s\n",
                        levels[k], small, want->text, got.text);
                abort();
            }
            free(got.text);
        }
    }
    unsetenv("CSVB_SCAN_ISA");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    enum csvb_err e1, e2, e3;
    line_shift = 0;
    struct capture slow = run(data, size, 0, 1 << 20, false, &e1);
    struct capture fast = run(data, size, 0, 1 << 20, true, &e2);
    size_t chunk = size > 0 ? 1 + data[0] % 13 : 1, block = size > 1 ? 4 + data[size - 1] % 29 : 4;
    struct capture small = run(data, size, chunk, block, true, &e3);
    if (e1 != e2 || slow.len != fast.len || memcmp(slow.text, fast.text, slow.len) != 0) {
        fprintf(stderr, "fast path and libcsv disagree\nlibcsv: %s\nfast:   %s\n", slow.text,
                fast.text);
        abort();
    }
    if (e1 != e3 || slow.len != small.len || memcmp(slow.text, small.text, slow.len) != 0) {
        fprintf(stderr, "chunk %zu / block %zu changes the result\n", chunk, block);
        abort();
    }
    check_levels(data, size, &slow, e1, chunk, block);
    check_split(data, size, &slow, e1);
    check_compressed(data, size, &slow, e1, chunk, block);
    free(slow.text);
    free(fast.text);
    free(small.text);
    round_trip(data, size);
    /* (4) the lenient parser does not depend on buffering either */
    struct run_mode lenient1 = {true, true, false, 0, false, false, false}, lenient2 = lenient1;
    struct capture l1 = run_with(data, size, 0, 1 << 20, false, &lenient1, &e1);
    struct capture l2 = run_with(data, size, chunk, block, false, &lenient2, &e2);
    if (e1 != e2 || l1.len != l2.len || memcmp(l1.text, l2.text, l1.len) != 0) {
        fprintf(stderr, "lenient parse depends on buffering\n%s\n%s\n", l1.text, l2.text);
        abort();
    }
    free(l1.text);
    free(l2.text);
    check_python_lenient(data, size, chunk, block);
    check_escape(data, size, chunk, block);
    check_comment(data, size, chunk, block);
    check_sniff(data, size, chunk);
    check_skip(data, size, chunk, block);
    return 0;
}

#ifndef CSVB_LIBFUZZER
/* Replay: run the target on every file named (a regression runner for gcc builds). */
int main(int argc, char **argv)
{
    int count = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (f == NULL) {
            perror(argv[i]);
            return 1;
        }
        size_t cap = 1 << 16, len = 0, n;
        uint8_t *buf = malloc(cap);
        while (buf != NULL && (n = fread(buf + len, 1, cap - len, f)) > 0) {
            len += n;
            if (len == cap)
                buf = realloc(buf, cap *= 2);
        }
        fclose(f);
        if (buf == NULL)
            return 1;
        LLVMFuzzerTestOneInput(buf, len);
        free(buf);
        count++;
    }
    printf("fuzz replay: %d inputs, %d passed, 0 failed\n", count, count);
    return 0;
}
#endif
