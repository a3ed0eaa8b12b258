/* test_report_junit.c — the JUnit report, re-read with libxml2's parser: counts, attributes and
 * messages exactly, hostile text, atomic writing. CSVB_JUNIT_KEEP=DIR keeps every report written
 * here in DIR (as TEST.xml) for tests/junit.sh, which validates them against tests/junit/junit.xsd.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvbatch/report_junit.h"
#include "helpers.h"

static struct csvb_result result(enum csvb_status s, enum csvb_err code, unsigned long line,
                                 const char *message, double seconds)
{
    struct csvb_result r;
    memset(&r, 0, sizeof r);
    r.status = s;
    r.seconds = seconds;
    csvb_diag_init(&r.diag);
    if (message != NULL && code != CSVB_OK)
        csvb_diag_set(&r.diag, code, line, "%s", message);
    else if (message != NULL)
        snprintf(r.diag.message, sizeof r.diag.message, "%s", message);
    return r;
}

/* Copies the report to $CSVB_JUNIT_KEEP/name.xml when that is set. */
static void keep(const char *path, const char *name)
{
    const char *dir = getenv("CSVB_JUNIT_KEEP");
    if (dir == NULL || dir[0] == '\0')
        return;
    char *text = read_text("/", path + (path[0] == '/'));
    cr_assert_not_null(text);
    char *file = NULL;
    cr_assert_geq(asprintf(&file, "%s.xml", name), 0);
    write_text(dir, file, text);
    free(file);
    free(text);
}

static xmlDocPtr parse(const char *path)
{
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
    cr_assert_not_null(doc, "%s is not well-formed XML", path);
    return doc;
}

/* The string value of an XPath expression over doc. Caller frees. */
static char *xp(xmlDocPtr doc, const char *expr)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathObjectPtr obj = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
    cr_assert_not_null(obj, "bad XPath %s", expr);
    xmlChar *s = xmlXPathCastToString(obj);
    char *copy = strdup((const char *)s);
    xmlFree(s);
    xmlXPathFreeObject(obj);
    xmlXPathFreeContext(ctx);
    return copy;
}

#define XP_EQ(doc, expr, want)                                                                     \
    do {                                                                                           \
        char *got_ = xp(doc, expr);                                                                \
        cr_assert_str_eq(got_, want, "%s", expr);                                                  \
        free(got_);                                                                                \
    } while (0)

static size_t entries(const char *dir)
{
    DIR *d = opendir(dir);
    cr_assert_not_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static const struct csvb_junit_property sample_props[] = {
    {"csvbatch.version", "0.1.0"},
    {"stamp", "2026-11-26T10:15:00Z"},
    {"select", "Name,ID"},
    {"where", "Status=Active"},
};

/* The README's sample run, plus a skipped pipe and a file named without a directory. */
Test(junit, sample_run_counts_attributes_messages)
{
    char *t = tmpdir_new();
    char *path = path_in(t, "junit.xml");
    struct csvb_result r[6] = {
        result(CSVB_STATUS_SUCCESS, CSVB_OK, 0, NULL, 0.003),
        result(CSVB_STATUS_SUCCESS, CSVB_OK, 0, NULL, 0.007),
        result(CSVB_STATUS_FAILED, CSVB_E_PARSE, 3, "expected 4 fields, found 5", 0.002),
        result(CSVB_STATUS_SKIPPED, CSVB_OK, 0, "not a regular file (named pipe)", 0),
        result(CSVB_STATUS_FAILED, CSVB_E_IO, 0, "cannot open: Permission denied", 0.0005),
        result(CSVB_STATUS_SUCCESS, CSVB_OK, 0, NULL, 1.25),
    };
    r[0].rows_read = 3, r[0].rows_written = 2;
    r[2].rows_read = 2;
    r[5].rows_read = 5, r[5].rows_written = 3;
    struct csvb_junit_case c[6] = {
        {"testdata/sample/Q3.CSV", "/tmp/o/Q3_processed.csv", &r[0]},
        {"testdata/sample/archive/2024.csv", "/tmp/o/archive/2024_processed.csv", &r[1]},
        {"testdata/sample/broken.csv", NULL, &r[2]},
        {"testdata/sample/fifo.csv", NULL, &r[3]},
        {"/locked.csv", NULL, &r[4]},
        {"north.csv", "north_processed.csv", &r[5]},
    };
    struct csvb_junit_run run = {1764152100, 0.027, "ci-runner-7", sample_props, 4, true};
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_report_junit_write(path, &run, c, 6, &d), CSVB_OK, "%s", d.message);
    keep(path, "sample_run");
    cr_assert_eq(entries(t), 1, "no temp file left");
    xmlDocPtr doc = parse(path);
    XP_EQ(doc, "count(/testsuites)", "1");
    XP_EQ(doc, "count(/testsuites/testsuite)", "1");
    XP_EQ(doc, "count(//testcase)", "6");
    static const char *const suite_attrs[][2] = {
        {"name", "csvbatch"},
        {"tests", "6"},
        {"failures", "2"},
        {"errors", "0"},
        {"skipped", "1"},
        {"time", "0.027000"},
        {"timestamp", "2025-11-26T10:15:00"},
        {"hostname", "ci-runner-7"},
    };
    for (size_t i = 0; i < sizeof suite_attrs / sizeof suite_attrs[0]; i++) {
        char expr[128];
        snprintf(expr, sizeof expr, "string(/testsuites/testsuite/@%s)", suite_attrs[i][0]);
        XP_EQ(doc, expr, suite_attrs[i][1]);
        if (i < 6) {
            snprintf(expr, sizeof expr, "string(/testsuites/@%s)", suite_attrs[i][0]);
            XP_EQ(doc, expr, suite_attrs[i][1]);
        }
    }
    XP_EQ(doc, "count(//properties/property)", "4");
    XP_EQ(doc, "string(//property[2]/@name)", "stamp");
    XP_EQ(doc, "string(//property[2]/@value)", "2026-11-26T10:15:00Z");
    XP_EQ(doc, "string(//property[4]/@value)", "Status=Active");

    XP_EQ(doc, "string(//testcase[1]/@classname)", "testdata/sample");
    XP_EQ(doc, "string(//testcase[1]/@name)", "Q3.CSV");
    XP_EQ(doc, "string(//testcase[1]/@time)", "0.003000");
    XP_EQ(doc, "string(//testcase[1]/system-out)",
          "3 rows read, 2 written to /tmp/o/Q3_processed.csv");
    XP_EQ(doc, "count(//testcase[1]/*)", "1");
    XP_EQ(doc, "string(//testcase[2]/@classname)", "testdata/sample/archive");
    XP_EQ(doc, "string(//testcase[2]/@name)", "2024.csv");

    XP_EQ(doc, "string(//testcase[3]/@name)", "broken.csv");
    XP_EQ(doc, "count(//testcase[3]/failure)", "1");
    XP_EQ(doc, "string(//testcase[3]/failure/@message)", "line 3: expected 4 fields, found 5");
    XP_EQ(doc, "string(//testcase[3]/failure/@type)", "parse");
    XP_EQ(doc, "string(//testcase[3]/failure)",
          "testdata/sample/broken.csv:3: expected 4 fields, found 5");
    XP_EQ(doc, "string(//testcase[3]/system-out)", "2 rows read, 0 written");

    XP_EQ(doc, "count(//testcase[4]/skipped)", "1");
    XP_EQ(doc, "count(//testcase[4]/*)", "1");
    XP_EQ(doc, "string(//testcase[4]/skipped/@message)", "not a regular file (named pipe)");
    XP_EQ(doc, "string(//testcase[4]/@time)", "0.000000");

    XP_EQ(doc, "string(//testcase[5]/@classname)", "/");
    XP_EQ(doc, "string(//testcase[5]/@name)", "locked.csv");
    XP_EQ(doc, "string(//testcase[5]/failure/@message)", "cannot open: Permission denied");
    XP_EQ(doc, "string(//testcase[5]/failure/@type)", "io");
    XP_EQ(doc, "string(//testcase[5]/failure)", "/locked.csv: cannot open: Permission denied");

    XP_EQ(doc, "string(//testcase[6]/@classname)", ".");
    XP_EQ(doc, "string(//testcase[6]/@name)", "north.csv");
    XP_EQ(doc, "string(//testcase[6]/@time)", "1.250000");
    xmlFreeDoc(doc);
    free(path);
    tmpdir_free(t);
}

/* The whole document for a small run: the format, pinned byte for byte. */
Test(junit, exact_document)
{
    char *t = tmpdir_new();
    char *path = path_in(t, "j.xml");
    struct csvb_result ok = result(CSVB_STATUS_SUCCESS, CSVB_OK, 0, NULL, 0.5);
    ok.rows_read = 1, ok.rows_written = 1;
    struct csvb_result bad = result(CSVB_STATUS_FAILED, CSVB_E_SCHEMA, 0, "no column \"ID\"", 0.25);
    struct csvb_junit_case c[2] = {{"d/a.csv", "d/a_processed.csv", &ok}, {"d/b.csv", NULL, &bad}};
    struct csvb_junit_property p = {"stamp", "S"};
    struct csvb_junit_run run = {0, 0.75, "h", &p, 1, false};
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_report_junit_write(path, &run, c, 2, &d), CSVB_OK, "%s", d.message);
    keep(path, "exact_document");
    char *got = read_text(t, "j.xml");
    cr_assert_str_eq(
        got, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             "<testsuites name=\"csvbatch\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\" "
             "time=\"0.750000\">\n"
             "  <testsuite name=\"csvbatch\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\" "
             "time=\"0.750000\" timestamp=\"1970-01-01T00:00:00\" hostname=\"h\">\n"
             "    <properties>\n"
             "      <property name=\"stamp\" value=\"S\"/>\n"
             "    </properties>\n"
             "    <testcase classname=\"d\" name=\"a.csv\" time=\"0.500000\">\n"
             "      <system-out>1 rows read, 1 written to d/a_processed.csv</system-out>\n"
             "    </testcase>\n"
             "    <testcase classname=\"d\" name=\"b.csv\" time=\"0.250000\">\n"
             "      <failure message=\"no column &quot;ID&quot;\" type=\"schema\">d/b.csv: no "
             "column &quot;ID&quot;</failure>\n"
             "      <system-out>0 rows read, 0 written</system-out>\n"
             "    </testcase>\n"
             "  </testsuite>\n"
             "</testsuites>\n");
    free(got);
    free(path);
    tmpdir_free(t);
}

/* Quotes, markup, a CDATA terminator, newlines, non-ASCII, control characters, bytes that are
 * not UTF-8 and U+FFFE in names and messages: the file stays well-formed, and what XML can carry
 * comes back exactly; the rest reads back as the text \xNN. */
Test(junit, hostile_text_survives_exactly)
{
    char *t = tmpdir_new();
    char *path = path_in(t, "hostile.xml");
    struct csvb_result r[3] = {
        result(CSVB_STATUS_FAILED, CSVB_E_PARSE, 7,
               "found \"a<b & c>\" ]]> 'x'\nthen \x01\x1b[31m, caf\xC3\xA9 \xE6\x97\xA5\t!", 0.1),
        result(CSVB_STATUS_SKIPPED, CSVB_OK, 0, "bad byte \xFF, U+FFFE \xEF\xBF\xBE, DEL \x7F", 0),
        result(CSVB_STATUS_SUCCESS, CSVB_OK, 0, NULL, 0.2),
    };
    struct csvb_junit_case c[3] = {
        {"dir \"q\" <&>/a]]>b\nc\x02\xC3\xA9.csv", NULL, &r[0]},
        {"l\xE9/n\x80.csv", NULL, &r[1]},
        {"ok/\xF0\x9F\x98\x80.csv", "out/ok & <fine>.csv", &r[2]},
    };
    struct csvb_junit_property props[] = {{"where", "Name=\"<&>\" \x03"}, {"empty", NULL}};
    struct csvb_junit_run run = {0, 0.3, "host<&>\"", props, 2, false};
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_report_junit_write(path, &run, c, 3, &d), CSVB_OK, "%s", d.message);
    keep(path, "hostile_text");

    char *raw = read_text(t, "hostile.xml");
    for (const unsigned char *p = (const unsigned char *)raw; *p != '\0'; p++)
        cr_assert(*p >= 0x20 || *p == '\n' || *p == '\t', "raw control byte 0x%02X at %td", *p,
                  (const char *)p - raw); /* CR is written as &#13;, in attributes tab and LF too */
    cr_assert_null(strstr(raw, "]]>"), "a CDATA terminator must not appear raw");
    free(raw);

    xmlDocPtr doc = parse(path);
    XP_EQ(doc, "string(//testcase[1]/@classname)", "dir \"q\" <&>");
    XP_EQ(doc, "string(//testcase[1]/@name)", "a]]>b\nc\\x02\xC3\xA9.csv");
    XP_EQ(doc, "string(//testcase[1]/failure/@message)",
          "line 7: found \"a<b & c>\" ]]> 'x'\nthen \\x01\\x1B[31m, caf\xC3\xA9 \xE6\x97\xA5\t!");
    XP_EQ(doc, "string(//testcase[1]/failure)",
          "dir \"q\" <&>/a]]>b\nc\\x02\xC3\xA9.csv:7: found \"a<b & c>\" ]]> 'x'\nthen "
          "\\x01\\x1B[31m, caf\xC3\xA9 \xE6\x97\xA5\t!");
    XP_EQ(doc, "string(//testcase[2]/@classname)", "l\\xE9");
    XP_EQ(doc, "string(//testcase[2]/@name)", "n\\x80.csv");
    XP_EQ(doc, "string(//testcase[2]/skipped/@message)",
          "bad byte \\xFF, U+FFFE \\xEF\\xBF\\xBE, DEL \\x7F");
    XP_EQ(doc, "string(//testcase[3]/@name)", "\xF0\x9F\x98\x80.csv");
    XP_EQ(doc, "string(//testcase[3]/system-out)", "0 rows read, 0 written to out/ok & <fine>.csv");
    XP_EQ(doc, "string(//testsuite/@hostname)", "host<&>\"");
    XP_EQ(doc, "string(//property[1]/@value)", "Name=\"<&>\" \\x03");
    XP_EQ(doc, "string(//property[2]/@name)", "empty");
    XP_EQ(doc, "count(//property[2]/@value)", "1");
    XP_EQ(doc, "string(//property[2]/@value)", "");
    xmlFreeDoc(doc);
    free(path);
    tmpdir_free(t);
}

Test(junit, hostname_defaults_to_gethostname_and_empty_runs_are_valid)
{
    char *t = tmpdir_new();
    char *path = path_in(t, "empty.xml");
    struct csvb_junit_run run = {0, 0, NULL, NULL, 0, false};
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_report_junit_write(path, &run, NULL, 0, &d), CSVB_OK, "%s", d.message);
    keep(path, "empty_run");
    char host[256] = "";
    cr_assert_eq(gethostname(host, sizeof host), 0);
    xmlDocPtr doc = parse(path);
    XP_EQ(doc, "string(//testsuite/@hostname)", host[0] != '\0' ? host : "localhost");
    XP_EQ(doc, "string(//testsuite/@tests)", "0");
    XP_EQ(doc, "count(//testcase)", "0");
    XP_EQ(doc, "count(//properties)", "1");
    xmlFreeDoc(doc);
    free(path);
    tmpdir_free(t);
}

Test(junit, atomic_replace_and_errors_name_the_path)
{
    char *t = tmpdir_new();
    char *path = path_in(t, "r.xml");
    write_text(t, "r.xml", "old");
    struct csvb_result ok = result(CSVB_STATUS_SUCCESS, CSVB_OK, 0, NULL, 0);
    struct csvb_junit_case c = {"a.csv", NULL, &ok};
    struct csvb_junit_run run = {0, 0, "h", NULL, 0, true};
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_report_junit_write(path, &run, &c, 1, &d), CSVB_OK, "%s", d.message);
    char *got = read_text(t, "r.xml");
    cr_assert(strncmp(got, "<?xml", 5) == 0, "replaced whole: %s", got);
    free(got);
    cr_assert_eq(entries(t), 1);

    char *missing = path_in(t, "no/such/dir/r.xml");
    cr_assert_eq(csvb_report_junit_write(missing, &run, &c, 1, &d), CSVB_E_IO);
    char *want = NULL;
    cr_assert_geq(
        asprintf(&want, "cannot create a file beside %s: No such file or directory", missing), 0);
    cr_assert_str_eq(d.message, want);
    free(want);

    /* A directory in the way: the rename fails, the temp file goes, the directory stays. */
    char *sub = path_in(t, "sub");
    cr_assert_eq(mkdir(sub, 0777), 0);
    write_text(sub, "keep", "x");
    csvb_diag_init(&d);
    cr_assert_eq(csvb_report_junit_write(sub, &run, &c, 1, &d), CSVB_E_IO);
    cr_assert(strncmp(d.message, "cannot rename into ", 19) == 0, "%s", d.message);
    cr_assert_eq(entries(t), 2, "r.xml and sub only: no temp file left");
    cr_assert_eq(entries(sub), 1);
    free(sub);
    free(missing);
    free(path);
    tmpdir_free(t);
}
