/* test_stamp.c — one run-wide UTC ISO 8601 stamp; SOURCE_DATE_EPOCH; literal values. */
#include <criterion/criterion.h>

#include "csvbatch/stamp.h"

struct stamp_case {
    const char *literal, *sde;
    time_t now;
    enum csvb_err code;
    const char *out;
};

static const struct stamp_case stamp_cases[] = {
    {NULL, NULL, 0, CSVB_OK, "1970-01-01T00:00:00Z"},
    {NULL, NULL, 1764115200, CSVB_OK, "2025-11-26T00:00:00Z"},
    {NULL, "86399", 1764115200, CSVB_OK, "1970-01-01T23:59:59Z"},
    {NULL, "951782400", 0, CSVB_OK, "2000-02-29T00:00:00Z"},
    {NULL, "253402300799", 0, CSVB_OK, "9999-12-31T23:59:59Z"},
    {"2026-01-01", "5", 0, CSVB_OK, "2026-01-01"},
    {"", NULL, 0, CSVB_OK, ""},
    {"a,\"b\"", NULL, 0, CSVB_OK, "a,\"b\""},
    {NULL, "abc", 0, CSVB_E_USAGE, NULL},
    {NULL, "", 0, CSVB_E_USAGE, NULL},
    {NULL, "-1", 0, CSVB_E_USAGE, NULL},
    {NULL, "12x", 0, CSVB_E_USAGE, NULL},
    {NULL, "253402300800", 0, CSVB_E_USAGE, NULL},
};

Test(stamp, table)
{
    for (size_t i = 0; i < sizeof stamp_cases / sizeof stamp_cases[0]; i++) {
        const struct stamp_case *c = &stamp_cases[i];
        char out[CSVB_STAMP_MAX];
        struct csvb_diag d;
        csvb_diag_init(&d);
        cr_assert_eq(csvb_stamp_make(out, sizeof out, c->literal, c->sde, c->now, &d), c->code,
                     "case %zu", i);
        if (c->out != NULL)
            cr_assert_str_eq(out, c->out, "case %zu", i);
    }
}

Test(stamp, bad_epoch_message)
{
    char out[CSVB_STAMP_MAX];
    struct csvb_diag d;
    csvb_diag_init(&d);
    csvb_stamp_make(out, sizeof out, NULL, "soon", 0, &d);
    cr_assert_str_eq(d.message, "SOURCE_DATE_EPOCH: expected seconds since 1970 (0 to "
                                "253402300799), found 'soon'");
}

Test(stamp, powershell_format)
{
    char out[CSVB_STAMP_MAX];
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_stamp_make_powershell(out, sizeof out, NULL, "1772600767", 0, &d), CSVB_OK);
    cr_assert_str_eq(out, "03/04/2026 05:06:07");
    cr_assert_eq(csvb_stamp_make_powershell(out, sizeof out, "lit", "5", 0, &d), CSVB_OK);
    cr_assert_str_eq(out, "lit");
    cr_assert_eq(csvb_stamp_make_powershell(out, sizeof out, NULL, "x", 0, &d), CSVB_E_USAGE);
}
