/* test_filter.c — PowerShell -eq semantics: ASCII case-insensitive, nothing trimmed. */
#include <criterion/criterion.h>
#include <string.h>

#include "csvbatch/filter.h"

static struct csvb_row make_row(struct csvb_field *f, const char *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        f[i] = (struct csvb_field){v[i], strlen(v[i])};
    return (struct csvb_row){f, n, 1};
}

/* The filter config that csvbatch's options would give (the core sees only configs): --where
 * COL=VAL / COL!=VAL, --case-sensitive, --all-rows; default Status=Active. */
static struct csvb_filter_config config_of(const char *const *args, size_t nargs,
                                           struct csvb_filter_rule *rules)
{
    struct csvb_filter_config cfg = {rules, 0, false, false, 0};
    bool all = false;
    for (size_t i = 0; i < nargs; i++) {
        if (strcmp(args[i], "--case-sensitive") == 0) {
            cfg.case_sensitive = true;
        } else if (strcmp(args[i], "--all-rows") == 0) {
            all = true;
        } else if (strcmp(args[i], "--where") == 0) {
            static char cols[8][32];
            const char *w = args[++i];
            const char *eq = strchr(w, '=');
            bool neg = eq > w && eq[-1] == '!';
            size_t clen = (size_t)(eq - w) - neg;
            size_t k = cfg.nrules++;
            memcpy(cols[k], w, clen);
            cols[k][clen] = '\0';
            rules[k] = (struct csvb_filter_rule){cols[k], eq + 1, strlen(eq + 1), neg};
        }
    }
    if (cfg.nrules == 0 && !all)
        rules[cfg.nrules++] = (struct csvb_filter_rule){"Status", "Active", 6, false};
    return cfg;
}

/* Binds the filter of the given arguments against header ID,Status,Dept and tests one row. */
static bool matches(const char *const *args, size_t nargs, const char *status, const char *dept)
{
    struct csvb_filter_rule rules[8];
    struct csvb_filter_config cfg = config_of(args, nargs, rules);
    struct csvb_diag d;
    csvb_diag_init(&d);
    static const char *const head[] = {"ID", "Status", "Dept"};
    const char *vals[] = {"1", status, dept};
    struct csvb_field hf[3], rf[3];
    struct csvb_row h = make_row(hf, head, 3), r = make_row(rf, vals, 3);
    struct csvb_filter f;
    cr_assert_eq(csvb_filter_bind(&f, &cfg, &h, &d), CSVB_OK, "%s", d.message);
    bool m = csvb_filter_match(&f, &r);
    csvb_filter_fini(&f);
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
    const char *args[] = {"--where", "Region=EU"};
    struct csvb_filter_rule rules[8];
    struct csvb_filter_config cfg = config_of(args, 2, rules);
    struct csvb_diag d;
    csvb_diag_init(&d);
    static const char *const head[] = {"ID", "Status"};
    struct csvb_field hf[2];
    struct csvb_row h = make_row(hf, head, 2);
    struct csvb_filter f;
    cr_assert_eq(csvb_filter_bind(&f, &cfg, &h, &d), CSVB_E_SCHEMA);
    cr_assert_str_eq(d.message,
                     "expected a column named 'Region' (filter), found header: ID,Status");
    csvb_filter_fini(&f);
}
