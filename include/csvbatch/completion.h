/* completion.h — shell completion scripts (bash, zsh, fish) generated from cli's option table,
 * so that they complete exactly the options --help lists. */
#ifndef CSVBATCH_COMPLETION_H
#define CSVBATCH_COMPLETION_H

#include <stdio.h>

#include "csvbatch/options.h"

/* Writes the completion script for shell to out: long and short options, the names an enum
 * option takes (--format <TAB>: table csv json), directories after -o/--output-dir, files and
 * directories after a FILE option and for PATH arguments, nothing after a free value (N, CHAR).
 * Hidden options are left out. Returns 0, or -1 when shell is CSVB_SHELL_NONE or writing failed. */
int csvb_completion_write(FILE *out, enum csvb_shell shell);

#endif
