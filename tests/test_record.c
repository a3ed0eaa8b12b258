/* test_record.c — a record assembled by copies: the arena, the sealing, and the limits in order. */
#include <criterion/criterion.h>
#include <string.h>

#include "csvbatch/record.h"

Test(record, copies_seal_and_clear)
{
    struct csvb_record rec;
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_record_init(&rec, 1 << 20, &d), CSVB_OK);
    char buf[8] = "abc";
    cr_assert_eq(csvb_record_add(&rec, buf, 3, 1, &d), CSVB_OK);
    strcpy(buf, "xyz"); /* the source is reused, as libcsv does */
    cr_assert_eq(csvb_record_add(&rec, buf, 0, 1, &d), CSVB_OK);
    static char big[10000];
    memset(big, 'q', sizeof big); /* grows the arena and, over 64 fields, the table */
    for (int i = 0; i < 100; i++)
        cr_assert_eq(csvb_record_add(&rec, big, sizeof big, 1, &d), CSVB_OK);
    csvb_record_seal(&rec);
    cr_assert_eq(rec.nfields, 102u);
    cr_assert(rec.fields[0].len == 3 && memcmp(rec.fields[0].ptr, "abc", 3) == 0);
    cr_assert(rec.fields[1].len == 0 && rec.fields[1].ptr != NULL);
    cr_assert(rec.fields[101].len == sizeof big && rec.fields[101].ptr[9999] == 'q');
    csvb_record_clear(&rec);
    cr_assert_eq(csvb_record_add(&rec, "z", 1, 1, &d), CSVB_OK);
    csvb_record_seal(&rec);
    cr_assert(rec.nfields == 1 && rec.fields[0].ptr[0] == 'z');
    csvb_record_fini(&rec);
    csvb_record_fini(&rec);
}

Test(record, limits_field_then_record)
{
    struct csvb_record rec;
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_record_init(&rec, 4, &d), CSVB_OK);
    cr_assert_eq(csvb_record_check(&rec, 4, 7, &d), CSVB_OK);
    cr_assert_eq(csvb_record_add(&rec, "12", 2, 7, &d), CSVB_OK);
    cr_assert_eq(csvb_record_add(&rec, "34", 2, 7, &d), CSVB_OK);
    cr_assert_eq(csvb_record_add(&rec, "5", 1, 7, &d), CSVB_E_LIMIT);
    cr_assert_eq(d.line, 7u);
    cr_assert_str_eq(d.message,
                     "expected records of at most 4 bytes (--max-field-size), found a larger one");
    csvb_diag_init(&d);
    cr_assert_eq(csvb_record_check(&rec, 5, 3, &d), CSVB_E_LIMIT); /* the field is named first */
    cr_assert_str_eq(d.message,
                     "expected fields of at most 4 bytes (--max-field-size), found a larger one");
    csvb_record_fini(&rec);
}

Test(record, at_most_max_fields)
{
    struct csvb_record rec;
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_record_init(&rec, 1 << 20, &d), CSVB_OK);
    for (size_t i = 0; i < CSVB_RECORD_MAX_FIELDS; i++)
        cr_assert_eq(csvb_record_add(&rec, "", 0, 2, &d), CSVB_OK);
    cr_assert_eq(csvb_record_add(&rec, "", 0, 2, &d), CSVB_E_LIMIT);
    cr_assert_str_eq(d.message, "expected at most 1048576 fields in a record, found more");
    csvb_record_fini(&rec);
}
