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

static char *read_commented(const char *in, size_t chunk, size_t block, bool fast, bool lenient,
                            char escape, char comment)
{
    struct capture c = {NULL, 0, 0};
    put(&c, "", 0);
    struct csvb_reader_config cfg;
    csvb_reader_config_init(&cfg);
    cfg.block_size = block;
    cfg.fast_path = fast;
    cfg.quotes_lenient = lenient;
    cfg.escape = escape;
    cfg.comment = comment;
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

static char *read_dialect(const char *in, size_t chunk, size_t block, bool fast, bool lenient,
                          char escape)
{
    return read_commented(in, chunk, block, fast, lenient, escape, '\0');
}

static char *read_lenient(const char *in, size_t chunk, size_t block, bool fast)
{
    return read_dialect(in, chunk, block, fast, true, '\0');
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

/* --escape '\\': python3's csv.reader(io.StringIO(s, newline=''), escapechar='\\', strict=True)
 * and strict=False, blank rows dropped; "E3@" ends the rows yielded before Python raised (the
 * reader's error follows them). */
static const struct {
    const char *in, *strict, *lenient;
} escape_cases[] = {
    {"a,b\n", "[a][b]\n", "[a][b]\n"},
    {"\"x \\\"y\\\" z\",1\n", "[x \"y\" z][1]\n", "[x \"y\" z][1]\n"},
    {"\"p\\\\\",2\n", "[p\\][2]\n", "[p\\][2]\n"},
    {"\"c:\\dir\\n\",3\n", "[c:dirn][3]\n", "[c:dirn][3]\n"},
    {"q\\,r,2\n", "[q,r][2]\n", "[q,r][2]\n"},
    {"a\\\nb,c\n", "[a\nb][c]\n", "[a\nb][c]\n"},
    {"a\\\r\nb,c\n", "[a\r]\n[b][c]\n", "[a\r]\n[b][c]\n"},
    {"a\\\rb,c\n", "[a\rb][c]\n", "[a\rb][c]\n"},
    {"\"a\\\nb\",c\n", "[a\nb][c]\n", "[a\nb][c]\n"},
    {"\"a\"\"b\\\"c\",d\n", "[a\"b\"c][d]\n", "[a\"b\"c][d]\n"},
    {"\\\"a\",b\n", "[\"a\"][b]\n", "[\"a\"][b]\n"},
    {"\"a\"\\b,c\n", "E3@", "[a\\b][c]\n"},
    {"\"a\"b\\,c,d\n", "E3@", "[ab,c][d]\n"},
    {"a,b\\", "E3@", "[a][b\n]\n"},
    {"a,\"b\\", "E3@", "[a][b\n]\n"},
    {"a,b\\\n", "E3@", "[a][b\n]\n"},
    {"\"a\\", "E3@", "[a\n]\n"},
    {"x,\\\\\n", "[x][\\]\n", "[x][\\]\n"},
    {"\"a\"\r\n\\\"b\r\n", "[a]\n[\"b]\n", "[a]\n[\"b]\n"},
    {"\"\\\"\",\\\\\"\n", "[\"][\\\"]\n", "[\"][\\\"]\n"},
    {"a\\\"b,c\n", "[a\"b][c]\n", "[a\"b][c]\n"},
    {"\"open\n", "E3@", "[open\n]\n"},
    {",\\,\n", "[][,]\n", "[][,]\n"},
};

/* got equals want, or (want ending in "E3@") starts with it. */
static bool same_reading(const char *got, const char *want)
{
    size_t n = strlen(want);
    if (n >= 3 && strcmp(want + n - 3, "E3@") == 0)
        return strncmp(got, want, n) == 0;
    return strcmp(got, want) == 0;
}

Test(lenient, escape_character_as_python_in_every_buffering)
{
    static const size_t blocks[] = {4, 7, 64, 1 << 20};
    for (size_t i = 0; i < sizeof escape_cases / sizeof escape_cases[0]; i++) {
        size_t len = strlen(escape_cases[i].in);
        for (int lenient = 0; lenient < 2; lenient++)
            for (size_t chunk = 1; chunk <= len + 1; chunk++)
                for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++) {
                    const char *want = lenient ? escape_cases[i].lenient : escape_cases[i].strict;
                    char *got =
                        read_dialect(escape_cases[i].in, chunk, blocks[b], true, lenient, '\\');
                    cr_assert(same_reading(got, want),
                              "case %zu lenient %d chunk %zu block %zu: got [%s] want [%s]", i,
                              lenient, chunk, blocks[b], got, want);
                    free(got);
                }
    }
}

Test(lenient, escape_errors_say_where_and_what)
{
    char *got = read_dialect("a,b\n\"x\"y,z\n", 1 << 20, 1 << 20, true, false, '\\');
    cr_assert_str_eq(got, "[a][b]\nE3@2:column 4: expected ',' or end of line after a closing "
                          "quote, found 'y' (a quoted field ends at its closing quote: a quote "
                          "inside it must be doubled)");
    free(got);
    got = read_dialect("a,b\nc,\"d\\", 1 << 20, 1 << 20, true, false, '\\');
    cr_assert_str_eq(got, "[a][b]\nE3@2:unterminated field: expected a closing '\"' or a byte "
                          "after the escape character '\\', found end of file");
    free(got);
    got = read_dialect("a,b\nc,d\\", 1 << 20, 1 << 20, true, false, '\\');
    cr_assert_str_eq(got, "[a][b]\nE3@2:unterminated field: expected a closing '\"' or a byte "
                          "after the escape character '\\', found end of file");
    free(got);
    /* without an escape character the same bytes read as strict mode always did */
    got = read_dialect("\"x \\\"y\",1\n", 1 << 20, 1 << 20, true, false, '\0');
    cr_assert(strncmp(got, "E3@1:column 6: expected ','", 27) == 0, "%s", got);
    free(got);
}

/* --comment '#': a line that starts with it where a record would start is skipped (counted: the
 * lines of errors after it stay the file's); inside a quoted field, or after a blank, it is data.
 */
static const struct {
    const char *in, *want;
} comment_cases[] = {
    {"a,b\n#c\n1,2\n", "[a][b]\n[1][2]\n"},
    {"#x\n# y, z\na,b\n1,2\n", "[a][b]\n[1][2]\n"},
    {"a,b\n\"x\n#y\",1\n", "[a][b]\n[x\n#y][1]\n"},
    {"a,b\r\n# c\r\n1,2\r\n#\r", "[a][b]\n[1][2]\n"},
    {"a,b\r# c\r1,2\r", "[a][b]\n[1][2]\n"},
    {"a\n #c\n", "[a]\n[ #c]\n"},
    {"a\n#c", "[a]\n"},
    {"a#b,c\n#,#\n", "[a#b][c]\n"},
    {"a\n#xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nb\n",
     "[a]\n[b]\n"},
    {"a,b\n#c\n\"x\"y,1\n", "[a][b]\nE3@3:column 4: expected ',' or end of line after a "
                            "closing quote, found 'y' (a quoted field ends at its closing quote: "
                            "a quote inside it must be doubled)"},
};

Test(lenient, comment_lines_skipped_in_every_buffering)
{
    static const size_t blocks[] = {4, 7, 64, 1 << 20};
    for (size_t i = 0; i < sizeof comment_cases / sizeof comment_cases[0]; i++) {
        size_t len = strlen(comment_cases[i].in);
        for (int mode = 0; mode < 3; mode++) /* strict, lenient, strict with an escape */
            for (size_t chunk = 1; chunk <= len + 1; chunk += (chunk < 9 ? 1 : 7))
                for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++) {
                    const char *want = comment_cases[i].want;
                    if (mode == 1 && strstr(want, "E3@") != NULL)
                        continue; /* lenient reads the text after the quote */
                    char *got = read_commented(comment_cases[i].in, chunk, blocks[b], true,
                                               mode == 1, mode == 2 ? '\\' : '\0', '#');
                    cr_assert_str_eq(got, want, "case %zu mode %d chunk %zu block %zu", i, mode,
                                     chunk, blocks[b]);
                    free(got);
                }
    }
    /* without --comment such lines are records */
    char *got = read_commented("a\n#c\n", 1 << 20, 1 << 20, true, false, '\0', '\0');
    cr_assert_str_eq(got, "[a]\n[#c]\n");
    free(got);
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
