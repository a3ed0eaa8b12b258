/* test_transcode.c — Latin-1 and Windows-1252 to UTF-8, in every read size. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/transcode.h"

static char *transcode_all(const char *in, size_t len, enum csvb_encoding enc, size_t chunk,
                           size_t cap)
{
    struct csvb_mem_source mem = {in, len, 0, chunk};
    struct csvb_transcode *t = malloc(sizeof *t);
    csvb_transcode_init(t, (struct csvb_source){csvb_source_mem_fill, &mem}, enc);
    char *out = calloc(1, len * 3 + 8);
    size_t n = 0;
    long got;
    while ((got = csvb_transcode_fill(t, out + n, cap)) > 0)
        n += (size_t)got;
    cr_assert_eq(got, 0);
    cr_assert_eq(t->raw_bytes, len);
    free(t);
    return out;
}

struct tc_case {
    const char *in;
    enum csvb_encoding enc;
    const char *out;
};

static const struct tc_case tc_cases[] = {
    {"plain ASCII,1\n", CSVB_ENC_LATIN1, "plain ASCII,1\n"},
    {"caf\xE9", CSVB_ENC_LATIN1, "caf\xC3\xA9"},
    {"\xFF\xA0\xC0", CSVB_ENC_LATIN1, "\xC3\xBF\xC2\xA0\xC3\x80"},
    {"\x80\x93q\x94", CSVB_ENC_LATIN1, "\xC2\x80\xC2\x93q\xC2\x94"},
    {"\x80", CSVB_ENC_CP1252, "\xE2\x82\xAC"},
    {"\x93q\x94", CSVB_ENC_CP1252, "\xE2\x80\x9Cq\xE2\x80\x9D"},
    {"\x81\x8D\x8F\x90\x9D", CSVB_ENC_CP1252, "\xC2\x81\xC2\x8D\xC2\x8F\xC2\x90\xC2\x9D"},
    {"\x8A\x9F\xE9", CSVB_ENC_CP1252, "\xC5\xA0\xC5\xB8\xC3\xA9"},
};

Test(transcode, table_every_chunk)
{
    for (size_t i = 0; i < sizeof tc_cases / sizeof tc_cases[0]; i++) {
        size_t len = strlen(tc_cases[i].in);
        for (size_t chunk = 1; chunk <= len + 1; chunk++) {
            for (size_t cap = 3; cap <= 12; cap += 3) {
                char *got = transcode_all(tc_cases[i].in, len, tc_cases[i].enc, chunk, cap);
                cr_assert_str_eq(got, tc_cases[i].out, "case %zu chunk %zu cap %zu", i, chunk, cap);
                free(got);
            }
        }
    }
}
