/* test_stage.c — the per-record stage on its own config: bind, filter, project, write, reject,
 * PowerShell's padding and empty output, dry run, hand-over and commit. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <string.h>

#include "csvbatch/stage.h"
#include "helpers.h"

static const struct csvb_filter_rule active = {"Status", "Active", 6, false};
static const char *const name_id[] = {"Name", "ID"};

static struct csvb_stage_config config(void)
{
    struct csvb_stage_config c;
    memset(&c, 0, sizeof c);
    c.filter = (struct csvb_filter_config){&active, 1, false, false, 0};
    c.projection =
        (struct csvb_projection_config){name_id, 2, false, "ProcessedDate", "T", false, 0};
    c.file_mode = 0644;
    c.in_delimiter = ',';
    c.out_delimiter = ',';
    return c;
}

/* Feeds rows (each a comma-separated literal without quotes) to s; returns the first error. */
static enum csvb_err feed(struct csvb_stage *s, const char *const *rows, size_t n,
                          struct csvb_diag *d)
{
    for (size_t r = 0; r < n; r++) {
        char buf[256];
        struct csvb_field f[16];
        size_t nf = 0;
        snprintf(buf, sizeof buf, "%s", rows[r]);
        char *p = buf;
        for (;;) {
            char *comma = strchr(p, ',');
            f[nf++] = (struct csvb_field){p, comma ? (size_t)(comma - p) : strlen(p)};
            if (comma == NULL)
                break;
            p = comma + 1;
        }
        struct csvb_row row = {f, nf, (unsigned long)r + 1};
        bool stop = false;
        enum csvb_err e = csvb_stage_row(s, &row, &stop, d);
        if (e != CSVB_OK)
            return e;
    }
    return CSVB_OK;
}

static char *run_stage(const struct csvb_stage_config *cfg, const char *const *rows, size_t n,
                       enum csvb_err want, struct csvb_stage_counts *counts)
{
    char *t = tmpdir_new();
    char *out = path_in(t, "o.csv");
    struct csvb_stage s;
    struct csvb_diag d;
    csvb_diag_init(&d);
    csvb_stage_init(&s, cfg, out, NULL, true);
    enum csvb_err e = feed(&s, rows, n, &d);
    if (e == CSVB_OK && (e = csvb_stage_flush(&s, &d)) == CSVB_OK)
        e = csvb_stage_commit(&s, false, &d);
    cr_assert_eq(e, want, "%s", d.message);
    *counts = s.counts;
    csvb_stage_fini(&s);
    char *text = read_text(t, "o.csv");
    DIR *dir = opendir(t);
    size_t entries = 0;
    for (struct dirent *e2; (e2 = readdir(dir)) != NULL;)
        entries += e2->d_name[0] != '.' || strstr(e2->d_name, ".tmp-") != NULL;
    closedir(dir);
    cr_assert_eq(entries, text != NULL ? 1 : 0, "a temp file was left behind");
    free(out);
    tmpdir_free(t);
    return text;
}

static const char *const people[] = {"ID,Name,Status", "1,Ann,Active", "2,Bo,Inactive",
                                     "3,Cy,active"};

Test(stage, filter_project_write)
{
    struct csvb_stage_config cfg = config();
    struct csvb_stage_counts c;
    char *text = run_stage(&cfg, people, 4, CSVB_OK, &c);
    cr_assert_str_eq(text, "Name,ID,ProcessedDate\nAnn,1,T\nCy,3,T\n");
    cr_assert_eq(c.rows_read, 3);
    cr_assert_eq(c.rows_written, 2);
    cr_assert_eq(c.bytes_written, strlen(text));
    free(text);
}

Test(stage, wrong_width_fails_or_is_skipped)
{
    static const char *const rows[] = {"ID,Name,Status", "1,Ann,Active", "2,Bo", "3,Cy,Active"};
    struct csvb_stage_config cfg = config();
    struct csvb_stage_counts c;
    char *text = run_stage(&cfg, rows, 4, CSVB_E_PARSE, &c);
    cr_assert_null(text); /* nothing committed, no temp left */
    cfg.skip_bad_rows = true;
    text = run_stage(&cfg, rows, 4, CSVB_OK, &c);
    cr_assert_str_eq(text, "Name,ID,ProcessedDate\nAnn,1,T\nCy,3,T\n");
    cr_assert_eq(c.rows_rejected, 1);
    free(text);
}

Test(stage, powershell_rules)
{
    static const char *const rows[] = {"ID,Name,Status", "1,Ann", "2,Bo,Active,extra"};
    struct csvb_stage_config cfg = config();
    cfg.pad_rows = cfg.quote_all = cfg.header_with_rows = cfg.distinct_header = true;
    cfg.filter.absent_is_null = cfg.projection.absent_is_null = true;
    struct csvb_stage_counts c;
    char *text = run_stage(&cfg, rows, 3, CSVB_OK, &c);
    cr_assert_str_eq(text, "\"Name\",\"ID\",\"ProcessedDate\"\n\"Bo\",\"2\",\"T\"\n");
    free(text);
    static const char *const none[] = {"ID,Name,Status", "1,Ann,Inactive"};
    text = run_stage(&cfg, none, 2, CSVB_OK, &c);
    cr_assert_str_eq(text, ""); /* Export-Csv of nothing: an empty file */
    free(text);
    static const char *const dup[] = {"ID,Name,id", "1,Ann,2"};
    text = run_stage(&cfg, dup, 2, CSVB_E_SCHEMA, &c);
    cr_assert_null(text);
}

Test(stage, dry_run_counts_and_writes_nothing)
{
    struct csvb_stage_config cfg = config();
    cfg.dry_run = true;
    struct csvb_stage_counts c;
    char *text = run_stage(&cfg, people, 4, CSVB_OK, &c);
    cr_assert_null(text);
    cr_assert_eq(c.rows_written, 2);
    cr_assert_eq(c.bytes_written, strlen("Name,ID,ProcessedDate\nAnn,1,T\nCy,3,T\n"));
}

Test(stage, check_header_and_hand_over)
{
    struct csvb_stage_config cfg = config();
    struct csvb_field hf[2] = {{"ID", 2}, {"Status", 6}};
    struct csvb_row h = {hf, 2, 1};
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_not(csvb_stage_check_header(&cfg, &h, &d));
    cr_assert_str_eq(d.message, "expected a column named 'Name' (output), found header: ID,Status");
    char *t = tmpdir_new();
    char *out = path_in(t, "o.csv");
    struct csvb_stage s;
    csvb_diag_init(&d);
    csvb_stage_init(&s, &cfg, out, NULL, false); /* a later chunk: no header written */
    cr_assert_eq(feed(&s, people, 4, &d), CSVB_OK);
    cr_assert_eq(csvb_stage_flush(&s, &d), CSVB_OK);
    struct csvb_atomic a;
    cr_assert_eq(csvb_stage_hand_over(&s, &a, &d), CSVB_OK);
    csvb_stage_fini(&s); /* must not remove what was handed over */
    cr_assert_eq(a.fd, -1);
    cr_assert_eq(csvb_atomic_commit(&a, false, &d), CSVB_OK, "%s", d.message);
    char *text = read_text(t, "o.csv");
    cr_assert_str_eq(text, "Ann,1,T\nCy,3,T\n");
    free(text);
    free(out);
    tmpdir_free(t);
}
