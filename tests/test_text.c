/* test_text.c — the util text helpers, table by table: path parts, ASCII compare, byte counts,
 * terminal-safe text, growable arrays, owned rows. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/text.h"
#include "csvbatch/utf8.h"

Test(text, dirname_and_basename)
{
    static const struct {
        const char *path, *dir, *base;
    } cases[] = {
        {"a/b/c.csv", "a/b", "c.csv"},
        {"c.csv", ".", "c.csv"},
        {"/c.csv", "/", "c.csv"},
        {"//c.csv", "/", "c.csv"},
        {"a//c.csv", "a", "c.csv"},
        {"a/", "a", ""},
        {"/", "/", ""},
        {"", ".", ""},
        {"./x", ".", "x"},
        {"../d/x.csv", "../d", "x.csv"},
        {"/abs/dir/x", "/abs/dir", "x"},
        {"\xE6\x97\xA5/\xE8\xA1\xA8.csv", "\xE6\x97\xA5", "\xE8\xA1\xA8.csv"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *dir = csvb_text_dirname(cases[i].path);
        cr_assert_not_null(dir);
        cr_assert_str_eq(dir, cases[i].dir, "dirname(\"%s\")", cases[i].path);
        free(dir);
        const char *base = csvb_text_basename(cases[i].path);
        cr_assert_str_eq(base, cases[i].base, "basename(\"%s\")", cases[i].path);
        cr_assert(base >= cases[i].path && base <= cases[i].path + strlen(cases[i].path),
                  "basename borrows from its argument");
    }
}

Test(text, ascii_ieq)
{
    static const struct {
        const char *a, *b;
        bool eq;
    } cases[] = {
        {"Status", "status", true},
        {"ACTIVE", "active", true},
        {"", "", true},
        {"Active", "Active ", false},
        {" Active", "Active", false},
        {"Active",
         "\xD0\x90"
         "ctive",
         false},                         /* Cyrillic А looks like A */
        {"\xC3\xA9", "\xC3\x89", false}, /* é, É: only ASCII folds */
        {"[", "{", false},               /* 0x5B, 0x7B: 32 apart, not letters */
        {"@", "`", false},
        {"Z", "z", true},
        {"a1_B", "A1_b", true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *a = cases[i].a, *b = cases[i].b;
        cr_assert_eq(csvb_text_ieq(a, strlen(a), b, strlen(b)), cases[i].eq, "case %zu", i);
        cr_assert_eq(csvb_text_ieq(b, strlen(b), a, strlen(a)), cases[i].eq, "case %zu", i);
    }
    cr_assert(csvb_text_ieq("abc", 2, "ABx", 2), "lengths bound the compare");
}

Test(text, human_bytes)
{
    static const struct {
        uint64_t bytes;
        const char *text;
    } cases[] = {
        {0, "0 B"},
        {1, "1 B"},
        {437, "437 B"},
        {999, "999 B"},
        {1000, "1.0 KB"},
        {1049, "1.0 KB"},
        {1050, "1.1 KB"}, /* printf rounding of 1.05: binary 1.0500000000000000444 */
        {999949, "999.9 KB"},
        {999999, "1000.0 KB"},
        {1000000, "1.0 MB"},
        {437200000, "437.2 MB"},
        {1000000000, "1.00 GB"},
        {1250000000, "1.25 GB"},
        {UINT64_MAX, "18446744073.71 GB"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[CSVB_TEXT_BYTES_MAX];
        cr_assert_eq(csvb_text_bytes(cases[i].bytes, buf, sizeof buf), buf);
        cr_assert_str_eq(buf, cases[i].text, "bytes %llu", (unsigned long long)cases[i].bytes);
    }
}

struct escape_case {
    const char *in;
    size_t len; /* 0: strlen(in) */
    const char *out;
    size_t width;
};

static const struct escape_case escape_cases[] = {
    {"plain", 0, "plain", 5},
    {"", 0, "", 0},
    {"a\nb", 0, "a\\nb", 4},
    {"\r\n", 0, "\\r\\n", 4},
    {"tab\there", 0, "tab\\there", 9},
    {"\x1b[2J", 0, "\\x1B[2J", 7},
    {"del\x7f", 0, "del\\x7F", 7},
    {"\x01\x1f", 0, "\\x01\\x1F", 8},
    {"nul\0x", 5, "nul\\x00x", 8},
    {"back\\slash", 0, "back\\slash", 10}, /* a backslash stays: the rule is for control bytes */
    {"\xE6\x97\xA5\n\xE6\x9C\xAC", 0, "\xE6\x97\xA5\\n\xE6\x9C\xAC", 6},
    {"Zoe\xCC\x88\t", 0, "Zoe\xCC\x88\\t", 5},
    /* Invalid UTF-8 is escaped as control bytes are (issue 13 item 21), and so are invisible
     * characters: U+FEFF, U+200B, a bidirectional override, a C1 control. */
    {"\xFF\x80", 0, "\\xFF\\x80", 8},
    {"a\x91"
     "b",
     0, "a\\x91b", 6},
    {"\xE6\x97", 0, "\\xE6\\x97", 8}, /* a character cut short */
    {"\xEF\xBB\xBFName", 0, "\\ufeffName", 10},
    {"a\xE2\x80\x8B"
     "b\xE2\x80\xAE"
     "c",
     0, "a\\u200bb\\u202ec", 15},
    {"\xC2\x85", 0, "\\u0085", 6},
    {"\xE2\x80\x8D", 0, "\xE2\x80\x8D", 0}, /* the joiner stays: emoji sequences need it */
    {" ~", 0, " ~", 2},
};

Test(text, escape_table)
{
    for (size_t i = 0; i < sizeof escape_cases / sizeof escape_cases[0]; i++) {
        const struct escape_case *c = &escape_cases[i];
        size_t len = c->len ? c->len : strlen(c->in);
        char buf[64];
        cr_assert_eq(csvb_text_escape(buf, sizeof buf, c->in, len), strlen(c->out), "case %zu", i);
        cr_assert_str_eq(buf, c->out, "case %zu", i);
        cr_assert_eq(csvb_text_escaped_width(c->in, len), c->width, "case %zu", i);

        char *mem = NULL;
        size_t mem_len = 0;
        FILE *f = open_memstream(&mem, &mem_len);
        cr_assert_eq(csvb_text_put_escaped(f, c->in, len), 0);
        fclose(f);
        cr_assert_eq(mem_len, strlen(c->out), "case %zu", i);
        cr_assert_eq(memcmp(mem, c->out, mem_len), 0, "case %zu", i);
        free(mem);
    }
}

/* A short buffer holds a prefix that never ends inside an escape; the return is the full
 * length, so the caller can tell. */
Test(text, escape_short_buffer)
{
    static const struct {
        size_t size;
        const char *out;
    } cases[] = {{1, ""}, {2, "a"}, {3, "a"}, {4, "a\\n"}, {5, "a\\nb"}, {6, "a\\nb"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[8];
        memset(buf, '#', sizeof buf);
        cr_assert_eq(csvb_text_escape(buf, cases[i].size, "a\nb", 3), 4);
        cr_assert_str_eq(buf, cases[i].out, "size %zu", cases[i].size);
        cr_assert_eq(buf[cases[i].size], '#', "size %zu: wrote past the buffer", cases[i].size);
    }
    char untouched = '#';
    cr_assert_eq(csvb_text_escape(&untouched, 0, "a\nb", 3), 4);
    cr_assert_eq(untouched, '#');
}

/* A stream that fails: EOF, not a silent success. */
Test(text, put_escaped_reports_failure)
{
    FILE *f = fopen("/dev/full", "w");
    cr_assert_not_null(f);
    setvbuf(f, NULL, _IONBF, 0);
    cr_assert_eq(csvb_text_put_escaped(f, "x\ny", 3), EOF);
    fclose(f);
}

Test(text, vec_reserve_grows_and_keeps)
{
    int *items = NULL;
    size_t cap = 0;
    for (int i = 0; i < 1000; i++) {
        cr_assert_eq(csvb_vec_reserve(&items, &cap, (size_t)i + 1, sizeof *items), CSVB_OK);
        cr_assert_geq(cap, (size_t)i + 1);
        items[i] = i * 7;
    }
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(items[i], i * 7);
    cr_assert_eq(cap, 1024, "doubling from 8");
    size_t before = cap;
    int *same = items;
    cr_assert_eq(csvb_vec_reserve(&items, &cap, 10, sizeof *items), CSVB_OK);
    cr_assert_eq(cap, before, "no shrink, no move when there is room");
    cr_assert_eq(items, same);
    free(items);
}

Test(text, vec_reserve_first_and_exact)
{
    char *items = NULL;
    size_t cap = 0;
    cr_assert_eq(csvb_vec_reserve(&items, &cap, 1, 1), CSVB_OK);
    cr_assert_eq(cap, 8);
    cr_assert_eq(csvb_vec_reserve(&items, &cap, 100, 1), CSVB_OK);
    cr_assert_eq(cap, 128);
    free(items);
}

/* Overflow of need * elem_size, or memory that cannot be had: CSVB_E_NOMEM, nothing changed. */
Test(text, vec_reserve_overflow)
{
    long *items = NULL;
    size_t cap = 0;
    cr_assert_eq(csvb_vec_reserve(&items, &cap, 4, sizeof *items), CSVB_OK);
    long *kept = items;
    size_t kept_cap = cap;
    items[0] = 42;
    cr_assert_eq(csvb_vec_reserve(&items, &cap, SIZE_MAX / 4, sizeof *items), CSVB_E_NOMEM);
    cr_assert_eq(csvb_vec_reserve(&items, &cap, SIZE_MAX, sizeof *items), CSVB_E_NOMEM);
    cr_assert_eq(csvb_vec_reserve(&items, &cap, SIZE_MAX / 2 + 1, 1), CSVB_E_NOMEM);
    cr_assert_eq(items, kept);
    cr_assert_eq(cap, kept_cap);
    cr_assert_eq(items[0], 42);
    free(items);
}

static struct csvb_row row_of(struct csvb_field *f, const char *const *values, size_t n,
                              unsigned long line)
{
    for (size_t i = 0; i < n; i++)
        f[i] = values[i] != NULL ? (struct csvb_field){values[i], strlen(values[i])}
                                 : (struct csvb_field){NULL, 0};
    return (struct csvb_row){f, n, line};
}

/* The copy owns its bytes: the source can change or go; each field is NUL-terminated; a NULL
 * field becomes empty; an embedded NUL byte is kept by length. */
Test(text, rowcopy_owns_its_bytes)
{
    char src[3][8] = {"Name", "O'Brien", ""};
    struct csvb_field f[4];
    const char *values[4] = {src[0], src[1], src[2], NULL};
    struct csvb_row row = row_of(f, values, 4, 17);
    struct csvb_rowcopy c;
    csvb_rowcopy_init(&c);
    cr_assert_eq(csvb_rowcopy_set(&c, &row), CSVB_OK);
    memset(src, 'x', sizeof src);
    struct csvb_row view = csvb_rowcopy_row(&c);
    cr_assert_eq(view.nfields, 4);
    cr_assert_eq(view.line, 17);
    cr_assert_str_eq(view.fields[0].ptr, "Name");
    cr_assert_eq(view.fields[1].len, 7);
    cr_assert_str_eq(view.fields[1].ptr, "O'Brien");
    cr_assert_eq(view.fields[2].len, 0);
    cr_assert_str_eq(view.fields[2].ptr, "");
    cr_assert_not_null(view.fields[3].ptr, "a NULL field is copied as an empty one");
    cr_assert_eq(view.fields[3].len, 0);

    struct csvb_field nul = {"a\0b", 3};
    struct csvb_row with_nul = {&nul, 1, 2};
    cr_assert_eq(csvb_rowcopy_set(&c, &with_nul), CSVB_OK); /* replaces the old content */
    cr_assert_eq(c.nfields, 1);
    cr_assert_eq(c.line, 2);
    cr_assert_eq(c.fields[0].len, 3);
    cr_assert_eq(memcmp(c.fields[0].ptr, "a\0b", 4), 0);

    struct csvb_row empty = {NULL, 0, 9};
    cr_assert_eq(csvb_rowcopy_set(&c, &empty), CSVB_OK);
    cr_assert_eq(c.nfields, 0);
    cr_assert_eq(csvb_rowcopy_row(&c).line, 9);
    csvb_rowcopy_fini(&c);
    cr_assert_null(c.fields);
    cr_assert_eq(c.nfields, 0);
    csvb_rowcopy_fini(&c); /* twice */
    csvb_rowcopy_fini(NULL);
}

Test(text, rows_append_in_order)
{
    struct csvb_rows rows;
    csvb_rows_init(&rows);
    struct csvb_field f[3];
    char name[16];
    for (unsigned long i = 0; i < 100; i++) {
        snprintf(name, sizeof name, "r%lu", i);
        const char *values[3] = {name, "x", i % 2 ? "odd" : "even"};
        struct csvb_row row = row_of(f, values, 3, i + 1);
        cr_assert_eq(csvb_rows_append(&rows, &row), CSVB_OK);
    }
    cr_assert_eq(rows.n, 100);
    for (unsigned long i = 0; i < 100; i++) {
        snprintf(name, sizeof name, "r%lu", i);
        cr_assert_str_eq(rows.rows[i].fields[0].ptr, name);
        cr_assert_str_eq(rows.rows[i].fields[2].ptr, i % 2 ? "odd" : "even");
        cr_assert_eq(rows.rows[i].line, i + 1);
    }
    csvb_rows_fini(&rows);
    cr_assert_eq(rows.n, 0);
    cr_assert_null(rows.rows);
    csvb_rows_fini(&rows);
    csvb_rows_fini(NULL);

    struct csvb_rows zeroed;
    memset(&zeroed, 0, sizeof zeroed); /* all zero bytes is an empty list (results are memset) */
    const char *one[1] = {"v"};
    struct csvb_row row = row_of(f, one, 1, 1);
    cr_assert_eq(csvb_rows_append(&zeroed, &row), CSVB_OK);
    cr_assert_eq(zeroed.n, 1);
    csvb_rows_fini(&zeroed);
}

struct elide_case {
    const char *in;
    size_t columns;
    const char *out;
};

static const struct elide_case elide_cases[] = {
    {"short.csv", 20, "short.csv"},
    {"exactly10!", 10, "exactly10!"},
    {"data/some/long/path/file.csv", 16,
     "data/so\xE2\x80\xA6"
     "file.csv"},
    {"abcdefghij", 5, "ab\xE2\x80\xA6ij"},
    {"abcdefghij", 1, "\xE2\x80\xA6"},
    {"abcdefghij", 0, ""},
    /* never inside an escape: \x91 is 4 columns, kept whole or dropped whole */
    {"a\x91"
     "bcdefgh\x92z",
     9, "a\xE2\x80\xA6gh\\x92z"},
    /* wide characters count two columns */
    {"\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE6\x97\xA5\xE6\x9C\xAC", 7,
     "\xE6\x97\xA5\xE2\x80\xA6\xE6\x97\xA5\xE6\x9C\xAC"},
};

/* The middle is taken out, at most `columns` columns remain, the end the larger half. */
Test(text, elide_table)
{
    for (size_t i = 0; i < sizeof elide_cases / sizeof elide_cases[0]; i++) {
        const struct elide_case *c = &elide_cases[i];
        char buf[128];
        size_t n = csvb_text_elide(buf, sizeof buf, c->in, strlen(c->in), c->columns);
        cr_assert_str_eq(buf, c->out, "case %zu", i);
        cr_assert_eq(n, strlen(c->out), "case %zu", i);
        cr_assert_leq(csvb_utf8_width(buf, n), c->columns, "case %zu", i);
    }
}

/* The end is cut, "…" last, never inside an escape. */
Test(text, cut_table)
{
    char buf[64];
    cr_assert_eq(csvb_text_cut(buf, sizeof buf, "short", 5, 5), 5);
    cr_assert_str_eq(buf, "short");
    csvb_text_cut(buf, sizeof buf, "line 3: expected 4 fields", 25, 10);
    cr_assert_str_eq(buf, "line 3: e\xE2\x80\xA6");
    csvb_text_cut(buf, sizeof buf, "ab\ncd", 5, 4);
    cr_assert_str_eq(buf, "ab\xE2\x80\xA6");
}

Test(text, push_takes_ownership_and_frees_on_failure)
{
    char **items = NULL;
    size_t n = 0, cap = 0;
    for (int i = 0; i < 20; i++)
        cr_assert(csvb_text_push(&items, &n, &cap, csvb_text_printf("notice %d", i)));
    cr_assert_eq(n, 20);
    cr_assert_str_eq(items[0], "notice 0");
    cr_assert_str_eq(items[19], "notice 19");
    cr_assert_not(csvb_text_push(&items, &n, &cap, NULL)); /* a failed printf: nothing added */
    cr_assert_eq(n, 20);
    for (size_t i = 0; i < n; i++)
        free(items[i]);
    free(items);
}
