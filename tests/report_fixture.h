/* report_fixture.h — results built by hand for the report suites, and output captured as text. */
#ifndef CSVBATCH_TEST_REPORT_FIXTURE_H
#define CSVBATCH_TEST_REPORT_FIXTURE_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/report.h"

#define FIXTURE_MAX 8

/* A run: options, jobs and results, all caller-owned (nothing here is freed by the report). */
struct fixture {
    struct csvb_options opt;
    struct csvb_job jobs[FIXTURE_MAX];
    struct csvb_result results[FIXTURE_MAX];
    struct csvb_results store; /* wraps results: what the renderers read */
    struct csvb_joblist list;
    struct csvb_totals totals;
};

static inline void fixture_init(struct fixture *f)
{
    memset(f, 0, sizeof *f);
    f->opt.format = CSVB_FORMAT_TABLE;
    f->opt.delimiter = ',';
    f->opt.out_delimiter = ',';
    f->opt.suffix = "_processed";
    f->opt.stamp_column = "ProcessedDate";
    f->opt.fsync = true;
    f->opt.fast_path = true;
    f->opt.max_field_size = (size_t)64 << 20;
    f->opt.chunk_size = (size_t)32 << 20;
    f->list.jobs = f->jobs;
    csvb_results_wrap(&f->store, f->results, FIXTURE_MAX);
}

/* Adds a job and returns its result, to be filled by the test. */
static inline struct csvb_result *fixture_add(struct fixture *f, const char *path,
                                              const char *output, enum csvb_status status)
{
    cr_assert_lt(f->list.n, FIXTURE_MAX);
    size_t i = f->list.n++;
    f->jobs[i].path = (char *)path;
    f->jobs[i].output_path = (char *)output;
    f->jobs[i].kind = status == CSVB_STATUS_SKIPPED ? CSVB_JOB_SKIP : CSVB_JOB_RUN;
    f->results[i].status = status;
    csvb_diag_init(&f->results[i].diag);
    return &f->results[i];
}

/* Sums the totals with a fixed wall time. */
static inline void fixture_sum(struct fixture *f, double wall)
{
    csvb_totals_sum(&f->store, f->list.n, wall, &f->totals);
}

/* Appends one preview row of n cells (NUL-terminated strings) to r. */
static inline void fixture_preview(struct csvb_result *r, const char *const *cells, size_t n)
{
    struct csvb_field fields[16];
    cr_assert_leq(n, 16);
    for (size_t k = 0; k < n; k++)
        fields[k] = (struct csvb_field){cells[k], strlen(cells[k])};
    struct csvb_row row = {fields, n, 1};
    cr_assert_eq(csvb_rows_append(&r->preview, &row), CSVB_OK);
}

static inline void fixture_fini(struct fixture *f)
{
    for (size_t i = 0; i < f->list.n; i++)
        csvb_rows_fini(&f->results[i].preview);
}

/* What render wrote to a temporary file (it has a descriptor: the CSV renderer needs one), as a
 * NUL-terminated string; *rc gets render's return value. Caller frees. */
static inline char *capture(int (*render)(FILE *out, const struct fixture *f),
                            const struct fixture *f, int *rc)
{
    FILE *out = tmpfile();
    cr_assert_not_null(out);
    *rc = render(out, f);
    cr_assert_eq(fflush(out), 0);
    cr_assert_eq(fseek(out, 0, SEEK_END), 0);
    long size = ftell(out);
    cr_assert_geq(size, 0);
    char *text = calloc(1, (size_t)size + 1);
    rewind(out);
    cr_assert_eq(fread(text, 1, (size_t)size, out), (size_t)size);
    fclose(out);
    return text;
}

/* Renders f with csvb_report_write (opt.format picks the renderer). */
static inline int write_any(FILE *out, const struct fixture *f)
{
    return csvb_report_write(out, &f->opt, &f->list, &f->store, &f->totals, false);
}

/* Asserts that render returns 0 and writes exactly want. */
static inline void expect(int (*render)(FILE *, const struct fixture *), const struct fixture *f,
                          const char *want)
{
    int rc;
    char *got = capture(render, f, &rc);
    cr_assert_eq(rc, 0);
    cr_assert_str_eq(got, want, "got:\n%s\nwant:\n%s", got, want);
    free(got);
}

#endif
