/* merge_reports.c — `csvbatch merge-reports`: shards' reports back into one summary, one code. */
#include "csvbatch/merge_reports.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csvbatch/report.h"

static int exit_rank(int code)
{
    return code >= 128 ? 3 : code == 2 ? 2 : code != 0 ? 1 : 0;
}

int csvb_merge_worst_exit(int a, int b)
{
    return exit_rank(b) > exit_rank(a) ? b : a;
}

/* Each share once, one count and one plan. */
static enum csvb_err check_shares(const struct csvb_report_doc *docs, const char *const *paths,
                                  size_t n, struct csvb_diag *d)
{
    for (size_t i = 0; i < n; i++) {
        const struct csvb_report_doc *a = &docs[i];
        if (!a->sharded)
            return csvb_diag_set(d, CSVB_E_IO, 0,
                                 "%s: not a shard's report (no \"shard\" member: run with "
                                 "--shard and --report)",
                                 paths[i]);
        if (a->shard_index < 1 || a->shard_index > a->shard_count)
            return csvb_diag_set(d, CSVB_E_IO, 0, "%s: share %u of %u is out of range", paths[i],
                                 a->shard_index, a->shard_count);
        if (a->shard_count != docs[0].shard_count || a->files_total != docs[0].files_total ||
            strcmp(a->plan_digest, docs[0].plan_digest) != 0)
            return csvb_diag_set(d, CSVB_E_IO, 0,
                                 "%s is from another plan than %s (share %u of %u, plan %s; "
                                 "there: share %u of %u, plan %s)",
                                 paths[i], paths[0], a->shard_index, a->shard_count, a->plan_digest,
                                 docs[0].shard_index, docs[0].shard_count, docs[0].plan_digest);
        for (size_t k = 0; k < i; k++)
            if (docs[k].shard_index == a->shard_index)
                return csvb_diag_set(d, CSVB_E_IO, 0, "share %u of %u is given twice: %s and %s",
                                     a->shard_index, a->shard_count, paths[k], paths[i]);
    }
    unsigned count = n > 0 ? docs[0].shard_count : 0;
    for (unsigned s = 1; s <= count; s++) {
        size_t k = 0;
        while (k < n && docs[k].shard_index != s)
            k++;
        if (k == n)
            return csvb_diag_set(d, CSVB_E_IO, 0,
                                 "share %u of %u is missing (%zu of %u reports given)", s, count, n,
                                 count);
    }
    return CSVB_OK;
}

enum csvb_err csvb_merge_reports_check(const struct csvb_report_doc *docs, const char *const *paths,
                                       size_t n, size_t **order, size_t *total, struct csvb_diag *d)
{
    *order = NULL;
    if (n == 0)
        return csvb_diag_set(d, CSVB_E_IO, 0, "no report given");
    if (check_shares(docs, paths, n, d) != CSVB_OK)
        return CSVB_E_IO;
    size_t t = docs[0].files_total, placed = 0, none = (size_t)-1;
    size_t *o = malloc((t + 1) * sizeof *o);
    if (o == NULL)
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    for (size_t i = 0; i < t; i++)
        o[i] = none;
    for (size_t k = 0; k < n; k++)
        for (size_t f = 0; f < docs[k].n; f++) {
            size_t at = docs[k].index[f];
            if (at >= t || o[at] != none) {
                free(o);
                return csvb_diag_set(d, CSVB_E_IO, 0, "%s: file %zu has index %zu, %s", paths[k],
                                     f + 1, at,
                                     at >= t ? "past the run's files" : "another share's too");
            }
            o[at] = k * t + f;
            placed++;
        }
    if (placed != t) {
        free(o);
        return csvb_diag_set(d, CSVB_E_IO, 0, "the reports hold %zu of the run's %zu files", placed,
                             t);
    }
    *order = o;
    *total = t;
    return CSVB_OK;
}

struct merge_args {
    enum csvb_format format;
    const char *report;
    char **paths;
    size_t n;
};

static int usage(const char *msg, const char *arg)
{
    fprintf(stderr, "csvbatch: merge-reports: %s%s%s\n", msg, arg != NULL ? ": " : "",
            arg != NULL ? arg : "");
    fprintf(stderr, "Usage: csvbatch merge-reports [--format table|csv|json] [--report FILE] "
                    "REPORT...\n");
    return 2;
}

/* 0 when parsed, else the exit status (2, or 0 after --help). */
static int parse_args(int argc, char **argv, struct merge_args *a)
{
    static const struct option longopts[] = {{"format", required_argument, NULL, 'f'},
                                             {"report", required_argument, NULL, 'r'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        if (c == 'h') {
            printf("Usage: csvbatch merge-reports [--format table|csv|json] [--report FILE] "
                   "REPORT...\nThe summary of a sharded run from its shards' --report files.\n");
            return fflush(stdout) == 0 ? -1 : 1;
        }
        if (c == 'f' && !csvb_format_from_name(optarg, &a->format))
            return usage("--format: expected table, csv or json, found", optarg);
        if (c == 'r')
            a->report = optarg;
        if (c == ':' || c == '?')
            return usage("unknown option or missing value", argv[optind - 1]);
    }
    a->paths = argv + optind;
    a->n = (size_t)(argc - optind);
    return a->n == 0 ? usage("missing REPORT: name the shards' --report files", NULL) : 0;
}

/* --report must not replace a report being read. */
static bool names_an_input(const struct merge_args *a)
{
    struct stat out, in;
    bool exists = stat(a->report, &out) == 0;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->paths[i], a->report) == 0 ||
            (exists && stat(a->paths[i], &in) == 0 && in.st_dev == out.st_dev &&
             in.st_ino == out.st_ino))
            return true;
    return false;
}

/* The whole run's totals: the shards' sums, the longest wall time, CPU summed, the top peak. */
static void merged_totals(const struct csvb_report_doc *docs, size_t n,
                          const struct csvb_results *results, size_t total, struct csvb_totals *t)
{
    double wall = 0;
    bool usage = true;
    for (size_t k = 0; k < n; k++) {
        wall = docs[k].seconds > wall ? docs[k].seconds : wall;
        usage = usage && docs[k].have_usage;
    }
    csvb_totals_sum(results, total, wall, t);
    t->have_usage = usage;
    for (size_t k = 0; usage && k < n; k++) {
        t->usage.cpu_user_seconds += docs[k].cpu_user;
        t->usage.cpu_system_seconds += docs[k].cpu_system;
        if (docs[k].peak_rss > t->usage.peak_rss_bytes)
            t->usage.peak_rss_bytes = docs[k].peak_rss;
    }
}

/* The merged --report: the first share's options and stamp, the earliest start, latest end. */
static bool write_report(const struct merge_args *a, const struct csvb_options *opt,
                         const struct csvb_report_doc *docs, size_t n,
                         const struct csvb_joblist *list, const struct csvb_results *results,
                         const struct csvb_totals *t, int code)
{
    struct csvb_run_info info = {
        docs[0].started_at, docs[0].finished_at, docs[0].stamp, code, 0, 0};
    const struct csvb_report_extra extra = {NULL, docs[0].options_json};
    for (size_t k = 1; k < n; k++) {
        if (docs[k].started_at != NULL &&
            (info.started_at == NULL || strcmp(docs[k].started_at, info.started_at) < 0))
            info.started_at = docs[k].started_at;
        if (docs[k].finished_at != NULL &&
            (info.finished_at == NULL || strcmp(docs[k].finished_at, info.finished_at) > 0))
            info.finished_at = docs[k].finished_at;
    }
    struct csvb_diag d;
    csvb_diag_init(&d);
    if (csvb_report_file_ex(a->report, opt, list, results, t, &info, &extra, &d) == 0)
        return true;
    fprintf(stderr, "csvbatch: merge-reports: --report: %s\n", d.message);
    return false;
}

/* Shares that wrote different stamps are one run's files, but not a one-machine run's bytes. */
static void warn_stamps(const struct csvb_report_doc *docs, char *const *paths, size_t n)
{
    for (size_t k = 1; k < n; k++) {
        const char *a = docs[0].stamp != NULL ? docs[0].stamp : "";
        const char *b = docs[k].stamp != NULL ? docs[k].stamp : "";
        if (strcmp(a, b) != 0) {
            fprintf(stderr,
                    "csvbatch: merge-reports: warning: the shares wrote different stamps ('%s' "
                    "in %s, '%s' in %s): give them one with --plan, --timestamp or "
                    "SOURCE_DATE_EPOCH\n",
                    a, paths[0], b, paths[k]);
            return;
        }
    }
}

/* Renders the checked shares: the summary on stdout, --report. Returns the exit status. */
static int render(const struct merge_args *a, const struct csvb_report_doc *docs,
                  const size_t *order, size_t total)
{
    struct csvb_joblist list = {0};
    struct csvb_result *all = calloc(total + 1, sizeof *all);
    list.jobs = calloc(total + 1, sizeof *list.jobs);
    if (all == NULL || list.jobs == NULL) {
        free(all);
        free(list.jobs);
        fprintf(stderr, "csvbatch: merge-reports: out of memory\n");
        return 1;
    }
    for (size_t i = 0; i < total; i++) { /* shallow: the docs own every string */
        list.jobs[i] = docs[order[i] / total].jobs[order[i] % total];
        all[i] = docs[order[i] / total].results[order[i] % total];
    }
    list.n = total;
    struct csvb_results store, *results = &store;
    csvb_results_wrap(results, all, total);
    struct csvb_options opt;
    csvb_options_init(&opt);
    opt.format = a->format;
    opt.dry_run = docs[0].dry_run;
    opt.skip_bad_rows = docs[0].skip_bad_rows;
    opt.incremental = docs[0].incremental;
    struct csvb_totals t;
    merged_totals(docs, a->n, results, total, &t);
    warn_stamps(docs, a->paths, a->n);
    int code = 0;
    for (size_t k = 0; k < a->n; k++)
        code = csvb_merge_worst_exit(code, docs[k].exit_code);
    bool ok = (total == 0 && opt.format == CSVB_FORMAT_TABLE) ||
              csvb_report_write(stdout, &opt, &list, results, &t, false) == 0;
    if (!ok)
        fprintf(stderr, "csvbatch: merge-reports: cannot write the summary to standard output\n");
    if (a->report != NULL && !write_report(a, &opt, docs, a->n, &list, results, &t, code))
        ok = false;
    free(all);
    free(list.jobs);
    return ok ? code : csvb_merge_worst_exit(code, 1);
}

int csvb_merge_reports_main(int argc, char **argv)
{
    struct merge_args a = {CSVB_FORMAT_TABLE, NULL, NULL, 0};
    int status = parse_args(argc, argv, &a);
    if (status != 0)
        return status < 0 ? 0 : status;
    if (a.report != NULL && names_an_input(&a))
        return usage("--report names one of the reports read; refusing to overwrite it", a.report);
    struct csvb_report_doc *docs = calloc(a.n, sizeof *docs);
    size_t *order = NULL, total = 0;
    struct csvb_diag d;
    csvb_diag_init(&d);
    status = 1;
    if (docs == NULL) {
        fprintf(stderr, "csvbatch: merge-reports: out of memory\n");
        return 1;
    }
    for (size_t k = 0; k < a.n; k++)
        if (csvb_report_read(a.paths[k], &docs[k], &d) != CSVB_OK)
            goto out;
    if (csvb_merge_reports_check(docs, (const char *const *)a.paths, a.n, &order, &total, &d) !=
        CSVB_OK)
        goto out;
    status = render(&a, docs, order, total);
out:
    if (d.code != CSVB_OK)
        fprintf(stderr, "csvbatch: merge-reports: %s\n", d.message);
    for (size_t k = 0; k < a.n; k++)
        csvb_report_doc_fini(&docs[k]);
    free(docs);
    free(order);
    return status;
}
