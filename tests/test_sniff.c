/* test_sniff.c — -d auto: each rule of the sniffer, and the peek source in every feeding. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/diag.h"
#include "csvbatch/sniff.h"

struct sniff_case {
    const char *name;
    const char *data;
    bool complete;
    char fallback;
    char want;
};

static const struct sniff_case cases[] = {
    {"comma", "a,b,c\n1,2,3\n4,5,6\n", true, ',', ','},
    {"tab", "a\tb\tc\n1\t2\t3\n", true, ',', '\t'},
    {"semicolon", "a;b\n1,5;2\n3,5;4\n", true, ',', ';'},
    {"pipe", "a|b|c\n1|2|3\n", true, ',', '|'},
    /* the header alone decides when it is the only record */
    {"header only", "a;b;c\n", true, ',', ';'},
    {"header only, no line end", "a;b;c", true, ',', ';'},
    /* one field under every candidate: the extension's delimiter */
    {"one column csv", "name\nx\ny\n", true, ',', ','},
    {"one column tsv", "name\nx\ny\n", true, '\t', '\t'},
    /* nobody agrees: the extension's */
    {"ragged", "a,b;c\n1\n2,3,4;5;6\n", true, ',', ','},
    {"ragged tsv", "a,b\n1\n", true, '\t', '\t'},
    /* ties: the extension's first, then , tab ; | */
    {"tie comma tab, csv", "a,b\tc\n1,2\t3\n", true, ',', ','},
    {"tie comma tab, tsv", "a,b\tc\n1,2\t3\n", true, '\t', '\t'},
    {"tie semicolon pipe", "a;b|c\n1;2|3\n", true, ',', ';'},
    {"tie tab pipe, csv", "a\tb|c\n1\t2|3\n", true, ',', '\t'},
    {"tie semicolon pipe, tsv", "a;b|c\n1;2|3\n", true, '\t', ';'},
    /* quote-aware: delimiters and line breaks inside quotes are text */
    {"quoted semicolons", "a,b\n\"x;y;z\",1\n\"p;q\",2\n", true, ',', ','},
    {"quoted commas", "a;b\n\"1,5\";2\n\"2,5\";\"x\ny,z\"\n", true, ',', ';'},
    {"doubled quote", "a;b\n\"say \"\"hi,\"\" there\";2\n", true, ',', ';'},
    {"stray quote", "a\tb\nit's 5\" tall\t2\n", true, ',', '\t'},
    {"text after closing quote", "a;b\n\"x\"y,z;2\n", true, ',', ';'},
    /* the last record of a sample that is not the whole input is partial: ignored */
    {"partial last record", "a;b\n1;2\n3", false, ',', ';'},
    {"partial last record complete", "a;b\n1;2\n3", true, ',', ','},
    {"partial header", "a;b;c", false, ',', ','},
    /* line ends: CRLF, lone CR; blank lines are no records */
    {"crlf", "a|b\r\n1|2\r\n", true, ',', '|'},
    {"lone cr", "a;b\r1;2\r", true, ',', ';'},
    {"blank lines", "\n\na\tb\n\n1\t2\r\n\r\n", true, ',', '\t'},
    {"utf-8 bom",
     "\xEF\xBB\xBF"
     "a;b\n1;2\n",
     true, ',', ';'},
    {"empty", "", true, ',', ','},
    {"empty tsv", "", true, '\t', '\t'},
    /* an unterminated quote runs to the end: its record is never complete */
    {"unterminated quote", "a;b\n1;2\n\"3;4\n5;6\n", false, ',', ';'},
    /* a later record of another width disqualifies */
    {"late disagreement", "a,b\n1,2\n3,4\n5\n", true, ',', ','},
    {"late disagreement semicolon", "a;b\n1;2\n3;4;5\n", true, ',', ','},
    /* agreement is more than half of the records as wide as the header */
    {"majority", "a;b\n1;2\n3;4\n5\n", true, ',', ';'},
    {"majority with a long one", "a;b\n1;2\n3;4;5\n6;7\n", true, ',', ';'},
    {"half is not more than half", "a;b\n1;2\n3\n", true, ',', ','},
    {"ragged everywhere", "a;b;c\n1\n2;3\n4;5;6\n", true, ',', ','},
};

Test(sniff, table)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct sniff_case *c = &cases[i];
        struct csvb_sniff s;
        csvb_sniff_sample(c->data, strlen(c->data), c->complete, c->fallback, &s);
        cr_expect_eq(s.delimiter, c->want, "%s: got 0x%02x, want 0x%02x", c->name, s.delimiter,
                     c->want);
    }
}

Test(sniff, fields_and_agreement)
{
    struct csvb_sniff s;
    const char *t = "a,b;c;d\n1,2;3;4\n";
    csvb_sniff_sample(t, strlen(t), true, ',', &s);
    cr_assert_eq(s.fields[0], 2); /* , */
    cr_assert_eq(s.fields[1], 1); /* tab */
    cr_assert_eq(s.fields[2], 3); /* ; */
    cr_assert_eq(s.fields[3], 1); /* | */
    cr_assert_eq(s.agree, 0x5u);
    cr_assert_eq(s.delimiter, ',');
}

Test(sniff, other_names_the_next_agreeing_candidate)
{
    struct csvb_sniff s;
    const char *t = "a\tb\n1\t2\n";
    csvb_sniff_sample(t, strlen(t), true, ',', &s);
    cr_assert_eq(csvb_sniff_other(&s, ',', ','), '\t');
    cr_assert_eq(csvb_sniff_other(&s, '\t', ','), '\0');
    const char *u = "a,b\tc\n1,2\t3\n";
    csvb_sniff_sample(u, strlen(u), true, ',', &s);
    cr_assert_eq(csvb_sniff_other(&s, ';', '\t'), '\t'); /* the extension's first */
    cr_assert_eq(csvb_sniff_other(&s, ';', ','), ',');
    cr_assert_eq(csvb_sniff_other(&s, ',', ','), '\t');
}

Test(sniff, extension_delimiter)
{
    cr_assert_eq(csvb_sniff_ext_delimiter("x.tsv"), '\t');
    cr_assert_eq(csvb_sniff_ext_delimiter("dir.csv/X.TSV"), '\t');
    cr_assert_eq(csvb_sniff_ext_delimiter("a/x.tsv.gz"), '\t');
    cr_assert_eq(csvb_sniff_ext_delimiter("x.Tsv.ZST"), '\t');
    cr_assert_eq(csvb_sniff_ext_delimiter("x.csv"), ',');
    cr_assert_eq(csvb_sniff_ext_delimiter("tsv"), ',');
    cr_assert_eq(csvb_sniff_ext_delimiter("dir.tsv/x.txt"), ',');
    cr_assert_eq(csvb_sniff_ext_delimiter("x.tsv.txt"), ',');
}

Test(sniff, names)
{
    cr_assert_str_eq(csvb_sniff_delimiter_name('\t'), "tab");
    cr_assert_str_eq(csvb_sniff_delimiter_name(';'), ";");
    cr_assert_str_eq(csvb_sniff_delimiter_name(','), ",");
    cr_assert_str_eq(csvb_sniff_delimiter_word('|'), "pipe");
    cr_assert_null(csvb_sniff_delimiter_word(':'));
}

/* A sample cut at CSVB_SNIFF_SAMPLE: the record straddling the cut is not looked at. */
Test(sniff, bounded_sample)
{
    size_t n = CSVB_SNIFF_SAMPLE + 100;
    char *buf = malloc(n);
    size_t at = (size_t)sprintf(buf, "a;b\n1;2\n");
    while (at + 2 < n - 1)
        at += (size_t)sprintf(buf + at, "x;");
    buf[at++] = '\n'; /* one wide record, straddling the sample's end */
    struct csvb_sniff s;
    csvb_sniff_sample(buf, CSVB_SNIFF_SAMPLE, false, ',', &s);
    cr_assert_eq(s.delimiter, ';');
    csvb_sniff_sample(buf, at, true, ',', &s);
    cr_assert_eq(s.delimiter, ',');
    cr_assert_eq(s.longer[2], 1);
    free(buf);
}

/* The peek source: every byte reaches the reader, in every feeding, and the sample is the same. */
Test(sniff, peek_every_feeding)
{
    char data[300];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (char)("a;b\n1;2\n"[i % 8]);
    for (size_t want = 0; want <= sizeof data + 5; want += 7) {
        for (size_t chunk = 1; chunk <= 33; chunk += 4) {
            struct csvb_mem_source m = {data, sizeof data, 0, chunk};
            struct csvb_peek p;
            cr_assert(csvb_peek_init(&p, (struct csvb_source){csvb_source_mem_fill, &m}, want));
            cr_assert_eq(p.len, want < sizeof data ? want : sizeof data);
            cr_assert_eq(p.ended, want > sizeof data);
            cr_assert(p.len == 0 || memcmp(p.buf, data, p.len) == 0);
            char out[sizeof data + 16];
            size_t got = 0;
            long n;
            while ((n = csvb_peek_fill(&p, out + got, chunk)) > 0)
                got += (size_t)n;
            cr_assert_eq(n, 0);
            cr_assert_eq(got, sizeof data, "want %zu chunk %zu", want, chunk);
            cr_assert_eq(memcmp(out, data, got), 0);
            csvb_peek_fini(&p);
            csvb_peek_fini(&p);
        }
    }
}

struct failing {
    size_t left;
};

static long fail_after(void *ctx, char *dst, size_t cap)
{
    struct failing *f = ctx;
    if (f->left == 0) {
        errno = EBADMSG;
        return -1;
    }
    size_t n = cap < f->left ? cap : f->left;
    memset(dst, 'x', n);
    f->left -= n;
    return (long)n;
}

/* An error while peeking comes after the bytes read before it, with its errno. */
Test(sniff, peek_keeps_the_error_in_place)
{
    struct failing f = {10};
    struct csvb_peek p;
    cr_assert(csvb_peek_init(&p, (struct csvb_source){fail_after, &f}, 100));
    cr_assert_eq(p.len, 10);
    cr_assert(p.ended);
    char out[64];
    cr_assert_eq(csvb_peek_fill(&p, out, sizeof out), 10);
    errno = 0;
    cr_assert_eq(csvb_peek_fill(&p, out, sizeof out), -1);
    cr_assert_eq(errno, EBADMSG);
    csvb_peek_fini(&p);
}

static const char *hint_for(const char *sample, char used, char fallback, bool explicit,
                            bool short_record, struct csvb_diag *d)
{
    struct csvb_sniff s;
    csvb_sniff_sample(sample, strlen(sample), true, fallback, &s);
    csvb_diag_init(d);
    csvb_diag_set(d, CSVB_E_PARSE, 2, "expected 1 fields, found 2");
    struct csvb_sniff_bytes bytes = {sample, strlen(sample), true};
    csvb_sniff_hint(&s, &bytes, used, fallback, explicit, short_record, 0, d);
    return d->hint;
}

/* Hints name what would read the file, from the sample: the delimiter first, else pad. */
Test(sniff, hints)
{
    struct csvb_diag d;
    cr_assert_str_eq(hint_for("a\tb\n1,2\t3\n", ',', ',', true, false, &d),
                     "the file looks tab-separated: -d tab, or -d auto");
    cr_assert_str_eq(
        d.message, "expected 1 fields, found 2 (the file looks tab-separated: -d tab, or -d auto)");
    cr_assert_str_eq(hint_for("a;b\n1;2\n", ',', ',', true, false, &d),
                     "the file looks semicolon-separated: -d ';', or -d auto");
    cr_assert_str_eq(hint_for("a|b\n1|2\n", '\t', '\t', true, false, &d),
                     "the file looks pipe-separated: -d '|', or -d auto");
    /* under -d auto, another agreeing candidate is named without "-d auto" */
    cr_assert_str_eq(hint_for("a,b;c\n1,2;3\n", ',', ',', false, false, &d),
                     "the file looks semicolon-separated: -d ';'");
    /* no other delimiter: a short record, and none wider in the sample: pad */
    cr_assert_str_eq(hint_for("a,b\n1,2\n3\n1,2\n", ',', ',', false, true, &d),
                     "--on-bad-row pad fills short records with empty fields");
    /* a wider record in the sample: pad would not read it, nothing is offered */
    cr_assert_str_eq(hint_for("a,b\n1,2\n3\n1,2,3\n1,2\n1,2\n", ',', ',', false, true, &d), "");
    cr_assert_str_eq(hint_for("a,b\n1,2,3\n1,2\n1,2\n", ',', ',', false, false, &d), "");
    cr_assert_str_eq(d.message, "expected 1 fields, found 2");
}

/* A preamble: the fewest leading lines after which the sample agrees on a delimiter (the
 * delimiter in force when -d names one). Lines end at a line feed; a BOM is no line. */
Test(sniff, preamble)
{
    const char *comments = "# Name: cars\n# Source: x\n\nmodel\tmpg\tcyl\nA\t21\t6\nB\t22\t4\n";
    cr_assert_eq(csvb_sniff_preamble(comments, strlen(comments), true, '\t', '\0'), 2);
    cr_assert_eq(csvb_sniff_preamble(comments, strlen(comments), true, '\t', '\t'), 2);
    cr_assert_eq(csvb_sniff_preamble(comments, strlen(comments), true, '\t', ','), 0);
    const char *title = "\xEF\xBB\xBF\"Table 1\"\n\"2011\"\nA,B,C\n1,2,3\n4,5,6\n";
    cr_assert_eq(csvb_sniff_preamble(title, strlen(title), true, ',', '\0'), 2);
    cr_assert_eq(csvb_sniff_skip(title, strlen(title), 2),
                 strlen("\xEF\xBB\xBF\"Table 1\"\n\"2011\"\n"));
    cr_assert_eq(csvb_sniff_skip(title, strlen(title), 99), strlen(title));
    /* nothing agrees after any number of lines: none */
    const char *one = "id\n1\n2\n3\n";
    cr_assert_eq(csvb_sniff_preamble(one, strlen(one), true, ',', '\0'), 0);
    /* the header beyond the sample (no line feed left): none */
    cr_assert_eq(csvb_sniff_preamble("title\nA,B", 9, false, ',', '\0'), 0);
}

/* The preamble hint: after the delimiter hint, before pad; only for a preamble that ends before
 * the failing line and is not already skipped. */
Test(sniff, preamble_hint)
{
    const char *sample = "Report\nA,B,C\n1,2,3\n";
    struct csvb_sniff s;
    csvb_sniff_sample(sample, strlen(sample), true, ',', &s);
    struct csvb_sniff_bytes bytes = {sample, strlen(sample), true};
    struct csvb_diag d;
    csvb_diag_init(&d);
    csvb_diag_set(&d, CSVB_E_PARSE, 2, "expected 1 fields, found 3");
    csvb_sniff_hint(&s, &bytes, ',', ',', false, false, 0, &d);
    cr_assert_str_eq(d.hint,
                     "the first line looks like a preamble before the header: --skip-lines 1");
    csvb_diag_init(&d);
    csvb_diag_set(&d, CSVB_E_PARSE, 2, "expected 1 fields, found 3");
    csvb_sniff_hint(&s, &bytes, ',', ',', false, false, 1, &d); /* already skipped */
    cr_assert_str_eq(d.hint, "");
    csvb_diag_init(&d);
    csvb_diag_set(&d, CSVB_E_PARSE, 1, "expected 1 fields, found 3");
    csvb_sniff_hint(&s, &bytes, ',', ',', false, false, 0, &d); /* fails within the preamble */
    cr_assert_str_eq(d.hint, "");
    csvb_diag_init(&d);
    csvb_diag_set(&d, CSVB_E_PARSE, 2, "expected 1 fields, found 3");
    csvb_sniff_hint(&s, &bytes, ',', ',', false, true, 0, &d); /* a short record: pad's */
    cr_assert_str_eq(d.hint, "--on-bad-row pad fills short records with empty fields");
    /* the header as read agrees with the records (most are as wide): no preamble named, though
     * the sample from line 5 on would read */
    const char *agreeing = "a,b\nc,d\ne,f\ng,h\nA,B,C,D\n1,2,3,4\n";
    csvb_sniff_sample(agreeing, strlen(agreeing), true, ',', &s);
    struct csvb_sniff_bytes agreeing_bytes = {agreeing, strlen(agreeing), true};
    csvb_diag_init(&d);
    csvb_diag_set(&d, CSVB_E_PARSE, 5, "expected 2 fields, found 4");
    csvb_sniff_hint(&s, &agreeing_bytes, ',', ',', false, false, 0, &d);
    cr_assert_str_eq(d.hint, "");
}

/* csvb_sniff_auto_skip's answer alone. */
static size_t auto_skip(const char *data, size_t len, bool complete, char fallback, char used)
{
    struct csvb_sniff s;
    return csvb_sniff_auto_skip(data, len, complete, fallback, used, &s);
}

/* --skip-lines auto: a file whose first record agrees with its records is read as it is (0); one
 * whose first line does not fit gets its preamble; never under a -d character the sniffer does
 * not know. */
Test(sniff, auto_skip)
{
    const char *plain = "A,B,C\n1,2,3\n4,5,6\n";
    cr_assert_eq(auto_skip(plain, strlen(plain), true, ',', '\0'), 0);
    cr_assert_eq(auto_skip(plain, strlen(plain), true, ',', ','), 0);
    /* a comment line that splits as wide as the header is data as far as the sniffer can tell */
    const char *wide = "# a, b, c\nA,B,C\n1,2,3\n";
    cr_assert_eq(auto_skip(wide, strlen(wide), true, ',', '\0'), 0);
    const char *comments = "# cars\n# source: x\n\nmodel\tmpg\tcyl\nA\t1\t2\nB\t3\t4\n";
    cr_assert_eq(auto_skip(comments, strlen(comments), true, '\t', '\0'), 2);
    cr_assert_eq(auto_skip(comments, strlen(comments), true, ',', '\0'), 2);
    cr_assert_eq(auto_skip(comments, strlen(comments), true, '\t', '\t'), 2);
    cr_assert_eq(auto_skip(comments, strlen(comments), true, '\t', ','), 0);
    cr_assert_eq(auto_skip(comments, strlen(comments), true, '\t', ':'), 0);
    /* a UTF-8 BOM before the title */
    const char *title = "\xEF\xBB\xBFTable 1\nA,B,C\n1,2,3\n";
    cr_assert_eq(auto_skip(title, strlen(title), true, ',', '\0'), 1);
    /* ragged rows: no number of leading lines makes the rest agree */
    const char *ragged = "a,b,c\n1,2,3\n4,5\n6,7,8,9\n";
    cr_assert_eq(auto_skip(ragged, strlen(ragged), true, ',', '\0'), 0);
    /* a header one field short of its records: more likely that than a preamble */
    const char *short_header = "A,B\n1,2,3\n4,5,6\n";
    cr_assert_eq(auto_skip(short_header, strlen(short_header), true, ',', '\0'), 0);
    /* the header would lie beyond the sample */
    cr_assert_eq(auto_skip("title\nA,B", 9, false, ',', '\0'), 0);
    /* lines that may be a damaged header are not skipped unasked (the hint still names them) */
    const char *stray = "\"DATE,TIME,\"Qty\",Price\n1,2,3,4\n5,6,7,8\n";
    cr_assert_eq(auto_skip(stray, strlen(stray), true, ',', '\0'), 0);
    cr_assert_eq(csvb_sniff_preamble(stray, strlen(stray), true, ',', '\0'), 1);
    const char *spaced = "DATE TIME \"Qty\" Price\n1,2,3,4\n5,6,7,8\n";
    cr_assert_eq(auto_skip(spaced, strlen(spaced), true, ',', '\0'), 0);
    const char *semi = "Report; Q3\nA,B,C,D\n1,2,3,4\n5,6,7,8\n";
    cr_assert_eq(auto_skip(semi, strlen(semi), true, ',', '\0'), 0);
    /* a quoted title (a doubled quote inside), CRLF, and a blank line of spaces are plain */
    const char *quoted = "\"Table \"\"1\"\"\"\r\n  \r\nA,B,C\r\n1,2,3\r\n";
    cr_assert_eq(auto_skip(quoted, strlen(quoted), true, ',', '\0'), 2);
    const char *open_title = "\"Table 1\nA,B,C\n1,2,3\n";
    cr_assert_eq(auto_skip(open_title, strlen(open_title), true, ',', '\0'), 0);
    const char *after = "\"Table\" 1\nA,B,C\n1,2,3\n";
    cr_assert_eq(auto_skip(after, strlen(after), true, ',', '\0'), 0);
    /* empty, and one column */
    cr_assert_eq(auto_skip("", 0, true, ',', '\0'), 0);
    const char *one = "id\n1\n2\n";
    cr_assert_eq(auto_skip(one, strlen(one), true, ',', '\0'), 0);
    /* what it fills in: the sniff of the sample after the lines skipped */
    struct csvb_sniff s, want;
    cr_assert_eq(csvb_sniff_auto_skip(comments, strlen(comments), true, ',', '\0', &s), 2);
    size_t at = csvb_sniff_skip(comments, strlen(comments), 2);
    csvb_sniff_sample(comments + at, strlen(comments) - at, true, ',', &want);
    cr_assert_eq(s.delimiter, '\t');
    cr_assert_eq(s.agree, want.agree);
    cr_assert_eq(s.fields[1], 3);
    cr_assert_eq(csvb_sniff_auto_skip(plain, strlen(plain), true, ',', '\0', &s), 0);
    csvb_sniff_sample(plain, strlen(plain), true, ',', &want);
    cr_assert_eq(memcmp(&s, &want, sizeof s), 0);
}

/* --escape auto: a backslash only for a sample that holds \" and reads strictly only with it. */
static char escape_of(const char *data, bool complete, char delimiter)
{
    return csvb_sniff_escape(data, strlen(data), complete, delimiter);
}

Test(sniff, escape)
{
    const char *mysql = "name,n\n\"W. H. \\\"Bud\\\" Barron\",1\n\"plain\",2\n\"a, \\\"b\\\"\",3\n";
    cr_assert_eq(escape_of(mysql, true, ','), '\\');
    cr_assert_eq(escape_of(mysql, false, ','), '\\', "a cut sample: its partial end is no error");
    /* the same in semicolons and tabs, read with that delimiter */
    cr_assert_eq(escape_of("a;b\n\"x \\\"y\\\"\";1\n", true, ';'), '\\');
    cr_assert_eq(escape_of("a\tb\n\"x \\\"y\\\" z\"\t1\n", true, '\t'), '\\');
    /* no \" at all, or a file that reads as it is: none (a Windows path keeps its backslash) */
    cr_assert_eq(escape_of("a,b\n\"x \"\"y\"\"\",1\n", true, ','), '\0');
    cr_assert_eq(escape_of("path,n\n\"C:\\\",1\n\"D:\\\",2\n", true, ','), '\0');
    cr_assert_eq(escape_of("a,b\nx\\\"y,1\n", true, ','), '\0', "text quotes read strictly");
    /* fails without it, but fails (or is ragged) with it too: none, the file fails as it is */
    cr_assert_eq(escape_of("a,b\n\"x \\\"y\\\" z\",1,extra\n\"q\",2\n", true, ','), '\0');
    cr_assert_eq(escape_of("a,b\n\"x\\\",1\n\"y\"z,2\n", true, ','), '\0');
    /* the header alone: no record to agree with */
    cr_assert_eq(escape_of("\"a\\\"b\",c\n", true, ','), '\0');
    /* open at the end: counts only when the sample is the whole input */
    const char *open = "a,b\n\"x \\\"y\\\"\",1\n\"open\\\",2\n";
    cr_assert_eq(escape_of(open, true, ','), '\0');
    cr_assert_eq(escape_of(open, false, ','), '\\');
    /* unquoted, MySQL-style: \, for a delimiter, \ before a line break in a field */
    cr_assert_eq(escape_of("id,text\n1,a\\, b\n2,line\\\nbreak\n3,c\n", true, ','), '\\');
    cr_assert_eq(escape_of("id\ttext\n1\ta\\\tb\n2\tc\n", true, '\t'), '\\');
    /* a path at a line end, in a file that reads as it is: none */
    cr_assert_eq(escape_of("id,dir\n1,C:\\\n2,D:\\\n", true, ','), '\0');
    /* the escape character cannot be the delimiter */
    cr_assert_eq(escape_of("a\\b\n\"x \\\"\\y\n", true, '\\'), '\0');
    /* pure: the same bytes, the same answer */
    for (int k = 0; k < 3; k++)
        cr_assert_eq(escape_of(mysql, true, ','), '\\');
}
