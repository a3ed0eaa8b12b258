/* cli.c — the option table's engine: getopt_long's tables and --help generated from it, each
 * argument parsed and checked by its row's kind; never prints (but the help text) nor exits. */
#include "csvbatch/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static enum csvb_cli_result usage(struct csvb_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static enum csvb_cli_result usage(struct csvb_diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[CSVB_DIAG_MESSAGE_MAX];
    // NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): va_start is in every caller
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    csvb_diag_set(d, CSVB_E_USAGE, 0, "%s", msg);
    return CSVB_CLI_USAGE;
}

/* ---- Generated getopt tables. ---- */

/* In getopt's table (so abbreviations of it are accepted): every option but HIDDEN and EXACT. */
static bool listed(const struct csvb_cli_option *row)
{
    return row->kind != CSVB_OPT_TEXT && !(row->flags & (CSVB_OPTF_HIDDEN | CSVB_OPTF_EXACT));
}

enum csvb_err csvb_cli_getopt_init(struct csvb_cli_getopt *g, struct csvb_diag *d)
{
    size_t n;
    const struct csvb_cli_option *rows = csvb_cli_table(&n);
    g->longopts = calloc(n + 1, sizeof *g->longopts);
    g->shortopts = calloc(3 * n + 2, 1);
    if (g->longopts == NULL || g->shortopts == NULL) {
        csvb_cli_getopt_fini(g);
        csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
        return CSVB_E_NOMEM;
    }
    size_t nlong = 0, nshort = 0;
    g->shortopts[nshort++] = ':';
    for (size_t i = 0; i < n; i++) {
        const struct csvb_cli_option *row = &rows[i];
        if (!listed(row))
            continue;
        int has_arg = row->arg == CSVB_ARG_REQUIRED   ? required_argument
                      : row->arg == CSVB_ARG_OPTIONAL ? optional_argument
                                                      : no_argument;
        int val = row->short_name != 0 ? (unsigned char)row->short_name : 256 + (int)i;
        g->longopts[nlong++] = (struct option){row->long_name, has_arg, NULL, val};
        if (row->short_name == 0)
            continue;
        g->shortopts[nshort++] = row->short_name;
        for (int colons = has_arg == no_argument ? 0 : has_arg; colons > 0; colons--)
            g->shortopts[nshort++] = ':';
    }
    return CSVB_OK;
}

void csvb_cli_getopt_fini(struct csvb_cli_getopt *g)
{
    if (g == NULL)
        return;
    free(g->longopts);
    free(g->shortopts);
    g->longopts = NULL;
    g->shortopts = NULL;
}

const struct csvb_cli_option *csvb_cli_row_for(int val)
{
    size_t n;
    const struct csvb_cli_option *rows = csvb_cli_table(&n);
    if (val >= 256)
        return (size_t)val - 256 < n && listed(&rows[val - 256]) ? &rows[val - 256] : NULL;
    for (size_t i = 0; val > 0 && i < n; i++)
        if (listed(&rows[i]) && (unsigned char)rows[i].short_name == val)
            return &rows[i];
    return NULL;
}

/* ---- --help. ---- */

static void help_row(FILE *out, const struct csvb_cli_option *row)
{
    int n =
        row->short_name != 0 ? fprintf(out, "  -%c, ", row->short_name) : fprintf(out, "      ");
    n += fprintf(out, "--%s", row->long_name);
    if (row->arg == CSVB_ARG_REQUIRED)
        n += fprintf(out, " %s", row->arg_name);
    else if (row->arg == CSVB_ARG_OPTIONAL)
        n += fprintf(out, "[=%s]", row->arg_name);
    int pad = n < CSVB_CLI_HELP_COLUMN ? CSVB_CLI_HELP_COLUMN - n : 1;
    fprintf(out, "%*s", pad, "");
    /* The help is filled to CSVB_CLI_HELP_WIDTH columns, whatever its line breaks in the table
     * (a row added later cannot make --help wider than a terminal). */
    int col = n + pad;
    bool first = true;
    for (const char *w = row->help; *w != '\0';) {
        size_t len = strcspn(w, " \n");
        if (len > 0) {
            if (!first && col + 1 + (int)len > CSVB_CLI_HELP_WIDTH) {
                fprintf(out, "\n%*s", CSVB_CLI_HELP_COLUMN, "");
                col = CSVB_CLI_HELP_COLUMN;
            } else if (!first) {
                fputc(' ', out);
                col++;
            }
            fprintf(out, "%.*s", (int)len, w);
            col += (int)len;
            first = false;
        }
        w += len;
        w += *w != '\0';
    }
    fputc('\n', out);
}

void csvb_cli_help(FILE *out)
{
    size_t n;
    const struct csvb_cli_option *rows = csvb_cli_table(&n);
    for (size_t i = 0; i < n; i++) {
        if (rows[i].kind == CSVB_OPT_TEXT)
            fputs(rows[i].help, out);
        else if (listed(&rows[i]) || (rows[i].flags & CSVB_OPTF_EXACT))
            help_row(out, &rows[i]);
    }
}

/* ---- Values. ---- */

/* A size with an optional K/M/G suffix (powers of 1024), not 0, at most SIZE_MAX / 2. */
static bool parse_size(const char *s, size_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || errno != 0 || s[0] == '-')
        return false;
    unsigned shift = 0;
    if (*end == 'K' || *end == 'k')
        shift = 10;
    else if (*end == 'M' || *end == 'm')
        shift = 20;
    else if (*end == 'G' || *end == 'g')
        shift = 30;
    if (shift != 0)
        end++;
    if (*end != '\0' || v == 0 || v > (SIZE_MAX >> shift) >> 1)
        return false;
    *out = (size_t)v << shift;
    return true;
}

/* A positive number of seconds (decimals allowed, at most a year). */
static bool parse_seconds(const char *s, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno != 0 || !(v > 0) || v > 366.0 * 86400)
        return false;
    *out = v;
    return true;
}

static bool parse_count(const char *s, unsigned long long min, unsigned long long max,
                        unsigned long long *out)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end != '\0' || errno != 0 || v < 0 || (unsigned long long)v < min ||
        (unsigned long long)v > max)
        return false;
    *out = (unsigned long long)v;
    return true;
}

static enum csvb_cli_result parse_char(const struct csvb_cli_option *row, const char *arg, char *c,
                                       struct csvb_diag *d)
{
    if ((row->flags & CSVB_OPTF_AUTO) && strcmp(arg, "auto") == 0)
        *c = '\0';
    else if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0)
        *c = '\t';
    else if (strlen(arg) == 1)
        *c = arg[0];
    else
        return usage(d, "--%s: expected one character or 'tab', found '%s'", row->long_name, arg);
    if (*c == '"' || *c == '\r' || *c == '\n' || (unsigned char)*c >= 0x80)
        return usage(d,
                     "--%s: expected an ASCII character other than a quote or line break, "
                     "found '%s'",
                     row->long_name, arg);
    return CSVB_CLI_OK;
}

/* Stores a whole number in the row's field, whatever its width (bool, int or enum, size_t). */
static void store_number(struct csvb_options *opt, const struct csvb_cli_option *row,
                         unsigned long long v)
{
    char *field = (char *)opt + row->offset;
    if (row->size == sizeof(bool)) {
        bool b = v != 0;
        memcpy(field, &b, sizeof b);
    } else if (row->size == sizeof(int)) {
        int i = (int)v; /* enums here are int-sized (checked by tests/test_cli.c) */
        memcpy(field, &i, sizeof i);
    } else {
        size_t s = (size_t)v;
        memcpy(field, &s, sizeof s);
    }
}

static enum csvb_cli_result expected(const struct csvb_cli_option *row, const char *arg,
                                     struct csvb_diag *d)
{
    if (row->kind == CSVB_OPT_ENUM) {
        char names[256];
        csvb_names_join(row->names, names, sizeof names);
        return usage(d, "--%s: expected %s, found '%s'", row->long_name, names, arg);
    }
    return usage(d, "--%s: expected %s, found '%s'", row->long_name, row->expect, arg);
}

/* Parses arg as row's kind says, stores it in opt, then runs the row's handler. */
static enum csvb_cli_result apply(const struct csvb_cli_option *row, struct csvb_options *opt,
                                  const char *arg, struct csvb_diag *d)
{
    if (arg == NULL && row->kind != CSVB_OPT_FLAG && row->kind != CSVB_OPT_CUSTOM)
        arg = ""; /* an optional value left out: the kind's checks see an empty one */
    char *field = (char *)opt + row->offset;
    unsigned long long v = 0;
    size_t size = 0;
    double seconds = 0;
    switch (row->kind) {
    case CSVB_OPT_TEXT:
    case CSVB_OPT_CUSTOM:
        break;
    case CSVB_OPT_FLAG:
        store_number(opt, row, (unsigned long long)row->value);
        break;
    case CSVB_OPT_STRING:
        if (((row->flags & CSVB_OPTF_NONEMPTY) && arg[0] == '\0') ||
            ((row->flags & CSVB_OPTF_NO_SLASH) && strchr(arg, '/') != NULL))
            return expected(row, arg, d);
        memcpy(field, &arg, sizeof arg);
        break;
    case CSVB_OPT_SIZE:
        if (!((row->flags & CSVB_OPTF_ZERO_OK) && strcmp(arg, "0") == 0) &&
            (!parse_size(arg, &size) || size < row->min))
            return expected(row, arg, d);
        memcpy(field, &size, sizeof size);
        break;
    case CSVB_OPT_COUNT:
        if ((row->flags & CSVB_OPTF_AUTO) && strcmp(arg, "auto") == 0)
            v = SIZE_MAX;
        else if (!parse_count(arg, row->min, row->max, &v))
            return expected(row, arg, d);
        store_number(opt, row, v);
        break;
    case CSVB_OPT_SECONDS:
        if (!parse_seconds(arg, &seconds))
            return expected(row, arg, d);
        memcpy(field, &seconds, sizeof seconds);
        break;
    case CSVB_OPT_CHAR:
        if (parse_char(row, arg, field, d) != CSVB_CLI_OK)
            return CSVB_CLI_USAGE;
        break;
    case CSVB_OPT_ENUM: {
        int value = csvb_names_value(row->names, arg, false);
        if (value < 0)
            return expected(row, arg, d);
        store_number(opt, row, (unsigned long long)value);
        break;
    }
    }
    return row->handler != NULL ? row->handler(opt, arg, d) : CSVB_CLI_OK;
}

/* ---- The parse. ---- */

/* getopt_long also reports an abbreviation that several listed options share as '?': says so,
 * with the candidates (as getopt's own message would), and returns true; false when word[2..2+
 * len) abbreviates fewer than two. */
static bool ambiguous(const char *word, size_t len, const struct csvb_cli_option *rows, size_t n,
                      struct csvb_diag *d)
{
    char list[CSVB_DIAG_MESSAGE_MAX / 2];
    size_t used = 0, count = 0;
    list[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (!listed(&rows[i]) || strncmp(rows[i].long_name, word + 2, len) != 0)
            continue;
        int k = snprintf(list + used, sizeof list - used, "%s--%s", count ? ", " : "",
                         rows[i].long_name);
        if (k > 0 && (size_t)k < sizeof list - used)
            used += (size_t)k;
        count++;
    }
    if (count < 2)
        return false;
    usage(d, "option '%.*s' is ambiguous; it could be %s", (int)(len + 2), word, list);
    return true;
}

/* getopt_long reported '?'. A hidden or exact option (known by its exact name only, so that it
 * never makes an abbreviation of a listed one ambiguous) is found here; *arg gets its value. */
static const struct csvb_cli_option *unknown(int argc, char **argv, const char **arg,
                                             struct csvb_diag *d)
{
    const char *word = argv[optind - 1];
    if (optopt != 0) { /* a short letter getopt does not know, or --NAME=VALUE for a flag */
        const struct csvb_cli_option *known = csvb_cli_row_for(optopt);
        if (known != NULL)
            usage(d, "option '--%s' takes no value", known->long_name);
        else
            usage(d, "unknown option '-%c'", optopt);
        return NULL;
    }
    size_t n, len = strcspn(word + 2, "=");
    const struct csvb_cli_option *rows = csvb_cli_table(&n);
    for (size_t i = 0; i < n; i++) {
        const struct csvb_cli_option *row = &rows[i];
        if (!(row->flags & (CSVB_OPTF_HIDDEN | CSVB_OPTF_EXACT)) || strlen(row->long_name) != len ||
            strncmp(row->long_name, word + 2, len) != 0)
            continue;
        *arg = word[2 + len] == '=' ? word + 3 + len : NULL;
        if (*arg == NULL && row->arg == CSVB_ARG_REQUIRED) {
            if (optind >= argc) {
                usage(d, "option '%s' needs a value", word);
                return NULL;
            }
            *arg = argv[optind++]; /* as getopt_long takes a separate value */
        }
        return row;
    }
    if (!ambiguous(word, len, rows, n, d))
        usage(d, "unknown option '%s'", word);
    return NULL;
}

/* The PATH arguments, in an owned array (files_from.h may append to it). */
static enum csvb_cli_result collect_args(struct csvb_options *opt, int argc, char **argv,
                                         struct csvb_diag *d)
{
    opt->paths = calloc((size_t)(argc - optind) + 1, sizeof *opt->paths);
    if (opt->paths == NULL)
        return usage(d, "out of memory");
    for (int i = optind; i < argc; i++)
        opt->paths[opt->npaths++] = argv[i];
    if (opt->npaths == 0 && opt->files_from == NULL && opt->plan_in == NULL)
        return usage(d, "missing PATH: name the CSV files or directories to process");
    return CSVB_CLI_OK;
}

enum csvb_cli_result csvb_cli_parse(int argc, char **argv, struct csvb_options *opt,
                                    struct csvb_diag *d)
{
    csvb_options_init(opt);
    size_t nrows;
    const struct csvb_cli_option *rows = csvb_cli_table(&nrows);
    struct csvb_cli_getopt g = {NULL, NULL};
    bool *seen = calloc(nrows, sizeof *seen);
    enum csvb_cli_result r = CSVB_CLI_OK;
    if (seen == NULL || csvb_cli_getopt_init(&g, d) != CSVB_OK) {
        r = usage(d, "out of memory");
        goto out;
    }
    optind = 0; /* GNU: full re-initialisation */
    opterr = 0;
    int c;
    while (r == CSVB_CLI_OK && (c = getopt_long(argc, argv, g.shortopts, g.longopts, NULL)) != -1) {
        const char *arg = optarg;
        const struct csvb_cli_option *row = NULL;
        if (c == ':')
            usage(d, "option '%s' needs a value", argv[optind - 1]);
        else
            row = c == '?' ? unknown(argc, argv, &arg, d) : csvb_cli_row_for(c);
        if (row == NULL) {
            r = usage(d, "unrecognised option"); /* d keeps the first, precise message */
            break;
        }
        seen[row - rows] = true;
        r = apply(row, opt, arg, d);
    }
    if (r == CSVB_CLI_OK)
        r = csvb_cli_resolve(opt, seen, d);
    if (r == CSVB_CLI_OK)
        r = collect_args(opt, argc, argv, d);
out:
    free(seen);
    csvb_cli_getopt_fini(&g);
    return r;
}
