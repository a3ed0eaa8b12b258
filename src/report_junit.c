/* report_junit.c — JUnit XML through libxml2's xmlTextWriter, rendered in memory, then atomic. */
#include "csvbatch/report_junit.h"

#include "csvbatch/atomic.h"
#include "csvbatch/utf8.h"

#include <errno.h>
#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* libxml2 takes unsigned char strings; BAD_CAST would drop const. */
#define XC(s) ((const xmlChar *)(s))

/* XML 1.0's Char production, less DEL (allowed there, but no more readable than the C0 ones). */
static bool xml_char(unsigned cp)
{
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp < 0x7F) ||
           (cp > 0x7F && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
}

/* s with every byte XML cannot carry rendered as "\xNN". Caller frees; NULL when out of memory. */
static char *xml_text(const char *s)
{
    size_t n = strlen(s), used = 0;
    char *out = malloc(n * 4 + 1); /* "\xNN" is four bytes for one */
    if (out == NULL)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned cp = 0;
        size_t len = csvb_utf8_decode(p + i, n - i, &cp); /* NUL: not xml_char */
        if (len > 0 && xml_char(cp)) {
            memcpy(out + used, p + i, len);
            used += len;
        } else {
            if (len == 0)
                len = 1; /* a byte that is not UTF-8: render it alone, resync on the next */
            for (size_t k = 0; k < len; k++)
                used += (size_t)snprintf(out + used, 5, "\\x%02X", p[i + k]);
        }
        i += len;
    }
    out[used] = '\0';
    return out;
}

static int put_attr(xmlTextWriterPtr w, const char *name, const char *value)
{
    char *clean = xml_text(value);
    if (clean == NULL)
        return -1;
    int rc = xmlTextWriterWriteAttribute(w, XC(name), XC(clean));
    free(clean);
    return rc;
}

static int put_text(xmlTextWriterPtr w, const char *text)
{
    char *clean = xml_text(text);
    if (clean == NULL)
        return -1;
    int rc = xmlTextWriterWriteString(w, XC(clean));
    free(clean);
    return rc;
}

static int put_seconds(xmlTextWriterPtr w, double seconds)
{
    return xmlTextWriterWriteFormatAttribute(w, BAD_CAST "time", "%.6f",
                                             seconds > 0 ? seconds : 0.0);
}

static const char *error_type(enum csvb_err code)
{
    static const char *const names[] = {
        [CSVB_E_USAGE] = "usage",       [CSVB_E_IO] = "io",
        [CSVB_E_PARSE] = "parse",       [CSVB_E_SCHEMA] = "schema",
        [CSVB_E_LIMIT] = "limit",       [CSVB_E_NOMEM] = "nomem",
        [CSVB_E_CONFLICT] = "conflict", [CSVB_E_CANCELLED] = "cancelled",
        [CSVB_E_TIMEOUT] = "timeout",
    };
    size_t k = (size_t)code;
    return k < sizeof names / sizeof names[0] && names[k] != NULL ? names[k] : "error";
}

/* <failure message= type=>PATH:LINE: MESSAGE</failure> */
static int put_failure(xmlTextWriterPtr w, const char *path, const struct csvb_diag *diag)
{
    char message[CSVB_DIAG_MESSAGE_MAX + 32];
    if (diag->line > 0)
        snprintf(message, sizeof message, "line %lu: %s", diag->line, diag->message);
    else
        snprintf(message, sizeof message, "%s", diag->message);
    size_t size = strlen(path) + sizeof message;
    char *full = malloc(size);
    if (full == NULL)
        return -1;
    csvb_diag_format(diag, path, full, size);
    int rc = xmlTextWriterStartElement(w, BAD_CAST "failure") < 0 ||
                     put_attr(w, "message", message) < 0 ||
                     put_attr(w, "type", error_type(diag->code)) < 0 || put_text(w, full) < 0 ||
                     xmlTextWriterEndElement(w) < 0
                 ? -1
                 : 0;
    free(full);
    return rc;
}

static int put_system_out(xmlTextWriterPtr w, const struct csvb_junit_case *c)
{
    char *text = NULL;
    int len = c->output != NULL ? asprintf(&text, "%llu rows read, %llu written to %s",
                                           (unsigned long long)c->result->rows_read,
                                           (unsigned long long)c->result->rows_written, c->output)
                                : asprintf(&text, "%llu rows read, %llu written",
                                           (unsigned long long)c->result->rows_read,
                                           (unsigned long long)c->result->rows_written);
    if (len < 0)
        return -1;
    int rc = xmlTextWriterStartElement(w, BAD_CAST "system-out") < 0 || put_text(w, text) < 0 ||
                     xmlTextWriterEndElement(w) < 0
                 ? -1
                 : 0;
    free(text);
    return rc;
}

static int put_case(xmlTextWriterPtr w, const struct csvb_junit_case *c)
{
    const char *slash = strrchr(c->path, '/');
    char *dir = slash == NULL ? strdup(".")
                              : strndup(c->path, (size_t)(slash - c->path) + (slash == c->path));
    if (dir == NULL)
        return -1;
    const struct csvb_result *r = c->result;
    int rc = xmlTextWriterStartElement(w, BAD_CAST "testcase") < 0 ||
             put_attr(w, "classname", dir) < 0 ||
             put_attr(w, "name", slash == NULL ? c->path : slash + 1) < 0 ||
             put_seconds(w, r->seconds) < 0;
    free(dir);
    if (rc != 0)
        return -1;
    if (r->status == CSVB_STATUS_FAILED) {
        rc = put_failure(w, c->path, &r->diag) < 0 || put_system_out(w, c) < 0;
    } else if (r->status != CSVB_STATUS_SUCCESS) {
        rc = xmlTextWriterStartElement(w, BAD_CAST "skipped") < 0 ||
             (r->diag.message[0] != '\0' && put_attr(w, "message", r->diag.message) < 0) ||
             xmlTextWriterEndElement(w) < 0;
    } else {
        rc = put_system_out(w, c) < 0;
    }
    return rc != 0 || xmlTextWriterEndElement(w) < 0 ? -1 : 0;
}

/* Where the document's cases come from: a caller's array, or the run's jobs and results read
 * one at a time (a run keeps its results packed: results.h). */
struct cases {
    const struct csvb_junit_case *array; /* NULL: list and results */
    const struct csvb_joblist *list;
    const struct csvb_results *results;
    size_t n;
};

/* Case i; its result may be in buf (valid until buf is used again). */
static struct csvb_junit_case case_at(const struct cases *cs, size_t i, struct csvb_result *buf)
{
    if (cs->array != NULL)
        return cs->array[i];
    /* list and results are set whenever array is not (csvb_report_junit) */
    // NOLINTNEXTLINE(clang-analyzer-core.NullDereference)
    const struct csvb_job *job = &cs->list->jobs[i];
    const struct csvb_result *r = csvb_results_get(cs->results, i, buf);
    return (struct csvb_junit_case){job->path, csvb_report_output(job, r), r};
}

/* The attributes testsuites and testsuite share: name, counts, time. */
static int put_counts(xmlTextWriterPtr w, const struct cases *cs, double seconds)
{
    size_t failures = 0, skipped = 0, n = cs->n;
    struct csvb_result buf;
    for (size_t i = 0; i < n; i++) {
        enum csvb_status st = case_at(cs, i, &buf).result->status;
        failures += st == CSVB_STATUS_FAILED;
        skipped += st != CSVB_STATUS_FAILED && st != CSVB_STATUS_SUCCESS;
    }
    return put_attr(w, "name", "csvbatch") < 0 ||
                   xmlTextWriterWriteFormatAttribute(w, BAD_CAST "tests", "%zu", n) < 0 ||
                   xmlTextWriterWriteFormatAttribute(w, BAD_CAST "failures", "%zu", failures) < 0 ||
                   put_attr(w, "errors", "0") < 0 ||
                   xmlTextWriterWriteFormatAttribute(w, BAD_CAST "skipped", "%zu", skipped) < 0 ||
                   put_seconds(w, seconds) < 0
               ? -1
               : 0;
}

static int put_properties(xmlTextWriterPtr w, const struct csvb_junit_run *run)
{
    if (xmlTextWriterStartElement(w, BAD_CAST "properties") < 0)
        return -1;
    for (size_t i = 0; i < run->nproperties; i++) {
        const struct csvb_junit_property *p = &run->properties[i];
        if (xmlTextWriterStartElement(w, BAD_CAST "property") < 0 ||
            put_attr(w, "name", p->name) < 0 ||
            put_attr(w, "value", p->value != NULL ? p->value : "") < 0 ||
            xmlTextWriterEndElement(w) < 0)
            return -1;
    }
    return xmlTextWriterEndElement(w);
}

static int put_document(xmlTextWriterPtr w, const struct csvb_junit_run *run,
                        const struct cases *cs)
{
    char host[256] = "localhost", stamp[32] = "1970-01-01T00:00:00";
    if (run->hostname != NULL)
        snprintf(host, sizeof host, "%s", run->hostname);
    else if (gethostname(host, sizeof host) != 0 || host[0] == '\0')
        snprintf(host, sizeof host, "localhost");
    host[sizeof host - 1] = '\0'; /* gethostname need not terminate a truncated name */
    struct tm tm;
    if (gmtime_r(&run->started, &tm) != NULL)
        strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    if (xmlTextWriterSetIndent(w, 1) < 0 || xmlTextWriterSetIndentString(w, BAD_CAST "  ") < 0 ||
        xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) < 0 ||
        xmlTextWriterStartElement(w, BAD_CAST "testsuites") < 0 ||
        put_counts(w, cs, run->seconds) < 0 ||
        xmlTextWriterStartElement(w, BAD_CAST "testsuite") < 0 ||
        put_counts(w, cs, run->seconds) < 0 || put_attr(w, "timestamp", stamp) < 0 ||
        put_attr(w, "hostname", host) < 0 || put_properties(w, run) < 0)
        return -1;
    struct csvb_result buf;
    for (size_t i = 0; i < cs->n; i++) {
        struct csvb_junit_case c = case_at(cs, i, &buf);
        if (put_case(w, &c) < 0)
            return -1;
    }
    return xmlTextWriterEndDocument(w) < 0 ? -1 : 0; /* closes testsuite and testsuites */
}

static int write_all(int fd, const unsigned char *p, size_t len)
{
    while (len > 0) {
        ssize_t k = write(fd, p, len);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return errno;
        p += k;
        len -= (size_t)k;
    }
    return 0;
}

/* csvb_report_junit_write, the cases from cs. */
static enum csvb_err write_cases(const char *path, const struct csvb_junit_run *run,
                                 const struct cases *cs, struct csvb_diag *d)
{
    enum csvb_err result = CSVB_OK;
    struct csvb_atomic a = {.fd = -1, .tmp_path = NULL, .final_path = NULL, .tracked = -1};
    xmlBufferPtr buf = xmlBufferCreate();
    xmlTextWriterPtr w = buf != NULL ? xmlNewTextWriterMemory(buf, 0) : NULL;
    if (w == NULL || put_document(w, run, cs) < 0) {
        result = csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory writing %s", path);
        goto out;
    }
    xmlFreeTextWriter(w); /* flushes into buf */
    w = NULL;
    if ((result = csvb_atomic_open(&a, path, false, 0666, d)) != CSVB_OK)
        goto out;
    int err = write_all(a.fd, xmlBufferContent(buf), (size_t)xmlBufferLength(buf));
    if (err != 0) {
        result = csvb_diag_errno(d, CSVB_E_IO, err, "cannot write %s", path);
        goto out;
    }
    result = csvb_atomic_commit(&a, run->fsync, d);
out:
    csvb_atomic_abort(&a);
    xmlFreeTextWriter(w);
    xmlBufferFree(buf);
    return result;
}

enum csvb_err csvb_report_junit_write(const char *path, const struct csvb_junit_run *run,
                                      const struct csvb_junit_case *cases, size_t n,
                                      struct csvb_diag *d)
{
    const struct cases cs = {cases, NULL, NULL, n};
    return write_cases(path, run, &cs, d);
}

/* ---- The run, from the summary's data (--junit). ---- */

/* The properties being collected: owned name and value strings. */
struct props {
    struct csvb_junit_property *items;
    char **owned; /* every string allocated here, freed together */
    size_t n, nowned, cap;
    bool oom;
};

static const char *props_keep(struct props *p, char *s)
{
    if (s == NULL) {
        p->oom = true;
        return "";
    }
    p->owned[p->nowned++] = s;
    return s;
}

/* One option, as options.h describes it, as a property value text. */
static void prop_emit(void *ctx, const char *key, const struct csvb_opt_value *v)
{
    struct props *p = ctx;
    if (p->oom || p->n == p->cap)
        return;
    char *value = NULL;
    if (v->kind == CSVB_VALUE_BOOL)
        value = strdup(v->boolean ? "true" : "false");
    else if (v->kind == CSVB_VALUE_INT || v->kind == CSVB_VALUE_REAL) {
        int n = v->kind == CSVB_VALUE_INT ? asprintf(&value, "%lld", v->integer)
                                          : asprintf(&value, "%g", v->real);
        if (n < 0)
            value = NULL;
    } else if (v->kind == CSVB_VALUE_STRING)
        value = strdup(v->string);
    else if (v->kind == CSVB_VALUE_NULL)
        value = strdup("");
    else if (v->kind == CSVB_VALUE_LIST) {
        size_t len = 1;
        for (size_t i = 0; i < v->count; i++)
            len += strlen(v->list[i]) + 1;
        if ((value = malloc(len)) != NULL) {
            value[0] = '\0';
            for (size_t i = 0; i < v->count; i++) {
                if (i > 0)
                    strcat(value, ",");
                strcat(value, v->list[i]);
            }
        }
    }
    p->items[p->n].name = props_keep(p, strdup(key));
    p->items[p->n].value = props_keep(p, value);
    p->n++;
}

enum csvb_err csvb_report_junit_run(const char *path, const struct csvb_options *opt,
                                    const struct csvb_joblist *list,
                                    const struct csvb_results *results, const struct csvb_totals *t,
                                    const struct csvb_run_info *info, time_t started,
                                    struct csvb_diag *d)
{
    enum { MAX_PROPS = 64 }; /* the options describe lists, and the stamp: a few dozen */
    struct csvb_junit_property items[MAX_PROPS];
    char *owned[2 * MAX_PROPS];
    struct props p = {items, owned, 0, 0, MAX_PROPS - 1, false};
    enum csvb_err err = CSVB_E_NOMEM;
    csvb_options_describe(opt, info->threads, prop_emit, &p);
    items[p.n++] = (struct csvb_junit_property){"stamp", info->stamp ? info->stamp : ""};
    if (p.oom) {
        csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
        goto out;
    }
    struct csvb_junit_run run = {started, t->seconds, NULL, items, p.n, opt->fsync};
    const struct cases cs = {NULL, list, results, list->n};
    err = write_cases(path, &run, &cs, d);
out:
    for (size_t i = 0; i < p.nowned; i++)
        free(owned[i]);
    return err;
}
