/* test_cli_table.c — the option table and what is generated from it: getopt_long's tables, the
 * --help layout, the hidden option and the abbreviations it must not disturb. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/cli.h"

static bool listed(const struct csvb_cli_option *r)
{
    return r->kind != CSVB_OPT_TEXT && !(r->flags & (CSVB_OPTF_HIDDEN | CSVB_OPTF_EXACT));
}

Test(cli_table, rows_are_well_formed)
{
    size_t n;
    const struct csvb_cli_option *rows = csvb_cli_table(&n);
    for (size_t i = 0; i < n; i++) {
        const struct csvb_cli_option *r = &rows[i];
        cr_assert_not_null(r->help, "row %zu", i);
        if (r->kind == CSVB_OPT_TEXT)
            continue;
        cr_assert_not_null(r->long_name, "row %zu", i);
        for (size_t k = 0; k < i; k++) {
            if (rows[k].long_name != NULL)
                cr_assert_str_neq(rows[k].long_name, r->long_name, "--%s twice", r->long_name);
            if (r->short_name != 0)
                cr_assert_neq(rows[k].short_name, r->short_name, "-%c twice", r->short_name);
        }
        bool takes = r->kind != CSVB_OPT_FLAG && !(r->kind == CSVB_OPT_CUSTOM && r->arg == 0);
        cr_assert_eq(r->arg != CSVB_ARG_NONE, takes, "--%s: argument", r->long_name);
        cr_assert_eq(r->arg_name != NULL, takes, "--%s: argument name", r->long_name);
        bool needs_expect = r->kind == CSVB_OPT_SIZE || r->kind == CSVB_OPT_COUNT ||
                            r->kind == CSVB_OPT_SECONDS ||
                            (r->kind == CSVB_OPT_STRING && r->flags != 0);
        cr_assert_eq(r->expect != NULL, needs_expect, "--%s: expect", r->long_name);
        /* An enum has names; a custom row may carry some as completion suggestions. */
        cr_assert(r->kind == CSVB_OPT_ENUM ? r->names != NULL
                                           : r->names == NULL || r->kind == CSVB_OPT_CUSTOM,
                  "--%s: names", r->long_name);
        if (r->kind == CSVB_OPT_CUSTOM)
            cr_assert_not_null(r->handler, "--%s", r->long_name);
        if (r->kind != CSVB_OPT_CUSTOM) /* a field inside the struct */
            cr_assert_leq(r->offset + r->size, sizeof(struct csvb_options), "--%s", r->long_name);
    }
}

Test(cli_table, getopt_tables_agree_with_the_table)
{
    struct csvb_cli_getopt g;
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_cli_getopt_init(&g, &d), CSVB_OK);
    size_t n, nlisted = 0, nlong = 0;
    const struct csvb_cli_option *rows = csvb_cli_table(&n);
    for (size_t i = 0; i < n; i++)
        nlisted += listed(&rows[i]);
    for (; g.longopts[nlong].name != NULL; nlong++) {
        const struct option *lo = &g.longopts[nlong];
        const struct csvb_cli_option *r = csvb_cli_row_for(lo->val);
        cr_assert_not_null(r, "--%s: val %d has no row", lo->name, lo->val);
        cr_assert_str_eq(r->long_name, lo->name, "--%s reaches its own row", lo->name);
        cr_assert_eq(lo->has_arg, r->arg == CSVB_ARG_REQUIRED   ? required_argument
                                  : r->arg == CSVB_ARG_OPTIONAL ? optional_argument
                                                                : no_argument);
        cr_assert_null(lo->flag);
        if (r->short_name != 0) {
            char *at = strchr(g.shortopts + 1, r->short_name);
            cr_assert_not_null(at, "-%c missing from '%s'", r->short_name, g.shortopts);
            cr_assert_null(strchr(at + 1, r->short_name), "-%c twice", r->short_name);
            size_t colons = strspn(at + 1, ":");
            cr_assert_eq(colons, (size_t)r->arg, "-%c: %zu colons", r->short_name, colons);
            cr_assert_eq(lo->val, r->short_name);
        }
    }
    cr_assert_eq(nlong, nlisted, "every listed row and only those");
    cr_assert_eq(g.shortopts[0], ':');
    for (const char *p = g.shortopts + 1; *p != '\0'; p++)
        if (*p != ':')
            cr_assert_not_null(csvb_cli_row_for((unsigned char)*p), "-%c has no row", *p);
    cr_assert_str_eq(g.shortopts, ":rL0d:o:j:nqhV");
    csvb_cli_getopt_fini(&g);
    csvb_cli_getopt_fini(&g);
}

static char *help_text(void)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    cr_assert_not_null(f);
    csvb_cli_help(f);
    cr_assert_eq(fclose(f), 0);
    return text;
}

Test(cli_table, help_lines_fit_and_line_up)
{
    char *text = help_text();
    size_t lines = 0;
    for (char *line = text, *nl; (nl = strchr(line, '\n')) != NULL; line = nl + 1, lines++) {
        cr_assert_leq(nl - line, CSVB_CLI_HELP_WIDTH, "line %zu too wide: %.*s", lines,
                      (int)(nl - line), line);
        if (strncmp(line, "  -", 3) == 0 || strncmp(line, "      --", 8) == 0)
            cr_assert(line[CSVB_CLI_HELP_COLUMN - 1] == ' ' && line[CSVB_CLI_HELP_COLUMN] != ' ',
                      "help text not at column %d: %.*s", CSVB_CLI_HELP_COLUMN, (int)(nl - line),
                      line);
    }
    size_t n;
    const struct csvb_cli_option *rows = csvb_cli_table(&n);
    for (size_t i = 0; i < n; i++) {
        if (rows[i].kind == CSVB_OPT_TEXT)
            continue;
        char name[64];
        snprintf(name, sizeof name, "--%s ", rows[i].long_name);
        bool shown = strstr(text, name) != NULL;
        cr_assert_eq(shown, listed(&rows[i]) || (rows[i].flags & CSVB_OPTF_EXACT) != 0,
                     "--%s in --help", rows[i].long_name);
    }
    cr_assert_null(strstr(text, "completion"));
    free(text);
}

struct word_case {
    const char *args[3];
    int nargs;
    enum csvb_cli_result result;
    const char *message;
};

static const struct word_case word_cases[] = {
    /* The hidden --completion is not in getopt's table: old abbreviations keep their meaning. */
    {{"--co", "powershell", "x"}, 3, CSVB_CLI_OK, NULL},
    {{"--comp", "powershell", "x"}, 3, CSVB_CLI_OK, NULL},
    {{"--compl", "bash"}, 2, CSVB_CLI_USAGE, "unknown option '--compl'"},
    {{"--completion", "zsh"}, 2, CSVB_CLI_COMPLETION, NULL},
    {{"x", "--completion=fish"}, 2, CSVB_CLI_COMPLETION, NULL},
    {{"--completion"}, 1, CSVB_CLI_USAGE, "option '--completion' needs a value"},
    {{"--completion", "tcsh"},
     2,
     CSVB_CLI_USAGE,
     "--completion: expected bash, zsh or fish, found 'tcsh'"},
    /* An abbreviation of several listed options is ambiguous, not unknown (issue 13 item 23). */
    {{"--f", "x"},
     2,
     CSVB_CLI_USAGE,
     "option '--f' is ambiguous; it could be --follow, --files-from, --fail-fast, --format"},
    {{"--no-f", "x"},
     2,
     CSVB_CLI_USAGE,
     "option '--no-f' is ambiguous; it could be --no-fsync, --no-fast-path"},
    {{"--no-fs", "x"}, 2, CSVB_CLI_OK, NULL},
    {{"--zzz", "x"}, 2, CSVB_CLI_USAGE, "unknown option '--zzz'"},
    /* --color and --junit (EXACT) leave --co (--compat) and --j (--jobs) as they were. */
    {{"--j", "2", "x"}, 3, CSVB_CLI_OK, NULL},
    {{"--color=never", "x"}, 2, CSVB_CLI_OK, NULL},
    {{"--junit", "r.xml", "x"}, 3, CSVB_CLI_OK, NULL},
    {{"--col", "never", "x"}, 3, CSVB_CLI_USAGE, "unknown option '--col'"},
    {{"--color", "sometimes", "x"},
     3,
     CSVB_CLI_USAGE,
     "--color: expected auto, always or never, found 'sometimes'"},
    {{"--annotations", "gitlab", "x"},
     3,
     CSVB_CLI_USAGE,
     "--annotations: expected auto, github or none, found 'gitlab'"},
    {{"--all-rows=yes", "x"}, 2, CSVB_CLI_USAGE, "option '--all-rows' takes no value"},
    {{"--recursive=1", "x"}, 2, CSVB_CLI_USAGE, "option '--recursive' takes no value"},
    {{"-rZ", "x"}, 2, CSVB_CLI_USAGE, "unknown option '-Z'"},
    {{"--form=csv", "x"}, 2, CSVB_CLI_OK, NULL},
    {{"--encoding", "cp1252", "x"}, 3, CSVB_CLI_OK, NULL},
    {{"--compat", "none", "x"}, 3, CSVB_CLI_USAGE, "--compat: expected powershell, found 'none'"},
    {{"--on-bad-row", "drop", "x"},
     3,
     CSVB_CLI_USAGE,
     "--on-bad-row: expected fail, skip or pad, found 'drop'"},
    {{"--encoding", "utf16", "x"}, 3, CSVB_CLI_OK, NULL}, /* any name iconv knows */
    {{"--encoding", "auto", "x"}, 3, CSVB_CLI_OK, NULL},
    {{"--encoding", "no-such-encoding", "x"},
     3,
     CSVB_CLI_USAGE,
     "--encoding: iconv does not know 'no-such-encoding' (iconv -l lists the names it knows; or "
     "auto)"},
    {{"--quotes", "loose", "x"},
     3,
     CSVB_CLI_USAGE,
     "--quotes: expected strict or lenient, found 'loose'"},

    {{"--files-from", "list"}, 2, CSVB_CLI_OK, NULL}, /* no PATH yet: files_from.h checks */
};

Test(cli_table, words)
{
    for (size_t i = 0; i < sizeof word_cases / sizeof word_cases[0]; i++) {
        const struct word_case *c = &word_cases[i];
        char *argv[5] = {"csvbatch"};
        for (int k = 0; k < c->nargs; k++)
            argv[k + 1] = (char *)c->args[k];
        struct csvb_options o;
        struct csvb_diag d;
        csvb_diag_init(&d);
        cr_assert_eq(csvb_cli_parse(c->nargs + 1, argv, &o, &d), c->result, "case %zu: %s", i,
                     d.message);
        if (c->message != NULL)
            cr_assert_str_eq(d.message, c->message, "case %zu", i);
        if (c->result == CSVB_CLI_COMPLETION)
            cr_assert_neq(o.completion, CSVB_SHELL_NONE, "case %zu", i);
        csvb_options_fini(&o);
    }
}
