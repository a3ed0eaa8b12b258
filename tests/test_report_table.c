/* test_report_table.c — the aligned summary, the totals line and the previews, against goldens. */
#include <criterion/criterion.h>

#include "report_fixture.h"

/* Five files: a success, a failure with a line, a skip, a wide (CJK) path, and a failure whose
 * path holds a tab and a line feed. */
static void mixed(struct fixture *f)
{
    fixture_init(f);
    struct csvb_result *r =
        fixture_add(f, "data/ok.csv", "data/ok_processed.csv", CSVB_STATUS_SUCCESS);
    r->rows_read = 3, r->rows_written = 2, r->bytes_read = 97, r->bytes_written = 55;
    r->seconds = 0.004;
    r = fixture_add(f, "data/broken.csv", "data/broken_processed.csv", CSVB_STATUS_FAILED);
    r->rows_read = 2, r->bytes_read = 131, r->seconds = 0.002;
    csvb_diag_set(&r->diag, CSVB_E_PARSE, 3, "expected 4 fields, found 5");
    r = fixture_add(f, "data/fifo.csv", NULL, CSVB_STATUS_SKIPPED);
    csvb_diag_set(&r->diag, CSVB_OK, 0, "not a regular file (a named pipe)");
    r = fixture_add(f, "\xE6\x97\xA5\xE6\x9C\xAC/\xE8\xA1\xA8.csv",
                    "out/\xE8\xA1\xA8_processed.csv", CSVB_STATUS_SUCCESS);
    r->rows_read = 1, r->rows_written = 1, r->bytes_read = 800, r->bytes_written = 300;
    r->seconds = 0.25;
    r = fixture_add(f, "ctl\tname\n.csv", "ctl\tname\n_processed.csv", CSVB_STATUS_FAILED);
    csvb_diag_errno(&r->diag, CSVB_E_IO, 13, "cannot open");
    fixture_sum(f, 0.5);
}

static int table(FILE *out, const struct fixture *f)
{
    return csvb_report_table(out, &f->opt, &f->list, &f->store, &f->totals, false);
}

static int previews(FILE *out, const struct fixture *f)
{
    return csvb_report_previews(out, &f->list, &f->store);
}

/* Counts right-aligned, CJK two columns wide, control bytes escaped as in the diagnostics, no
 * output for a failed file, no trailing blank when the Error cell is empty. */
static const char mixed_golden[] =
    "File            Status  RowsRead RowsWritten Output                  Time Error\n"
    "----            ------  -------- ----------- ------                  ---- -----\n"
    "data/ok.csv     Success        3           2 data/ok_processed.csv 0.004s\n"
    "data/broken.csv Failed         2           0                       0.002s line 3: expected "
    "4 fields, found 5\n"
    "data/fifo.csv   Skipped        0           0                       0.000s not a regular "
    "file (a named pipe)\n"
    "\xE6\x97\xA5\xE6\x9C\xAC/\xE8\xA1\xA8.csv     Success        1           1 "
    "out/\xE8\xA1\xA8_processed.csv  0.250s\n"
    "ctl\\tname\\n.csv Failed         0           0                       0.000s cannot open: "
    "Permission denied\n"
    "\n"
    "5 files: 2 succeeded, 2 failed, 1 skipped. 6 rows read, 3 written. 1.0 KB read, 355 B "
    "written in 0.500 s (0.0 MB/s).\n";

Test(report_table, mixed_results)
{
    struct fixture f;
    mixed(&f);
    expect(table, &f, mixed_golden);
    expect(write_any, &f, mixed_golden); /* the table is the default format */
    fixture_fini(&f);
}

/* --on-bad-row skip adds RowsRejected (table and totals); a dry run says "would be written". */
Test(report_table, rejected_column_and_dry_run)
{
    struct fixture f;
    fixture_init(&f);
    f.opt.skip_bad_rows = true;
    f.opt.dry_run = true;
    struct csvb_result *r = fixture_add(&f, "a.csv", "a_processed.csv", CSVB_STATUS_SUCCESS);
    r->rows_read = 1, r->rows_written = 1, r->rows_rejected = 12, r->seconds = 1.5;
    r->bytes_read = 999, r->bytes_written = 1000;
    fixture_sum(&f, 2.0);
    expect(table, &f,
           "File  Status  RowsRead RowsWritten RowsRejected Output            Time Error\n"
           "----  ------  -------- ----------- ------------ ------            ---- -----\n"
           "a.csv Success        1           1           12 a_processed.csv 1.500s\n"
           "\n"
           "1 file: 1 succeeded, 0 failed, 0 skipped. 1 row read, 1 would be written, 12 "
           "rejected. 999 B read, 1.0 KB would be written in 2.000 s (0.0 MB/s).\n"
           "Dry run: nothing was written.\n");
    fixture_fini(&f);
}

/* The totals line's byte counts and rate, across the unit boundaries. */
Test(report_table, totals_units)
{
    static const struct {
        uint64_t read, written;
        const char *text;
    } cases[] = {
        {0, 0, "0 B read, 0 B written in 1.000 s (0.0 MB/s)."},
        {999999, 1000000, "1000.0 KB read, 1.0 MB written in 1.000 s (1.0 MB/s)."},
        {1500000, 999999999, "1.5 MB read, 1000.0 MB written in 1.000 s (1.5 MB/s)."},
        {2000000000, 12345678901ull, "2.00 GB read, 12.35 GB written in 1.000 s (2000.0 MB/s)."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct fixture f;
        fixture_init(&f);
        struct csvb_result *r = fixture_add(&f, "a.csv", "a_processed.csv", CSVB_STATUS_SUCCESS);
        r->bytes_read = cases[i].read, r->bytes_written = cases[i].written;
        fixture_sum(&f, 1.0);
        int rc;
        char *got = capture(table, &f, &rc);
        cr_assert_eq(rc, 0);
        cr_assert_not_null(strstr(got, cases[i].text), "case %zu: %s", i, got);
        free(got);
    }
}

/* No file: the titles, their dashes, and "0 files" (main prints nothing then; the renderer does
 * not decide that). */
Test(report_table, no_files)
{
    struct fixture f;
    fixture_init(&f);
    fixture_sum(&f, 0.0);
    expect(table, &f,
           "File Status RowsRead RowsWritten Output Time Error\n"
           "---- ------ -------- ----------- ------ ---- -----\n"
           "\n"
           "0 files: 0 succeeded, 0 failed, 0 skipped. 0 rows read, 0 written. 0 B read, 0 B "
           "written in 0.000 s (0.0 MB/s).\n");
}

/* Previews: aligned by display width (CJK two columns, a combining mark none), control bytes
 * escaped, the header underlined to its own width; "(1 row)" singular, "(0 rows)" for a file
 * with no match; none for a file without preview rows (a failure). */
Test(report_table, previews_golden)
{
    struct fixture f;
    fixture_init(&f);
    struct csvb_result *r = fixture_add(&f, "data/staff.csv", "o.csv", CSVB_STATUS_SUCCESS);
    fixture_preview(r, (const char *[]){"Name", "ID", "ProcessedDate"}, 3);
    fixture_preview(r, (const char *[]){"\xE6\x97\xA5\xE6\x9C\xAC", "1", "T"}, 3);
    fixture_preview(r, (const char *[]){"Zoe\xCC\x88", "22", "T"}, 3);
    fixture_preview(r, (const char *[]){"a\nb\tc", "", "T"}, 3);
    fixture_add(&f, "data/broken.csv", NULL, CSVB_STATUS_FAILED);
    r = fixture_add(&f, "data/none.csv", "n.csv", CSVB_STATUS_SUCCESS);
    fixture_preview(r, (const char *[]){"Name", "ID"}, 2);
    r = fixture_add(&f, "one\x1b.csv", "1.csv", CSVB_STATUS_SUCCESS);
    fixture_preview(r, (const char *[]){"Name"}, 1);
    fixture_preview(r, (const char *[]){"x"}, 1);
    expect(previews, &f,
           "\n"
           "Preview of data/staff.csv (3 rows):\n"
           "Name    ID ProcessedDate\n"
           "----    -- -------------\n"
           "\xE6\x97\xA5\xE6\x9C\xAC    1  T\n"
           "Zoe\xCC\x88     22 T\n"
           "a\\nb\\tc    T\n"
           "\n"
           "Preview of data/none.csv (0 rows):\n"
           "Name ID\n"
           "---- --\n"
           "\n"
           "Preview of one\\x1B.csv (1 row):\n"
           "Name\n"
           "----\n"
           "x\n");
    fixture_fini(&f);
}

/* A row shorter than the header (never produced by the stage, but the renderer must not read
 * past it) shows empty cells; more columns than the old fixed limit of 64 all show. */
Test(report_table, preview_ragged_and_wide)
{
    struct fixture f;
    fixture_init(&f);
    struct csvb_result *r = fixture_add(&f, "w.csv", "o.csv", CSVB_STATUS_SUCCESS);
    fixture_preview(r, (const char *[]){"A", "Bee", "C"}, 3);
    fixture_preview(r, (const char *[]){"1"}, 1);
    expect(previews, &f,
           "\nPreview of w.csv (1 row):\n"
           "A Bee C\n"
           "- --- -\n"
           "1     \n");
    fixture_fini(&f);

    fixture_init(&f);
    r = fixture_add(&f, "w.csv", "o.csv", CSVB_STATUS_SUCCESS);
    struct csvb_field fields[80];
    char names[80][16];
    for (int k = 0; k < 80; k++) {
        snprintf(names[k], sizeof names[k], "c%d", k);
        fields[k] = (struct csvb_field){names[k], strlen(names[k])};
    }
    struct csvb_row row = {fields, 80, 1};
    cr_assert_eq(csvb_rows_append(&r->preview, &row), CSVB_OK);
    int rc;
    char *got = capture(previews, &f, &rc);
    cr_assert_eq(rc, 0);
    cr_assert_not_null(strstr(got, " c78 c79\n"), "%s", got);
    free(got);
    fixture_fini(&f);
}

static int table_color(FILE *out, const struct fixture *f)
{
    return csvb_report_table(out, &f->opt, &f->list, &f->store, &f->totals, true);
}

/* With colour, only the Status cells change: the word between its SGR pair, the padding after
 * the reset, so that without the escapes the bytes are the plain golden's. */
Test(report_table, color_status_cells)
{
    struct fixture f;
    mixed(&f);
    int rc;
    char *got = capture(table_color, &f, &rc);
    cr_assert_eq(rc, 0);
    cr_assert_not_null(strstr(got, "data/ok.csv     \033[32mSuccess\033[0m        3"), "%s", got);
    cr_assert_not_null(strstr(got, "data/broken.csv \033[31mFailed\033[0m         2"), "%s", got);
    cr_assert_not_null(strstr(got, "data/fifo.csv   \033[33mSkipped\033[0m        0"), "%s", got);
    char *w = got;
    for (const char *r = got; *r != '\0';) {
        if (*r == '\033') {
            r = strchr(r, 'm') + 1;
            continue;
        }
        *w++ = *r++;
    }
    *w = '\0';
    cr_assert_str_eq(got, mixed_golden);
    free(got);
    fixture_fini(&f);
}

/* The run's figures end the totals line once main has filled them. */
Test(report_table, totals_with_usage)
{
    struct fixture f;
    fixture_init(&f);
    fixture_sum(&f, 0.25);
    f.totals.have_usage = true;
    f.totals.usage = (struct csvb_rusage){(uint64_t)3355443, 0.126, 0.004};
    int rc;
    char *got = capture(table, &f, &rc);
    cr_assert_eq(rc, 0);
    cr_assert_not_null(strstr(got, " in 0.250 s (0.0 MB/s), peak 3.2 MiB, CPU 0.13 s user, "
                                   "0.00 s sys.\n"),
                       "%s", got);
    free(got);
    fixture_fini(&f);
}
