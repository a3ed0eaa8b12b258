/* test_incremental.c — the skip decision as a table, the options fingerprint, the manifest and
 * journal formats (round trip, refusals, a torn journal line), path helpers. */
#include <criterion/criterion.h>
#include <string.h>

#include "csvbatch/incremental.h"
#include "helpers.h"

/* Everything the same: the baseline each row changes. */
static struct csvb_incr_facts same(void)
{
    return (struct csvb_incr_facts){.have_entry = true,
                                    .fingerprint_same = true,
                                    .size_same = true,
                                    .dev_same = true,
                                    .mtime_same = true,
                                    .ctime_same = true,
                                    .ino_same = true,
                                    .outputs_ok = true};
}

enum field { NONE, FORCE, NO_ENTRY, FP, SIZE, DEV, MTIME, CTIME, INO, RACY, VERIFY, OUTPUTS };

static void set(struct csvb_incr_facts *f, enum field k)
{
    switch (k) {
    case NONE:
        break;
    case FORCE:
        f->force = true;
        break;
    case NO_ENTRY:
        f->have_entry = false;
        break;
    case FP:
        f->fingerprint_same = false;
        break;
    case SIZE:
        f->size_same = false;
        break;
    case DEV:
        f->dev_same = false;
        break;
    case MTIME:
        f->mtime_same = false;
        break;
    case CTIME:
        f->ctime_same = false;
        break;
    case INO:
        f->ino_same = false;
        break;
    case RACY:
        f->racy = true;
        break;
    case VERIFY:
        f->verify = true;
        break;
    case OUTPUTS:
        f->outputs_ok = false;
        break;
    }
}

Test(incremental, decision_table)
{
    static const struct {
        enum field change;
        enum csvb_incr_verdict before_hash; /* hash not known */
        enum csvb_incr_verdict hash_same, hash_differs;
    } rows[] = {
        {NONE, CSVB_INCR_UNCHANGED, CSVB_INCR_UNCHANGED, CSVB_INCR_UNCHANGED},
        {FORCE, CSVB_INCR_RUN, CSVB_INCR_RUN, CSVB_INCR_RUN},
        {NO_ENTRY, CSVB_INCR_RUN, CSVB_INCR_RUN, CSVB_INCR_RUN},
        {FP, CSVB_INCR_RUN, CSVB_INCR_RUN, CSVB_INCR_RUN},
        {SIZE, CSVB_INCR_RUN, CSVB_INCR_RUN, CSVB_INCR_RUN},
        {DEV, CSVB_INCR_RUN, CSVB_INCR_RUN, CSVB_INCR_RUN},
        {OUTPUTS, CSVB_INCR_RUN, CSVB_INCR_RUN, CSVB_INCR_RUN},
        {MTIME, CSVB_INCR_HASH, CSVB_INCR_UNCHANGED, CSVB_INCR_RUN},
        {CTIME, CSVB_INCR_HASH, CSVB_INCR_UNCHANGED, CSVB_INCR_RUN},
        {INO, CSVB_INCR_HASH, CSVB_INCR_UNCHANGED, CSVB_INCR_RUN},
        {RACY, CSVB_INCR_HASH, CSVB_INCR_UNCHANGED, CSVB_INCR_RUN},
        {VERIFY, CSVB_INCR_HASH, CSVB_INCR_UNCHANGED, CSVB_INCR_RUN},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct csvb_incr_facts f = same();
        set(&f, rows[i].change);
        cr_assert_eq(csvb_incremental_decide(&f), rows[i].before_hash, "row %zu", i);
        f.hash_known = true;
        f.hash_same = true;
        cr_assert_eq(csvb_incremental_decide(&f), rows[i].hash_same, "row %zu, same hash", i);
        f.hash_same = false;
        cr_assert_eq(csvb_incremental_decide(&f), rows[i].hash_differs, "row %zu, other hash", i);
    }
    /* A hash that could not be computed never lets a changed file through. */
    struct csvb_incr_facts f = same();
    f.mtime_same = false;
    f.hash_known = false;
    f.hash_same = true;
    cr_assert_eq(csvb_incremental_decide(&f), CSVB_INCR_HASH);
}

Test(incremental, fingerprint_follows_output_bytes_not_the_stamp_value)
{
    struct csvb_options a, b;
    csvb_options_init(&a);
    csvb_options_init(&b);
    char fa[CSVB_HASH_HEX], fb[CSVB_HASH_HEX];
    b.timestamp = "2001-01-01T00:00:00Z"; /* the stamp value */
    b.jobs = 7;                           /* and what changes no byte */
    b.output_dir = "elsewhere";
    b.fsync = false;
    b.chunk_size = 0;
    csvb_incremental_fingerprint(&a, fa);
    csvb_incremental_fingerprint(&b, fb);
    cr_assert_str_eq(fa, fb);
    b.no_stamp = true; /* whether there is a stamp column */
    csvb_incremental_fingerprint(&b, fb);
    cr_assert_str_neq(fa, fb);
    b.no_stamp = false;
    b.suffix = "_out";
    csvb_incremental_fingerprint(&b, fb);
    cr_assert_str_neq(fa, fb);
    b.suffix = a.suffix;
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_options_set_select(&b, "Name", &d), CSVB_OK);
    csvb_incremental_fingerprint(&b, fb);
    cr_assert_str_neq(fa, fb);
    csvb_options_fini(&a);
    csvb_options_fini(&b);
}

static void fill_entry(struct csvb_incr_entry *e, const char *key, int n)
{
    memset(e, 0, sizeof *e);
    e->key = strdup(key);
    e->input = strdup("sub/a.csv");
    memset(e->fingerprint, 'f', CSVB_HASH_HEX - 1);
    e->size = 10 + (uint64_t)n;
    e->mtime_ns = 1577836800123456789;
    e->ctime_ns = 1577836801000000001;
    e->dev = 2049, e->ino = 77, e->read_ns = 1577836802000000000;
    csvb_hash_buffer(key, strlen(key), e->hash);
    e->outputs[0].path = strdup(key);
    e->outputs[0].size = 5;
    e->noutputs = 1;
    snprintf(e->stamp, sizeof e->stamp, "T%d", n);
    snprintf(e->recorded_at, sizeof e->recorded_at, "2026-01-01T00:00:0%dZ", n);
}

Test(incremental, manifest_round_trip_and_refusals)
{
    char *dir = tmpdir_new();
    char *path = path_in(dir, CSVB_MANIFEST_NAME);
    struct csvb_manifest m = {0}, back;
    struct csvb_diag d;
    csvb_diag_init(&d);
    struct csvb_incr_entry e;
    fill_entry(&e, "b_processed.csv", 1);
    cr_assert_eq(csvb_manifest_add(&m, &e, &d), CSVB_OK);
    fill_entry(&e, "a_processed.csv", 2);
    cr_assert_eq(csvb_manifest_add(&m, &e, &d), CSVB_OK);
    fill_entry(&e, "b_processed.csv", 3); /* a later entry for the same output wins */
    cr_assert_eq(csvb_manifest_add(&m, &e, &d), CSVB_OK);
    csvb_manifest_sort(&m);
    cr_assert_eq(m.n, 2);
    cr_assert_str_eq(csvb_manifest_find(&m, "b_processed.csv")->stamp, "T3");
    cr_assert_null(csvb_manifest_find(&m, "c_processed.csv"));
    cr_assert_eq(csvb_manifest_save(path, "/root/x", &m, false, &d), CSVB_OK, "%s", d.message);
    bool missing = true;
    cr_assert_eq(csvb_manifest_load(path, "/root/x", &back, &missing, &d), CSVB_OK, "%s",
                 d.message);
    cr_assert_not(missing);
    cr_assert_eq(back.n, 2);
    const struct csvb_incr_entry *b = csvb_manifest_find(&back, "b_processed.csv");
    cr_assert_eq(b->mtime_ns, 1577836800123456789);
    cr_assert_eq(b->size, 13);
    cr_assert_eq(memcmp(b->hash, m.entries[1].hash, CSVB_HASH_SIZE), 0);
    cr_assert_str_eq(b->input, "sub/a.csv");
    csvb_manifest_fini(&back);
    /* Another root, a missing file, garbage. */
    cr_assert_eq(csvb_manifest_load(path, "/root/y", &back, &missing, &d), CSVB_E_PARSE);
    cr_assert(strstr(d.message, "another output directory") != NULL, "%s", d.message);
    char *none = path_in(dir, "none.json");
    cr_assert_eq(csvb_manifest_load(none, "/root/x", &back, &missing, &d), CSVB_OK);
    cr_assert(missing);
    cr_assert_eq(back.n, 0);
    write_text(dir, "bad.json",
               "{\"tool\":\"csvbatch\",\"format\":1,\"version\":\"" CSVB_VERSION
               "\",\"root\":\"/root/x\",\"entries\":[{\"output\":1}]}");
    char *bad = path_in(dir, "bad.json");
    csvb_diag_init(&d);
    cr_assert_eq(csvb_manifest_load(bad, "/root/x", &back, &missing, &d), CSVB_E_PARSE);
    cr_assert(strstr(d.message, "entry 1 is malformed") != NULL, "%s", d.message);
    csvb_manifest_fini(&m);
    free(path);
    free(none);
    free(bad);
    tmpdir_free(dir);
}

Test(incremental, journal_replay_stops_at_a_torn_line)
{
    char *dir = tmpdir_new();
    struct csvb_incr_entry e;
    size_t len1, len2;
    fill_entry(&e, "a_processed.csv", 1);
    char *l1 = csvb_manifest_entry_line(&e, &len1);
    csvb_incr_entry_fini(&e);
    fill_entry(&e, "b_processed.csv", 2);
    char *l2 = csvb_manifest_entry_line(&e, &len2);
    csvb_incr_entry_fini(&e);
    cr_assert(l1 && l2 && l1[len1 - 1] == '\n' && strchr(l1, '\n') == l1 + len1 - 1);
    char *text = NULL;
    cr_assert_geq(asprintf(&text, "%s%.*s", l1, (int)(len2 / 2), l2), 0); /* a crash mid-line */
    write_text(dir, "j", text);
    char *j = path_in(dir, "j");
    struct csvb_manifest m = {0};
    cr_assert_eq(csvb_manifest_replay(j, &m), 1);
    cr_assert_str_eq(m.entries[0].key, "a_processed.csv");
    csvb_manifest_fini(&m);
    csvb_manifest_fini(&m); /* safe twice */
    free(text);
    free(l1);
    free(l2);
    free(j);
    tmpdir_free(dir);
}

Test(incremental, relative_paths)
{
    cr_assert_str_eq(csvb_incr_rel("data", "data/a.csv"), "a.csv");
    cr_assert_str_eq(csvb_incr_rel("data/", "data/s/a.csv"), "s/a.csv");
    cr_assert_str_eq(csvb_incr_rel(".", "./a.csv"), "a.csv");
    cr_assert_str_eq(csvb_incr_rel(".", "a.csv"), "a.csv");
    cr_assert_null(csvb_incr_rel("data", "database/a.csv"));
    cr_assert_null(csvb_incr_rel("data", "data"));
    char *p = csvb_incr_join("out/", "a.csv");
    cr_assert_str_eq(p, "out/a.csv");
    free(p);
    p = csvb_incr_join("out", "/abs/a.csv");
    cr_assert_str_eq(p, "/abs/a.csv");
    free(p);
}
