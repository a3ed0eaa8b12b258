/* test_diag.c — the error model: first error wins, errno text, the PATH:LINE format, and the
 * description of a byte for every class of byte. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "csvbatch/diag.h"

Test(diag, init_clears_and_is_null_safe)
{
    struct csvb_diag d;
    memset(&d, 0x5A, sizeof d);
    csvb_diag_init(&d);
    cr_assert_eq(d.code, CSVB_OK);
    cr_assert_eq(d.sys_errno, 0);
    cr_assert_eq(d.line, 0);
    cr_assert_str_eq(d.message, "");
    csvb_diag_init(NULL);
}

Test(diag, first_error_wins)
{
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_diag_set(&d, CSVB_E_PARSE, 12, "expected %d fields, found %d", 4, 5),
                 CSVB_E_PARSE);
    cr_assert_eq(csvb_diag_set(&d, CSVB_E_IO, 99, "cannot write %s", "x"), CSVB_E_PARSE,
                 "the code already held is returned");
    cr_assert_eq(csvb_diag_errno(&d, CSVB_E_NOMEM, ENOMEM, "later"), CSVB_E_PARSE);
    cr_assert_eq(d.code, CSVB_E_PARSE);
    cr_assert_eq(d.line, 12);
    cr_assert_eq(d.sys_errno, 0);
    cr_assert_str_eq(d.message, "expected 4 fields, found 5");
}

/* A notice (code CSVB_OK with a message) does not block a later error: only an error wins. */
Test(diag, a_notice_is_not_an_error)
{
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_diag_set(&d, CSVB_OK, 0, "skipped"), CSVB_OK);
    cr_assert_str_eq(d.message, "skipped");
    cr_assert_eq(csvb_diag_set(&d, CSVB_E_IO, 0, "cannot open"), CSVB_E_IO);
    cr_assert_str_eq(d.message, "cannot open");
}

Test(diag, errno_text)
{
    static const struct {
        int err;
        const char *want;
    } cases[] = {
        {ENOENT, "cannot open data/a.csv: No such file or directory"},
        {EACCES, "cannot open data/a.csv: Permission denied"},
        {ENOSPC, "cannot open data/a.csv: No space left on device"},
        {0, "cannot open data/a.csv"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct csvb_diag d;
        csvb_diag_init(&d);
        cr_assert_eq(csvb_diag_errno(&d, CSVB_E_IO, cases[i].err, "cannot open %s", "data/a.csv"),
                     CSVB_E_IO);
        cr_assert_str_eq(d.message, cases[i].want);
        cr_assert_eq(d.sys_errno, cases[i].err);
        cr_assert_eq(d.line, 0, "an errno diag has no line");
    }
}

/* A message longer than the buffer is cut, NUL-terminated; the errno text is then dropped
 * rather than written past the end. */
Test(diag, long_message_is_cut)
{
    char big[CSVB_DIAG_MESSAGE_MAX * 2];
    memset(big, 'm', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    struct csvb_diag d;
    csvb_diag_init(&d);
    csvb_diag_errno(&d, CSVB_E_IO, ENOENT, "%s", big);
    cr_assert_eq(strlen(d.message), CSVB_DIAG_MESSAGE_MAX - 1);
    cr_assert_eq(d.message[0], 'm');
    cr_assert_eq(d.message[CSVB_DIAG_MESSAGE_MAX - 2], 'm');
}

Test(diag, format_with_and_without_line)
{
    struct csvb_diag d;
    char buf[128];
    csvb_diag_init(&d);
    csvb_diag_set(&d, CSVB_E_PARSE, 1042, "expected 8 fields, found 5");
    cr_assert_eq(csvb_diag_format(&d, "data/q3.csv", buf, sizeof buf), buf);
    cr_assert_str_eq(buf, "data/q3.csv:1042: expected 8 fields, found 5");

    csvb_diag_init(&d);
    csvb_diag_errno(&d, CSVB_E_IO, ENOENT, "cannot open");
    csvb_diag_format(&d, "gone.csv", buf, sizeof buf);
    cr_assert_str_eq(buf, "gone.csv: cannot open: No such file or directory");

    csvb_diag_init(&d);
    csvb_diag_set(&d, CSVB_E_SCHEMA, 1, "x");
    char small[8];
    csvb_diag_format(&d, "long/path.csv", small, sizeof small);
    cr_assert_str_eq(small, "long/pa", "cut to the buffer, NUL-terminated");
}

/* Every byte falls in exactly one class: the three named controls, printable ASCII quoted,
 * and everything else (other controls, DEL, bytes >= 0x80) as a hex byte. */
Test(diag, byte_every_class)
{
    static const struct {
        unsigned char c;
        const char *want;
    } named[] = {
        {'\t', "a tab"},       {'\r', "a carriage return"},
        {'\n', "a line feed"}, {' ', "' '"},
        {'"', "'\"'"},         {',', "','"},
        {'A', "'A'"},          {'~', "'~'"},
        {0x00, "byte 0x00"},   {0x1F, "byte 0x1F"},
        {0x0B, "byte 0x0B"},   {0x7F, "byte 0x7F"},
        {0x80, "byte 0x80"},   {0xEF, "byte 0xEF"},
        {0xFF, "byte 0xFF"},
    };
    char buf[CSVB_DIAG_BYTE_MAX];
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        cr_assert_eq(csvb_diag_byte(named[i].c, buf, sizeof buf), buf);
        cr_assert_str_eq(buf, named[i].want, "byte 0x%02X", named[i].c);
    }
    for (unsigned c = 0; c < 256; c++) {
        csvb_diag_byte((unsigned char)c, buf, sizeof buf);
        char want[CSVB_DIAG_BYTE_MAX];
        if (c == '\t' || c == '\r' || c == '\n')
            continue; /* named above */
        if (c >= 0x20 && c < 0x7F)
            snprintf(want, sizeof want, "'%c'", c);
        else
            snprintf(want, sizeof want, "byte 0x%02X", c);
        cr_assert_str_eq(buf, want, "byte 0x%02X", c);
        for (const char *p = buf; *p != '\0'; p++)
            cr_assert((unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7F,
                      "byte 0x%02X: the description must itself be printable", c);
    }
}

Test(diag, hint_is_kept_apart_and_appended_once)
{
    struct csvb_diag d;
    csvb_diag_init(&d);
    csvb_diag_hint(&d, "ignored: %s", "no error held");
    cr_assert_str_empty(d.hint);
    csvb_diag_set(&d, CSVB_E_PARSE, 2, "expected 1 fields, found 2");
    csvb_diag_hint(&d, "the file looks tab-separated: %s", "-d tab, or -d auto");
    csvb_diag_hint(&d, "second hint loses");
    cr_assert_str_eq(d.hint, "the file looks tab-separated: -d tab, or -d auto");
    cr_assert_str_eq(
        d.message, "expected 1 fields, found 2 (the file looks tab-separated: -d tab, or -d auto)");
    csvb_diag_hint(NULL, "null-safe");
}
