/* test_dialects.c — the testdata/dialects corpus end to end: -d auto's answer, .tsv naming, pad
 * and the hints, in every reader buffering and split into chunks (--chunk-size 4K -j 2). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "csvbatch/cli.h"
#include "csvbatch/driver.h"
#include "csvbatch/plan.h"
#include "helpers.h"

/* The table leaves out the fields a case does not need (NULL, 0). */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#ifndef TESTDATA
#define TESTDATA "testdata/dialects"
#endif

struct dialect_case {
    const char *file;
    const char *option; /* one extra argument (NULL: none) */
    char delimiter;     /* as reported */
    const char *output; /* its bytes (--all-rows --select '*' --no-stamp); NULL: the file fails */
    const char *error;  /* a failure's message, exactly (hint included) */
    const char *hint;
    unsigned rows_padded;
    bool error_prefix; /* error is the message's start (a hint of another kind may follow) */
    char escape;       /* as reported ('\0': none); such a file is never split */
    char comment;      /* likewise */
};

static const struct dialect_case cases[] = {
    {"comma.csv", NULL, ',', "ID,Name,Status\n1,Doe; Jane,Active\n2,Lee|Ray,Active\n"},
    {"tab.tsv", NULL, '\t', "ID\tName\tStatus\n1\tDoe, Jane\tActive\n2\t\"Tab\there\"\tActive\n"},
    {"tab-named-csv.csv", NULL, '\t', "ID\tName\tStatus\n1\tDoe, Jane\tActive\n2\tLee\tInactive\n"},
    {"semicolon.csv", NULL, ';', "ID;Name;Status\n1;\"Doe; Jane\";Active\n2;3,5 kg;Active\n"},
    {"pipe-crlf.csv", NULL, '|', "ID|Name|Status\n1|Doe, Jane|Active\n2|\"a|b\"|Active\n"},
    {"bom-semicolon.csv", NULL, ';', "ID;Name;Status\n1;Zo\xC3\xAB;Active\n"},
    {"tie-comma-tab.tsv", NULL, '\t', "a,b\tc\n1,2\t3\n"},
    {"tie-comma-tab.csv", NULL, ',', "a,b\tc\n1,2\t3\n"},
    {"tie-tab-pipe.csv", NULL, '\t', "a\tb|c\n1\t2|3\n"},
    {"tie-semicolon-pipe.tsv", NULL, ';', "a;b|c\n1;2|3\n"},
    {"none.tsv", NULL, '\t', NULL,
     "expected 2 fields, found 1 (--on-bad-row pad fills short records with empty fields)",
     "--on-bad-row pad fills short records with empty fields"},
    {"one-column.csv", NULL, ',', "name\nx\n"},
    {"quoted-semicolon.csv", NULL, ';', "ID;Note\n1;\"a, b, c\nd, e\"\n2;\"say \"\"x,y\"\"\"\n"},
    /* a quote inside an unquoted field is text (inch marks), quoted on output */
    {"stray-quote.tsv", NULL, '\t', "ID\tHeight\n1\t\"5\"\" 3\"\n2\t\"6\"\"\"\n"},
    /* \" for a quote: --escape auto reads it so; a Windows path that reads as it is stays */
    {"backslash-escape.csv", NULL, ',',
     "ID,Name,Status\n1,\"W. H. \"\"Bud\"\" Barron\",Active\n2,\"say \"\"a, b\"\"\",Active\n3,"
     "plain,Inactive\n",
     .escape = '\\'},
    {"backslash-escape.csv", "--escape=backslash", ',',
     "ID,Name,Status\n1,\"W. H. \"\"Bud\"\" Barron\",Active\n2,\"say \"\"a, b\"\"\",Active\n3,"
     "plain,Inactive\n",
     .escape = '\\'},
    {"backslash-escape.csv", "--escape=none", ',', NULL,
     "column 12: expected ',' or end of line after a closing quote, found 'B' (the file escapes "
     "quotes with a backslash: --escape backslash reads it)",
     "the file escapes quotes with a backslash: --escape backslash reads it"},
    /* '#' lines that do not fit the records are comments (--comment auto); values that start
     * with '#' in a file that reads as it is stay data */
    {"comment-lines.csv", NULL, ',',
     "ID,Name,Status\n1,Ann,Active\n2,Bob,Active\n3,\"Cy\n# not a comment: inside "
     "quotes\",Active\n",
     .comment = '#'},
    {"comment-lines.csv", "--comment=none", ',', NULL,
     "expected 3 fields, found 2 (--on-bad-row pad fills short records with empty fields)",
     "--on-bad-row pad fills short records with empty fields"},
    {"hash-values.csv", NULL, ',', "Color,Name,Status\n#FF0000,red,Active\n#00FF00,green,Active\n"},
    {"hash-values.csv", "--comment=#", ',', "Color,Name,Status\n", .comment = '#'},
    {"windows-path.csv", NULL, ',', "ID,Path,Status\n1,C:\\,Active\n2,D:\\data\\,Active\n"},
    {"pad-short.csv", "--on-bad-row=pad", ';',
     "ID;Name;Status\n1;Al;Active\n2;Bo;\n3;Cy;Active\n4;;\n5;Di;Active\n", NULL, NULL, 2},
    {"pad-long.csv", "--on-bad-row=pad", ';', NULL, "expected 3 fields, found 4"},
    {"pad-long.csv", NULL, ';', NULL, "expected 3 fields, found 4"},
    {"pad-short.csv", "-d;", ';', NULL,
     "expected 3 fields, found 2 (--on-bad-row pad fills short records with empty fields)",
     "--on-bad-row pad fills short records with empty fields"},
    {"hint-tab.csv", "-d,", ',', NULL,
     "expected 1 fields, found 2 (the file looks tab-separated: -d tab, or -d auto)",
     "the file looks tab-separated: -d tab, or -d auto"},
    {"hint-semicolon.csv", "-d,", ',', NULL,
     "expected 1 fields, found 2 (the file looks semicolon-separated: -d ';', or -d auto)",
     "the file looks semicolon-separated: -d ';', or -d auto"},
    {"hint-tab.csv", "-dtab", '\t', "ID\tName\tStatus\n1\tDoe, Jane\tActive\n"},
    /* comma and tab agree on the sample and both fail on a short record: the hint is not the
     * other delimiter (a dry read with it fails) but pad, which reads the file */
    {"hint-both-fail.csv", NULL, ',', NULL,
     "expected 2 fields, found 1 (--on-bad-row pad fills short records with empty fields)",
     "--on-bad-row pad fills short records with empty fields"},
    {"preamble-comments.tsv", NULL, '\t',
     "model\tmpg\tcyl\tStatus\nMazda RX4\t21\t6\tActive\nValiant\t18.1\t6\tInactive\n"},
    /* --skip-lines 0: the '#' lines are still comments (--comment auto) */
    {"preamble-comments.tsv", "--skip-lines=0", '\t',
     "model\tmpg\tcyl\tStatus\nMazda RX4\t21\t6\tActive\nValiant\t18.1\t6\tInactive\n",
     .comment = '#'},
    {"preamble-comments.tsv", "--skip-lines=0 --comment=none", '\t', NULL,
     "expected 1 fields, found 4 (the first 2 lines look like a preamble before the header: "
     "--skip-lines 2)",
     "the first 2 lines look like a preamble before the header: --skip-lines 2"},
    {"preamble-comments.tsv", "--skip-lines=2", '\t',
     "model\tmpg\tcyl\tStatus\nMazda RX4\t21\t6\tActive\nValiant\t18.1\t6\tInactive\n"},
    {"preamble-title.csv", NULL, ',', "Name,ID,Status\nAnn,1,Active\n\"Bob, Jr.\",2,Inactive\n"},
    {"preamble-title.csv", "--skip-lines=0", ',', NULL,
     "expected 1 fields, found 3 (the first 2 lines look like a preamble before the header: "
     "--skip-lines 2)",
     "the first 2 lines look like a preamble before the header: --skip-lines 2"},
    {"preamble-title.csv", "--skip-lines=2", ',',
     "Name,ID,Status\nAnn,1,Active\n\"Bob, Jr.\",2,Inactive\n"},
    {"tab.tsv", "--output-delimiter=,", '\t',
     "ID,Name,Status\n1,\"Doe, Jane\",Active\n2,Tab\there,Active\n"},
};

struct run {
    struct csvb_options opt;
    struct csvb_plan plan;
    struct csvb_joblist list;
    struct csvb_result results[1];
};

/* Runs csvbatch on dir/file as the case says; block: the reader's block size (0: default);
 * chunk: --chunk-size (0: none), with 2 threads. */
static void run_case(struct run *r, const char *dir, const char *file, const char *option,
                     size_t block, size_t chunk)
{
    char *path = path_in(dir, file);
    /* option: one argument, or two separated by a space */
    char opts[128];
    snprintf(opts, sizeof opts, "%s", option != NULL ? option : "-j1");
    char *second = strchr(opts, ' ');
    if (second != NULL)
        *second++ = '\0';
    char *argv[] = {"csvbatch",
                    "--all-rows",
                    "--select=*",
                    "--no-stamp",
                    "-q",
                    opts,
                    second != NULL ? second : "-j1",
                    path,
                    NULL};
    struct csvb_diag d;
    csvb_diag_init(&d);
    memset(r, 0, sizeof *r);
    cr_assert_eq(csvb_cli_parse(8, argv, &r->opt, &d), CSVB_CLI_OK, "%s", d.message);
    cr_assert_eq(csvb_outputs_plan(&r->opt, &r->list, &d), CSVB_OK, "%s", d.message);
    cr_assert_eq(r->list.n, 1);
    r->opt.jobs = chunk > 0 ? 2 : 1;
    r->opt.chunk_size = chunk;
    cr_assert_eq(csvb_plan_init(&r->plan, &r->opt, NULL, 0, 022, NULL, 1, &d), CSVB_OK, "%s",
                 d.message);
    if (block > 0)
        r->plan.reader.block_size = block;
    struct csvb_results store;
    csvb_results_wrap(&store, r->results, 1);
    csvb_driver_run(&r->plan, &r->list, &store);
    free(path);
}

static void run_fini(struct run *r)
{
    csvb_result_fini(&r->results[0]);
    csvb_plan_fini(&r->plan);
    csvb_joblist_fini(&r->list);
    csvb_options_fini(&r->opt);
}

static char *copy_case(const char *dir, const char *file)
{
    char *src = path_in(TESTDATA, file);
    FILE *f = fopen(src, "rb");
    cr_assert_not_null(f, "%s", src);
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    free(src);
    char *dst = path_in(dir, file);
    write_bytes(dst, buf, n);
    return dst;
}

/* The output name: x.csv -> x_processed.csv, x.tsv -> x_processed.tsv. */
static char *output_name(const char *file)
{
    size_t n = strlen(file) - 4;
    char *out = NULL;
    cr_assert_geq(asprintf(&out, "%.*s_processed%s", (int)n, file, file + n), 0);
    return out;
}

static void check(const struct dialect_case *c, const char *dir, size_t block)
{
    struct run r;
    run_case(&r, dir, c->file, c->option, block, 0);
    const struct csvb_result *res = &r.results[0];
    cr_expect_eq(res->dialect.delimiter, c->delimiter, "%s %s block %zu: delimiter 0x%02x", c->file,
                 c->option ? c->option : "", block, res->dialect.delimiter);
    if (c->output != NULL) {
        cr_expect_eq(res->dialect.escape, c->escape, "%s %s: escape 0x%02x", c->file,
                     c->option ? c->option : "", res->dialect.escape);
        cr_expect_eq(res->dialect.comment, c->comment, "%s %s: comment 0x%02x", c->file,
                     c->option ? c->option : "", res->dialect.comment);
    }
    char *name = output_name(c->file);
    char *got = read_text(dir, name);
    if (c->output != NULL) {
        cr_expect_eq(res->status, CSVB_STATUS_SUCCESS, "%s: %s", c->file, res->diag.message);
        cr_expect_str_eq(got != NULL ? got : "(none)", c->output, "%s block %zu", c->file, block);
        cr_expect_eq(res->rows_padded, c->rows_padded, "%s", c->file);
    } else {
        cr_expect_eq(res->status, CSVB_STATUS_FAILED, "%s", c->file);
        cr_expect_null(got, "%s: no output", c->file);
        if (c->error_prefix) {
            cr_expect_eq(strncmp(res->diag.message, c->error, strlen(c->error)), 0, "%s: %s",
                         c->file, res->diag.message);
        } else {
            cr_expect_str_eq(res->diag.message, c->error, "%s block %zu", c->file, block);
            cr_expect_str_eq(res->diag.hint, c->hint != NULL ? c->hint : "", "%s", c->file);
        }
    }
    if (got != NULL) {
        char *p = path_in(dir, name);
        remove(p);
        free(p);
    }
    free(got);
    free(name);
    run_fini(&r);
}

Test(dialects, corpus_in_every_buffering)
{
    static const size_t blocks[] = {0, 4, 5, 7, 16, 64, 4096};
    char *t = tmpdir_new();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *p = copy_case(t, cases[i].file);
        for (size_t b = 0; b < sizeof blocks / sizeof blocks[0]; b++)
            check(&cases[i], t, blocks[b]);
        remove(p);
        free(p);
    }
    tmpdir_free(t);
}

/* Each successful case made big (its data rows repeated past 24 KiB): split into 4 KiB chunks
 * on 2 threads it reads with the same delimiter and writes the same bytes as whole. */
Test(dialects, corpus_chunked)
{
    char *t = tmpdir_new();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct dialect_case *c = &cases[i];
        if (c->output == NULL || c->rows_padded > 0)
            continue;
        if ((c->option != NULL && strncmp(c->option, "--skip-lines", 12) == 0) ||
            strncmp(c->file, "preamble-", 9) == 0)
            continue; /* such files are never split (README, "Preambles") */
        char *small = copy_case(t, c->file);
        char *text = read_text(t, c->file);
        remove(small);
        free(small);
        const char *body = strchr(text, '\n');
        cr_assert_not_null(body);
        size_t head = (size_t)(body - text) + 1, rows = strlen(text) - head;
        if (rows == 0) {
            free(text);
            continue;
        }
        size_t cap = head + 32768 + rows, len = head;
        char *big = malloc(cap);
        memcpy(big, text, head);
        while (len < 24576) {
            memcpy(big + len, text + head, rows);
            len += rows;
        }
        char *path = path_in(t, c->file);
        write_bytes(path, big, len);
        char *name = output_name(c->file);
        struct run whole, split;
        run_case(&whole, t, c->file, c->option, 0, 0);
        char *want = read_text(t, name);
        run_case(&split, t, c->file, c->option, 0, 4096);
        char *got = read_text(t, name);
        cr_expect_eq(split.results[0].status, CSVB_STATUS_SUCCESS, "%s: %s", c->file,
                     split.results[0].diag.message);
        if (c->escape != '\0' || c->comment != '\0') /* read whole (plan.c) */
            cr_expect_leq(split.results[0].parse_runs, 1, "%s was split", c->file);
        else
            cr_expect_gt(split.results[0].parse_runs, 1, "%s was not split", c->file);
        cr_expect_eq(split.results[0].dialect.escape, c->escape, "%s", c->file);
        cr_expect_eq(split.results[0].dialect.comment, c->comment, "%s", c->file);
        cr_expect_eq(split.results[0].dialect.delimiter, c->delimiter, "%s", c->file);
        cr_expect_eq(whole.results[0].dialect.delimiter, c->delimiter, "%s", c->file);
        cr_expect_str_eq(got != NULL ? got : "", want != NULL ? want : "(none)", "%s", c->file);
        run_fini(&whole);
        run_fini(&split);
        char *out = path_in(t, name);
        remove(out);
        remove(path);
        free(out);
        free(path);
        free(name);
        free(got);
        free(want);
        free(big);
        free(text);
    }
    tmpdir_free(t);
}

/* A width error found in a later chunk still carries the hint. */
Test(dialects, chunked_hint)
{
    char *t = tmpdir_new();
    size_t cap = 40000, len = 0;
    char *big = malloc(cap);
    len += (size_t)snprintf(big, cap, "ID\tName\tStatus\n");
    while (len < 30000)
        len += (size_t)snprintf(big + len, cap - len, "1\tDoe\tActive\n");
    len += (size_t)snprintf(big + len, cap - len, "2\tDoe, Jane\tActive\n");
    char *path = path_in(t, "late.csv");
    write_bytes(path, big, len);
    struct run r;
    run_case(&r, t, "late.csv", "-d,", 0, 4096);
    cr_assert_eq(r.results[0].status, CSVB_STATUS_FAILED);
    cr_assert_gt(r.results[0].parse_runs, 1);
    cr_assert_str_eq(r.results[0].diag.hint, "the file looks tab-separated: -d tab, or -d auto");
    run_fini(&r);
    free(path);
    free(big);
    tmpdir_free(t);
}
