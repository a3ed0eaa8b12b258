/* test_schema.c — column lookup: case-insensitive, absent and ambiguous names, duplicates. */
#include <criterion/criterion.h>
#include <string.h>

#include "csvbatch/schema.h"

static struct csvb_row row_of(struct csvb_field *f, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        f[i] = (struct csvb_field){names[i], strlen(names[i])};
    return (struct csvb_row){f, n, 1};
}

struct lookup_case {
    const char *name;
    bool optional;
    enum csvb_err want;
    size_t index;
    const char *message;
};

static const char *const head[] = {"ID", "name", "Status", "NAME2", "status"};
static const struct lookup_case lookups[] = {
    {"ID", false, CSVB_OK, 0, ""},
    {"id", false, CSVB_OK, 0, ""},
    {"Name", false, CSVB_OK, 1, ""},
    {"name2", false, CSVB_OK, 3, ""},
    {"Region", false, CSVB_E_SCHEMA, 0,
     "expected a column named 'Region' (filter), found header: ID,name,Status,NAME2,status"},
    {"Region", true, CSVB_OK, CSVB_NO_COLUMN, ""},
    {"STATUS", false, CSVB_E_SCHEMA, 0,
     "expected one column named 'STATUS' (filter), found it at columns 3 and 5 of header: "
     "ID,name,Status,NAME2,status"},
    {"STATUS", true, CSVB_E_SCHEMA, 0,
     "expected one column named 'STATUS' (filter), found it at columns 3 and 5 of header: "
     "ID,name,Status,NAME2,status"},
    {"Nam", false, CSVB_E_SCHEMA, 0,
     "expected a column named 'Nam' (filter), found header: ID,name,Status,NAME2,status"},
};

Test(schema, lookup_table)
{
    struct csvb_field f[5];
    struct csvb_row h = row_of(f, head, 5);
    for (size_t i = 0; i < sizeof lookups / sizeof lookups[0]; i++) {
        const struct lookup_case *c = &lookups[i];
        struct csvb_diag d;
        csvb_diag_init(&d);
        size_t index = 99;
        enum csvb_err e = csvb_schema_lookup(&h, c->name, "filter", c->optional, &index, &d);
        cr_assert_eq(e, c->want, "case %zu: %s", i, d.message);
        cr_assert_str_eq(d.message, c->message, "case %zu", i);
        if (e == CSVB_OK)
            cr_assert_eq(index, c->index, "case %zu", i);
        else
            cr_assert_eq(d.line, 1, "case %zu", i);
    }
}

Test(schema, duplicate)
{
    struct csvb_field f[5];
    struct csvb_row h = row_of(f, head, 5);
    cr_assert_eq(csvb_schema_duplicate(&h), 4); /* "status" repeats "Status" */
    struct csvb_row first3 = {f, 3, 1};
    cr_assert_eq(csvb_schema_duplicate(&first3), -1);
    struct csvb_row none = {f, 0, 1};
    cr_assert_eq(csvb_schema_duplicate(&none), -1);
}

/* The header as read (issue 13 item 21): its own delimiter, RFC 4180 quoting where a field needs
 * it, cut at 400 bytes between characters with "…". */
Test(schema, header_text_as_read)
{
    struct csvb_field f[4];
    char buf[CSVB_SCHEMA_HEADER_MAX + 4];
    static const char *const semi[] = {"Na,me", "a;b", "q\"t", "l\nf"};
    struct csvb_row h = row_of(f, semi, 4);
    csvb_schema_header_text(&h, ';', buf, sizeof buf);
    cr_assert_str_eq(buf, "Na,me;\"a;b\";\"q\"\"t\";\"l\nf\"");
    csvb_schema_header_text(&h, 0, buf, sizeof buf);
    cr_assert_str_eq(buf, "\"Na,me\",a;b,\"q\"\"t\",\"l\nf\"");

    /* 399 ASCII bytes, then a 2-byte character: it would end at byte 401, so it is dropped. */
    char big[410];
    memset(big, 'x', 399);
    memcpy(big + 399, "\xC3\xA9z", 4);
    static const char *one[1];
    one[0] = big;
    h = row_of(f, one, 1);
    size_t n = csvb_schema_header_text(&h, ',', buf, sizeof buf);
    cr_assert_eq(n, 399 + 3);
    cr_assert_eq(memcmp(buf + 399, "\xE2\x80\xA6", 4), 0);
    /* Exactly 400 bytes: whole, no mark. */
    big[399] = 'y';
    big[400] = '\0';
    h = row_of(f, one, 1);
    n = csvb_schema_header_text(&h, ',', buf, sizeof buf);
    cr_assert_eq(n, 400);
    cr_assert_eq(buf[399], 'y');
}
