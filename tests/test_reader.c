/* test_reader.c — the reader on every input, fed in every chunk size, with tiny and large
 * buffers, through the fast path and through libcsv alone: all must agree, byte for byte. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/reader.h"

struct capture {
    char *text;
    size_t len, cap;
};

static void cap_put(struct capture *c, const char *s, size_t n)
{
    if (c->len + n + 1 > c->cap) {
        c->cap = (c->len + n + 1) * 2;
        c->text = realloc(c->text, c->cap);
    }
    memcpy(c->text + c->len, s, n);
    c->len += n;
    c->text[c->len] = '\0';
}

/* Serialises a row as "LINE:[f1][f2]...\n". */
static enum csvb_err capture_row(void *ctx, const struct csvb_row *row, bool *stop,
                                 struct csvb_diag *d)
{
    (void)stop;
    (void)d;
    struct capture *c = ctx;
    char head[32];
    snprintf(head, sizeof head, "%lu:", row->line);
    cap_put(c, head, strlen(head));
    for (size_t i = 0; i < row->nfields; i++) {
        cap_put(c, "[", 1);
        cap_put(c, row->fields[i].ptr, row->fields[i].len);
        cap_put(c, "]", 1);
    }
    cap_put(c, "\n", 1);
    return CSVB_OK;
}

/* Runs the reader over data and returns the rows, then "E<code>@<line>:<message>" on error. */
static char *read_all(const char *data, size_t len, size_t chunk, size_t block, bool fast,
                      size_t max_field)
{
    struct capture c = {NULL, 0, 0};
    cap_put(&c, "", 0);
    struct csvb_reader_config cfg;
    csvb_reader_config_init(&cfg);
    cfg.block_size = block;
    cfg.fast_path = fast;
    if (max_field > 0)
        cfg.max_field_size = max_field;
    struct csvb_mem_source mem = {data, len, 0, chunk};
    struct csvb_source src = {csvb_source_mem_fill, &mem};
    struct csvb_sink sink = {capture_row, &c};
    struct csvb_diag d;
    csvb_diag_init(&d);
    enum csvb_err e = csvb_reader_run(&cfg, src, sink, NULL, &d);
    if (e != CSVB_OK) {
        char err[CSVB_DIAG_MESSAGE_MAX + 64];
        snprintf(err, sizeof err, "E%d@%lu:%s", (int)e, d.line, d.message);
        cap_put(&c, err, strlen(err));
    }
    return c.text;
}

struct reader_case {
    const char *name;
    const char *input;
    size_t len; /* 0 = strlen(input) */
    const char *expected;
    size_t max_field;
};

#define CASE(n, in, out)                                                                           \
    {                                                                                              \
        n, in, sizeof(in) - 1, out, 0                                                              \
    }

static const struct reader_case cases[] = {
    CASE("lf", "a,b\n1,2\n", "1:[a][b]\n2:[1][2]\n"),
    CASE("no final newline", "a,b\n1,2", "1:[a][b]\n2:[1][2]\n"),
    CASE("crlf", "a,b\r\n1,2\r\n", "1:[a][b]\n2:[1][2]\n"),
    CASE("cr only", "a,b\r1,2\r", "1:[a][b]\n2:[1][2]\n"),
    CASE("cr at eof", "a,b\n1,2\r", "1:[a][b]\n2:[1][2]\n"),
    CASE("bom",
         "\xEF\xBB\xBF"
         "a,b\n1,2\n",
         "1:[a][b]\n2:[1][2]\n"),
    CASE("bom only", "\xEF\xBB\xBF", ""),
    CASE("empty", "", ""),
    CASE("quoted newline", "a,b\n\"x\ny\",2\n3,4\n", "1:[a][b]\n2:[x\ny][2]\n4:[3][4]\n"),
    CASE("quoted crlf", "a\n\"x\r\ny\"\n2\n", "1:[a]\n2:[x\r\ny]\n4:[2]\n"),
    CASE("quoted cr, cr lines", "a\r\"x\ry\"\r1\r", "1:[a]\n2:[x\ry]\n4:[1]\n"),
    CASE("doubled quotes", "a\n\"he said \"\"hi\"\"\"\n", "1:[a]\n2:[he said \"hi\"]\n"),
    CASE("comma in quotes", "a,b\n\"x,y\",z\n", "1:[a][b]\n2:[x,y][z]\n"),
    CASE("export-csv shape", "\"Name\",\"ID\"\r\n\"Ann \"\"A\"\"\",\"1\"\r\n\"B\r\nb\",\"\"\r\n",
         "1:[Name][ID]\n2:[Ann \"A\"][1]\n3:[B\r\nb][]\n"),
    CASE("doubled quotes everywhere", "\"\"\"\"\"\",\"\"\"\"\n\"a\"\"\"\n",
         "1:[\"\"][\"]\n2:[a\"]\n"),
    CASE("quoted then bare quote", "\"a\",b\n\"c\",d\"\n", "1:[a][b]\n2:[c][d\"]\n"),
    CASE("quotes inside unquoted fields are text", "a,b\n5' 6\",x\"y\"z\n \"q\",\"\"\n",
         "1:[a][b]\n2:[5' 6\"][x\"y\"z]\n3:[ \"q\"][]\n"),
    CASE("quoted newlines, lone cr lines", "\"a\nb\"\r\"c\r\nd\"\r\"\"\r",
         "1:[a\nb]\n3:[c\r\nd]\n5:[]\n"),
    CASE("blank lines", "a\n\n\r\n1\n\n", "1:[a]\n4:[1]\n"),
    CASE("empty fields", "a,b,c\n,,\n", "1:[a][b][c]\n2:[][][]\n"),
    CASE("spaces kept", "a,b\n Active , x\t\n", "1:[a][b]\n2:[ Active ][ x\t]\n"),
    CASE("quoted empty", "a,b\n\"\",x\n", "1:[a][b]\n2:[][x]\n"),
    CASE("quoted then more lines", "a\n\"q\"\nb\nc\n", "1:[a]\n2:[q]\n3:[b]\n4:[c]\n"),
    CASE("utf8", "n\nJos\xC3\xA9 \xE6\x97\xA5\xF0\x9F\x98\x80\n",
         "1:[n]\n2:[Jos\xC3\xA9 \xE6\x97\xA5\xF0\x9F\x98\x80]\n"),
    CASE("unterminated at eof", "a,b\n1,\"abc\n",
         "1:[a][b]\nE3@2:unterminated quoted field: expected a closing '\"', found end of file"),
    CASE("unterminated mid-file", "a\n\"x\ny\nz\n",
         "1:[a]\nE3@2:unterminated quoted field: expected a closing '\"', found end of file"),
    CASE("bare quote", "a,b\n1,x\"y\n", "1:[a][b]\n2:[1][x\"y]\n"),
    CASE("text after closing quote", "a,b\n\"x\"y,1\n",
         "1:[a][b]\nE3@2:column 4: expected ',' or end of line after a closing quote, found "
         "'y' (a quoted field ends at its closing quote: a quote inside it must be doubled)"),
    CASE("space after closing quote", "a,b\n\"x\" ,1\n",
         "1:[a][b]\nE3@2:column 4: expected ',' or end of line after a closing quote, found "
         "' ' (a quoted field ends at its closing quote: a quote inside it must be doubled)"),
    CASE("error line after quoted newline", "a\n\"x\ny\"\n\"p\"q\n",
         "1:[a]\n2:[x\ny]\nE3@4:column 4: expected ',' or end of line after a closing quote, "
         "found 'q' (a quoted field ends at its closing quote: a quote inside it must be "
         "doubled)"),
    CASE("nul", "a,b\n1,\0\n",
         "1:[a][b]\nE3@2:column 3: expected text, found a NUL byte (is the file UTF-16 or "
         "binary?)"),
    CASE("invalid utf8", "a\n\xFF\n",
         "1:[a]\nE3@2:column 1: expected UTF-8 text, found invalid byte 0xFF (convert the file "
         "to UTF-8, or name its encoding with --encoding)"),
    CASE("latin1", "a\ncaf\xE9,x\n",
         "1:[a]\nE3@2:column 4: expected UTF-8 text, found invalid byte 0xE9 (convert the file "
         "to UTF-8, or name its encoding with --encoding)"),
    CASE("overlong", "a\n\xC0\xAF\n",
         "1:[a]\nE3@2:column 1: expected UTF-8 text, found invalid byte 0xC0 (convert the file "
         "to UTF-8, or name its encoding with --encoding)"),
    CASE("surrogate", "a\n\xED\xA0\x80\n",
         "1:[a]\nE3@2:column 1: expected UTF-8 text, found invalid byte 0xED (convert the file "
         "to UTF-8, or name its encoding with --encoding)"),
    CASE("truncated utf8 at eof", "a\n\xC3",
         "1:[a]\nE3@2:column 1: expected UTF-8 text, found a truncated multi-byte sequence at "
         "end of file"),
    CASE("utf16 le bom",
         "\xFF\xFE"
         "a\0,\0",
         "E3@1:expected UTF-8 text, found a UTF-16 byte-order mark (convert the file to UTF-8)"),
    CASE("utf16 be bom", "\xFE\xFF\0a",
         "E3@1:expected UTF-8 text, found a UTF-16 byte-order mark (convert the file to UTF-8)"),
    CASE("utf16 without bom", "a\0,\0b\0\n\0",
         "E3@1:column 2: expected text, found a NUL byte (is the file UTF-16 or binary?)"),
    {"field limit", "a\n12345\n", 0,
     "1:[a]\nE5@2:expected fields of at most 4 bytes (--max-field-size), found a larger one", 4},
    {"quoted field limit", "a\n\"12\n345\"\n", 0,
     "1:[a]\nE5@2:expected fields of at most 4 bytes (--max-field-size), found a larger one", 4},
    {"record limit", "a\n12,34,5\n", 0,
     "1:[a]\nE5@2:expected records of at most 4 bytes (--max-field-size), found a larger one", 4},
};

Test(reader, table_every_chunk_block_and_path)
{
    static const size_t blocks[] = {4, 5, 7, 16, 64, 1 << 20};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        const struct reader_case *c = &cases[k];
        size_t len = c->len ? c->len : strlen(c->input);
        for (size_t chunk = 1; chunk <= len + 1; chunk++) {
            for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++) {
                for (int fast = 0; fast < 2; fast++) {
                    char *got = read_all(c->input, len, chunk, blocks[b], fast, c->max_field);
                    cr_assert_str_eq(got, c->expected, "case '%s' chunk %zu block %zu fast %d",
                                     c->name, chunk, blocks[b], fast);
                    free(got);
                }
            }
        }
    }
}

Test(reader, tab_delimiter_and_semicolon)
{
    struct csvb_reader_config cfg;
    csvb_reader_config_init(&cfg);
    for (int fast = 0; fast < 2; fast++) {
        struct capture c = {NULL, 0, 0};
        cap_put(&c, "", 0);
        cfg.delimiter = '\t';
        cfg.fast_path = fast;
        const char *in = "a\tb\n\"x\ty\"\t2\n c\t,\n";
        struct csvb_mem_source mem = {in, strlen(in), 0, 3};
        struct csvb_diag d;
        csvb_diag_init(&d);
        cr_assert_eq(csvb_reader_run(&cfg, (struct csvb_source){csvb_source_mem_fill, &mem},
                                     (struct csvb_sink){capture_row, &c}, NULL, &d),
                     CSVB_OK);
        cr_assert_str_eq(c.text, "1:[a][b]\n2:[x\ty][2]\n3:[ c][,]\n");
        free(c.text);
    }
}

/* A deterministic generator of nasty inputs: quotes, delimiters, every line ending, UTF-8 and
 * broken UTF-8, NULs, long fields. */
static size_t random_input(unsigned *seed, char *out, size_t cap)
{
    static const char *const atoms[] = {"a",
                                        "Active",
                                        ",",
                                        ",",
                                        "\"",
                                        "\"\"",
                                        "\n",
                                        "\n",
                                        "\r\n",
                                        "\r",
                                        " ",
                                        "\t",
                                        "\xC3\xA9",
                                        "\xE6\x97\xA5",
                                        "\xF0\x9F\x98\x80",
                                        "\xC3",
                                        "\xFF",
                                        "x,y",
                                        "\"q\"",
                                        "\"a,b\"",
                                        "\"l1\nl2\""};
    size_t n = 0, natoms = sizeof atoms / sizeof atoms[0];
    size_t count = (size_t)(rand_r(seed) % 40);
    for (size_t i = 0; i < count; i++) {
        int r = rand_r(seed);
        const char *a = atoms[(size_t)r % natoms];
        if (r % 97 == 0)
            a = "\0";
        size_t len = a[0] == '\0' ? 1 : strlen(a);
        if (n + len >= cap)
            break;
        memcpy(out + n, a, len);
        n += len;
    }
    if (rand_r(seed) % 5 == 0 && n + 3 < cap) { /* sometimes a BOM */
        memmove(out + 3, out, n);
        memcpy(out, "\xEF\xBB\xBF", 3);
        n += 3;
    }
    return n;
}

Test(reader, differential_fast_vs_libcsv_random)
{
    unsigned seed = 12345;
    char buf[512];
    for (int iter = 0; iter < 4000; iter++) {
        size_t len = random_input(&seed, buf, sizeof buf);
        char *slow = read_all(buf, len, len + 1, 1 << 20, false, 0);
        char *fast = read_all(buf, len, len + 1, 1 << 20, true, 0);
        cr_assert_str_eq(fast, slow, "iteration %d", iter);
        size_t chunk = 1 + (size_t)(rand_r(&seed) % 7), block = 4 + (size_t)(rand_r(&seed) % 20);
        char *small = read_all(buf, len, chunk, block, true, 0);
        cr_assert_str_eq(small, slow, "iteration %d chunk %zu block %zu", iter, chunk, block);
        free(slow);
        free(fast);
        free(small);
    }
}

/* The fast path with each scanner kernel forced agrees with libcsv on quote-rich inputs. */
Test(reader, differential_every_scan_level)
{
    static const char *const levels[] = {"scalar", "sse2", "avx2"};
    unsigned seed = 777;
    char buf[512];
    for (int iter = 0; iter < 1500; iter++) {
        size_t len = random_input(&seed, buf, sizeof buf);
        char *slow = read_all(buf, len, len + 1, 1 << 20, false, 0);
        size_t chunk = 1 + (size_t)(rand_r(&seed) % 7), block = 4 + (size_t)(rand_r(&seed) % 80);
        for (size_t k = 0; k < 3; k++) {
            setenv("CSVB_SCAN_ISA", levels[k], 1);
            char *fast = read_all(buf, len, len + 1, 1 << 20, true, 0);
            char *small = read_all(buf, len, chunk, block, true, 0);
            cr_assert_str_eq(fast, slow, "iteration %d, %s", iter, levels[k]);
            cr_assert_str_eq(small, slow, "iteration %d, %s, chunk %zu block %zu", iter, levels[k],
                             chunk, block);
            free(fast);
            free(small);
        }
        unsetenv("CSVB_SCAN_ISA");
        free(slow);
    }
}

/* Export-Csv and Excel shapes, a few KB, against libcsv with every buffer size from 60 to 140
 * bytes: buffer edges fall on every byte of the 64-byte blocks, inside doubled quotes and
 * quoted CRLFs, and on quotes that end a block. */
Test(reader, quoted_shapes_every_buffer_edge)
{
    static const char *const levels[] = {"scalar", "sse2", "avx2"};
    char buf[4096];
    size_t n = 0;
    for (int i = 0; n + 200 < sizeof buf; i++)
        n += (size_t)snprintf(buf + n, sizeof buf - n,
                              i % 2 ? "\"N%d\",\"%d\",\"say \"\"hi\"\"\",\"l1\r\nl2\"\r\n"
                                    : "%d,\"x%d\",\"\"\"\",\"a,b\nc\",plain\n",
                              i, i * 7);
    char *slow = read_all(buf, n, n + 1, 1 << 20, false, 0);
    for (size_t k = 0; k < 3; k++) {
        setenv("CSVB_SCAN_ISA", levels[k], 1);
        for (size_t block = 60; block <= 140; block++) {
            char *fast = read_all(buf, n, 1 + block % 7 * 11, block, true, 0);
            cr_assert_str_eq(fast, slow, "%s block %zu", levels[k], block);
            free(fast);
        }
    }
    unsetenv("CSVB_SCAN_ISA");
    free(slow);
}

static enum csvb_err stop_at_second(void *ctx, const struct csvb_row *row, bool *stop,
                                    struct csvb_diag *d)
{
    (void)stop;
    int *count = ctx;
    if (++*count == 2)
        return csvb_diag_set(d, CSVB_E_SCHEMA, row->line, "stop");
    return CSVB_OK;
}

Test(reader, sink_error_stops_reading)
{
    for (int fast = 0; fast < 2; fast++) {
        int count = 0;
        struct csvb_reader_config cfg;
        csvb_reader_config_init(&cfg);
        cfg.fast_path = fast;
        const char *in = "a\nb\nc\nd\n";
        struct csvb_mem_source mem = {in, strlen(in), 0, 0};
        struct csvb_diag d;
        csvb_diag_init(&d);
        enum csvb_err e = csvb_reader_run(&cfg, (struct csvb_source){csvb_source_mem_fill, &mem},
                                          (struct csvb_sink){stop_at_second, &count}, NULL, &d);
        cr_assert_eq(e, CSVB_E_SCHEMA);
        cr_assert_eq(count, 2);
        cr_assert_eq(d.line, 2);
    }
}

static enum csvb_err stop_after_second(void *ctx, const struct csvb_row *row, bool *stop,
                                       struct csvb_diag *d)
{
    (void)d;
    struct capture *c = ctx;
    cap_put(c, row->fields[0].ptr, row->fields[0].len);
    *stop = c->len == 2;
    return CSVB_OK;
}

Test(reader, sink_stop_ends_reading_without_an_error)
{
    /* the second record is quoted in one input: libcsv's path stops as the fast path does */
    static const char *const inputs[] = {"a\nb\nc\nd\n", "a\n\"b\"\nc\nd", "a\r\nb\r\nc"};
    for (size_t k = 0; k < 3; k++) {
        for (int fast = 0; fast < 2; fast++) {
            for (size_t chunk = 1; chunk <= 4; chunk++) {
                struct capture c = {NULL, 0, 0};
                cap_put(&c, "", 0);
                struct csvb_reader_config cfg;
                csvb_reader_config_init(&cfg);
                cfg.fast_path = fast;
                cfg.block_size = 4;
                struct csvb_mem_source mem = {inputs[k], strlen(inputs[k]), 0, chunk};
                struct csvb_diag d;
                csvb_diag_init(&d);
                struct csvb_reader_stats st = {0};
                enum csvb_err e =
                    csvb_reader_run(&cfg, (struct csvb_source){csvb_source_mem_fill, &mem},
                                    (struct csvb_sink){stop_after_second, &c}, &st, &d);
                cr_assert_eq(e, CSVB_OK, "input %zu fast %d chunk %zu", k, fast, chunk);
                cr_assert(st.stopped);
                cr_assert_str_eq(c.text, "ab", "no record after the stop");
                cr_assert_eq(st.lines, 2u, "the stopping record's line end is counted");
                cr_assert_eq(d.code, CSVB_OK);
                free(c.text);
            }
        }
    }
}

Test(reader, stats_stopped_is_false_when_read_to_the_end)
{
    struct capture c = {NULL, 0, 0};
    cap_put(&c, "", 0);
    struct csvb_reader_config cfg;
    csvb_reader_config_init(&cfg);
    struct csvb_mem_source mem = {"a\nb\n", 4, 0, 0};
    struct csvb_diag d;
    csvb_diag_init(&d);
    struct csvb_reader_stats st = {0, 0, false, true, 0, CSVB_READER_FAIL_NONE, 0};
    cr_assert_eq(csvb_reader_run(&cfg, (struct csvb_source){csvb_source_mem_fill, &mem},
                                 (struct csvb_sink){capture_row, &c}, &st, &d),
                 CSVB_OK);
    cr_assert(!st.stopped);
    cr_assert_eq(st.lines, 2u);
    free(c.text);
}

Test(reader, cancel_flag_stops_before_reading)
{
    _Atomic int cancel = 1;
    struct csvb_reader_config cfg;
    csvb_reader_config_init(&cfg);
    cfg.cancel = &cancel;
    int count = 0;
    const char *in = "a\nb\n";
    struct csvb_mem_source mem = {in, strlen(in), 0, 0};
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_reader_run(&cfg, (struct csvb_source){csvb_source_mem_fill, &mem},
                                 (struct csvb_sink){stop_at_second, &count}, NULL, &d),
                 CSVB_E_CANCELLED);
    cr_assert_eq(count, 0);
}

Test(reader, long_line_streams_in_bounded_buffer)
{
    /* A 3 MB quoted field through a 64 KiB buffer: streamed to libcsv, delivered intact. */
    size_t n = 3u << 20;
    char *in = malloc(n + 16);
    memcpy(in, "h\n\"", 3);
    memset(in + 3, 'x', n);
    memcpy(in + 3 + n, "\"\n", 2);
    struct capture c = {NULL, 0, 0};
    cap_put(&c, "", 0);
    struct csvb_reader_config cfg;
    csvb_reader_config_init(&cfg);
    cfg.block_size = 64 << 10;
    struct csvb_mem_source mem = {in, n + 5, 0, 0};
    struct csvb_diag d;
    csvb_diag_init(&d);
    struct csvb_reader_stats st;
    cr_assert_eq(csvb_reader_run(&cfg, (struct csvb_source){csvb_source_mem_fill, &mem},
                                 (struct csvb_sink){capture_row, &c}, &st, &d),
                 CSVB_OK);
    cr_assert_eq(c.len, 6 + 3 + n + 2); /* "1:[h]\n" then "2:[xxx...]\n" */
    cr_assert_eq(st.bytes_read, n + 5);
    free(in);
    free(c.text);
}

/* PowerShell mode, every buffering; expected values are those of the reader before csvfeed. */
Test(reader, lenient_table_every_chunk_and_block)
{
    static const struct {
        const char *in, *out;
    } lenient_cases[] = {
        {"\"Text\"after,1\n", "1:[Textafter][1]\n"},
        {"\"a\" \"b\"x\n", "1:[a\" b\"x]\n"},
        {"\"a\nb\"c,d\n", "1:[a\nbc][d]\n"},
        {"\"x\"y\n\"z\"w\n", "1:[xy]\n2:[zw]\n"},
        {"  a  ,  b  \n", "1:[a][b]\n"},
        {"\"a\"x", "1:[ax]\n"},
        {"\"a\"b\r\nc\n", "1:[ab]\n2:[c]\n"},
        {"\"a\" \t x \n", "1:[a \t x]\n"},
        {"h\n  \n\"open", "1:[h]\n3:[open]\n"},
    };
    static const size_t blocks[] = {4, 5, 7, 16, 1 << 20};
    for (size_t k = 0; k < sizeof lenient_cases / sizeof lenient_cases[0]; k++) {
        size_t len = strlen(lenient_cases[k].in);
        for (size_t chunk = 1; chunk <= len + 1; chunk++) {
            for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++) {
                struct capture c = {NULL, 0, 0};
                cap_put(&c, "", 0);
                struct csvb_reader_config cfg;
                csvb_reader_config_init(&cfg);
                cfg.lenient = true;
                cfg.fast_path = false;
                cfg.block_size = blocks[b];
                struct csvb_mem_source mem = {lenient_cases[k].in, len, 0, chunk};
                struct csvb_diag d;
                csvb_diag_init(&d);
                cr_assert_eq(csvb_reader_run(&cfg, (struct csvb_source){csvb_source_mem_fill, &mem},
                                             (struct csvb_sink){capture_row, &c}, NULL, &d),
                             CSVB_OK, "%s", d.message);
                cr_assert_str_eq(c.text, lenient_cases[k].out, "case %zu chunk %zu block %zu", k,
                                 chunk, blocks[b]);
                free(c.text);
            }
        }
    }
}

/* stop_after: the reader ends the record straddling the limit and says where it stopped, on both
 * paths, in every buffering; a limit inside a quoted field runs on to that record's end. */
struct stop_case {
    const char *in;
    uint64_t after;
    uint64_t want_offset; /* 0: the input ended first */
    const char *want_rows;
    unsigned long want_lines;
};

static const struct stop_case stop_cases[] = {
    {"a,b\n1,2\n3,4\n", 4, 4, "1:[a][b]\n", 1},
    {"a,b\n1,2\n3,4\n", 5, 8, "1:[a][b]\n2:[1][2]\n", 2},
    {"a,b\n\"x\ny\",2\n3,4\n", 5, 12, "1:[a][b]\n2:[x\ny][2]\n", 3},
    {"a,b\n\"x\ny\",2\n3,4\n", 7, 12, "1:[a][b]\n2:[x\ny][2]\n", 3},
    {"a,b\r\n1,2\r\n3,4\r\n", 6, 10, "1:[a][b]\n2:[1][2]\n", 2},
    {"a,b\n\n\n1,2\n", 5, 5, "1:[a][b]\n", 2}, /* a blank line is a boundary too */
    {"a,b\n1,2", 5, 0, "1:[a][b]\n", 1},       /* range_end: an unended last line is not a record */
    {"a\r1\r2\n3\n", 1, 6, "1:[a]\n2:[1]\n3:[2]\n", 3}, /* not after a lone CR */
    {"\"h\"\r\n\"x\r\ny\",\"2\"\r\n\"3\"\r\n", 6, 17, "1:[h]\n2:[x\r\ny][2]\n", 3},
};

Test(reader, stop_after_ends_the_straddling_record)
{
    for (size_t k = 0; k < sizeof stop_cases / sizeof stop_cases[0]; k++) {
        const struct stop_case *sc = &stop_cases[k];
        for (int fast = 0; fast < 2; fast++) {
            for (size_t chunk = 1; chunk <= 5; chunk++) {
                for (size_t block = 4; block <= 64; block *= 4) {
                    struct capture c = {NULL, 0, 0};
                    cap_put(&c, "", 0);
                    struct csvb_reader_config cfg;
                    csvb_reader_config_init(&cfg);
                    cfg.fast_path = fast;
                    cfg.block_size = block;
                    cfg.range_end = true;
                    cfg.stop_after = sc->after;
                    struct csvb_mem_source mem = {sc->in, strlen(sc->in), 0, chunk};
                    struct csvb_diag d;
                    csvb_diag_init(&d);
                    struct csvb_reader_stats st = {0};
                    enum csvb_err e =
                        csvb_reader_run(&cfg, (struct csvb_source){csvb_source_mem_fill, &mem},
                                        (struct csvb_sink){capture_row, &c}, &st, &d);
                    cr_assert_eq(e, CSVB_OK, "case %zu: %s", k, d.message);
                    cr_assert_eq(st.stop_offset, sc->want_offset, "case %zu fast %d chunk %zu", k,
                                 fast, chunk);
                    cr_assert_str_eq(c.text, sc->want_rows, "case %zu fast %d chunk %zu", k, fast,
                                     chunk);
                    if (sc->want_offset > 0)
                        cr_assert_eq(st.lines, sc->want_lines, "case %zu", k);
                    cr_assert_not(st.stopped, "the sink did not ask to stop");
                    free(c.text);
                }
            }
        }
    }
}
