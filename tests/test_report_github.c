/* test_report_github.c — workflow commands, their escaping, and the step summary, byte for byte. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/report_github.h"
#include "helpers.h"

#define CAPTURE(buf, stmt)                                                                         \
    do {                                                                                           \
        size_t cap_len_ = 0;                                                                       \
        FILE *out = open_memstream(&(buf), &cap_len_);                                             \
        cr_assert_not_null(out);                                                                   \
        stmt;                                                                                      \
        cr_assert_eq(fclose(out), 0);                                                              \
    } while (0)

Test(github, enabled)
{
    cr_assert(csvb_github_enabled(CSVB_ANNOTATIONS_AUTO, "true"));
    cr_assert_not(csvb_github_enabled(CSVB_ANNOTATIONS_AUTO, NULL));
    cr_assert_not(csvb_github_enabled(CSVB_ANNOTATIONS_AUTO, ""));
    cr_assert_not(csvb_github_enabled(CSVB_ANNOTATIONS_AUTO, "false"));
    cr_assert_not(csvb_github_enabled(CSVB_ANNOTATIONS_AUTO, "TRUE"));
    cr_assert_not(csvb_github_enabled(CSVB_ANNOTATIONS_AUTO, "1"));
    cr_assert(csvb_github_enabled(CSVB_ANNOTATIONS_GITHUB, NULL));
    cr_assert(csvb_github_enabled(CSVB_ANNOTATIONS_GITHUB, "false"));
    cr_assert_not(csvb_github_enabled(CSVB_ANNOTATIONS_NONE, "true"));
    cr_assert_not(csvb_github_enabled(CSVB_ANNOTATIONS_NONE, NULL));
}

/* Expected values follow actions/toolkit packages/core/src/command.ts (escapeData: % CR LF;
 * escapeProperty: also : and ,), the escaping the runner undoes. */
static const struct {
    const char *in, *data, *property;
} escapes[] = {
    {"", "", ""},
    {"plain text", "plain text", "plain text"},
    {"100%", "100%25", "100%25"},
    {"a\r\nb\nc\rd", "a%0D%0Ab%0Ac%0Dd", "a%0D%0Ab%0Ac%0Dd"},
    {"C:\\data\\a,b.csv", "C:\\data\\a,b.csv", "C%3A\\data\\a%2Cb.csv"},
    {"%0A is not a newline", "%250A is not a newline", "%250A is not a newline"},
    {"::error::x", "::error::x", "%3A%3Aerror%3A%3Ax"},
    {"caf\xC3\xA9 \xE6\x97\xA5", "caf\xC3\xA9 \xE6\x97\xA5", "caf\xC3\xA9 \xE6\x97\xA5"},
    {"tab\there", "tab\there", "tab\there"},
};

Test(github, escape_data_and_property)
{
    for (size_t i = 0; i < sizeof escapes / sizeof escapes[0]; i++) {
        char *data = csvb_github_escape_data(escapes[i].in);
        char *prop = csvb_github_escape_property(escapes[i].in);
        cr_assert_str_eq(data, escapes[i].data, "data %zu", i);
        cr_assert_str_eq(prop, escapes[i].property, "property %zu", i);
        free(data);
        free(prop);
    }
}

static const struct {
    const char *level, *file;
    unsigned long line;
    const char *title, *message, *bytes;
} annotations[] = {
    {"error", "testdata/sample/broken.csv", 3, "csvbatch", "expected 4 fields, found 5",
     "::error file=testdata/sample/broken.csv,line=3,title=csvbatch::expected 4 fields, found 5\n"},
    {"error", "data/100%,a:b\nc.csv", 0, "csvbatch", "50% done: a,b\r\nnext",
     "::error file=data/100%25%2Ca%3Ab%0Ac.csv,title=csvbatch::50%25 done: a,b%0D%0Anext\n"},
    {"notice", "in/fifo.csv", 0, "csvbatch", "not a regular file (named pipe)",
     "::notice file=in/fifo.csv,title=csvbatch::not a regular file (named pipe)\n"},
    {"warning", NULL, 7, NULL, "w", "::warning line=7::w\n"},
    {"notice", NULL, 0, NULL, "no CSV files in empty/", "::notice::no CSV files in empty/\n"},
    {"notice", NULL, 0, "t,1:2", "m", "::notice title=t%2C1%3A2::m\n"},
    {"debug", "f", 1, NULL, "x", "::error file=f,line=1::x\n"},
    {NULL, NULL, 0, NULL, NULL, "::error::\n"},
    /* an escape sequence in a name reaches the log as text, like the stderr diagnostics */
    {"error", "a\033[31mb.csv", 2, "csvbatch", "bad\x01\x7f\tbyte",
     "::error file=a\\x1B[31mb.csv,line=2,title=csvbatch::bad\\x01\\x7F\tbyte\n"},
};

Test(github, annotate_exact_lines)
{
    for (size_t i = 0; i < sizeof annotations / sizeof annotations[0]; i++) {
        char *got = NULL;
        CAPTURE(got, csvb_github_annotate(out, annotations[i].level, annotations[i].file,
                                          annotations[i].line, annotations[i].title,
                                          annotations[i].message));
        cr_assert_str_eq(got, annotations[i].bytes, "annotation %zu", i);
        free(got);
    }
}

static struct csvb_result result(enum csvb_status s, uint64_t read, uint64_t written,
                                 unsigned long line, const char *message)
{
    struct csvb_result r;
    memset(&r, 0, sizeof r);
    r.status = s;
    r.rows_read = read;
    r.rows_written = written;
    csvb_diag_init(&r.diag);
    if (message != NULL)
        csvb_diag_set(&r.diag, s == CSVB_STATUS_FAILED ? CSVB_E_PARSE : CSVB_OK, line, "%s",
                      message);
    return r;
}

Test(github, annotate_result)
{
    struct csvb_result ok = result(CSVB_STATUS_SUCCESS, 3, 2, 0, NULL);
    struct csvb_result bad = result(CSVB_STATUS_FAILED, 2, 0, 3, "expected 4 fields, found 5");
    struct csvb_result skip = result(CSVB_STATUS_SKIPPED, 0, 0, 0, NULL);
    snprintf(skip.diag.message, sizeof skip.diag.message, "not a regular file (socket)");
    struct csvb_result quiet = result(CSVB_STATUS_SKIPPED, 0, 0, 0, NULL);
    char *got = NULL;
    CAPTURE(got, {
        csvb_github_annotate_result(out, "a.csv", &ok);
        csvb_github_annotate_result(out, "b,c.csv", &bad);
        csvb_github_annotate_result(out, "s.csv", &skip);
        csvb_github_annotate_result(out, "q.csv", &quiet);
    });
    cr_assert_str_eq(got,
                     "::error file=b%2Cc.csv,line=3,title=csvbatch::expected 4 fields, found 5\n"
                     "::notice file=s.csv,title=csvbatch::not a regular file (socket)\n");
    free(got);
}

/* Four files in input order; the failed ones come first in the table. */
static void summary_fixture(struct csvb_result *r, struct csvb_github_file *f)
{
    r[0] = result(CSVB_STATUS_SUCCESS, 3, 2, 0, NULL);
    r[1] = result(CSVB_STATUS_FAILED, 2, 0, 3, "expected 4 fields, found 5");
    r[2] = result(CSVB_STATUS_SKIPPED, 0, 0, 0, NULL);
    snprintf(r[2].diag.message, sizeof r[2].diag.message, "not a regular file (named pipe)");
    r[3] = result(CSVB_STATUS_FAILED, 1, 0, 0, "column \"Status\" missing; header: a|b, *c*");
    f[0] = (struct csvb_github_file){"in/Q3.CSV", "out/Q3_processed.csv", &r[0]};
    f[1] = (struct csvb_github_file){"in/broken.csv", NULL, &r[1]};
    f[2] = (struct csvb_github_file){"in/fifo.csv", NULL, &r[2]};
    f[3] = (struct csvb_github_file){"in/x|y\n_caf\xC3\xA9\xFF<b>.csv", NULL, &r[3]};
}

static const char expected_summary[] =
    "## csvbatch: 2 of 4 files failed\n"
    "\n"
    "| File | Status | Rows | Output | Error |\n"
    "| --- | --- | ---: | --- | --- |\n"
    "| in/broken.csv | Failed | 2 read, 0 written |  | line 3: expected 4 fields, found 5 |\n"
    "| in/x\\|y\\\\n\\_caf\xC3\xA9\\\\xFF\\<b\\>.csv | Failed | 1 read, 0 written |  | column "
    "\"Status\" missing; header: a\\|b, \\*c\\* |\n"
    "| in/Q3.CSV | Success | 3 read, 2 written | out/Q3\\_processed.csv |  |\n"
    "| in/fifo.csv | Skipped | 0 read, 0 written |  | not a regular file (named pipe) |\n"
    "\n"
    "4 files: 1 succeeded, 2 failed, 1 skipped. 6 rows read, 2 written in 0.027 s.\n"
    "Peak memory 64.5 MiB, CPU time 0.120 s user, 0.030 s system.\n"
    "\n";

Test(github, summary_exact_markdown)
{
    struct csvb_result r[4];
    struct csvb_github_file f[4];
    summary_fixture(r, f);
    struct csvb_rusage u = {64 * 1048576 + 524288, 0.12, 0.03};
    char *got = NULL;
    int rc = 0;
    CAPTURE(got, rc = csvb_github_summary(out, f, 4, 0.027, &u));
    cr_assert_eq(rc, 0);
    cr_assert_str_eq(got, expected_summary);
    free(got);
}

Test(github, summary_without_failures_or_usage)
{
    struct csvb_result r = result(CSVB_STATUS_SUCCESS, 1, 1, 0, NULL);
    struct csvb_github_file f = {"a.csv", "a_processed.csv", &r};
    char *got = NULL;
    CAPTURE(got, csvb_github_summary(out, &f, 1, 0.5, NULL));
    cr_assert_str_eq(got, "## csvbatch: 1 file, none failed\n\n"
                          "| File | Status | Rows | Output | Error |\n"
                          "| --- | --- | ---: | --- | --- |\n"
                          "| a.csv | Success | 1 read, 1 written | a\\_processed.csv |  |\n\n"
                          "1 file: 1 succeeded, 0 failed, 0 skipped. 1 row read, 1 written in "
                          "0.500 s.\n\n");
    free(got);
}

Test(github, summary_append_appends_and_names_the_path_on_error)
{
    char *t = tmpdir_new();
    char *path = path_in(t, "summary.md");
    write_text(t, "summary.md", "# earlier step\n");
    struct csvb_result r[4];
    struct csvb_github_file f[4];
    summary_fixture(r, f);
    struct csvb_rusage u = {64 * 1048576 + 524288, 0.12, 0.03};
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_github_summary_append(path, f, 4, 0.027, &u, &d), CSVB_OK);
    char *got = read_text(t, "summary.md");
    char *want = NULL;
    cr_assert_geq(asprintf(&want, "# earlier step\n%s", expected_summary), 0);
    cr_assert_str_eq(got, want);
    free(got);
    free(want);

    cr_assert_eq(csvb_github_summary_append(t, f, 4, 0.027, &u, &d), CSVB_E_IO);
    char *msg = NULL;
    cr_assert_geq(asprintf(&msg, "cannot open %s: Is a directory", t), 0);
    cr_assert_str_eq(d.message, msg);
    free(msg);
    free(path);
    tmpdir_free(t);
}
