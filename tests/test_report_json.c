/* test_report_json.c — the JSON summary and the --report run-report file, against goldens. */
#include <criterion/criterion.h>
#include <dirent.h>

#include "helpers.h"
#include "report_fixture.h"

static int json(FILE *out, const struct fixture *f)
{
    return csvb_report_json(out, &f->opt, &f->list, &f->store, &f->totals);
}

/* A success, a failure with a line, a skip (no output, no line: null), and a path that is not
 * UTF-8 with a control byte (the bad byte becomes U+FFFD, the tab a JSON escape). */
static void mixed(struct fixture *f)
{
    fixture_init(f);
    struct csvb_result *r =
        fixture_add(f, "data/ok.csv", "data/ok_processed.csv", CSVB_STATUS_SUCCESS);
    r->rows_read = 3, r->rows_written = 2, r->bytes_read = 97, r->bytes_written = 55;
    r->seconds = 0.25, r->dialect.delimiter = ',';
    r = fixture_add(f, "data/broken.csv", "data/broken_processed.csv", CSVB_STATUS_FAILED);
    r->rows_read = 2, r->bytes_read = 131, r->seconds = 0.5, r->dialect.delimiter = '\t';
    csvb_diag_set(&r->diag, CSVB_E_PARSE, 3, "expected 4 fields, found 5");
    csvb_diag_hint(&r->diag, "the file looks pipe-separated: -d '|'");
    r = fixture_add(f, "data/fifo.csv", NULL, CSVB_STATUS_SKIPPED);
    csvb_diag_set(&r->diag, CSVB_OK, 0, "not a regular file (a named pipe)");
    r = fixture_add(f, "caf\xE9\t\xE6\x97\xA5.csv", "x.csv", CSVB_STATUS_SUCCESS);
    r->rows_rejected = 4;
    fixture_sum(f, 1.5);
}

static const char mixed_golden[] =
    "{\n"
    "  \"dry_run\": false,\n"
    "  \"files\": [\n"
    "    {\n"
    "      \"path\": \"data/ok.csv\",\n"
    "      \"status\": \"success\",\n"
    "      \"rows_read\": 3,\n"
    "      \"rows_written\": 2,\n"
    "      \"rows_rejected\": 0,\n"
    "      \"rows_padded\": 0,\n"
    "      \"bytes_read\": 97,\n"
    "      \"bytes_written\": 55,\n"
    "      \"compression\": null,\n"
    "      \"bytes_decompressed\": null,\n"
    "      \"output\": \"data/ok_processed.csv\",\n"
    "      \"delimiter\": \",\",\n"
    "      \"encoding\": \"utf-8\",\n"
    "      \"quotes\": \"strict\",\n"
    "      \"escape\": null,\n"
    "      \"comment\": null,\n"
    "      \"skip_lines\": 0,\n"
    "      \"error\": null,\n"
    "      \"hint\": null,\n"
    "      \"line\": null,\n"
    "      \"seconds\": 0.25\n"
    "    },\n"
    "    {\n"
    "      \"path\": \"data/broken.csv\",\n"
    "      \"status\": \"failed\",\n"
    "      \"rows_read\": 2,\n"
    "      \"rows_written\": 0,\n"
    "      \"rows_rejected\": 0,\n"
    "      \"rows_padded\": 0,\n"
    "      \"bytes_read\": 131,\n"
    "      \"bytes_written\": 0,\n"
    "      \"compression\": null,\n"
    "      \"bytes_decompressed\": null,\n"
    "      \"output\": null,\n"
    "      \"delimiter\": \"\\t\",\n"
    "      \"encoding\": \"utf-8\",\n"
    "      \"quotes\": \"strict\",\n"
    "      \"escape\": null,\n"
    "      \"comment\": null,\n"
    "      \"skip_lines\": 0,\n"
    "      \"error\": \"line 3: expected 4 fields, found 5 (the file looks "
    "pipe-separated: -d '|')\",\n"
    "      \"hint\": \"the file looks pipe-separated: -d '|'\",\n"
    "      \"line\": 3,\n"
    "      \"seconds\": 0.5\n"
    "    },\n"
    "    {\n"
    "      \"path\": \"data/fifo.csv\",\n"
    "      \"status\": \"skipped\",\n"
    "      \"rows_read\": 0,\n"
    "      \"rows_written\": 0,\n"
    "      \"rows_rejected\": 0,\n"
    "      \"rows_padded\": 0,\n"
    "      \"bytes_read\": 0,\n"
    "      \"bytes_written\": 0,\n"
    "      \"compression\": null,\n"
    "      \"bytes_decompressed\": null,\n"
    "      \"output\": null,\n"
    "      \"delimiter\": null,\n"
    "      \"encoding\": null,\n"
    "      \"quotes\": null,\n"
    "      \"escape\": null,\n"
    "      \"comment\": null,\n"
    "      \"skip_lines\": null,\n"
    "      \"error\": \"not a regular file (a named pipe)\",\n"
    "      \"hint\": null,\n"
    "      \"line\": null,\n"
    "      \"seconds\": 0.0\n"
    "    },\n"
    "    {\n"
    "      \"path\": \"caf\xEF\xBF\xBD"
    "\\t\xE6\x97\xA5"
    ".csv\",\n"
    "      \"path_hex\": \"636166e909e697a52e637376\",\n"
    "      \"status\": \"success\",\n"
    "      \"rows_read\": 0,\n"
    "      \"rows_written\": 0,\n"
    "      \"rows_rejected\": 4,\n"
    "      \"rows_padded\": 0,\n"
    "      \"bytes_read\": 0,\n"
    "      \"bytes_written\": 0,\n"
    "      \"compression\": null,\n"
    "      \"bytes_decompressed\": null,\n"
    "      \"output\": \"x.csv\",\n"
    "      \"delimiter\": null,\n"
    "      \"encoding\": null,\n"
    "      \"quotes\": null,\n"
    "      \"escape\": null,\n"
    "      \"comment\": null,\n"
    "      \"skip_lines\": null,\n"
    "      \"error\": null,\n"
    "      \"hint\": null,\n"
    "      \"line\": null,\n"
    "      \"seconds\": 0.0\n"
    "    }\n"
    "  ],\n"
    "  \"totals\": {\n"
    "    \"files\": 4,\n"
    "    \"succeeded\": 2,\n"
    "    \"failed\": 1,\n"
    "    \"skipped\": 1,\n"
    "    \"rows_read\": 5,\n"
    "    \"rows_written\": 2,\n"
    "    \"rows_rejected\": 4,\n"
    "    \"rows_padded\": 0,\n"
    "    \"bytes_read\": 228,\n"
    "    \"bytes_written\": 55,\n"
    "    \"seconds\": 1.5\n"
    "  }\n"
    "}\n";

Test(report_json, summary_golden)
{
    struct fixture f;
    mixed(&f);
    expect(json, &f, mixed_golden);
    f.opt.format = CSVB_FORMAT_JSON;
    expect(write_any, &f, mixed_golden);
}

/* A dry run says so; no file gives an empty array (main prints the JSON even then). */
Test(report_json, dry_run_no_files)
{
    struct fixture f;
    fixture_init(&f);
    f.opt.dry_run = true;
    fixture_sum(&f, 0.0);
    expect(json, &f,
           "{\n"
           "  \"dry_run\": true,\n"
           "  \"files\": [],\n"
           "  \"totals\": {\n"
           "    \"files\": 0,\n"
           "    \"succeeded\": 0,\n"
           "    \"failed\": 0,\n"
           "    \"skipped\": 0,\n"
           "    \"rows_read\": 0,\n"
           "    \"rows_written\": 0,\n"
           "    \"rows_rejected\": 0,\n"
           "    \"rows_padded\": 0,\n"
           "    \"bytes_read\": 0,\n"
           "    \"bytes_written\": 0,\n"
           "    \"seconds\": 0.0\n"
           "  }\n"
           "}\n");
}

/* The number of entries in dir, less . and .. */
static int entries(const char *dir)
{
    DIR *dh = opendir(dir);
    cr_assert_not_null(dh);
    int n = 0;
    for (struct dirent *e; (e = readdir(dh)) != NULL;)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(dh);
    return n;
}

static char *report_in(const char *dir, const struct fixture *f, const struct csvb_run_info *info,
                       int *rc, struct csvb_diag *d)
{
    char *path = path_in(dir, "run.json");
    csvb_diag_init(d);
    *rc = csvb_report_file(path, &f->opt, &f->list, &f->store, &f->totals, info, d);
    free(path);
    return read_text(dir, "run.json");
}

/* The run report: the run's facts, the options in effect (here far from the defaults), then the
 * summary's members; written whole (no temp file left). */
Test(report_json, run_report_file)
{
    struct fixture f;
    mixed(&f);
    struct csvb_where where[2] = {{"Status", "Active", 6, false}, {"Region", "EU", 2, true}};
    f.opt.where = where, f.opt.nwhere = 2;
    f.opt.select_all = true, f.opt.no_stamp = true, f.opt.output_dir = "out";
    f.opt.compat = CSVB_COMPAT_POWERSHELL, f.opt.timeout = 2.5, f.opt.skip_bad_rows = true;
    f.opt.rejects = true, f.opt.fsync = false, f.opt.delimiter = ';', f.opt.out_delimiter = '\t';
    f.opt.encoding = "windows-1252", f.opt.format = CSVB_FORMAT_CSV, f.opt.preview = 3;
    f.opt.max_failures = 2, f.opt.recursive = true;
    char *dir = tmpdir_new();
    struct csvb_run_info info = {"2026-01-01T00:00:00Z", "2026-01-01T00:00:02Z", "T", 130, 2, 4};
    int rc;
    struct csvb_diag d;
    char *got = report_in(dir, &f, &info, &rc, &d);
    cr_assert_eq(rc, 0, "%s", d.message);
    char *want = NULL;
    cr_assert_geq(asprintf(&want,
                           "{\n"
                           "  \"tool\": \"csvbatch\",\n"
                           "  \"version\": \"%s\",\n"
                           "  \"started_at\": \"2026-01-01T00:00:00Z\",\n"
                           "  \"finished_at\": \"2026-01-01T00:00:02Z\",\n"
                           "  \"stamp\": \"T\",\n"
                           "  \"exit_code\": 130,\n"
                           "  \"interrupted_by\": \"SIGINT\",\n"
                           "  \"options\": {\n"
                           "    \"jobs\": 4,\n"
                           "    \"delimiter\": \";\",\n"
                           "    \"output_delimiter\": \"\\t\",\n"
                           "    \"encoding\": \"windows-1252\",\n"
                           "    \"format\": \"csv\",\n"
                           "    \"preview\": 3,\n"
                           "    \"chunk_size\": 33554432,\n"
                           "    \"recursive\": true,\n"
                           "    \"output_dir\": \"out\",\n"
                           "    \"suffix\": \"_processed\",\n"
                           "    \"where\": [\n"
                           "      \"Status=Active\",\n"
                           "      \"Region!=EU\"\n"
                           "    ],\n"
                           "    \"all_rows\": false,\n"
                           "    \"case_sensitive\": false,\n"
                           "    \"select\": [\n"
                           "      \"*\"\n"
                           "    ],\n"
                           "    \"stamp_column\": null,\n"
                           "    \"dry_run\": false,\n"
                           "    \"fsync\": false,\n"
                           "    \"on_bad_row\": \"skip\",\n"
                           "    \"rejects\": true,\n"
                           "    \"compat\": \"powershell\",\n"
                           "    \"max_failures\": 2,\n"
                           "    \"timeout\": 2.5,\n"
                           "    \"deadline\": null,\n"
                           "    \"color\": \"auto\",\n"
                           "    \"junit\": null,\n"
                           "    \"annotations\": \"auto\",\n"
                           "    \"compress\": \"auto\",\n"
                           "    \"compress_level\": 0,\n"
                           "    \"incremental\": false,\n"
                           "    \"skip_lines\": 0,\n"
                           "    \"escape\": \"none\",\n"
                           "    \"comment\": \"none\"\n"
                           "  },\n"
                           "%s",
                           CSVB_VERSION, mixed_golden + 2 /* the summary, less its "{\n" */),
                  0);
    cr_assert_str_eq(got, want, "got:\n%s\nwant:\n%s", got, want);
    free(want);
    free(got);
    cr_assert_eq(entries(dir), 1, "a temp file was left beside the report");
    tmpdir_free(dir);
}

/* A report that cannot be created: -1, the diag names the path, nothing is left behind. */
Test(report_json, run_report_unwritable)
{
    struct fixture f;
    mixed(&f);
    char *dir = tmpdir_new();
    char *path = path_in(dir, "missing/run.json");
    struct csvb_run_info info = {"a", "b", "T", 0, 0, 1};
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_report_file(path, &f.opt, &f.list, &f.store, &f.totals, &info, &d), -1);
    cr_assert_eq(d.code, CSVB_E_IO);
    cr_assert_not_null(strstr(d.message, path), "%s", d.message);
    cr_assert_not_null(strstr(d.message, "No such file or directory"), "%s", d.message);
    cr_assert_eq(entries(dir), 0);
    free(path);
    tmpdir_free(dir);
}

/* The run's figures close the totals once main has filled them. */
Test(report_json, totals_with_usage)
{
    struct fixture f;
    fixture_init(&f);
    fixture_sum(&f, 0.5);
    f.totals.have_usage = true;
    f.totals.usage = (struct csvb_rusage){(uint64_t)4726784, 0.25, 0.125};
    int rc;
    char *got = capture(json, &f, &rc);
    cr_assert_eq(rc, 0);
    cr_assert_not_null(strstr(got, "    \"seconds\": 0.5,\n"
                                   "    \"peak_rss_bytes\": 4726784,\n"
                                   "    \"cpu_user_seconds\": 0.25,\n"
                                   "    \"cpu_system_seconds\": 0.125\n"
                                   "  }\n"),
                       "%s", got);
    free(got);
    fixture_fini(&f);
}
