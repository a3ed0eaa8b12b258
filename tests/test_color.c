/* test_color.c — the colour decision table, row by row, and the exact bytes of cells and prefixes.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/color.h"

struct decision {
    enum csvb_color_mode mode;
    bool tty;
    const char *no_color, *force;
    bool on;
};

/* Every rule, in the order csvb_color_enabled applies them. */
static const struct decision decisions[] = {
    /* never: off, whatever the terminal and the environment */
    {CSVB_COLOR_NEVER, true, NULL, NULL, false},
    {CSVB_COLOR_NEVER, false, NULL, NULL, false},
    {CSVB_COLOR_NEVER, true, NULL, "1", false},
    {CSVB_COLOR_NEVER, false, "", "1", false},
    /* always: on, even with NO_COLOR (a flag beats the environment) */
    {CSVB_COLOR_ALWAYS, false, NULL, NULL, true},
    {CSVB_COLOR_ALWAYS, true, NULL, NULL, true},
    {CSVB_COLOR_ALWAYS, false, "1", NULL, true},
    {CSVB_COLOR_ALWAYS, false, "1", "0", true},
    /* auto, NO_COLOR non-empty: off, on a terminal and with CLICOLOR_FORCE too */
    {CSVB_COLOR_AUTO, true, "1", NULL, false},
    {CSVB_COLOR_AUTO, true, "0", NULL, false},
    {CSVB_COLOR_AUTO, true, "no", "1", false},
    {CSVB_COLOR_AUTO, false, "1", "1", false},
    /* auto, NO_COLOR empty counts as unset (no-color.org) */
    {CSVB_COLOR_AUTO, true, "", NULL, true},
    {CSVB_COLOR_AUTO, false, "", NULL, false},
    {CSVB_COLOR_AUTO, false, "", "1", true},
    /* auto, CLICOLOR_FORCE non-empty and not "0": on without a terminal */
    {CSVB_COLOR_AUTO, false, NULL, "1", true},
    {CSVB_COLOR_AUTO, false, NULL, "yes", true},
    {CSVB_COLOR_AUTO, false, NULL, "00", true},
    /* auto, CLICOLOR_FORCE "0" or empty: the terminal decides */
    {CSVB_COLOR_AUTO, false, NULL, "0", false},
    {CSVB_COLOR_AUTO, true, NULL, "0", true},
    {CSVB_COLOR_AUTO, false, NULL, "", false},
    {CSVB_COLOR_AUTO, true, NULL, "", true},
    /* auto, nothing set: the terminal decides */
    {CSVB_COLOR_AUTO, true, NULL, NULL, true},
    {CSVB_COLOR_AUTO, false, NULL, NULL, false},
};

Test(color, decision_table)
{
    for (size_t i = 0; i < sizeof decisions / sizeof decisions[0]; i++) {
        const struct decision *c = &decisions[i];
        cr_assert_eq(csvb_color_enabled(c->mode, c->tty, c->no_color, c->force), c->on, "row %zu",
                     i);
    }
}

/* Captures what f prints. Caller frees. */
#define CAPTURE(buf, stmt)                                                                         \
    do {                                                                                           \
        size_t cap_len_ = 0;                                                                       \
        FILE *out = open_memstream(&(buf), &cap_len_);                                             \
        cr_assert_not_null(out);                                                                   \
        stmt;                                                                                      \
        cr_assert_eq(fclose(out), 0);                                                              \
    } while (0)

Test(color, status_colours)
{
    cr_assert_str_eq(csvb_color_status(CSVB_STATUS_SUCCESS), "\033[32m");
    cr_assert_str_eq(csvb_color_status(CSVB_STATUS_FAILED), "\033[31m");
    cr_assert_str_eq(csvb_color_status(CSVB_STATUS_SKIPPED), "\033[33m");
    /* A status added after these three (Unchanged) is yellow too. */
    cr_assert_str_eq(csvb_color_status((enum csvb_status)(CSVB_STATUS_SKIPPED + 1)), "\033[33m");
}

struct cell_case {
    const char *sgr, *text;
    size_t visible, column;
    bool left;
    const char *bytes;
};

static const struct cell_case cells[] = {
    {"\033[32m", "Success", 7, 7, true, "\033[32mSuccess\033[0m"},
    {"\033[31m", "Failed", 6, 7, true, "\033[31mFailed\033[0m "},
    {"\033[33m", "Skipped", 7, 9, false, "  \033[33mSkipped\033[0m"},
    {NULL, "Failed", 6, 8, true, "Failed  "},
    {NULL, "12", 2, 5, false, "   12"},
    {"\033[31m", "Failed", 6, 0, true, "\033[31mFailed\033[0m"}, /* last column: no blanks */
    {"\033[31m", "toolong", 7, 3, true, "\033[31mtoolong\033[0m"},
    /* the caller's width counts: "é" is two bytes, one cell; "日" three bytes, two cells */
    {"\033[32m", "\xC3\xA9", 1, 3, true, "\033[32m\xC3\xA9\033[0m  "},
    {"\033[32m", "\xE6\x97\xA5", 2, 3, false, " \033[32m\xE6\x97\xA5\033[0m"},
    /* an escape sequence in the text itself never reaches the terminal */
    {"\033[32m", "a\033[2Jb\n", 6, 6, true, "\033[32ma?[2Jb?\033[0m"},
    {NULL, "\x7f", 1, 1, true, "?"},
    {"", "x", 1, 2, true, "x "},
};

Test(color, cell_bytes)
{
    for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
        const struct cell_case *c = &cells[i];
        char *got = NULL;
        CAPTURE(got, csvb_color_cell(out, c->sgr, c->text, c->visible, c->column, c->left));
        cr_assert_str_eq(got, c->bytes, "cell %zu", i);
        free(got);
    }
}

Test(color, colour_never_moves_a_column)
{
    /* The same row with and without colour: stripping the SGR sequences gives the plain row. */
    char *plain = NULL, *coloured = NULL;
    CAPTURE(plain, {
        csvb_color_cell(out, NULL, "Failed", 6, 7, true);
        fputc(' ', out);
        csvb_color_cell(out, NULL, "2", 1, 8, false);
    });
    CAPTURE(coloured, {
        csvb_color_cell(out, csvb_color_status(CSVB_STATUS_FAILED), "Failed", 6, 7, true);
        fputc(' ', out);
        csvb_color_cell(out, NULL, "2", 1, 8, false);
    });
    cr_assert_str_eq(plain, "Failed         2");
    cr_assert_str_eq(coloured, "\033[31mFailed\033[0m         2");
    free(plain);
    free(coloured);
}

Test(color, diagnostic_prefixes)
{
    static const struct {
        bool color;
        enum csvb_color_level level;
        const char *bytes;
    } cases[] = {
        {false, CSVB_COLOR_LEVEL_NONE, "csvbatch: "},
        {false, CSVB_COLOR_LEVEL_ERROR, "csvbatch: error: "},
        {false, CSVB_COLOR_LEVEL_NOTICE, "csvbatch: notice: "},
        {true, CSVB_COLOR_LEVEL_NONE, "\033[1mcsvbatch:\033[0m "},
        {true, CSVB_COLOR_LEVEL_ERROR, "\033[1mcsvbatch:\033[0m \033[1;31merror:\033[0m "},
        {true, CSVB_COLOR_LEVEL_NOTICE, "\033[1mcsvbatch:\033[0m \033[1;36mnotice:\033[0m "},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = NULL;
        CAPTURE(got, csvb_color_diag_prefix(out, cases[i].color, cases[i].level));
        cr_assert_str_eq(got, cases[i].bytes, "case %zu", i);
        free(got);
    }
}
