/* main.c — wiring only: options → plan → walk/outputs → driver → diagnostics → report → exit code.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "csvbatch/cancel.h"
#include "csvbatch/atomic.h"
#include "csvbatch/cli.h"
#include "csvbatch/color.h"
#include "csvbatch/conflicts.h"
#include "csvbatch/driver.h"
#include "csvbatch/completion.h"
#include "csvbatch/files_from.h"
#include "csvbatch/incremental.h"
#include "csvbatch/outputs.h"
#include "csvbatch/report.h"
#include "csvbatch/report_github.h"
#include "csvbatch/report_junit.h"
#include "csvbatch/rusage.h"
#include "csvbatch/plan.h"
#include "csvbatch/result.h"
#include "csvbatch/stamp.h"
#include "csvbatch/supervise.h"
#include "csvbatch/text.h"

/* The current UTC time as YYYY-MM-DDTHH:MM:SSZ. */
static void utc_now(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL || strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(buf, size, "unknown");
}

static double wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One diagnostic per line: control characters (from file names or data) are escaped. */
static void put_escaped(FILE *out, const char *s)
{
    csvb_text_put_escaped(out, s, strlen(s));
    fputc('\n', out);
}

/* How the run talks to people and to CI, decided once from the options and the environment. */
struct ui {
    bool color_out; /* the table's Status cells on stdout */
    bool color_err; /* the diagnostics' prefix on stderr */
    bool github;    /* workflow commands on stderr, the step summary */
};

static void ui_decide(const struct csvb_options *opt, struct ui *ui)
{
    const char *no_color = getenv("NO_COLOR"), *force = getenv("CLICOLOR_FORCE");
    ui->color_out = csvb_color_enabled(opt->color, isatty(STDOUT_FILENO), no_color, force);
    ui->color_err = csvb_color_enabled(opt->color, isatty(STDERR_FILENO), no_color, force);
    ui->github = csvb_github_enabled(opt->annotations, getenv("GITHUB_ACTIONS"));
}

static void print_diagnostics(const struct csvb_joblist *list, const struct csvb_result *results,
                              const struct ui *ui)
{
    char line[CSVB_DIAG_MESSAGE_MAX + 4200];
    for (size_t i = 0; i < list->nnotices; i++) {
        csvb_color_diag_prefix(stderr, ui->color_err, CSVB_COLOR_LEVEL_NOTICE);
        put_escaped(stderr, list->notices[i]);
    }
    bool debug_chunks = getenv("CSVBATCH_DEBUG_CHUNKS") != NULL; /* tests/chunks.sh */
    for (size_t i = 0; i < list->n; i++) {
        const struct csvb_result *r = &results[i];
        if (debug_chunks && r->parse_runs > 0)
            fprintf(stderr, "csvbatch: debug: %s: %u chunk runs, bytes parsed %llu of %lld\n",
                    list->jobs[i].path, r->parse_runs, (unsigned long long)r->bytes_parsed,
                    (long long)list->jobs[i].size);
        if (r->status == CSVB_STATUS_SUCCESS || r->status == CSVB_STATUS_UNCHANGED)
            continue;
        csvb_diag_format(&r->diag, list->jobs[i].path, line, sizeof line);
        csvb_color_diag_prefix(stderr, ui->color_err,
                               r->status == CSVB_STATUS_SKIPPED ? CSVB_COLOR_LEVEL_NOTICE
                                                                : CSVB_COLOR_LEVEL_NONE);
        put_escaped(stderr, line);
    }
    if (ui->github)
        csvb_report_github_annotations(stderr, list, results);
}

/* An output and the directory that holds it. */
struct out_dir {
    char *dir; /* owned */
    const char *output;
};

static int cmp_dir(const void *a, const void *b)
{
    return strcmp(((const struct out_dir *)a)->dir, ((const struct out_dir *)b)->dir);
}

/* Makes the renames durable: one fsync per distinct output directory, after all the files. */
static int sync_output_dirs(const struct csvb_joblist *list, const struct csvb_result *results)
{
    struct out_dir *dirs = calloc(list->n + 1, sizeof *dirs);
    size_t n = 0;
    int status = 0;
    if (dirs == NULL)
        return 1;
    for (size_t i = 0; i < list->n; i++) {
        const char *out = list->jobs[i].output_path;
        if (results[i].status != CSVB_STATUS_SUCCESS || out == NULL)
            continue;
        if ((dirs[n].dir = csvb_text_dirname(out)) == NULL) {
            fprintf(stderr, "csvbatch: out of memory\n");
            status = 1;
            continue;
        }
        dirs[n++].output = out;
    }
    qsort(dirs, n, sizeof *dirs, cmp_dir);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && strcmp(dirs[i].dir, dirs[i - 1].dir) == 0)
            continue;
        struct csvb_diag d;
        csvb_diag_init(&d);
        if (csvb_atomic_sync_dir(dirs[i].output, &d) != CSVB_OK) {
            fprintf(stderr, "csvbatch: %s\n", d.message);
            status = 1;
        }
    }
    for (size_t i = 0; i < n; i++)
        free(dirs[i].dir);
    free(dirs);
    return status;
}

/* Progress on stderr: when it is a terminal (or --progress), unless -q or --no-progress. */
static bool want_progress(const struct csvb_options *opt)
{
    if (opt->progress == CSVB_PROGRESS_OFF || opt->quiet)
        return false;
    return opt->progress == CSVB_PROGRESS_ON || isatty(STDERR_FILENO);
}

/* The files written after the run: --report, --junit, GitHub's step summary. Returns whether
 * all were written (each failure said on stderr). */
static bool report_files(const struct csvb_options *opt, const struct csvb_joblist *list,
                         const struct csvb_result *results, const struct csvb_totals *totals,
                         const struct csvb_run_info *info, time_t started, const struct ui *ui)
{
    bool ok = true;
    struct csvb_diag d;
    csvb_diag_init(&d);
    if (opt->report != NULL &&
        csvb_report_file(opt->report, opt, list, results, totals, info, &d) != 0) {
        fprintf(stderr, "csvbatch: --report: %s\n", d.message);
        ok = false;
    }
    csvb_diag_init(&d);
    if (opt->junit != NULL && csvb_report_junit_run(opt->junit, opt, list, results, totals, info,
                                                    started, &d) != CSVB_OK) {
        fprintf(stderr, "csvbatch: --junit: %s\n", d.message);
        ok = false;
    }
    const char *summary = getenv("GITHUB_STEP_SUMMARY");
    csvb_diag_init(&d);
    if (ui->github && summary != NULL && summary[0] != '\0' &&
        csvb_report_github_summary(summary, list, results, totals, &d) != CSVB_OK) {
        fprintf(stderr, "csvbatch: GITHUB_STEP_SUMMARY: %s\n", d.message);
        ok = false;
    }
    return ok;
}

/* Prints the summary, the previews and the report files; returns whether all were written. */
static bool present(const struct csvb_options *opt, const struct csvb_plan *plan,
                    const struct csvb_joblist *list, const struct csvb_result *results,
                    const struct csvb_totals *totals, struct csvb_run_info *info, bool *io_failed,
                    time_t started, const struct ui *ui)
{
    errno = 0;
    bool summary_ok = opt->quiet || (list->n == 0 && opt->format == CSVB_FORMAT_TABLE) ||
                      csvb_report_write(stdout, opt, list, results, totals, ui->color_out) == 0;
    if (summary_ok && !opt->quiet && plan->stage.preview_rows > 0 &&
        opt->format == CSVB_FORMAT_TABLE) {
        csvb_report_previews(stdout, list, results);
        summary_ok = fflush(stdout) == 0 && !ferror(stdout);
    }
    if (!summary_ok) {
        /* SIGPIPE is ignored (main): a reader that went away (| head -1) is EPIPE here, and the
         * run still writes --report and exits 1 (README "Errors and exit codes"). */
        if (errno == EPIPE)
            fprintf(stderr, "csvbatch: standard output is closed (broken pipe): the summary was "
                            "not written\n");
        else
            fprintf(stderr, "csvbatch: cannot write the summary to standard output\n");
        *io_failed = true;
    }
    char finished_at[CSVB_STAMP_MAX];
    utc_now(finished_at, sizeof finished_at);
    info->finished_at = finished_at;
    info->exit_code = csvb_result_exit_code(
        totals->failed, csvb_result_count_not_started(results, list->n), *io_failed, info->signal);
    bool ok = report_files(opt, list, results, totals, info, started, ui);
    info->finished_at = NULL; /* it pointed into this frame */
    return ok;
}

/* --incremental before the run: locks, manifests, Unchanged jobs (incremental.h). False, with
 * *status set, when the run must stop (the lock is held elsewhere with --no-wait: 2). */
static bool incremental_open(const struct csvb_options *opt, struct csvb_plan *plan,
                             struct csvb_joblist *list, struct csvb_result *results,
                             struct csvb_incremental **incr, int *status)
{
    struct csvb_diag d;
    csvb_diag_init(&d);
    enum csvb_err e = csvb_incremental_open(incr, opt, plan->stamp, list, results, &d);
    for (size_t k = 0; k < csvb_incremental_nwarnings(*incr); k++)
        fprintf(stderr, "csvbatch: warning: %s\n", csvb_incremental_warning(*incr, k));
    if (e != CSVB_OK) {
        fprintf(stderr, "csvbatch: %s\n", d.message);
        *status = e == CSVB_E_USAGE ? 2 : 1;
        return false;
    }
    plan->incremental = opt->dry_run ? NULL : *incr;
    return true;
}

/* The plan, and the run's own files checked writable before any work. False (a usage error,
 * said on stderr; the plan freed) when the run cannot start. */
static bool prepare(const struct csvb_options *opt, struct csvb_plan *plan)
{
    struct csvb_diag d;
    csvb_diag_init(&d);
    mode_t mask = umask(0);
    umask(mask);
    const struct csvb_conflicts_run_file run_files[] = {{"--report", opt->report},
                                                        {"--junit", opt->junit}};
    if (csvb_plan_init(plan, opt, getenv("SOURCE_DATE_EPOCH"), time(NULL), mask,
                       getenv("OMP_NUM_THREADS"), sysconf(_SC_NPROCESSORS_ONLN), &d) != CSVB_OK ||
        csvb_conflicts_run_files_writable(run_files, 2, &d) != CSVB_OK) {
        fprintf(stderr, "csvbatch: %s\n", d.message);
        csvb_plan_fini(plan);
        return false;
    }
    return true;
}

static int run(struct csvb_options *opt, const struct ui *ui)
{
    struct csvb_diag d;
    csvb_diag_init(&d);
    struct csvb_plan plan;
    if (!prepare(opt, &plan))
        return 2;
    double start = wall_seconds();
    time_t started = time(NULL);
    char started_at[CSVB_STAMP_MAX];
    utc_now(started_at, sizeof started_at);
    struct csvb_joblist list;
    struct csvb_result *results = NULL;
    struct csvb_incremental *incr = NULL;
    int status = 1;
    if (csvb_outputs_plan(opt, &list, &d) != CSVB_OK) {
        fprintf(stderr, "csvbatch: %s\n", d.message);
        status = d.code == CSVB_E_USAGE ? 2 : 1;
        goto out;
    }
    if ((results = calloc(list.n + 1, sizeof *results)) == NULL) {
        fprintf(stderr, "csvbatch: out of memory\n");
        goto out;
    }
    if (opt->incremental && !incremental_open(opt, &plan, &list, results, &incr, &status))
        goto out;
    if (!opt->dry_run && csvb_outputs_sweep_stale(&list, &d) != CSVB_OK) {
        fprintf(stderr, "csvbatch: %s\n", d.message);
        goto out;
    }
    csvb_cancel_install(plan.threads);
    csvb_supervise_run(&plan, &list, results, want_progress(opt));
    bool manifest_failed = false;
    if (incr != NULL && csvb_incremental_finish(incr, &list, &d) != CSVB_OK) {
        fprintf(stderr, "csvbatch: --incremental: %s\n", d.message);
        manifest_failed = true;
    }
    struct csvb_totals totals;
    csvb_totals_sum(results, list.n, wall_seconds() - start, &totals);
    csvb_rusage_get(&totals.usage);
    totals.have_usage = true;
    print_diagnostics(&list, results, ui);
    bool io_failed = plan.fsync && !opt->dry_run && sync_output_dirs(&list, results) != 0;
    io_failed = io_failed || manifest_failed;
    struct csvb_run_info info = {started_at,           NULL,        plan.stamp, 0,
                                 csvb_cancel_signal(), plan.threads};
    bool reported = present(opt, &plan, &list, results, &totals, &info, &io_failed, started, ui);
    status = csvb_result_exit_code(totals.failed, csvb_result_count_not_started(results, list.n),
                                   io_failed || !reported, info.signal);
out:
    csvb_incremental_free(incr); /* the locks go last: after the manifest is in place */
    for (size_t i = 0; results != NULL && i < list.n; i++)
        csvb_result_fini(&results[i]);
    free(results);
    csvb_joblist_fini(&list);
    csvb_plan_fini(&plan);
    return status;
}

int main(int argc, char **argv)
{
    struct csvb_options opt;
    struct csvb_diag d;
    csvb_diag_init(&d);
    int status;
    /* A closed stdout must not kill the run before --report is written: EPIPE instead. */
    signal(SIGPIPE, SIG_IGN);
    enum csvb_cli_result parsed = csvb_cli_parse(argc, argv, &opt, &d);
    if (parsed == CSVB_CLI_OK && csvb_files_from_read(&opt, &d) != CSVB_OK)
        parsed = CSVB_CLI_USAGE;
    switch (parsed) {
    case CSVB_CLI_HELP:
        csvb_cli_help(stdout);
        status = fflush(stdout) == 0 ? 0 : 1;
        break;
    case CSVB_CLI_VERSION:
        printf("csvbatch %s\n", CSVB_VERSION);
        status = 0;
        break;
    case CSVB_CLI_COMPLETION:
        status = csvb_completion_write(stdout, opt.completion) == 0 && fflush(stdout) == 0 ? 0 : 1;
        break;
    case CSVB_CLI_USAGE:
        fprintf(stderr, "csvbatch: %s\nTry 'csvbatch --help' for more information.\n", d.message);
        status = 2;
        break;
    default: {
        struct ui ui;
        ui_decide(&opt, &ui);
        status = run(&opt, &ui);
        break;
    }
    }
    csvb_options_fini(&opt);
    return status;
}
