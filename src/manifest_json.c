/* manifest_json.c — the --incremental manifest and journal lines as JSON: the second jansson door
 * (report_json.c is the first); the entry list itself (add, sort, find). */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvbatch/atomic.h"
#include "csvbatch/incremental.h"

void csvb_incr_entry_fini(struct csvb_incr_entry *e)
{
    if (e == NULL)
        return;
    free(e->key);
    free(e->input);
    for (size_t k = 0; k < e->noutputs; k++)
        free(e->outputs[k].path);
    memset(e, 0, sizeof *e);
}

void csvb_manifest_fini(struct csvb_manifest *m)
{
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->n; i++)
        csvb_incr_entry_fini(&m->entries[i]);
    free(m->entries);
    memset(m, 0, sizeof *m);
}

enum csvb_err csvb_manifest_add(struct csvb_manifest *m, struct csvb_incr_entry *e,
                                struct csvb_diag *d)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 64;
        struct csvb_incr_entry *p = realloc(m->entries, cap * sizeof *p);
        if (p == NULL) {
            csvb_incr_entry_fini(e);
            return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
        }
        m->entries = p;
        m->cap = cap;
    }
    m->entries[m->n++] = *e;
    memset(e, 0, sizeof *e);
    return CSVB_OK;
}

/* By key, then by position (added later sorts later): the sort keeps the last of equal keys. */
struct order {
    const char *key;
    size_t pos;
};

static int cmp_order(const void *a, const void *b)
{
    const struct order *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c != 0 ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

void csvb_manifest_sort(struct csvb_manifest *m)
{
    struct order *o = malloc((m->n + 1) * sizeof *o);
    struct csvb_incr_entry *sorted = malloc((m->n + 1) * sizeof *sorted);
    if (o == NULL || sorted == NULL) { /* keep m as it is: find falls back to a scan */
        free(o);
        free(sorted);
        return;
    }
    for (size_t i = 0; i < m->n; i++)
        o[i] = (struct order){m->entries[i].key, i};
    qsort(o, m->n, sizeof *o, cmp_order);
    size_t n = 0;
    for (size_t i = 0; i < m->n; i++) {
        if (i + 1 < m->n && strcmp(o[i].key, o[i + 1].key) == 0) {
            csvb_incr_entry_fini(&m->entries[o[i].pos]); /* superseded by a later one */
            continue;
        }
        sorted[n++] = m->entries[o[i].pos];
    }
    free(o);
    free(m->entries);
    m->entries = sorted;
    m->n = n;
    m->cap = m->n + 1;
}

struct csvb_incr_entry *csvb_manifest_find(const struct csvb_manifest *m, const char *key)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(m->entries[mid].key, key);
        if (c == 0)
            return &m->entries[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static json_t *hex_json(const unsigned char digest[CSVB_HASH_SIZE])
{
    char hex[CSVB_HASH_HEX];
    return json_string(csvb_hash_hex(digest, hex));
}

/* One entry as a JSON object; NULL when a path is not UTF-8 (such a file is never recorded, so
 * always redone) or memory ran out. */
static json_t *entry_json(const struct csvb_incr_entry *e)
{
    json_t *o = json_object(), *outs = json_array();
    json_t *key = json_string(e->key), *input = json_string(e->input);
    if (o == NULL || outs == NULL || key == NULL || input == NULL)
        goto fail;
    json_object_set_new(o, "output", key);
    json_object_set_new(o, "input", input);
    json_object_set_new(o, "fingerprint", json_string(e->fingerprint));
    json_object_set_new(o, "size", json_integer((json_int_t)e->size));
    json_object_set_new(o, "mtime_ns", json_integer((json_int_t)e->mtime_ns));
    json_object_set_new(o, "ctime_ns", json_integer((json_int_t)e->ctime_ns));
    json_object_set_new(o, "dev", json_integer((json_int_t)e->dev));
    json_object_set_new(o, "ino", json_integer((json_int_t)e->ino));
    json_object_set_new(o, "read_ns", json_integer((json_int_t)e->read_ns));
    json_object_set_new(o, "xxh3_128", hex_json(e->hash));
    json_object_set_new(o, "stamp", json_string(e->stamp));
    json_object_set_new(o, "recorded_at", json_string(e->recorded_at));
    for (size_t k = 0; k < e->noutputs; k++) {
        json_t *f = json_object(), *p = json_string(e->outputs[k].path);
        if (f == NULL || p == NULL) {
            json_decref(f);
            json_decref(p);
            goto fail;
        }
        json_object_set_new(f, "path", p);
        json_object_set_new(f, "size", json_integer((json_int_t)e->outputs[k].size));
        json_object_set_new(f, "xxh3_128", hex_json(e->outputs[k].hash));
        json_array_append_new(outs, f);
    }
    json_object_set_new(o, "files", outs);
    return o;
fail:
    json_decref(o);
    json_decref(outs);
    json_decref(key);
    json_decref(input);
    return NULL;
}

static bool get_int(json_t *o, const char *name, int64_t *v)
{
    json_t *j = json_object_get(o, name);
    if (!json_is_integer(j))
        return false;
    *v = (int64_t)json_integer_value(j);
    return true;
}

static bool get_text(json_t *o, const char *name, char *buf, size_t size)
{
    const char *s = json_string_value(json_object_get(o, name));
    if (s == NULL || strlen(s) >= size)
        return false;
    memcpy(buf, s, strlen(s) + 1);
    return true;
}

static bool get_output(json_t *f, struct csvb_incr_output *out)
{
    int64_t size;
    const char *p = json_string_value(json_object_get(f, "path"));
    if (p == NULL || !get_int(f, "size", &size) || size < 0 ||
        !csvb_hash_parse(json_string_value(json_object_get(f, "xxh3_128")), out->hash))
        return false;
    out->size = (uint64_t)size;
    return (out->path = strdup(p)) != NULL;
}

/* Fills e from o; false (e freed) for anything missing or of the wrong type. */
static bool entry_from_json(json_t *o, struct csvb_incr_entry *e)
{
    memset(e, 0, sizeof *e);
    int64_t size, dev, ino;
    const char *key = json_string_value(json_object_get(o, "output"));
    const char *input = json_string_value(json_object_get(o, "input"));
    json_t *files = json_object_get(o, "files");
    bool ok = key != NULL && input != NULL && json_is_array(files) && json_array_size(files) >= 1 &&
              json_array_size(files) <= 2 &&
              get_text(o, "fingerprint", e->fingerprint, sizeof e->fingerprint) &&
              get_int(o, "size", &size) && get_int(o, "mtime_ns", &e->mtime_ns) &&
              get_int(o, "ctime_ns", &e->ctime_ns) && get_int(o, "dev", &dev) &&
              get_int(o, "ino", &ino) && get_int(o, "read_ns", &e->read_ns) &&
              csvb_hash_parse(json_string_value(json_object_get(o, "xxh3_128")), e->hash) &&
              get_text(o, "stamp", e->stamp, sizeof e->stamp) &&
              get_text(o, "recorded_at", e->recorded_at, sizeof e->recorded_at);
    if (ok) {
        e->key = strdup(key);
        e->input = strdup(input);
        ok = e->key != NULL && e->input != NULL;
    }
    size_t nfiles = json_array_size(files); /* 1 or 2: checked above */
    for (size_t k = 0; ok && k < nfiles && k < 2; k++, e->noutputs++)
        ok = get_output(json_array_get(files, k), &e->outputs[k]);
    if (ok && strcmp(e->outputs[0].path, e->key) != 0)
        ok = false;
    if (!ok) {
        csvb_incr_entry_fini(e);
        return false;
    }
    e->size = (uint64_t)size;
    e->dev = (uint64_t)dev;
    e->ino = (uint64_t)ino;
    return true;
}

char *csvb_manifest_entry_line(const struct csvb_incr_entry *e, size_t *len)
{
    json_t *o = entry_json(e);
    char *text = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (text == NULL)
        return NULL;
    size_t n = strlen(text);
    char *line = realloc(text, n + 2);
    if (line == NULL) {
        free(text);
        return NULL;
    }
    line[n] = '\n';
    line[n + 1] = '\0';
    *len = n + 1;
    return line;
}

enum csvb_err csvb_manifest_load(const char *path, const char *root, struct csvb_manifest *m,
                                 bool *missing, struct csvb_diag *d)
{
    memset(m, 0, sizeof *m);
    *missing = false;
    json_error_t err;
    json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
    if (doc == NULL) {
        if (access(path, F_OK) != 0 && errno == ENOENT) {
            *missing = true;
            return CSVB_OK;
        }
        return csvb_diag_set(d, CSVB_E_PARSE, (unsigned long)err.line, "%s", err.text);
    }
    enum csvb_err e = CSVB_E_PARSE;
    json_t *entries = json_object_get(doc, "entries");
    const char *tool = json_string_value(json_object_get(doc, "tool"));
    const char *version = json_string_value(json_object_get(doc, "version"));
    const char *where = json_string_value(json_object_get(doc, "root"));
    if (tool == NULL || strcmp(tool, "csvbatch") != 0 || !json_is_array(entries) ||
        json_integer_value(json_object_get(doc, "format")) != CSVB_MANIFEST_FORMAT) {
        csvb_diag_set(d, e, 0, "not a csvbatch manifest (format %d)", CSVB_MANIFEST_FORMAT);
        goto out;
    }
    if (version == NULL || strcmp(version, CSVB_VERSION) != 0) {
        csvb_diag_set(d, e, 0, "written by csvbatch %s, not %s", version ? version : "?",
                      CSVB_VERSION);
        goto out;
    }
    if (where == NULL || strcmp(where, root) != 0) {
        csvb_diag_set(d, e, 0, "written for another output directory (%s)", where ? where : "?");
        goto out;
    }
    for (size_t i = 0; i < json_array_size(entries); i++) {
        struct csvb_incr_entry en;
        if (!entry_from_json(json_array_get(entries, i), &en)) {
            csvb_diag_set(d, e, 0, "entry %zu is malformed", i + 1);
            csvb_manifest_fini(m);
            goto out;
        }
        if ((e = csvb_manifest_add(m, &en, d)) != CSVB_OK) {
            csvb_manifest_fini(m);
            goto out;
        }
        e = CSVB_E_PARSE;
    }
    e = CSVB_OK;
    csvb_manifest_sort(m);
out:
    json_decref(doc);
    return e;
}

enum csvb_err csvb_manifest_save(const char *path, const char *root, const struct csvb_manifest *m,
                                 bool do_fsync, struct csvb_diag *d)
{
    json_t *doc = json_object(), *entries = json_array();
    json_object_set_new(doc, "tool", json_string("csvbatch"));
    json_object_set_new(doc, "version", json_string(CSVB_VERSION));
    json_object_set_new(doc, "format", json_integer(CSVB_MANIFEST_FORMAT));
    json_object_set_new(doc, "root", json_string(root));
    for (size_t i = 0; i < m->n; i++) {
        json_t *o = entry_json(&m->entries[i]);
        if (o != NULL)
            json_array_append_new(entries, o);
    }
    json_object_set_new(doc, "entries", entries);
    char *text = json_dumps(doc, JSON_INDENT(1));
    json_decref(doc);
    if (text == NULL)
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    enum csvb_err e = csvb_atomic_write_text(path, text, do_fsync, d);
    free(text);
    return e;
}

size_t csvb_manifest_replay(const char *path, struct csvb_manifest *m)
{
    FILE *f = fopen(path, "re");
    size_t added = 0, cap = 0;
    char *line = NULL;
    ssize_t len;
    struct csvb_diag d;
    csvb_diag_init(&d);
    while (f != NULL && (len = getline(&line, &cap, f)) > 0) {
        if (line[len - 1] != '\n')
            break; /* cut by a crash: never acknowledged */
        json_error_t err;
        json_t *o = json_loadb(line, (size_t)len, 0, &err);
        struct csvb_incr_entry en;
        bool ok = o != NULL && entry_from_json(o, &en);
        json_decref(o);
        if (!ok || csvb_manifest_add(m, &en, &d) != CSVB_OK)
            break;
        added++;
    }
    free(line);
    if (f != NULL)
        fclose(f);
    return added;
}
