/* test_hash.c — the XXH3-128 door: known digests, hex round trip, the source tap in every fill
 * size, whole files. */
#include <criterion/criterion.h>
#include <string.h>

#include "csvbatch/hash.h"
#include "helpers.h"

Test(hash, known_digests)
{
    /* XXH3-128 reference values (xxhsum -H2 of the same bytes). */
    unsigned char d[CSVB_HASH_SIZE];
    char hex[CSVB_HASH_HEX];
    csvb_hash_buffer("", 0, d);
    cr_assert_str_eq(csvb_hash_hex(d, hex), "99aa06d3014798d86001c324468d497f");
    struct csvb_hash h;
    csvb_hash_init(&h);
    cr_assert(h.ok);
    csvb_hash_update(&h, "", 0);
    unsigned char e[CSVB_HASH_SIZE];
    csvb_hash_digest(&h, e);
    cr_assert_eq(memcmp(d, e, sizeof d), 0);
    csvb_hash_fini(&h);
    csvb_hash_fini(&h); /* safe twice */
}

Test(hash, hex_round_trip_and_rejects)
{
    unsigned char d[CSVB_HASH_SIZE], back[CSVB_HASH_SIZE];
    char hex[CSVB_HASH_HEX];
    csvb_hash_buffer("Name,ID\n", 8, d);
    cr_assert(csvb_hash_parse(csvb_hash_hex(d, hex), back));
    cr_assert_eq(memcmp(d, back, sizeof d), 0);
    cr_assert_not(csvb_hash_parse("abc", back));
    cr_assert_not(csvb_hash_parse("zz"
                                  "aa06d3014798d86001c324468d497f",
                                  back));
    cr_assert_not(csvb_hash_parse(NULL, back));
}

Test(hash, tap_passes_bytes_and_hashes_them_in_every_fill_size)
{
    static const char data[] =
        "Name,ID,Status\nann,1,Active\nbob,2,Inactive\n\"q,\"\"x\",3,Active\n";
    size_t len = sizeof data - 1;
    unsigned char want[CSVB_HASH_SIZE];
    csvb_hash_buffer(data, len, want);
    for (size_t chunk = 1; chunk <= len + 1; chunk++) {
        struct csvb_mem_source mem = {data, len, 0, chunk};
        struct csvb_hash_tap tap;
        csvb_hash_tap_init(&tap, (struct csvb_source){csvb_source_mem_fill, &mem});
        char got[256];
        size_t n = 0;
        long r;
        while ((r = csvb_hash_tap_fill(&tap, got + n, sizeof got - n)) > 0)
            n += (size_t)r;
        unsigned char d[CSVB_HASH_SIZE];
        csvb_hash_digest(&tap.hash, d);
        cr_assert_eq(n, len, "chunk %zu", chunk);
        cr_assert_eq(memcmp(got, data, len), 0, "chunk %zu", chunk);
        cr_assert_eq(tap.bytes, len);
        cr_assert_eq(memcmp(d, want, sizeof d), 0, "chunk %zu", chunk);
        csvb_hash_tap_fini(&tap);
    }
}

Test(hash, file_digest_and_errors)
{
    char *dir = tmpdir_new();
    write_text(dir, "a.csv", "x,y\n1,2\n");
    char *p = path_in(dir, "a.csv"), *missing = path_in(dir, "none.csv");
    unsigned char d[CSVB_HASH_SIZE], want[CSVB_HASH_SIZE];
    uint64_t bytes;
    struct csvb_diag diag;
    csvb_diag_init(&diag);
    cr_assert_eq(csvb_hash_file(p, d, &bytes, &diag), CSVB_OK);
    csvb_hash_buffer("x,y\n1,2\n", 8, want);
    cr_assert_eq(bytes, 8);
    cr_assert_eq(memcmp(d, want, sizeof d), 0);
    cr_assert_eq(csvb_hash_file(missing, d, &bytes, &diag), CSVB_E_IO);
    cr_assert(strstr(diag.message, "none.csv: cannot open") != NULL, "%s", diag.message);
    free(p);
    free(missing);
    tmpdir_free(dir);
}
