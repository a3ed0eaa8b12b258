/* test_utf8.c — validation faults and their offsets (in every split of the input), decoding,
 * and terminal width: ASCII, CJK wide, combining marks, invalid bytes. */
#include <criterion/criterion.h>
#include <string.h>

#include "csvbatch/utf8.h"

struct check_case {
    const char *in;
    size_t len;  /* 0: strlen(in) */
    size_t stop; /* offset returned: len when valid */
    enum csvb_utf8_fault fault;
    unsigned seen; /* on a fault: bytes of the broken sequence before the bad byte */
    bool complete; /* when valid: no sequence left open */
};

static const struct check_case check_cases[] = {
    {"abc", 0, 3, CSVB_UTF8_NONE, 0, true},
    {"", 0, 0, CSVB_UTF8_NONE, 0, true},
    {"Jos\xC3\xA9", 0, 5, CSVB_UTF8_NONE, 0, true},
    {"\xE6\x97\xA5\xE6\x9C\xAC", 0, 6, CSVB_UTF8_NONE, 0, true},
    {"\xF0\x9F\x98\x80", 0, 4, CSVB_UTF8_NONE, 0, true},
    {"\xF4\x8F\xBF\xBF", 0, 4, CSVB_UTF8_NONE, 0, true}, /* U+10FFFF, the last */
    {"\xEF\xBB\xBF", 0, 3, CSVB_UTF8_NONE, 0, true},     /* a BOM is valid UTF-8 */
    {"\xE6\x97", 0, 2, CSVB_UTF8_NONE, 0, false},        /* open at the end */
    {"ab\0c", 4, 2, CSVB_UTF8_NUL, 0, false},
    {"\x80", 0, 0, CSVB_UTF8_INVALID, 0, false},      /* a lone continuation byte */
    {"a\xC0\x80", 0, 1, CSVB_UTF8_INVALID, 0, false}, /* overlong NUL: C0 never leads */
    {"\xC1\xBF", 0, 0, CSVB_UTF8_INVALID, 0, false},
    {"\xC3(", 0, 1, CSVB_UTF8_INVALID, 1, false},
    {"\xE0\x80\x80", 0, 1, CSVB_UTF8_INVALID, 1, false}, /* overlong three bytes */
    {"\xED\xA0\x80", 0, 1, CSVB_UTF8_INVALID, 1, false}, /* surrogate U+D800 */
    {"\xF0\x80\x80\x80", 0, 1, CSVB_UTF8_INVALID, 1, false},
    {"\xF4\x90\x80\x80", 0, 1, CSVB_UTF8_INVALID, 1, false}, /* above U+10FFFF */
    {"\xF5\x80", 0, 0, CSVB_UTF8_INVALID, 0, false},
    {"\xFF", 0, 0, CSVB_UTF8_INVALID, 0, false},
    {"x\xE6\x97(", 0, 3, CSVB_UTF8_INVALID, 2, false},
    {"\xF0\x9F\x98(", 0, 3, CSVB_UTF8_INVALID, 3, false},
    {"\xC3\xA9\xA9", 0, 2, CSVB_UTF8_INVALID, 0, false}, /* a continuation after a whole char */
    /* Long ASCII runs take the 16- and 8-byte paths: faults inside them are still exact. */
    {"0123456789abcdef0123456789abcdef0\0", 34, 33, CSVB_UTF8_NUL, 0, false},
    {"0123456789abcdef0123456789\xC3\xA9"
     "ef0123456789",
     0, 40, CSVB_UTF8_NONE, 0, true},
    {"0123456789abcdef01234\x80"
     "6789abcdef",
     0, 21, CSVB_UTF8_INVALID, 0, false},
};

/* Feeds c's input in pieces of `piece` bytes; returns the absolute offset where it stopped. */
static size_t check_in_pieces(const struct check_case *c, size_t piece, struct csvb_utf8 *v,
                              enum csvb_utf8_fault *fault)
{
    size_t len = c->len ? c->len : strlen(c->in);
    const unsigned char *s = (const unsigned char *)c->in;
    csvb_utf8_init(v);
    for (size_t at = 0; at < len; at += piece) {
        size_t n = len - at < piece ? len - at : piece;
        size_t got = csvb_utf8_check(v, s + at, n, fault);
        if (got != n)
            return at + got;
    }
    *fault = CSVB_UTF8_NONE;
    return len;
}

Test(utf8, check_table_in_every_split)
{
    for (size_t i = 0; i < sizeof check_cases / sizeof check_cases[0]; i++) {
        const struct check_case *c = &check_cases[i];
        size_t len = c->len ? c->len : strlen(c->in);
        for (size_t piece = 1; piece <= (len ? len : 1); piece++) {
            struct csvb_utf8 v;
            enum csvb_utf8_fault fault;
            size_t stop = check_in_pieces(c, piece, &v, &fault);
            cr_assert_eq(stop, c->stop, "case %zu, pieces of %zu", i, piece);
            cr_assert_eq(fault, c->fault, "case %zu, pieces of %zu", i, piece);
            if (fault == CSVB_UTF8_INVALID)
                cr_assert_eq(v.seen, c->seen, "case %zu, pieces of %zu", i, piece);
            if (fault == CSVB_UTF8_NONE)
                cr_assert_eq(csvb_utf8_complete(&v), c->complete, "case %zu", i);
        }
    }
}

/* The 64-byte ASCII skip: a NUL, a lone continuation byte or a valid two-byte character at every
 * offset of a 200-byte run is found exactly where it is. */
Test(utf8, faults_at_every_offset_of_a_long_ascii_run)
{
    unsigned char s[200];
    for (size_t at = 0; at + 1 < sizeof s; at++)
        for (int kind = 0; kind < 3; kind++) {
            for (size_t i = 0; i < sizeof s; i++)
                s[i] = (unsigned char)('0' + i % 64);
            if (kind == 0)
                s[at] = 0;
            else if (kind == 1)
                s[at] = 0x80;
            else
                s[at] = 0xC3, s[at + 1] = 0xA9;
            struct csvb_utf8 v;
            csvb_utf8_init(&v);
            enum csvb_utf8_fault fault;
            size_t got = csvb_utf8_check(&v, s, sizeof s, &fault);
            cr_assert_eq(got, kind == 2 ? sizeof s : at, "kind %d at %zu", kind, at);
            cr_assert_eq(fault,
                         kind == 0   ? CSVB_UTF8_NUL
                         : kind == 1 ? CSVB_UTF8_INVALID
                                     : CSVB_UTF8_NONE,
                         "kind %d at %zu", kind, at);
        }
}

Test(utf8, decode_table)
{
    static const struct {
        const char *in;
        size_t n; /* bytes available */
        size_t len;
        unsigned cp;
    } cases[] = {
        {"A", 1, 1, 'A'},
        {"", 1, 1, 0}, /* NUL decodes (the validator is the one that refuses it) */
        {"A", 0, 0, 0},
        {"\xC3\xA9", 2, 2, 0xE9},
        {"\xDF\xBF", 2, 2, 0x7FF},
        {"\xE0\xA0\x80", 3, 3, 0x800},
        {"\xE6\x97\xA5", 3, 3, 0x65E5},
        {"\xEF\xBF\xBD", 3, 3, 0xFFFD},
        {"\xF0\x90\x80\x80", 4, 4, 0x10000},
        {"\xF4\x8F\xBF\xBF", 4, 4, 0x10FFFF},
        {"\xC3\xA9", 1, 0, 0},     /* cut short */
        {"\xE6\x97\xA5", 2, 0, 0}, /* cut short */
        {"\x80", 1, 0, 0},
        {"\xC0\x80", 2, 0, 0},
        {"\xE0\x9F\xBF", 3, 0, 0},
        {"\xED\xA0\x80", 3, 0, 0},
        {"\xED\x9F\xBF", 3, 3, 0xD7FF},
        {"\xF4\x90\x80\x80", 4, 0, 0},
        {"\xF8\x88\x80\x80\x80", 5, 0, 0},
        {"\xE6(\xA5", 3, 0, 0},
        {"\xE6\x97(", 3, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned cp = 0xDEAD;
        size_t len = csvb_utf8_decode((const unsigned char *)cases[i].in, cases[i].n, &cp);
        cr_assert_eq(len, cases[i].len, "case %zu", i);
        if (len > 0)
            cr_assert_eq(cp, cases[i].cp, "case %zu: U+%04X", i, cp);
    }
}

/* decode and the validator agree on every two-byte sequence and every lead with each second
 * byte (the validator refuses NUL; decode does not). */
Test(utf8, decode_agrees_with_check)
{
    for (unsigned a = 1; a < 256; a++) {
        for (unsigned b = 0; b < 256; b++) {
            unsigned char s[4] = {(unsigned char)a, (unsigned char)b, 0x80, 0x80};
            for (size_t n = 1; n <= 4; n++) {
                unsigned cp;
                size_t len = csvb_utf8_decode(s, n, &cp);
                if (len == 0)
                    continue;
                struct csvb_utf8 v;
                enum csvb_utf8_fault fault;
                csvb_utf8_init(&v);
                cr_assert_eq(csvb_utf8_check(&v, s, len, &fault), len, "%02X %02X", a, b);
                cr_assert(csvb_utf8_complete(&v), "%02X %02X", a, b);
            }
        }
    }
}

Test(utf8, cp_width_table)
{
    static const struct {
        unsigned cp;
        size_t width;
    } cases[] = {
        {'a', 1},      {0x07, 1},    {0xE9, 1},    {0x0300, 0},  {0x0308, 0},  {0x036F, 0},
        {0x0370, 1},   {0x1AB0, 0},  {0x20D0, 0},  {0xFE20, 0},  {0x200B, 0},  {0x200C, 1},
        {0x200D, 0},   {0x1100, 2},  {0x1160, 1},  {0x3042, 2},  {0x4E00, 2},  {0x65E5, 2},
        {0x9FFF, 2},   {0xAC00, 2},  {0xD7A3, 2},  {0xD7A4, 1},  {0xFF01, 2},  {0xFF61, 1},
        {0xFFE0, 2},   {0x1F600, 2}, {0x1F650, 1}, {0x1F926, 2}, {0x20000, 2}, {0x3FFFD, 2},
        {0x10FFFF, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_assert_eq(csvb_utf8_cp_width(cases[i].cp), cases[i].width, "U+%04X", cases[i].cp);
}

Test(utf8, width_table)
{
    static const struct {
        const char *in;
        size_t width;
    } cases[] = {
        {"", 0},
        {"Name", 4},
        {"Jos\xC3\xA9", 4},                                      /* é precomposed */
        {"Zoe\xCC\x88", 3},                                      /* e + combining diaeresis */
        {"\xE6\x97\xA5\xE6\x9C\xAC.csv", 8},                     /* 日本.csv */
        {"\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE", 8}, /* 日本語の */
        {"\xF0\x9F\x98\x80!", 3},
        {"\xFF\xFE", 2},     /* invalid bytes: one column each */
        {"\xE6\x97", 2},     /* a cut sequence: its bytes, one each */
        {"\xC0\x80", 2},     /* overlong: not one character */
        {"\xED\xA0\x80", 3}, /* surrogate: not one character */
        {"a\xE6\x97(b", 5},
        {"\t", 1}, /* control bytes count one: escape them first */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_assert_eq(csvb_utf8_width(cases[i].in, strlen(cases[i].in)), cases[i].width, "case %zu",
                     i);
    cr_assert_eq(csvb_utf8_width("\xE6\x97\xA5", 2), 2, "the length bounds the decode");
}
