/* test_lenient.c — --quotes lenient: the reader with Python's non-strict grammar, in every block
 * size and read size, fast path on and off. The expected rows were produced by python3's
 * csv.reader(io.StringIO(s, newline=''), strict=False), blank rows ([]) dropped; tests/lenient.sh
 * compares with python3 itself at run time. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/lenient.h"
#include "csvbatch/reader.h"

struct capture {
    char *text;
    size_t len, cap;
};

static void put(struct capture *c, const char *s, size_t n)
{
    if (c->len + n + 1 > c->cap) {
        c->cap = (c->len + n + 1) * 2;
        c->text = realloc(c->text, c->cap);
        cr_assert_not_null(c->text);
    }
    memcpy(c->text + c->len, s, n);
    c->len += n;
    c->text[c->len] = '\0';
}

static enum csvb_err on_row(void *ctx, const struct csvb_row *row, bool *stop, struct csvb_diag *d)
{
    (void)stop, (void)d;
    struct capture *c = ctx;
    for (size_t i = 0; i < row->nfields; i++) {
        put(c, "[", 1);
        put(c, row->fields[i].ptr, row->fields[i].len);
        put(c, "]", 1);
    }
    put(c, "\n", 1);
    return CSVB_OK;
}

static char *read_lenient(const char *in, size_t chunk, size_t block, bool fast)
{
    struct capture c = {NULL, 0, 0};
    put(&c, "", 0);
    struct csvb_reader_config cfg;
    csvb_reader_config_init(&cfg);
    cfg.block_size = block;
    cfg.fast_path = fast;
    cfg.quotes_lenient = true;
    struct csvb_mem_source mem = {in, strlen(in), 0, chunk};
    struct csvb_diag d;
    csvb_diag_init(&d);
    enum csvb_err e = csvb_reader_run(&cfg, (struct csvb_source){csvb_source_mem_fill, &mem},
                                      (struct csvb_sink){on_row, &c}, NULL, &d);
    if (e != CSVB_OK) {
        char err[CSVB_DIAG_MESSAGE_MAX + 32];
        int n = snprintf(err, sizeof err, "E%d@%lu:%s", (int)e, d.line, d.message);
        put(&c, err, (size_t)n);
    }
    return c.text;
}

static const struct {
    const char *in, *want;
} cases[] = {
    {"a,b\n", "[a][b]\n"},
    {"a\"b,c\n", "[a\"b][c]\n"},
    {"\"a\"b,c\n", "[ab][c]\n"},
    {"\"a\"b\"c\",d\n", "[ab\"c\"][d]\n"},
    {"\"a\" ,b\n", "[a ][b]\n"},
    {"\"a\"\"b\"c,d\n", "[a\"bc][d]\n"},
    {"x,\"open\nmore\n", "[x][open\nmore\n]\n"},
    {"x,\"open", "[x][open]\n"},
    {"\"a,b\nc\",d\r\ne,f\r", "[a,b\nc][d]\n[e][f]\n"},
    {"\n\na,b\n\n", "[a][b]\n"},
    {"\"\",\"\"\n", "[][]\n"},
    {",\n", "[][]\n"},
    {"a\"\n\"b\n", "[a\"]\n[b\n]\n"},
    {"\"a\"\r\n\"b\"x\r\n", "[a]\n[bx]\n"},
    {"a,\"b\r\nc\"d,e\n", "[a][b\r\ncd][e]\n"},
    {"\"\"\"\",x\n", "[\"][x]\n"},
    {"\"a\"\"\"b,c\n", "[a\"b][c]\n"},
    {" \"a\",b\n", "[ \"a\"][b]\n"},
    {"a,b,\"\n", "[a][b][\n]\n"},
    /* The reader's own rules hold in both modes: a BOM is stripped, invalid UTF-8 refused. */
    {"\xEF\xBB\xBF\"a\"b,c\n", "[ab][c]\n"},
    {"a\"\xFF,b\n", "E3@1:column 3: expected UTF-8 text, found invalid byte 0xFF (convert the file "
                    "to UTF-8, or name its encoding with --encoding)"},
};

Test(lenient, python_rows_in_every_buffering)
{
    static const size_t blocks[] = {4, 5, 7, 16, 64, 1 << 20};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = strlen(cases[i].in);
        for (size_t chunk = 1; chunk <= len + 1; chunk++)
            for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++)
                for (int fast = 0; fast < 2; fast++) {
                    char *got = read_lenient(cases[i].in, chunk, blocks[b], fast);
                    cr_assert_str_eq(got, cases[i].want, "case %zu chunk %zu block %zu fast %d", i,
                                     chunk, blocks[b], fast);
                    free(got);
                }
    }
}

static void no_field(void *ctx, const char *data, size_t len)
{
    (void)ctx, (void)data, (void)len;
}
static void no_record(void *ctx)
{
    (void)ctx;
}

Test(lenient, state_between_pieces)
{
    struct csvb_lenient *l =
        csvb_lenient_new(',', (struct csvb_csvfeed_calls){no_field, no_record, NULL});
    cr_assert_not_null(l);
    cr_assert_not(csvb_lenient_in_record(l));
    cr_assert_eq(csvb_lenient_piece(l, "\n", 1), 1);
    cr_assert_not(csvb_lenient_in_record(l), "a blank line begins no record");
    cr_assert_eq(csvb_lenient_piece(l, "ab,\"cd", 6), 6);
    cr_assert(csvb_lenient_in_record(l));
    cr_assert_eq(csvb_lenient_pending(l), 2, "the open quoted field holds cd");
    cr_assert_eq(csvb_lenient_piece(l, "\n", 1), 1);
    cr_assert(csvb_lenient_in_record(l), "a line break inside quotes continues the record");
    cr_assert_eq(csvb_lenient_pending(l), 3);
    cr_assert(csvb_lenient_finish(l));
    cr_assert_not(csvb_lenient_in_record(l));
    cr_assert_eq(csvb_lenient_piece(l, "x\"", 2), 2);
    csvb_lenient_reset(l);
    cr_assert_not(csvb_lenient_in_record(l));
    cr_assert_eq(csvb_lenient_pending(l), 0);
    csvb_lenient_free(l);
    csvb_lenient_free(NULL);
}
