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
    cr_assert_eq(o.delimiter, ',');
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
