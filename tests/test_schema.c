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
