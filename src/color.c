/* color.c — the colour decision (NO_COLOR, CLICOLOR_FORCE, --color, a terminal), SGR output, and
 * the terminal's width. */
#include "csvbatch/color.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

bool csvb_color_enabled(enum csvb_color_mode mode, bool is_tty, const char *no_color,
                        const char *clicolor_force)
{
    if (mode == CSVB_COLOR_NEVER)
        return false;
    if (mode == CSVB_COLOR_ALWAYS)
        return true;
    if (no_color != NULL && no_color[0] != '\0')
        return false;
    if (clicolor_force != NULL && clicolor_force[0] != '\0' && strcmp(clicolor_force, "0") != 0)
        return true;
    return is_tty;
}

const char *csvb_color_status(enum csvb_status s)
{
    /* Not a switch on every value: a status added later (Unchanged) is yellow without an edit. */
    if (s == CSVB_STATUS_SUCCESS)
        return CSVB_SGR_GREEN;
    if (s == CSVB_STATUS_FAILED)
        return CSVB_SGR_RED;
    return CSVB_SGR_YELLOW;
}

static void put_pad(FILE *out, size_t n)
{
    for (; n > 0; n--)
        fputc(' ', out);
}

void csvb_color_cell(FILE *out, const char *sgr, const char *text, size_t visible_width,
                     size_t column_width, bool left)
{
    size_t pad = column_width > visible_width ? column_width - visible_width : 0;
    if (sgr != NULL && sgr[0] == '\0')
        sgr = NULL;
    if (!left)
        put_pad(out, pad);
    if (sgr != NULL)
        fputs(sgr, out);
    for (const char *p = text; *p != '\0'; p++)
        fputc((unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p, out);
    if (sgr != NULL)
        fputs(CSVB_SGR_RESET, out);
    if (left)
        put_pad(out, pad);
}

void csvb_color_diag_prefix(FILE *out, bool color, enum csvb_color_level level)
{
    const char *word = level == CSVB_COLOR_LEVEL_ERROR    ? "error:"
                       : level == CSVB_COLOR_LEVEL_NOTICE ? "notice:"
                                                          : NULL;
    if (color)
        fputs(CSVB_SGR_BOLD "csvbatch:" CSVB_SGR_RESET " ", out);
    else
        fputs("csvbatch: ", out);
    if (word == NULL)
        return;
    if (color)
        fprintf(out, "%s%s" CSVB_SGR_RESET " ",
                level == CSVB_COLOR_LEVEL_ERROR ? CSVB_SGR_ERROR : CSVB_SGR_NOTICE, word);
    else
        fprintf(out, "%s ", word);
}

size_t csvb_color_terminal_columns(int fd, const char *columns_env)
{
    if (!isatty(fd))
        return 0;
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    char *end = NULL;
    long v = columns_env != NULL ? strtol(columns_env, &end, 10) : 0;
    return columns_env != NULL && end != columns_env && *end == '\0' && v > 0 && v < 100000
               ? (size_t)v
               : 80;
}
