/* test_report_csv.c — the CSV summary: header, column order, quoting, times in seconds. */
#include <criterion/criterion.h>

#include "report_fixture.h"

static int csv(FILE *out, const struct fixture *f)
{
    return csvb_report_csv(out, &f->opt, &f->list, &f->store);
}

/* A success, a failure with a line (its message holds a comma: quoted), a skip, and paths with a
 * quote, a line feed and CJK: CSV carries every byte (no terminal escaping), quoted where needed.
 */
static void mixed(struct fixture *f)
{
    fixture_init(f);
    struct csvb_result *r =
        fixture_add(f, "data/ok.csv", "data/ok_processed.csv", CSVB_STATUS_SUCCESS);
    r->rows_read = 3, r->rows_written = 2, r->rows_rejected = 1, r->seconds = 0.004123;
    r = fixture_add(f, "data/broken.csv", "data/broken_processed.csv", CSVB_STATUS_FAILED);
    r->rows_read = 2, r->seconds = 0.5;
    csvb_diag_set(&r->diag, CSVB_E_PARSE, 3, "expected 4 fields, found 5");
    r = fixture_add(f, "data/fifo.csv", NULL, CSVB_STATUS_SKIPPED);
    csvb_diag_set(&r->diag, CSVB_OK, 0, "not a regular file (a named pipe)");
    r = fixture_add(f, "say \"hi\"\n\xE6\x97\xA5.csv", "x_processed.csv", CSVB_STATUS_SUCCESS);
    fixture_sum(f, 1.0);
}

Test(report_csv, mixed_results)
{
    struct fixture f;
    mixed(&f);
    f.opt.format = CSVB_FORMAT_CSV;
    static const char want[] =
        "File,Status,RowsRead,RowsWritten,Output,Error,Seconds\n"
        "data/ok.csv,Success,3,2,data/ok_processed.csv,,0.004123\n"
        "data/broken.csv,Failed,2,0,,\"line 3: expected 4 fields, found 5\",0.500000\n"
        "data/fifo.csv,Skipped,0,0,,not a regular file (a named pipe),0.000000\n"
        "\"say \"\"hi\"\"\n\xE6\x97\xA5.csv\",Success,0,0,x_processed.csv,,0.000000\n";
    expect(csv, &f, want);
    expect(write_any, &f, want);
}

/* --on-bad-row skip: RowsRejected comes last (it came later; columns read by position stay). */
Test(report_csv, rejected_column)
{
    struct fixture f;
    mixed(&f);
    f.opt.skip_bad_rows = true;
    int rc;
    char *got = capture(csv, &f, &rc);
    cr_assert_eq(rc, 0);
    static const char head[] =
        "File,Status,RowsRead,RowsWritten,Output,Error,Seconds,RowsRejected\n"
        "data/ok.csv,Success,3,2,data/ok_processed.csv,,0.004123,1\n";
    cr_assert_eq(strncmp(got, head, strlen(head)), 0, "%s", got);
    free(got);
}

/* What the stream held before is written first: the renderer goes to the descriptor. */
static int csv_after_text(FILE *out, const struct fixture *f)
{
    fputs("before\n", out);
    return csvb_report_csv(out, &f->opt, &f->list, &f->store);
}

Test(report_csv, flushes_the_stream_first)
{
    struct fixture f;
    fixture_init(&f);
    fixture_sum(&f, 0);
    expect(csv_after_text, &f, "before\nFile,Status,RowsRead,RowsWritten,Output,Error,Seconds\n");
}

/* A stream without a descriptor cannot take the CSV: -1, not a crash. */
Test(report_csv, no_descriptor)
{
    struct fixture f;
    fixture_init(&f);
    fixture_sum(&f, 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    cr_assert_not_null(mem);
    cr_assert_eq(csvb_report_csv(mem, &f.opt, &f.list, &f.store), -1);
    fclose(mem);
    free(buf);
}
