/* test_wire.c — the MPI driver's messages: job lists and results survive the trip byte for byte,
 * and every truncation of a message is refused, never read past. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/row.h"
#include "csvbatch/wire.h"

static char *dup(const char *s)
{
    return s == NULL ? NULL : strdup(s);
}

static void add_job(struct csvb_joblist *l, const char *path, const char *out, const char *rej,
                    enum csvb_job_kind kind, const char *reason, off_t size)
{
    l->jobs = realloc(l->jobs, (l->n + 1) * sizeof *l->jobs);
    cr_assert_not_null(l->jobs);
    l->jobs[l->n] =
        (struct csvb_job){.path = dup(path),
                          .output_path = dup(out),
                          .rejects_path = dup(rej),
                          .kind = kind,
                          .reason = dup(reason),
                          .named = l->n % 2 == 0,
                          .size = size,
                          .dev = (dev_t)(7 + l->n),
                          .ino = (ino_t)(99 + l->n),
                          .mtime_ns = (int64_t)(1700000000123456789LL + (long long)l->n)};
    l->cap = ++l->n;
}

static void sample_list(struct csvb_joblist *l)
{
    memset(l, 0, sizeof *l);
    add_job(l, "data/a.csv", "data/a_processed.csv", NULL, CSVB_JOB_RUN, NULL, 12345);
    add_job(l, "data/b\ncsv", "out/b_processed.csv", "out/b_rejects.csv", CSVB_JOB_RUN, NULL, 0);
    add_job(l, "data/fifo", NULL, NULL, CSVB_JOB_SKIP, "not a regular file", 0);
    add_job(l, "x.csv", "x_processed.csv", NULL, CSVB_JOB_FAIL, "output conflicts", 5);
    add_job(l, "", "", "", CSVB_JOB_UNCHANGED, "", (off_t)1 << 40);
}

static void same_string(const char *a, const char *b, size_t i)
{
    if (a == NULL || b == NULL)
        cr_assert(a == b, "job %zu: NULL on one side only", i);
    else
        cr_assert_str_eq(a, b, "job %zu", i);
}

Test(wire, job_list_round_trip)
{
    struct csvb_joblist in, out;
    struct csvb_wire w;
    struct csvb_diag d;
    sample_list(&in);
    csvb_wire_init(&w);
    csvb_diag_init(&d);
    cr_assert_eq(csvb_wire_put_jobs(&w, &in), CSVB_OK);
    cr_assert_eq(csvb_wire_get_jobs(w.data, w.len, &out, &d), CSVB_OK, "%s", d.message);
    cr_assert_eq(out.n, in.n);
    for (size_t i = 0; i < in.n; i++) {
        const struct csvb_job *a = &in.jobs[i], *b = &out.jobs[i];
        same_string(a->path, b->path, i);
        same_string(a->output_path, b->output_path, i);
        same_string(a->rejects_path, b->rejects_path, i);
        same_string(a->reason, b->reason, i);
        cr_assert_eq(a->kind, b->kind);
        cr_assert_eq(a->named, b->named);
        cr_assert_eq(a->size, b->size);
        cr_assert_eq(a->dev, b->dev);
        cr_assert_eq(a->ino, b->ino);
        cr_assert_eq(a->mtime_ns, b->mtime_ns);
    }
    csvb_joblist_fini(&out);
    /* Every cut short of the whole message, and one byte too many, is refused. */
    for (size_t cut = 0; cut < w.len; cut++) {
        csvb_diag_init(&d);
        cr_assert_eq(csvb_wire_get_jobs(w.data, cut, &out, &d), CSVB_E_IO, "cut %zu", cut);
        csvb_joblist_fini(&out);
    }
    cr_assert_eq(csvb_wire_put(&w, "x", 1), CSVB_OK);
    csvb_diag_init(&d);
    cr_assert_eq(csvb_wire_get_jobs(w.data, w.len, &out, &d), CSVB_E_IO);
    cr_assert(strstr(d.message, "past the end") != NULL, "%s", d.message);
    csvb_joblist_fini(&out);
    csvb_joblist_fini(&in);
    csvb_wire_fini(&w);
    csvb_wire_fini(&w); /* safe twice */
}

static void sample_result(struct csvb_result *r)
{
    csvb_result_init(r);
    r->status = CSVB_STATUS_FAILED;
    r->rows_read = 41;
    r->rows_written = 40;
    r->bytes_read = 1u << 20;
    r->seconds = 0.25;
    r->parse_runs = 3;
    r->diag.code = CSVB_E_PARSE;
    r->diag.line = 1042;
    strcpy(r->diag.message, "expected 8 fields, found 5");
    strcpy(r->dialect.encoding, "WINDOWS-1252");
    r->dialect.delimiter = ';';
    struct csvb_field head[] = {{"Name", 4}, {"Sta\0tus", 7}, {"", 0}};
    struct csvb_field row[] = {{"Alice, A.", 9}};
    struct csvb_row h = {head, 3, 1}, b = {row, 1, 7};
    cr_assert_eq(csvb_rows_append(&r->preview, &h), CSVB_OK);
    cr_assert_eq(csvb_rows_append(&r->preview, &b), CSVB_OK);
}

Test(wire, result_round_trip)
{
    struct csvb_result in, out;
    struct csvb_wire w;
    struct csvb_diag d;
    size_t used = 0;
    sample_result(&in);
    csvb_result_init(&out);
    csvb_wire_init(&w);
    csvb_diag_init(&d);
    cr_assert_eq(csvb_wire_put_result(&w, &in), CSVB_OK);
    cr_assert_eq(csvb_wire_put(&w, "tail", 4), CSVB_OK); /* what follows is not taken */
    cr_assert_eq(csvb_wire_get_result(w.data, w.len, &out, &used, &d), CSVB_OK);
    cr_assert_eq(used, w.len - 4);
    cr_assert_eq(out.status, CSVB_STATUS_FAILED);
    cr_assert_eq(out.rows_read, 41);
    cr_assert_eq(out.rows_written, 40);
    cr_assert_eq(out.bytes_read, 1u << 20);
    cr_assert_eq(out.parse_runs, 3);
    cr_assert_eq(out.diag.line, 1042);
    cr_assert_str_eq(out.diag.message, "expected 8 fields, found 5");
    cr_assert_str_eq(out.dialect.encoding, "WINDOWS-1252");
    cr_assert_eq(out.preview.n, 2);
    cr_assert_eq(out.preview.rows[0].nfields, 3);
    cr_assert_eq(out.preview.rows[0].line, 1);
    cr_assert_eq(out.preview.rows[0].fields[1].len, 7);
    cr_assert_eq(memcmp(out.preview.rows[0].fields[1].ptr, "Sta\0tus", 7), 0);
    cr_assert_eq(out.preview.rows[0].fields[2].len, 0);
    cr_assert_eq(out.preview.rows[1].line, 7);
    cr_assert_str_eq(out.preview.rows[1].fields[0].ptr, "Alice, A.");
    cr_assert_neq(out.preview.rows, in.preview.rows); /* its own copy */
    for (size_t cut = 0; cut < used; cut++) {
        csvb_diag_init(&d);
        cr_assert_eq(csvb_wire_get_result(w.data, cut, &out, &used, &d), CSVB_E_IO, "cut %zu", cut);
        cr_assert_eq(out.preview.n, 0);
        cr_assert_eq(out.status, CSVB_STATUS_SUCCESS);
    }
    csvb_result_fini(&out);
    csvb_result_fini(&in);
    csvb_wire_fini(&w);
}

/* A WORK message's entries: two results back to back, each after its job index, read in turn;
 * every cut short of an entry's end is refused. */
Test(wire, done_entries_back_to_back)
{
    struct csvb_result a, b, out;
    struct csvb_wire w;
    struct csvb_diag d;
    size_t used = 0, index = 0;
    sample_result(&a);
    csvb_result_init(&b);
    b.rows_read = 7;
    csvb_result_init(&out);
    csvb_wire_init(&w);
    csvb_diag_init(&d);
    cr_assert_eq(csvb_wire_put_done(&w, 12, &a), CSVB_OK);
    size_t first = w.len;
    cr_assert_eq(csvb_wire_put_done(&w, 3, &b), CSVB_OK);
    cr_assert_eq(csvb_wire_get_done(w.data, w.len, &index, &out, &used, &d), CSVB_OK);
    cr_assert_eq(index, 12);
    cr_assert_eq(used, first);
    cr_assert_eq(out.rows_read, 41);
    cr_assert_eq(out.preview.n, 2);
    cr_assert_str_eq(out.preview.rows[1].fields[0].ptr, "Alice, A.");
    cr_assert_eq(csvb_wire_get_done(w.data + used, w.len - used, &index, &out, &used, &d), CSVB_OK);
    cr_assert_eq(index, 3);
    cr_assert_eq(used, w.len - first);
    cr_assert_eq(out.rows_read, 7);
    cr_assert_eq(out.preview.n, 0);
    for (size_t cut = 0; cut < first; cut++) {
        csvb_diag_init(&d);
        cr_assert_eq(csvb_wire_get_done(w.data, cut, &index, &out, &used, &d), CSVB_E_IO, "cut %zu",
                     cut);
        cr_assert_eq(index, cut < 8 ? SIZE_MAX : 12, "cut %zu", cut);
        cr_assert_str_eq(d.message, "result message malformed");
    }
    csvb_result_fini(&out);
    csvb_result_fini(&a);
    csvb_result_fini(&b);
    csvb_wire_fini(&w);
}
