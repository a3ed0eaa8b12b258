/* test_transcode.c — the encoding filter: BOMs, named encodings through iconv, --encoding auto,
 * bad bytes with line and column, in every read size and every output room. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/transcode.h"

struct run {
    char *out;
    size_t len;
    long last; /* 0 at a clean end, -1 on error */
    char enc[CSVB_TRANSCODE_NAME_MAX];
    char message[256];
    unsigned long line;
};

static struct run transcode_all(const char *in, size_t len, const char *enc, size_t chunk,
                                size_t cap)
{
    struct csvb_mem_source mem = {in, len, 0, chunk};
    struct csvb_transcode *t =
        csvb_transcode_new((struct csvb_source){csvb_source_mem_fill, &mem}, enc);
    cr_assert_not_null(t);
    struct run r = {calloc(1, len * 4 + 16), 0, 0, "", "", 0};
    long got;
    while ((got = csvb_transcode_fill(t, r.out + r.len, cap)) > 0)
        r.len += (size_t)got;
    r.last = got;
    if (got == 0)
        cr_assert_eq(csvb_transcode_raw_bytes(t), len);
    else
        cr_assert_eq(errno, EILSEQ);
    snprintf(r.enc, sizeof r.enc, "%s", csvb_transcode_encoding(t));
    snprintf(r.message, sizeof r.message, "%s", csvb_transcode_message(t));
    r.line = csvb_transcode_line(t);
    csvb_transcode_free(t);
    return r;
}

struct tc_case {
    const char *in;
    size_t len; /* 0: strlen */
    const char *enc;
    const char *out;     /* NULL: an error */
    const char *used;    /* the encoding in force */
    unsigned long line;  /* of the error */
    const char *message; /* of the error */
};

#define S(lit) lit, sizeof(lit) - 1

static const struct tc_case tc_cases[] = {
    {S("plain ASCII,1\n"), "latin1", "plain ASCII,1\n", "iso-8859-1", 0, ""},
    {S("caf\xE9"), "latin1", "caf\xC3\xA9", "iso-8859-1", 0, ""},
    {S("\xFF\xA0\xC0"), "ISO-8859-1", "\xC3\xBF\xC2\xA0\xC3\x80", "iso-8859-1", 0, ""},
    {S("\x80\x93q\x94"), "latin1", "\xC2\x80\xC2\x93q\xC2\x94", "iso-8859-1", 0, ""},
    {S("\x80"), "windows-1252", "\xE2\x82\xAC", "windows-1252", 0, ""},
    {S("\x93q\x94"), "cp1252", "\xE2\x80\x9Cq\xE2\x80\x9D", "windows-1252", 0, ""},
    {S("\x8A\x9F\xE9"), "windows-1252", "\xC5\xA0\xC5\xB8\xC3\xA9", "windows-1252", 0, ""},
    /* Mac Roman: 0x91 is e with diaeresis, 0x8E e acute. */
    {S("Chlo\x91,\x8E\n"), "macintosh", "Chlo\xC3\xAB,\xC3\xA9\n", "macintosh", 0, ""},
    {S("\x93\xfa\x96\x7b"), "shift_jis", "\xE6\x97\xA5\xE6\x9C\xAC", "shift_jis", 0, ""},
    {S("\xD6\xD0\xCE\xC4"), "gb18030", "\xE4\xB8\xAD\xE6\x96\x87", "gb18030", 0, ""},
    /* BOMs: UTF-16/32 marks are dropped, UTF-8's is kept for the reader; they win over -e. */
    {S("\xFF\xFE"
       "a\0,\0\xE9\0\n\0"),
     NULL, "a,\xC3\xA9\n", "utf-16le", 0, ""},
    {S("\xFE\xFF\0a\0,\0\xE9\0\n"), "", "a,\xC3\xA9\n", "utf-16be", 0, ""},
    {S("\xFF\xFE\0\0a\0\0\0\n\0\0\0"), "utf-8", "a\n", "utf-32le", 0, ""},
    {S("\0\0\xFE\xFF\0\0\0a\0\0\0\n"), "latin1", "a\n", "utf-32be", 0, ""},
    {S("\xEF\xBB\xBFJos\xC3\xA9\n"), "latin1", "\xEF\xBB\xBFJos\xC3\xA9\n", "", 0, ""},
    {S("\xEF\xBB\xBFx"), "windows-1252", "\xEF\xBB\xBFx", "", 0, ""},
    /* UTF-8 passes through untouched, invalid bytes too: the reader reports them. */
    {S("caf\xE9\n"), "utf-8", "caf\xE9\n", "", 0, ""},
    {S("caf\xE9\n"), NULL, "caf\xE9\n", "", 0, ""},
    /* Bad bytes: line and column (characters) of the converted text, never U+FFFD. */
    {S("a,b\nc\xE9,\x81\n"), "windows-1252", NULL, "windows-1252", 2,
     "column 4: expected windows-1252 text, found invalid byte 0x81"},
    {S("x\r\ny\rz\x82\x81\x81 "), "shift_jis", NULL, "shift_jis", 3,
     "column 3: expected shift_jis text, found invalid byte 0x81"},
    {S("ok\n\x93"), "shift_jis", NULL, "shift_jis", 2,
     "column 1: expected shift_jis text, found a truncated multi-byte sequence at end of file"},
    {S("\xFF\xFE"
       "a\0\n\0\0\xDC"),
     NULL, NULL, "utf-16le", 2, "column 1: expected utf-16le text, found invalid byte 0x00"},
    /* auto: UTF-8 stays UTF-8 (pass-through); otherwise the detector, when it can be trusted. */
    {S("Jos\xC3\xA9,1\n"), "auto", "Jos\xC3\xA9,1\n", "", 0, ""},
    {S("Chlo\x91,1\n"), "auto", NULL, "", 0,
     "--encoding auto cannot tell the encoding: only 1 byte of the sample is not ASCII: too few "
     "to tell (name it with --encoding NAME)"},
    {S("Chlo\x91,No\x91l,Zo\x91,Ma\x91l\n"), "auto", NULL, "", 0,
     "--encoding auto cannot tell the encoding: the detector guesses windows-1250, but that "
     "reads an opening quote U+2018 right after a letter (name it with --encoding NAME)"},
    {S("Ren\xE9"
       "e,Andr\xE9,Fran\xE7ois,M\xFCller,J\xF6rg\n"),
     "auto",
     "Ren\xC3\xA9"
     "e,Andr\xC3\xA9,Fran\xC3\xA7ois,M\xC3\xBCller,J\xC3\xB6rg\n",
     "iso-8859-1", 0, ""},
};

Test(transcode, table_every_chunk_and_cap)
{
    for (size_t i = 0; i < sizeof tc_cases / sizeof tc_cases[0]; i++) {
        const struct tc_case *c = &tc_cases[i];
        for (size_t chunk = 1; chunk <= c->len + 1; chunk++) {
            for (size_t cap = 1; cap <= 20; cap += cap < 4 ? 1 : 8) {
                struct run r = transcode_all(c->in, c->len, c->enc, chunk, cap);
                cr_assert_str_eq(r.enc, c->used, "case %zu", i);
                if (c->out != NULL) {
                    cr_assert_eq(r.last, 0, "case %zu chunk %zu cap %zu: %s", i, chunk, cap,
                                 r.message);
                    cr_assert_eq(r.len, strlen(c->out), "case %zu chunk %zu cap %zu", i, chunk,
                                 cap);
                    cr_assert(memcmp(r.out, c->out, r.len) == 0, "case %zu", i);
                } else {
                    cr_assert_eq(r.last, -1, "case %zu chunk %zu cap %zu", i, chunk, cap);
                    cr_assert_str_eq(r.message, c->message, "case %zu chunk %zu cap %zu", i, chunk,
                                     cap);
                    cr_assert_eq(r.line, c->line, "case %zu", i);
                }
                free(r.out);
            }
        }
    }
}

Test(transcode, bom_names)
{
    size_t len = 9;
    cr_assert_str_eq(csvb_transcode_bom((const unsigned char *)"\xFF\xFE\0\0", 4, &len),
                     "utf-32le");
    cr_assert_eq(len, 4);
    cr_assert_str_eq(csvb_transcode_bom((const unsigned char *)"\xFF\xFE"
                                                               "a",
                                        3, &len),
                     "utf-16le");
    cr_assert_eq(len, 2);
    cr_assert_str_eq(csvb_transcode_bom((const unsigned char *)"\xEF\xBB\xBF", 3, &len), "utf-8");
    cr_assert_null(csvb_transcode_bom((const unsigned char *)"\xEF\xBB", 2, &len));
    cr_assert_eq(len, 0);
}

Test(transcode, canonical_names)
{
    char out[CSVB_TRANSCODE_NAME_MAX];
    const char *pairs[][2] = {{"UTF-8", ""},
                              {"utf8", ""},
                              {"Latin1", "iso-8859-1"},
                              {"CP1252", "windows-1252"},
                              {"MAC", "macintosh"},
                              {"SJIS", "shift_jis"},
                              {"GB18030", "gb18030"},
                              {"EUC-JP", "euc-jp"}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        csvb_transcode_canonical(pairs[i][0], out, sizeof out);
        cr_assert_str_eq(out, pairs[i][1], "%s", pairs[i][0]);
    }
}

Test(transcode, guess_needs_a_trusted_answer)
{
    char name[CSVB_TRANSCODE_NAME_MAX], why[200];
    const char *ascii = "Name,ID\nAnn,1\n";
    cr_assert_eq(
        csvb_transcode_guess(ascii, strlen(ascii), true, name, sizeof name, why, sizeof why),
        CSVB_GUESS_UTF8);
    /* A UTF-8 sequence cut by the end of the sample is fine, unless the input ends there. */
    cr_assert_eq(csvb_transcode_guess("caf\xC3", 4, false, name, sizeof name, why, sizeof why),
                 CSVB_GUESS_UTF8);
    const char *jp = "\x96\xbc\x91\x4f,ID\n\x8e\x52\x93\x63\x91\xbe\x98\x59,1\n\x97\xe9\x96\xd8"
                     "\x89\xd4\x8e\x71,2\n\x93\x8c\x8b\x9e\x93\x73\x8f\x61\x92\x4a\x8b\xe6,3\n";
    cr_assert_eq(csvb_transcode_guess(jp, strlen(jp), true, name, sizeof name, why, sizeof why),
                 CSVB_GUESS_FOUND, "%s", why);
    cr_assert_str_eq(name, "shift_jis");
    /* Mac Roman read as Latin-1 is full of C1 controls: unsure, the guess named. */
    const char *mac = "Name\nChlo\x91 Dupr\x8e\nRen\x8e M\x9fller\nFran\x8doise\n";
    cr_assert_eq(csvb_transcode_guess(mac, strlen(mac), true, name, sizeof name, why, sizeof why),
                 CSVB_GUESS_UNSURE);
    cr_assert(strstr(why, "the detector guesses") != NULL, "%s", why);
}
