/* cli.h — argv to struct csvb_options, driven by one option table (as git's parse-options): the
 * getopt_long tables, the --help text and the shell completions are generated from it. Never
 * prints (except the help text, where asked), never exits. */
#ifndef CSVBATCH_CLI_H
#define CSVBATCH_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "csvbatch/diag.h"
#include "csvbatch/options.h"

enum csvb_cli_result {
    CSVB_CLI_OK,
    CSVB_CLI_HELP,
    CSVB_CLI_VERSION,
    CSVB_CLI_USAGE,
    CSVB_CLI_COMPLETION /* --completion SHELL: opt->completion says which */
};

/* What a row of the option table does with its argument. */
enum csvb_opt_kind {
    CSVB_OPT_TEXT,    /* not an option: help text printed verbatim (usage, headings, exit codes) */
    CSVB_OPT_FLAG,    /* stores .value (bool, int or enum field) */
    CSVB_OPT_STRING,  /* stores the argument (borrowed from argv) */
    CSVB_OPT_SIZE,    /* bytes with K, M, G suffixes, at least .min (size_t field) */
    CSVB_OPT_COUNT,   /* a whole number from .min to .max (int or size_t field) */
    CSVB_OPT_SECONDS, /* a positive number of seconds, at most a year (double field) */
    CSVB_OPT_CHAR,    /* one ASCII character or 'tab', not a quote or line break (char field) */
    CSVB_OPT_ENUM,    /* one of .names, stored as its value (enum or bool field) */
    CSVB_OPT_CUSTOM   /* .handler does all the work */
};

enum csvb_opt_arg { CSVB_ARG_NONE, CSVB_ARG_REQUIRED, CSVB_ARG_OPTIONAL };

/* What a shell completes as the argument (ENUM rows complete their names). */
enum csvb_opt_complete { CSVB_COMPLETE_NONE, CSVB_COMPLETE_FILE, CSVB_COMPLETE_DIR };

enum {
    CSVB_OPTF_HIDDEN = 1u,   /* not in --help nor completions; only its exact name is accepted */
    CSVB_OPTF_NONEMPTY = 2u, /* STRING: the empty string is refused */
    CSVB_OPTF_NO_SLASH = 4u, /* STRING: a '/' is refused */
    CSVB_OPTF_ZERO_OK = 8u,  /* SIZE: exactly "0" is accepted (and stored) besides the range */
    CSVB_OPTF_REPEAT = 16u,  /* completions offer it again once given (each use adds) */
    CSVB_OPTF_EXACT = 32u,   /* in --help and completions, but only its exact name is accepted:
                              * an option added later that would make an abbreviation users
                              * already type ambiguous (--co: --compat; --j: --jobs) */
    CSVB_OPTF_AUTO = 64u     /* CHAR: "auto" is accepted and stored as '\0' (-d auto); COUNT
                                (size_t field): stored as SIZE_MAX (--skip-lines auto) */
};

/* One row of the option table. */
struct csvb_cli_option {
    enum csvb_opt_kind kind;
    char short_name;       /* 0: none */
    const char *long_name; /* without "--"; NULL for TEXT rows */
    enum csvb_opt_arg arg;
    size_t offset, size;            /* the target field in struct csvb_options (not TEXT, CUSTOM) */
    long long value;                /* FLAG: the value stored */
    unsigned long long min, max;    /* SIZE: min; COUNT: the accepted range */
    const struct csvb_names *names; /* ENUM: the accepted names */
    /* CUSTOM: parses arg into opt. Other kinds: optional, called after the value is stored, for
     * what it implies on other fields. Returns CSVB_CLI_OK, or another result to stop parsing
     * (CSVB_CLI_USAGE with d set). */
    enum csvb_cli_result (*handler)(struct csvb_options *opt, const char *arg, struct csvb_diag *d);
    const char *arg_name; /* in --help and completions: FILE, N, ... */
    const char *expect;   /* usage errors say "--NAME: expected EXPECT, found 'ARG'" */
    const char *help;     /* help lines, '\n'-separated; TEXT rows: printed verbatim */
    unsigned flags;       /* CSVB_OPTF_* */
    enum csvb_opt_complete complete;
};

/* The option table (static storage), in --help order; *n receives its length. */
const struct csvb_cli_option *csvb_cli_table(size_t *n);

/* The column at which --help lines start their text, and the widest help line. */
#define CSVB_CLI_HELP_COLUMN 27
#define CSVB_CLI_HELP_WIDTH 80

/* getopt_long's tables, generated from the option table: every row but TEXT and HIDDEN ones.
 * An option with a short letter has that letter as its val; the others have 256 + their row. */
struct csvb_cli_getopt {
    struct option *longopts; /* owned, ends with a zeroed entry */
    char *shortopts;         /* owned, starts with ':' (missing values reported as ':') */
};

/* Builds g. Returns CSVB_OK, or CSVB_E_NOMEM with d set (g then holds nothing). */
enum csvb_err csvb_cli_getopt_init(struct csvb_cli_getopt *g, struct csvb_diag *d);

/* Frees what g owns. NULL-safe, safe to call twice. */
void csvb_cli_getopt_fini(struct csvb_cli_getopt *g);

/* The row of the table that getopt_long's val stands for, or NULL. */
const struct csvb_cli_option *csvb_cli_row_for(int val);

/* Parses argv into opt (which it initialises with csvb_options_init). On CSVB_CLI_USAGE, d holds
 * the message. Strings in opt borrow from argv; call csvb_options_fini to free what opt owns.
 * PATH arguments go to opt->paths; --files-from is only recorded (files_from.h reads it), and
 * a missing PATH is refused here only when there is no --files-from. Resets getopt's state, so
 * it may be called more than once per process. */
enum csvb_cli_result csvb_cli_parse(int argc, char **argv, struct csvb_options *opt,
                                    struct csvb_diag *d);

/* Writes the --help text to out. */
void csvb_cli_help(FILE *out);

/* The cross-option rules and defaults applied once every option is parsed (conflicts, the
 * default --where, the output delimiter); seen[i] tells whether table row i was given. Called by
 * csvb_cli_parse. Returns CSVB_CLI_OK or CSVB_CLI_USAGE with d set. */
enum csvb_cli_result csvb_cli_resolve(struct csvb_options *opt, const bool *seen,
                                      struct csvb_diag *d);

#endif
