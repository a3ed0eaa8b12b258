/* test_options.c — defaults, the names of enum choices, and the typed listing for the report. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "csvbatch/cli.h"
#include "csvbatch/options.h"

Test(options, defaults)
{
    struct csvb_options o;
    memset(&o, 0x5a, sizeof o);
    csvb_options_init(&o);
    cr_assert_null(o.paths);
    cr_assert_eq(o.npaths, 0);
    cr_assert_eq(o.jobs, 0);
    cr_assert(o.fsync && o.fast_path);
    cr_assert_not(o.recursive || o.dry_run || o.quiet || o.all_rows || o.no_stamp);
    cr_assert_str_eq(o.suffix, "_processed");
    cr_assert_str_eq(o.stamp_column, "ProcessedDate");
    cr_assert_eq(o.max_field_size, (size_t)64 << 20);
    cr_assert_eq(o.chunk_size, (size_t)32 << 20);
    cr_assert_eq(o.delimiter, '\0'); /* -d auto */
    cr_assert_eq(o.out_delimiter, '\0');
    cr_assert_eq(o.format, CSVB_FORMAT_TABLE);
    cr_assert_str_eq(o.encoding, "utf-8");
    cr_assert_eq(o.quotes, CSVB_QUOTES_STRICT);
    cr_assert_eq(o.compat, CSVB_COMPAT_NONE);
    cr_assert_eq(o.progress, CSVB_PROGRESS_AUTO);
    cr_assert_eq(o.completion, CSVB_SHELL_NONE);
    cr_assert_null(o.where);
    cr_assert_null(o.select);
    cr_assert_eq(o.max_failures, 0);
    cr_assert_null(o.files_from);
    csvb_options_fini(&o);
    csvb_options_fini(&o);
    csvb_options_fini(NULL);
}

static const struct csvb_names *const all_names[] = {
    &csvb_format_names,   &csvb_encoding_names, &csvb_compat_names,
    &csvb_progress_names, &csvb_bad_row_names,  &csvb_shell_names,
};

Test(options, every_name_round_trips)
{
    for (size_t t = 0; t < sizeof all_names / sizeof all_names[0]; t++) {
        const struct csvb_names *names = all_names[t];
        cr_assert_gt(names->n, 0);
        for (size_t i = 0; i < names->n; i++) {
            const struct csvb_name *n = &names->names[i];
            int value = csvb_names_value(names, n->name, true);
            cr_assert_eq(value, n->value, "table %zu: %s", t, n->name);
            const char *canonical = csvb_names_name(names, value);
            cr_assert_not_null(canonical);
            if (!(n->flags & CSVB_NAME_ALIAS))
                cr_assert_str_eq(canonical, n->name, "table %zu", t);
            cr_assert_eq(csvb_names_value(names, canonical, true), value);
            cr_assert_eq(csvb_names_value(names, n->name, false),
                         n->flags & CSVB_NAME_INTERNAL ? -1 : n->value, "table %zu: %s", t,
                         n->name);
            for (size_t k = 0; k < i; k++)
                cr_assert_str_neq(names->names[k].name, n->name, "table %zu: twice", t);
        }
        cr_assert_eq(csvb_names_value(names, "no-such-name", true), -1);
        cr_assert_null(csvb_names_name(names, 99));
    }
}

Test(options, typed_names)
{
    cr_assert_str_eq(csvb_format_name(CSVB_FORMAT_JSON), "json");
    cr_assert_str_eq(csvb_quotes_name(CSVB_QUOTES_LENIENT), "lenient");
    cr_assert_str_eq(csvb_compat_name(CSVB_COMPAT_NONE), "none");
    cr_assert_str_eq(csvb_progress_name(CSVB_PROGRESS_OFF), "off");
    cr_assert_str_eq(csvb_bad_row_name(CSVB_BAD_ROW_SKIP), "skip");
    cr_assert_str_eq(csvb_shell_name(CSVB_SHELL_FISH), "fish");
    cr_assert_null(csvb_format_name((enum csvb_format)7));
    enum csvb_quotes q = CSVB_QUOTES_STRICT;
    cr_assert(csvb_quotes_from_name("lenient", &q));
    cr_assert_eq(q, CSVB_QUOTES_LENIENT);
    cr_assert_not(csvb_quotes_from_name("Lenient", &q)); /* exact, as the command line */
    cr_assert_eq(q, CSVB_QUOTES_LENIENT);
    enum csvb_compat c = CSVB_COMPAT_POWERSHELL;
    cr_assert(csvb_compat_from_name("none", &c));
    cr_assert_eq(c, CSVB_COMPAT_NONE);
    enum csvb_format f;
    cr_assert(csvb_format_from_name("csv", &f) && f == CSVB_FORMAT_CSV);
    enum csvb_progress_mode p;
    cr_assert(csvb_progress_from_name("on", &p) && p == CSVB_PROGRESS_ON);
    enum csvb_bad_row b;
    cr_assert(csvb_bad_row_from_name("fail", &b) && b == CSVB_BAD_ROW_FAIL);
    enum csvb_shell s;
    cr_assert(csvb_shell_from_name("zsh", &s) && s == CSVB_SHELL_ZSH);
}

Test(options, names_join)
{
    char buf[64];
    cr_assert_str_eq(csvb_names_join(&csvb_format_names, buf, sizeof buf), "table, csv or json");
    cr_assert_str_eq(csvb_names_join(&csvb_encoding_names, buf, sizeof buf),
                     "utf-8, latin1 or windows-1252");
    cr_assert_str_eq(csvb_names_join(&csvb_compat_names, buf, sizeof buf), "powershell");
    cr_assert_str_eq(csvb_names_join(&csvb_bad_row_names, buf, sizeof buf), "fail, skip or pad");
    cr_assert_str_eq(csvb_names_join(&csvb_progress_names, buf, sizeof buf), "");
    cr_assert_str_eq(csvb_names_join(&csvb_format_names, buf, 8), "table, ");
}

/* The listing rendered as text: key=value, one per line. */
static void render(void *ctx, const char *key, const struct csvb_opt_value *v)
{
    FILE *out = ctx;
    fprintf(out, "%s=", key);
    if (v->kind == CSVB_VALUE_NULL)
        fputs("null", out);
    else if (v->kind == CSVB_VALUE_BOOL)
        fputs(v->boolean ? "true" : "false", out);
    else if (v->kind == CSVB_VALUE_INT)
        fprintf(out, "%lld", v->integer);
    else if (v->kind == CSVB_VALUE_REAL)
        fprintf(out, "%g", v->real);
    else if (v->kind == CSVB_VALUE_STRING)
        fprintf(out, "'%s'", v->string);
    else
        for (size_t i = 0; i < v->count; i++)
            fprintf(out, "%s'%s'", i ? "," : "[", v->list[i]);
    fputs(v->kind == CSVB_VALUE_LIST ? (v->count ? "]\n" : "[]\n") : "\n", out);
}

static char *describe(int argc, char **argv, int jobs)
{
    struct csvb_options o;
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_cli_parse(argc, argv, &o, &d), CSVB_CLI_OK, "%s", d.message);
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    csvb_options_describe(&o, jobs, render, f);
    fclose(f);
    csvb_options_fini(&o);
    return text;
}

Test(options, describe_defaults_in_report_order)
{
    char *argv[] = {"csvbatch", "x"};
    char *text = describe(2, argv, 3);
    cr_assert_str_eq(text, "jobs=3\ndelimiter='auto'\noutput_delimiter='auto'\nencoding='utf-8'\n"
                           "format='table'\npreview=0\nchunk_size=33554432\nrecursive=false\n"
                           "output_dir=null\nsuffix='_processed'\nwhere=['Status=Active']\n"
                           "all_rows=false\ncase_sensitive=false\nselect=['Name','ID']\n"
                           "stamp_column='ProcessedDate'\ndry_run=false\nfsync=true\n"
                           "on_bad_row='fail'\nrejects=false\ncompat='none'\nmax_failures=0\n"
                           "timeout=null\ndeadline=null\ncolor='auto'\njunit=null\n"
                           "annotations='auto'\ncompress='auto'\ncompress_level=0\n"
                           "incremental=false\nskip_lines='auto'\n"
                           "escape='auto'\n"
                           "comment='auto'\n");
    free(text);
}

Test(options, describe_given_options)
{
    char *argv[] = {"csvbatch",     "--where",  "A!=1",      "--where",
                    "B=",           "-d",       ";",         "--output-delimiter",
                    "tab",          "--format", "json",      "--no-stamp",
                    "--select",     "*",        "--timeout", "1.5",
                    "-o",           "out",      "--compat",  "powershell",
                    "--on-bad-row", "skip",     "x"};
    char *text = describe(23, argv, 1);
    cr_assert_str_eq(text,
                     "jobs=1\ndelimiter=';'\noutput_delimiter='\t'\nencoding='utf-8'\n"
                     "format='json'\npreview=0\nchunk_size=33554432\nrecursive=false\n"
                     "output_dir='out'\nsuffix='_processed'\nwhere=['A!=1','B=']\n"
                     "all_rows=false\ncase_sensitive=false\nselect=['*']\n"
                     "stamp_column=null\ndry_run=false\nfsync=true\non_bad_row='skip'\n"
                     "rejects=false\ncompat='powershell'\nmax_failures=0\ntimeout=1.5\n"
                     "deadline=null\ncolor='auto'\njunit=null\nannotations='auto'\n"
                     "compress='auto'\ncompress_level=0\nincremental=false\nskip_lines='auto'\n"
                     "escape='auto'\n"
                     "comment='auto'\n");
    free(text);
    char *given[] = {"csvbatch", "--color",       "never",  "--junit",
                     "r.xml",    "--annotations", "github", "x"};
    text = describe(8, given, 1);
    cr_assert(strstr(text, "\ncolor='never'\njunit='r.xml'\nannotations='github'\n") != NULL, "%s",
              text);
    free(text);
    char *all[] = {"csvbatch", "--all-rows", "--select", "b,a", "x"};
    text = describe(5, all, 1);
    cr_assert(strstr(text, "\nwhere=[]\nall_rows=true\n") != NULL, "%s", text);
    cr_assert(strstr(text, "\nselect=['b','a']\n") != NULL, "%s", text);
    free(text);
}
