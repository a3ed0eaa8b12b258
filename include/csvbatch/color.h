/* color.h — when to colour terminal output, and the SGR sequences for statuses and diagnostics.
 * Pure (the caller reads the environment and isatty()), but for csvb_color_terminal_columns,
 * which asks the terminal its width. */
#ifndef CSVBATCH_COLOR_H
#define CSVBATCH_COLOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "csvbatch/options.h" /* enum csvb_color_mode */
#include "csvbatch/result.h"

/* SGR sequences (ECMA-48 Select Graphic Rendition), the colours GCC uses for its diagnostics. */
#define CSVB_SGR_RESET "\033[0m"
#define CSVB_SGR_BOLD "\033[1m"
#define CSVB_SGR_GREEN "\033[32m"
#define CSVB_SGR_RED "\033[31m"
#define CSVB_SGR_YELLOW "\033[33m"
#define CSVB_SGR_ERROR "\033[1;31m"  /* bold red, GCC's "error:" */
#define CSVB_SGR_NOTICE "\033[1;36m" /* bold cyan, GCC's "note:" */

/* Whether one stream gets colour. never: no; always: yes; auto: no when no_color (the value of
 * NO_COLOR, NULL when unset) is a non-empty string (no-color.org: "present and not an empty
 * string"), else yes when clicolor_force (CLICOLOR_FORCE) is a non-empty string other than "0"
 * (bixense.com/clicolors; an empty value counts as unset, as for NO_COLOR), else is_tty (isatty
 * of that stream: stdout for the table, stderr for diagnostics). --color always beats NO_COLOR,
 * as no-color.org asks of command-line flags. */
bool csvb_color_enabled(enum csvb_color_mode mode, bool is_tty, const char *no_color,
                        const char *clicolor_force);

/* The SGR sequence for a status cell: green Success, red Failed, yellow Skipped and any status
 * added later (Unchanged). A static string, never NULL. */
const char *csvb_color_status(enum csvb_status s);

/* Prints text in a column column_width terminal cells wide: visible_width is what text takes on
 * screen (the caller measures it: wide characters count two), so the escape sequences never
 * count. sgr NULL (or "") prints no escape at all. left: text then padding (the padding outside the
 * colour; pass column_width 0 for a last column so that no trailing blanks appear); else padding
 * then text. Control characters in text (below 0x20, and 0x7F) print as '?', as the table does,
 * so a file name can never carry an escape sequence of its own to the terminal. */
void csvb_color_cell(FILE *out, const char *sgr, const char *text, size_t visible_width,
                     size_t column_width, bool left);

enum csvb_color_level { CSVB_COLOR_LEVEL_NONE, CSVB_COLOR_LEVEL_ERROR, CSVB_COLOR_LEVEL_NOTICE };

/* Prints the diagnostic prefix "csvbatch: " and, for ERROR and NOTICE, "error: " / "notice: ";
 * with colour on, "csvbatch:" is bold and "error:" / "notice:" bold red / bold cyan, as GCC and
 * git colour theirs (the blank after each stays uncoloured). Without colour the bytes are
 * exactly the uncoloured prefix, so wiring it in changes nothing when colour is off. */
void csvb_color_diag_prefix(FILE *out, bool color, enum csvb_color_level level);

/* The width of the terminal on fd: its window size (TIOCGWINSZ), else columns_env (COLUMNS)
 * when it is a whole number from 1 to 99999, else 80; 0 when fd is not a terminal (a pipe or a
 * file: what is printed there is not fitted to anything). */
size_t csvb_color_terminal_columns(int fd, const char *columns_env);

#endif
