/* test_results.c — the run's compact results: the bound per job, and every field back exactly. */
#include <criterion/criterion.h>
#include <string.h>

#include "csvbatch/outputs.h"
#include "csvbatch/results.h"

/* The README's "Memory per listed file" figures rest on these sizes (LP64): the job and the
 * result kept per listed file. */
Test(results, slot_is_small)
{
    cr_assert_leq(sizeof(struct csvb_result_slot), 56);
    cr_assert_leq(sizeof(struct csvb_job), 72);
    /* A new field of struct csvb_result must be kept by put and get: this size changes, and the
     * round trips below are where to add it. */
    if (sizeof(long) == 8)
        cr_assert_eq(sizeof(struct csvb_result), 1304);
}

/* Every field of a and b, compared one by one (the diagnostic's strings as strings). */
static void expect_same(const struct csvb_result *a, const struct csvb_result *b)
{
    cr_expect_eq(a->status, b->status);
    cr_expect_eq(a->rows_read, b->rows_read);
    cr_expect_eq(a->rows_written, b->rows_written);
    cr_expect_eq(a->rows_rejected, b->rows_rejected);
    cr_expect_eq(a->rows_padded, b->rows_padded);
    cr_expect_eq(a->bytes_read, b->bytes_read);
    cr_expect_eq(a->bytes_written, b->bytes_written);
    cr_expect_eq(a->compression, b->compression);
    cr_expect_eq(a->bytes_decompressed, b->bytes_decompressed);
    cr_expect_eq(memcmp(&a->seconds, &b->seconds, sizeof a->seconds), 0);
    cr_expect_eq(a->bytes_parsed, b->bytes_parsed);
    cr_expect_eq(a->parse_runs, b->parse_runs);
    cr_expect_eq(a->chunks, b->chunks);
    cr_expect_eq(a->chunk_temps_max, b->chunk_temps_max);
    cr_expect_eq(a->bytes_copied, b->bytes_copied);
    cr_expect_eq(a->diag.code, b->diag.code);
    cr_expect_eq(a->diag.sys_errno, b->diag.sys_errno);
    cr_expect_eq(a->diag.line, b->diag.line);
    cr_expect_str_eq(a->diag.message, b->diag.message);
    cr_expect_str_eq(a->diag.hint, b->diag.hint);
    cr_expect_eq(a->input.known, b->input.known);
    cr_expect_eq(memcmp(a->input.hash, b->input.hash, sizeof a->input.hash), 0);
    cr_expect_eq(a->input.size, b->input.size);
    cr_expect_eq(a->input.mtime_ns, b->input.mtime_ns);
    cr_expect_eq(a->input.ctime_ns, b->input.ctime_ns);
    cr_expect_eq(a->input.dev, b->input.dev);
    cr_expect_eq(a->input.ino, b->input.ino);
    cr_expect_eq(a->input.read_ns, b->input.read_ns);
    cr_expect_str_eq(a->written_stamp, b->written_stamp);
    cr_expect_str_eq(a->written_at, b->written_at);
    cr_expect_eq(a->dialect.delimiter, b->dialect.delimiter);
    cr_expect_eq(a->dialect.quotes_lenient, b->dialect.quotes_lenient);
    cr_expect_str_eq(a->dialect.encoding, b->dialect.encoding);
    cr_expect_eq(a->dialect.skip_lines, b->dialect.skip_lines);
    cr_expect_eq(a->dialect.escape, b->dialect.escape);
    cr_expect_eq(a->dialect.comment, b->dialect.comment);
}

/* A plain success: counts, seconds, dialect, compression only. */
static void plain(struct csvb_result *r)
{
    csvb_result_init(r);
    r->rows_read = 12345678901ULL;
    r->rows_written = 7;
    r->bytes_read = 1ULL << 40;
    r->bytes_written = 99;
    r->seconds = 0.1234567890123;
    r->dialect.delimiter = ';';
    r->dialect.quotes_lenient = true;
    r->compression = CSVB_COMPRESSION_ZSTD;
}

/* A failure with everything rare set, the message and hint at their longest. */
static void rare(struct csvb_result *r)
{
    plain(r);
    r->status = CSVB_STATUS_FAILED;
    r->rows_rejected = 3;
    r->rows_padded = 4;
    r->bytes_decompressed = 5;
    r->bytes_parsed = 6;
    r->parse_runs = 7;
    r->chunks = 8;
    r->chunk_temps_max = 9;
    r->bytes_copied = 16;
    csvb_diag_errno(&r->diag, CSVB_E_IO, 28, "cannot write %0*d", 600, 1);
    r->diag.line = 1042;
    memset(r->diag.message + 400, 'm', sizeof r->diag.message - 401); /* 767 bytes long */
    memset(r->diag.hint, 'h', sizeof r->diag.hint - 1);
    r->input = (struct csvb_result_input){true, {0}, 10, -11, 12, 13, 14, 15};
    for (size_t k = 0; k < sizeof r->input.hash; k++)
        r->input.hash[k] = (unsigned char)(k * 17 + 1);
    snprintf(r->written_stamp, sizeof r->written_stamp, "2026-12-01T00:00:00Z");
    snprintf(r->written_at, sizeof r->written_at, "2026-11-30T23:59:59Z");
    snprintf(r->dialect.encoding, sizeof r->dialect.encoding, "ISO-8859-15");
    r->dialect.skip_lines = 3;
    r->dialect.escape = '\\';
    r->dialect.comment = '#';
}

Test(results, round_trip_without_a_diagnostic)
{
    struct csvb_results rs;
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_results_init(&rs, 3, &d), CSVB_OK);
    struct csvb_result want, put, buf;
    plain(&want);
    plain(&put);
    cr_assert_eq(csvb_results_put(&rs, 1, &put), CSVB_OK);
    cr_expect_null(rs.slots[1].rare, "a plain success needs no allocation");
    expect_same(csvb_results_get(&rs, 1, &buf), &want);
    /* untouched slots read as csvb_result_init's */
    csvb_result_init(&want);
    memset(&buf, 0x5A, sizeof buf); /* get must not depend on what buf held */
    expect_same(csvb_results_get(&rs, 0, &buf), &want);
    csvb_results_fini(&rs);
    csvb_results_fini(&rs); /* safe twice */
}

Test(results, round_trip_with_a_diagnostic_and_a_preview)
{
    struct csvb_results rs;
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_results_init(&rs, 2, &d), CSVB_OK);
    struct csvb_result want, put, buf;
    rare(&want);
    rare(&put);
    cr_assert_eq(strlen(want.diag.message), CSVB_DIAG_MESSAGE_MAX - 1);
    struct csvb_field cells[] = {{"Name", 4}, {"ID", 2}};
    struct csvb_row row = {cells, 2, 1};
    cr_assert_eq(csvb_rows_append(&put.preview, &row), CSVB_OK);
    cr_assert_eq(csvb_results_put(&rs, 0, &put), CSVB_OK);
    cr_expect_eq(put.preview.n, 0, "put moves the preview");
    cr_expect_eq(put.diag.code, CSVB_OK, "put leaves res as csvb_result_init");
    const struct csvb_result *got = csvb_results_get(&rs, 0, &buf);
    expect_same(got, &want);
    cr_assert_eq(got->preview.n, 1);
    cr_expect_eq(got->preview.rows[0].nfields, 2);
    cr_expect_str_eq(got->preview.rows[0].fields[1].ptr, "ID");
    /* replacing a result frees the old one (asan, valgrind) and reads as the new one */
    plain(&put);
    plain(&want);
    cr_assert_eq(csvb_results_put(&rs, 0, &put), CSVB_OK);
    expect_same(csvb_results_get(&rs, 0, &buf), &want);
    cr_expect_eq(csvb_results_get(&rs, 0, &buf)->preview.n, 0);
    csvb_results_fini(&rs);
}

Test(results, expand_and_count_not_started)
{
    struct csvb_results rs;
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_results_init(&rs, 3, &d), CSVB_OK);
    struct csvb_result r, want[3];
    rare(&r);
    rare(&want[0]);
    cr_assert_eq(csvb_results_put(&rs, 0, &r), CSVB_OK);
    csvb_result_preset(&r, CSVB_STATUS_SKIPPED, CSVB_E_CANCELLED, "not started: interrupted");
    csvb_result_preset(&want[1], CSVB_STATUS_SKIPPED, CSVB_E_CANCELLED, "not started: interrupted");
    cr_assert_eq(csvb_results_put(&rs, 1, &r), CSVB_OK);
    csvb_result_preset(&r, CSVB_STATUS_SKIPPED, CSVB_E_IO, "a FIFO");
    csvb_result_preset(&want[2], CSVB_STATUS_SKIPPED, CSVB_E_IO, "a FIFO");
    cr_assert_eq(csvb_results_put(&rs, 2, &r), CSVB_OK);
    cr_expect_eq(csvb_results_count_not_started(&rs), 1);
    struct csvb_result *all = csvb_results_expand(&rs);
    cr_assert_not_null(all);
    for (size_t i = 0; i < 3; i++)
        expect_same(&all[i], &want[i]);
    free(all);
    csvb_results_fini(&rs);
}

Test(results, wrapped_array_is_read_and_written_in_place)
{
    struct csvb_result full[2], r, want;
    csvb_result_init(&full[0]);
    csvb_result_init(&full[1]);
    struct csvb_results rs;
    csvb_results_wrap(&rs, full, 2);
    rare(&r);
    rare(&want);
    cr_assert_eq(csvb_results_put(&rs, 1, &r), CSVB_OK);
    expect_same(&full[1], &want);
    struct csvb_result buf;
    cr_expect_eq(csvb_results_get(&rs, 1, &buf), &full[1], "a wrapped result is not copied");
    csvb_results_fini(&rs); /* frees nothing of the caller's array */
    cr_expect_str_eq(full[1].diag.hint, want.diag.hint);
    csvb_result_fini(&full[1]);
}
