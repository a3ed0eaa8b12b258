/* cli.h — argv to struct csvb_options with getopt_long. Never prints, never exits. */
#ifndef CSVBATCH_CLI_H
#define CSVBATCH_CLI_H

#include <stdio.h>

#include "csvbatch/diag.h"
#include "csvbatch/options.h"

enum csvb_cli_result { CSVB_CLI_OK, CSVB_CLI_HELP, CSVB_CLI_VERSION, CSVB_CLI_USAGE };

/* Parses argv into opt (which it initialises). On CSVB_CLI_USAGE, d holds the message. Strings in
 * opt borrow from argv; call csvb_options_fini to free what opt owns. Resets getopt's state, so
 * it may be called more than once per process. */
enum csvb_cli_result csvb_cli_parse(int argc, char **argv, struct csvb_options *opt,
                                    struct csvb_diag *d);

/* Frees what csvb_cli_parse allocated in opt. NULL-safe, safe to call twice. */
void csvb_options_fini(struct csvb_options *opt);

/* Writes the --help text to out. */
void csvb_cli_help(FILE *out);

#endif
