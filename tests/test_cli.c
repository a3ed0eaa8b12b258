/* test_cli.c — options parsed and checked; every usage error has a clear message. */
#include <criterion/criterion.h>
#include <string.h>

#include "csvbatch/cli.h"

static enum csvb_cli_result parse(struct csvb_options *opt, struct csvb_diag *d, int argc,
                                  char **argv)
{
    csvb_diag_init(d);
    return csvb_cli_parse(argc, argv, opt, d);
}

Test(cli, defaults_reproduce_the_job)
{
    char *argv[] = {"csvbatch", "data"};
    struct csvb_options o;
    struct csvb_diag d;
    cr_assert_eq(parse(&o, &d, 2, argv), CSVB_CLI_OK);
    cr_assert_eq(o.npaths, 1);
    cr_assert_str_eq(o.paths[0], "data");
    cr_assert_eq(o.nwhere, 1);
    cr_assert_str_eq(o.where[0].column, "Status");
    cr_assert_str_eq(o.where[0].value, "Active");
    cr_assert_not(o.where[0].negate);
    cr_assert_null(o.select);
    cr_assert_str_eq(o.suffix, "_processed");
    cr_assert_str_eq(o.stamp_column, "ProcessedDate");
    cr_assert(o.fsync);
    cr_assert_eq(o.jobs, 0);
    cr_assert_eq(o.delimiter, '\0'); /* -d auto */
    cr_assert_eq(o.max_field_size, (size_t)64 << 20);
    csvb_options_fini(&o);
    csvb_options_fini(&o);
}

Test(cli, values_parsed)
{
    char *argv[] = {
        "csvbatch",         "-j",          "3",       "-r",        "-o",       "out",  "-n", "-q",
        "--select",         " ID , Name ", "--where", "Dept!=Ops", "--format", "json", "-d", "tab",
        "--max-field-size", "2K",          "a.csv",   "--suffix",  "_x",       "b"};
    struct csvb_options o;
    struct csvb_diag d;
    cr_assert_eq(parse(&o, &d, (int)(sizeof argv / sizeof argv[0]), argv), CSVB_CLI_OK, "%s",
                 d.message);
    cr_assert_eq(o.jobs, 3);
    cr_assert(o.recursive && o.dry_run && o.quiet);
    cr_assert_str_eq(o.output_dir, "out");
    cr_assert_eq(o.nselect, 2);
    cr_assert_str_eq(o.select[0], "ID");
    cr_assert_str_eq(o.select[1], "Name");
    cr_assert_eq(o.nwhere, 1);
    cr_assert_str_eq(o.where[0].column, "Dept");
    cr_assert_str_eq(o.where[0].value, "Ops");
    cr_assert(o.where[0].negate);
    cr_assert_eq(o.format, CSVB_FORMAT_JSON);
    cr_assert_eq(o.delimiter, '\t');
    cr_assert_eq(o.max_field_size, 2048);
    cr_assert_str_eq(o.suffix, "_x");
    cr_assert_eq(o.npaths, 2);
    cr_assert_str_eq(o.paths[1], "b");
    csvb_options_fini(&o);
}

struct usage_case {
    const char *args[4];
    int nargs;
    const char *message;
};

static const struct usage_case usage_cases[] = {
    {{0}, 0, "missing PATH: name the CSV files or directories to process"},
    {{"-j", "0", "x"}, 3, "--jobs: expected a whole number from 1 to 1024, found '0'"},
    {{"-j", "abc", "x"}, 3, "--jobs: expected a whole number from 1 to 1024, found 'abc'"},
    {{"-j", "2x", "x"}, 3, "--jobs: expected a whole number from 1 to 1024, found '2x'"},
    {{"-j", "5000", "x"}, 3, "--jobs: expected a whole number from 1 to 1024, found '5000'"},
    {{"--format", "xml", "x"}, 3, "--format: expected table, csv or json, found 'xml'"},
    {{"--where", "novalue", "x"},
     3,
     "--where: expected COLUMN=VALUE or COLUMN!=VALUE, found 'novalue'"},
    {{"--where", "=v", "x"}, 3, "--where: expected COLUMN=VALUE or COLUMN!=VALUE, found '=v'"},
    {{"--select", "", "x"},
     3,
     "--select: expected comma-separated column names, found an empty name in ''"},
    {{"--select", "a,,b", "x"},
     3,
     "--select: expected comma-separated column names, found an empty name in 'a,,b'"},
    {{"--select", "a,A", "x"}, 3, "--select: expected distinct column names, found 'a,A'"},
    {{"--select", "*,a", "x"}, 3, "--select: '*' must stand alone, found '*,a'"},
    {{"--all-rows", "--where", "a=b", "x"}, 4, "--all-rows and --where exclude each other"},
    {{"--no-stamp", "--timestamp", "t", "x"},
     4,
     "--no-stamp excludes --timestamp and --stamp-column"},
    {{"--suffix", "a/b", "x"},
     3,
     "--suffix: expected a non-empty name part without '/', found 'a/b'"},
    {{"-d", "\"", "x"},
     3,
     "--delimiter: expected an ASCII character other than a quote or line break, found '\"'"},
    {{"-d", "ab", "x"}, 3, "--delimiter: expected one character or 'tab', found 'ab'"},
    {{"--max-field-size", "0", "x"},
     3,
     "--max-field-size: expected a size in bytes (K, M, G suffixes), found '0'"},
    {{"--bogus", "x"}, 2, "unknown option '--bogus'"},
    {{"-Z", "x"}, 2, "unknown option '-Z'"},
    {{"x", "-j"}, 2, "option '-j' needs a value"},
};

Test(cli, usage_errors)
{
    for (size_t i = 0; i < sizeof usage_cases / sizeof usage_cases[0]; i++) {
        char *argv[8] = {"csvbatch"};
        for (int k = 0; k < usage_cases[i].nargs; k++)
            argv[k + 1] = (char *)usage_cases[i].args[k];
        struct csvb_options o;
        struct csvb_diag d;
        cr_assert_eq(parse(&o, &d, usage_cases[i].nargs + 1, argv), CSVB_CLI_USAGE, "case %zu", i);
        cr_assert_str_eq(d.message, usage_cases[i].message, "case %zu", i);
        csvb_options_fini(&o);
    }
}

Test(cli, help_and_version)
{
    char *h[] = {"csvbatch", "--help"}, *v[] = {"csvbatch", "-V"};
    struct csvb_options o;
    struct csvb_diag d;
    cr_assert_eq(parse(&o, &d, 2, h), CSVB_CLI_HELP);
    csvb_options_fini(&o);
    cr_assert_eq(parse(&o, &d, 2, v), CSVB_CLI_VERSION);
    csvb_options_fini(&o);
}

/* ---- The option table: every row parses its kind; the generated tables agree with it. ---- */

/* The whole number in the row's field, read by its width. */
static unsigned long long number_in(const struct csvb_options *o, const struct csvb_cli_option *r)
{
    const char *field = (const char *)o + r->offset;
    bool b;
    int i;
    size_t s;
    if (r->size == sizeof b)
        return memcpy(&b, field, sizeof b), b;
    if (r->size == sizeof i)
        return memcpy(&i, field, sizeof i), (unsigned long long)i;
    cr_assert_eq(r->size, sizeof s, "--%s: a field of %zu bytes", r->long_name, r->size);
    return memcpy(&s, field, sizeof s), s;
}

/* Parses: csvbatch [prerequisites of the row] --NAME [ARG] x. */
static enum csvb_cli_result parse_row(const struct csvb_cli_option *r, const char *arg,
                                      struct csvb_options *o, struct csvb_diag *d)
{
    char name[64];
    snprintf(name, sizeof name, "--%s", r->long_name);
    char *argv[8] = {"csvbatch"};
    int argc = 1;
    if (strcmp(r->long_name, "rejects") == 0)
        argv[argc++] = "--on-bad-row=skip";
    if (strcmp(r->long_name, "null") == 0)
        argv[argc++] = "--files-from=list";
    argv[argc++] = name;
    if (arg != NULL)
        argv[argc++] = (char *)arg;
    argv[argc++] = "x";
    return parse(o, d, argc, argv);
}

Test(cli, every_row_parses_its_kind)
{
    size_t n;
    const struct csvb_cli_option *rows = csvb_cli_table(&n);
    for (size_t i = 0; i < n; i++) {
        const struct csvb_cli_option *r = &rows[i];
        if (r->kind == CSVB_OPT_TEXT || r->kind == CSVB_OPT_CUSTOM || r->kind == CSVB_OPT_ENUM)
            continue; /* custom rows below, enum rows in every_enum_name_parses */
        static const char *const good[] = {[CSVB_OPT_STRING] = "v",
                                           [CSVB_OPT_SIZE] = "8K",
                                           [CSVB_OPT_COUNT] = "1",
                                           [CSVB_OPT_SECONDS] = "2.5",
                                           [CSVB_OPT_CHAR] = "tab"};
        const char *arg = r->kind == CSVB_OPT_FLAG ? NULL : good[r->kind];
        struct csvb_options o;
        struct csvb_diag d;
        cr_assert_eq(parse_row(r, arg, &o, &d), CSVB_CLI_OK, "--%s: %s", r->long_name, d.message);
        const char *field = (const char *)&o + r->offset;
        const char *s;
        double secs;
        if (r->kind == CSVB_OPT_FLAG)
            cr_assert_eq(number_in(&o, r), (unsigned long long)r->value, "--%s", r->long_name);
        else if (r->kind == CSVB_OPT_STRING)
            cr_assert_eq((memcpy(&s, field, sizeof s), s), arg, "--%s", r->long_name);
        else if (r->kind == CSVB_OPT_SIZE)
            cr_assert_eq(number_in(&o, r), 8192, "--%s", r->long_name);
        else if (r->kind == CSVB_OPT_COUNT)
            cr_assert_eq(number_in(&o, r), 1, "--%s", r->long_name);
        else if (r->kind == CSVB_OPT_SECONDS)
            cr_assert_eq((memcpy(&secs, field, sizeof secs), secs), 2.5, "--%s", r->long_name);
        else
            cr_assert_eq(*field, '\t', "--%s", r->long_name);
        csvb_options_fini(&o);
        /* Every kind with an argument refuses a bad one, with the row's message. */
        static const char *const bad[] = {[CSVB_OPT_SIZE] = "1X",
                                          [CSVB_OPT_COUNT] = "0",
                                          [CSVB_OPT_SECONDS] = "-1",
                                          [CSVB_OPT_CHAR] = "ab"};
        if (r->kind == CSVB_OPT_FLAG || (r->kind == CSVB_OPT_STRING && r->flags == 0))
            continue;
        arg = r->kind == CSVB_OPT_STRING                 ? ""
              : r->kind == CSVB_OPT_COUNT && r->min == 0 ? "-1"
                                                         : bad[r->kind];
        char want[256];
        if (r->kind == CSVB_OPT_CHAR)
            snprintf(want, sizeof want, "--%s: expected one character or 'tab', found 'ab'",
                     r->long_name);
        else
            snprintf(want, sizeof want, "--%s: expected %s, found '%s'", r->long_name, r->expect,
                     arg);
        cr_assert_eq(parse_row(r, arg, &o, &d), CSVB_CLI_USAGE, "--%s", r->long_name);
        cr_assert_str_eq(d.message, want);
        csvb_options_fini(&o);
    }
}

Test(cli, count_rows_take_their_whole_range)
{
    size_t n;
    const struct csvb_cli_option *rows = csvb_cli_table(&n);
    for (size_t i = 0; i < n; i++) {
        const struct csvb_cli_option *r = &rows[i];
        if (r->kind != CSVB_OPT_COUNT)
            continue;
        char max[32], over[32];
        snprintf(max, sizeof max, "%llu", r->max);
        snprintf(over, sizeof over, "%llu", r->max + 1);
        struct csvb_options o;
        struct csvb_diag d;
        cr_assert_eq(parse_row(r, max, &o, &d), CSVB_CLI_OK, "--%s %s", r->long_name, max);
        cr_assert_eq(number_in(&o, r), r->max);
        csvb_options_fini(&o);
        cr_assert_eq(parse_row(r, over, &o, &d), CSVB_CLI_USAGE, "--%s %s", r->long_name, over);
        csvb_options_fini(&o);
    }
}

Test(cli, every_enum_name_parses)
{
    size_t n;
    const struct csvb_cli_option *rows = csvb_cli_table(&n);
    for (size_t i = 0; i < n; i++) {
        const struct csvb_cli_option *r = &rows[i];
        if (r->kind != CSVB_OPT_ENUM)
            continue;
        for (size_t k = 0; k < r->names->n; k++) {
            const struct csvb_name *name = &r->names->names[k];
            struct csvb_options o;
            struct csvb_diag d;
            enum csvb_cli_result got = parse_row(r, name->name, &o, &d);
            enum csvb_cli_result want =
                r->flags & CSVB_OPTF_HIDDEN ? CSVB_CLI_COMPLETION : CSVB_CLI_OK;
            if (name->flags & CSVB_NAME_INTERNAL) { /* printed in the report, never accepted */
                cr_assert_eq(got, CSVB_CLI_USAGE, "--%s %s", r->long_name, name->name);
            } else {
                cr_assert_eq(got, want, "--%s %s: %s", r->long_name, name->name, d.message);
                cr_assert_eq(number_in(&o, r), (unsigned long long)name->value);
            }
            csvb_options_fini(&o);
        }
    }
}

Test(cli, custom_rows)
{
    char *argv[] = {"csvbatch",    "--select", "a",   "--select", "b , c",
                    "--fail-fast", "--where",  "x=1", "-h",       "y"};
    struct csvb_options o;
    struct csvb_diag d;
    cr_assert_eq(parse(&o, &d, 10, argv), CSVB_CLI_HELP);
    cr_assert_eq(o.nselect, 2);
    cr_assert_str_eq(o.select[1], "c");
    cr_assert(o.fail_fast);
    cr_assert_eq(o.max_failures, 1);
    cr_assert_eq(o.nwhere, 1);
    csvb_options_fini(&o);
    char *later[] = {"csvbatch", "--fail-fast", "--max-failures", "3", "y"};
    cr_assert_eq(parse(&o, &d, 5, later), CSVB_CLI_OK);
    cr_assert_not(o.fail_fast);
    cr_assert_eq(o.max_failures, 3);
    csvb_options_fini(&o);
}

/* The old 32-condition limit is gone from cli (filter.c still has one: see CSVB_FILTER_MAX). */
Test(cli, where_grows_without_limit)
{
    enum { N = 100 };
    char *argv[2 * N + 2] = {"csvbatch"}, texts[N][32];
    for (int i = 0; i < N; i++) {
        snprintf(texts[i], sizeof texts[i], "c%d%s=%d", i, i % 2 ? "!" : "", i);
        argv[1 + 2 * i] = "--where";
        argv[2 + 2 * i] = texts[i];
    }
    argv[2 * N + 1] = "x";
    struct csvb_options o;
    struct csvb_diag d;
    cr_assert_eq(parse(&o, &d, 2 * N + 2, argv), CSVB_CLI_OK, "%s", d.message);
    cr_assert_eq(o.nwhere, N);
    cr_assert_str_eq(o.where[N - 1].column, "c99");
    cr_assert_str_eq(o.where[N - 1].value, "99");
    cr_assert(o.where[N - 1].negate);
    cr_assert_not(o.where[N - 2].negate);
    csvb_options_fini(&o);
}

Test(cli, flags_mean_what_they_say)
{
    char *argv[] = {"csvbatch",   "--progress",
                    "--no-fsync", "--no-fast-path",
                    "-0",         "--files-from",
                    "l",          "--on-bad-row",
                    "skip",       "--rejects",
                    "-r",         "--case-sensitive",
                    "--no-stamp", "--chunk-size",
                    "0",          "--compat",
                    "powershell", "x"};
    struct csvb_options o;
    struct csvb_diag d;
    cr_assert_eq(parse(&o, &d, 18, argv), CSVB_CLI_OK, "%s", d.message);
    cr_assert_eq(o.progress, CSVB_PROGRESS_ON);
    cr_assert_not(o.fsync);
    cr_assert_not(o.fast_path);
    cr_assert(o.files_from_nul && o.skip_bad_rows && o.rejects && o.recursive);
    cr_assert(o.case_sensitive && o.no_stamp);
    cr_assert_str_eq(o.files_from, "l");
    cr_assert_eq(o.chunk_size, 0);
    cr_assert_eq(o.compat, CSVB_COMPAT_POWERSHELL);
    cr_assert_eq(o.npaths, 1);
    csvb_options_fini(&o);
    char *off[] = {"csvbatch", "--progress", "--no-progress", "--output-delimiter",
                   ";",        "--encoding", "latin1",        "x"};
    cr_assert_eq(parse(&o, &d, 8, off), CSVB_CLI_OK);
    cr_assert_eq(o.progress, CSVB_PROGRESS_OFF);
    cr_assert_eq(o.out_delimiter, ';');
    cr_assert_eq(o.delimiter, '\0');
    cr_assert_str_eq(o.encoding, "latin1");
    csvb_options_fini(&o);
}

/* -d auto is the default, -d CHAR turns it off; --compat powershell reads commas unless -d says. */
Test(cli, delimiter_auto_and_powershell)
{
    struct csvb_options o;
    struct csvb_diag d;
    char *a[] = {"csvbatch", "x"};
    cr_assert_eq(parse(&o, &d, 2, a), CSVB_CLI_OK);
    cr_assert_eq(o.delimiter, '\0');
    cr_assert_eq(o.out_delimiter, '\0');
    csvb_options_fini(&o);
    char *b[] = {"csvbatch", "-d", "auto", "--output-delimiter", "tab", "x"};
    cr_assert_eq(parse(&o, &d, 6, b), CSVB_CLI_OK);
    cr_assert_eq(o.delimiter, '\0');
    cr_assert_eq(o.out_delimiter, '\t');
    csvb_options_fini(&o);
    char *c[] = {"csvbatch", "--compat", "powershell", "x"};
    cr_assert_eq(parse(&o, &d, 4, c), CSVB_CLI_OK);
    cr_assert_eq(o.delimiter, ',');
    cr_assert_eq(o.out_delimiter, ',');
    csvb_options_fini(&o);
    char *e[] = {"csvbatch", "--compat", "powershell", "-d", "auto", "x"};
    cr_assert_eq(parse(&o, &d, 6, e), CSVB_CLI_OK);
    cr_assert_eq(o.delimiter, '\0');
    csvb_options_fini(&o);
    char *f[] = {"csvbatch", "--output-delimiter", "auto", "x"};
    cr_assert_eq(parse(&o, &d, 4, f), CSVB_CLI_USAGE);
    csvb_options_fini(&o);
    char *g[] = {"csvbatch", "--on-bad-row", "pad", "x"};
    cr_assert_eq(parse(&o, &d, 4, g), CSVB_CLI_OK);
    cr_assert(o.pad_bad_rows && !o.skip_bad_rows && o.on_bad_row == CSVB_BAD_ROW_PAD);
    csvb_options_fini(&o);
    char *h[] = {"csvbatch", "--include", "*.txt", "--include", "*.dat", "--exclude", "old", "x"};
    cr_assert_eq(parse(&o, &d, 8, h), CSVB_CLI_OK);
    cr_assert_eq(o.ninclude, 2);
    cr_assert_str_eq(o.include[1], "*.dat");
    cr_assert_eq(o.nexclude, 1);
    cr_assert_str_eq(o.exclude[0], "old");
    csvb_options_fini(&o);
}
