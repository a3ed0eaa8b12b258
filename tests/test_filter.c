/* test_filter.c — PowerShell -eq semantics: ASCII case-insensitive, nothing trimmed. */
#include <criterion/criterion.h>
#include <string.h>

#include "csvbatch/cli.h"
#include "csvbatch/filter.h"

static struct csvb_row make_row(struct csvb_field *f, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        f[i] = (struct csvb_field){v[i], strlen(v[i])};
    return (struct csvb_row){f, n, 1};
}

/* Binds the filter of the given argv against header ID,Status,Dept and tests one row. */
static bool matches(const char *const *args, size_t nargs, const char *status, const char *dept)
{
    char *argv[16] = {"csvbatch"};
    for (size_t i = 0; i < nargs; i++)
        argv[i + 1] = (char *)args[i];
    argv[nargs + 1] = "x.csv";
    struct csvb_options opt;
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_cli_parse((int)nargs + 2, argv, &opt, &d), CSVB_CLI_OK, "%s", d.message);
    static const char *const head[] = {"ID", "Status", "Dept"};
    const char *vals[] = {"1", status, dept};
    struct csvb_field hf[3], rf[3];
    struct csvb_row h = make_row(hf, head, 3), r = make_row(rf, vals, 3);
    struct csvb_filter f;
    cr_assert_eq(csvb_filter_bind(&f, &opt, &h, &d), CSVB_OK, "%s", d.message);
    bool m = csvb_filter_match(&f, &r);
    csvb_options_fini(&opt);
    return m;
}

struct filter_case {
    const char *args[4];
    size_t nargs;
    const char *status, *dept;
    bool expected;
};

static const struct filter_case filter_cases[] = {
    {{0}, 0, "Active", "x", true},
    {{0}, 0, "active", "x", true},
    {{0}, 0, "ACTIVE", "x", true},
    {{0}, 0, "AcTiVe", "x", true},
    {{0}, 0, " Active", "x", false},
    {{0}, 0, "Active ", "x", false},
    {{0}, 0, "Inactive", "x", false},
    {{0}, 0, "", "x", false},
    {{0},
     0,
     "\xD0\x90"
     "ctive",
     "x",
     false}, /* Cyrillic A */
    {{0}, 0, "Activ", "x", false},
    {{0}, 0, "Actives", "x", false},
    {{"--case-sensitive"}, 1, "Active", "x", true},
    {{"--case-sensitive"}, 1, "active", "x", false},
    {{"--where", "Dept=Sales"}, 2, "Inactive", "sales", true},
    {{"--where", "Dept=Sales"}, 2, "Active", "Ops", false},
    {{"--where", "Status!=Inactive"}, 2, "Pending", "x", true},
    {{"--where", "Status!=Inactive"}, 2, "INACTIVE", "x", false},
    {{
         "--where",
         "Dept=",
     },
     2,
     "x",
     "",
     true},
    {{"--where", "Dept=a=b"}, 2, "x", "a=b", true},
    {{"--all-rows"}, 1, "whatever", "x", true},
};

Test(filter, table)
{
    for (size_t i = 0; i < sizeof filter_cases / sizeof filter_cases[0]; i++) {
        const struct filter_case *c = &filter_cases[i];
        cr_assert_eq(matches(c->args, c->nargs, c->status, c->dept), c->expected, "case %zu", i);
    }
}

Test(filter, conditions_all_must_hold)
{
    const char *args[] = {"--where", "Dept=Sales", "--where", "Status!=Inactive"};
    cr_assert(matches(args, 4, "Active", "Sales"));
    cr_assert_not(matches(args, 4, "Inactive", "Sales"));
    cr_assert_not(matches(args, 4, "Active", "Ops"));
}

Test(filter, missing_column_lists_header)
{
    char *argv[] = {"csvbatch", "--where", "Region=EU", "x.csv"};
    struct csvb_options opt;
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_cli_parse(4, argv, &opt, &d), CSVB_CLI_OK);
    static const char *const head[] = {"ID", "Status"};
    struct csvb_field hf[2];
    struct csvb_row h = make_row(hf, head, 2);
    struct csvb_filter f;
    cr_assert_eq(csvb_filter_bind(&f, &opt, &h, &d), CSVB_E_SCHEMA);
    cr_assert_str_eq(d.message,
                     "expected a column named 'Region' (filter), found header: ID,Status");
    csvb_options_fini(&opt);
}
