/* test_project.c — --select, '*', the stamp column, and schema errors that list the header. */
#include <criterion/criterion.h>
#include <string.h>

#include <stdio.h>
#include "csvbatch/project.h"

static const char *const head[] = {"ID", "name", "Status", "Name2"};

/* Binds the projection csvbatch's arguments would configure (the core sees only configs):
 * --select LIST|'*', --no-stamp, --stamp-column NAME, --compat powershell; stamp value "T". */
static enum csvb_err bind(struct csvb_projection *p, char **argv, int argc, const char *const *h,
                          size_t nh, struct csvb_diag *d)
{
    static char names[256];
    static const char *cols[8];
    struct csvb_projection_config cfg = {
        (const char *const[]){"Name", "ID"}, 2, false, "ProcessedDate", "T", false, 0};
    csvb_diag_init(d);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--no-stamp") == 0) {
            cfg.stamp_column = NULL;
        } else if (strcmp(argv[i], "--stamp-column") == 0) {
            cfg.stamp_column = argv[++i];
        } else if (strcmp(argv[i], "--compat") == 0) {
            cfg.absent_is_null = strcmp(argv[++i], "powershell") == 0;
        } else if (strcmp(argv[i], "--select") == 0 && strcmp(argv[++i], "*") == 0) {
            cfg.all_columns = true;
        } else if (strcmp(argv[i - 1], "--select") == 0) {
            snprintf(names, sizeof names, "%s", argv[i]);
            cfg.ncolumns = 0;
            for (char *tok = strtok(names, ","); tok != NULL; tok = strtok(NULL, ","))
                cols[cfg.ncolumns++] = tok;
            cfg.columns = cols;
        }
    }
    struct csvb_field hf[8];
    for (size_t i = 0; i < nh; i++)
        hf[i] = (struct csvb_field){h[i], strlen(h[i])};
    struct csvb_row row = {hf, nh, 1};
    return csvb_projection_bind(p, &cfg, &row, d);
}

static void expect_fields(const struct csvb_field *f, size_t n, const char *const *want)
{
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(f[i].len, strlen(want[i]), "field %zu", i);
        cr_assert_eq(memcmp(f[i].ptr, want[i], f[i].len), 0, "field %zu", i);
    }
}

Test(project, default_name_id_stamp_case_insensitive)
{
    char *argv[] = {"csvbatch", "x"};
    struct csvb_projection p;
    struct csvb_diag d;
    cr_assert_eq(bind(&p, argv, 2, head, 4, &d), CSVB_OK, "%s", d.message);
    cr_assert_eq(p.nout, 3);
    expect_fields(p.header, 3, (const char *const[]){"name", "ID", "ProcessedDate"});
    struct csvb_field rf[4] = {{"7", 1}, {"Ann", 3}, {"Active", 6}, {"z", 1}};
    struct csvb_row r = {rf, 4, 2};
    expect_fields(csvb_project(&p, &r), 3, (const char *const[]){"Ann", "7", "T"});
    csvb_projection_fini(&p);
    csvb_projection_fini(&p);
}

Test(project, select_star_no_stamp)
{
    char *argv[] = {"csvbatch", "--select", "*", "--no-stamp", "x"};
    struct csvb_projection p;
    struct csvb_diag d;
    cr_assert_eq(bind(&p, argv, 5, head, 4, &d), CSVB_OK);
    cr_assert_eq(p.nout, 4);
    expect_fields(p.header, 4, head);
    csvb_projection_fini(&p);
}

Test(project, stamp_column_renamed)
{
    char *argv[] = {"csvbatch", "--select", "Status", "--stamp-column", "When", "x"};
    struct csvb_projection p;
    struct csvb_diag d;
    cr_assert_eq(bind(&p, argv, 6, head, 4, &d), CSVB_OK);
    expect_fields(p.header, 2, (const char *const[]){"Status", "When"});
    csvb_projection_fini(&p);
}

Test(project, missing_and_ambiguous_columns)
{
    char *argv[] = {"csvbatch", "x"};
    struct csvb_projection p;
    struct csvb_diag d;
    static const char *const no_id[] = {"Name", "Status"};
    cr_assert_eq(bind(&p, argv, 2, no_id, 2, &d), CSVB_E_SCHEMA);
    cr_assert_str_eq(d.message, "expected a column named 'ID' (output), found header: Name,Status");
    csvb_projection_fini(&p);
    static const char *const dup[] = {"Name", "ID", "NAME"};
    cr_assert_eq(bind(&p, argv, 2, dup, 3, &d), CSVB_E_SCHEMA);
    cr_assert_str_eq(d.message, "expected one column named 'Name' (output), found it at columns 1 "
                                "and 3 of header: Name,ID,NAME");
    cr_assert_eq(d.line, 1);
    csvb_projection_fini(&p);
}

Test(project, stamp_name_clash)
{
    char *argv[] = {"csvbatch", "--select", "*", "x"};
    struct csvb_projection p;
    struct csvb_diag d;
    static const char *const h[] = {"A", "processeddate"};
    cr_assert_eq(bind(&p, argv, 4, h, 2, &d), CSVB_E_SCHEMA);
    cr_assert_str_eq(d.message, "expected output columns with distinct names, found "
                                "'ProcessedDate' both selected and as the stamp column (use "
                                "--stamp-column NAME or --no-stamp)");
    csvb_projection_fini(&p);
}

Test(project, powershell_missing_column_is_null)
{
    char *argv[] = {"csvbatch", "--compat", "powershell", "--select", "Name,Nick", "x"};
    struct csvb_projection p;
    struct csvb_diag d;
    static const char *const h[] = {"ID", "name"};
    cr_assert_eq(bind(&p, argv, 6, h, 2, &d), CSVB_OK, "%s", d.message);
    expect_fields(p.header, 3, (const char *const[]){"name", "Nick", "ProcessedDate"});
    struct csvb_field rf[2] = {{"1", 1}, {"Ann", 3}};
    struct csvb_row r = {rf, 2, 2};
    const struct csvb_field *out = csvb_project(&p, &r);
    cr_assert_null(out[1].ptr); /* $null, not an empty string */
    cr_assert_eq(out[1].len, 0);
    csvb_projection_fini(&p);
}
