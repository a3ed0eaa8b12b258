/* main.c — wiring only: options → plan → walk/outputs → driver → diagnostics → report → exit code.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "csvbatch/cancel.h"
#include "csvbatch/atomic.h"
#include "csvbatch/cli.h"
#include "csvbatch/color.h"
#include "csvbatch/conflicts.h"
#include "csvbatch/clock.h"
#include "csvbatch/driver_mpi.h"
#include "csvbatch/completion.h"
#include "csvbatch/files_from.h"
#include "csvbatch/fdlimit.h"
#include "csvbatch/incremental.h"
#include "csvbatch/omp_env.h"
#include "csvbatch/outdir.h"
#include "csvbatch/outputs.h"
#include "csvbatch/report.h"
#include "csvbatch/report_diag.h"
#include "csvbatch/report_github.h"
#include "csvbatch/report_junit.h"
#include "csvbatch/merge_reports.h"
#include "csvbatch/rusage.h"
#include "csvbatch/plan.h"
#include "csvbatch/result.h"
#include "csvbatch/results.h"
#include "csvbatch/shard_run.h"
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

/* One diagnostic per line: control characters (from file names or data) are escaped. */
static void put_escaped(FILE *out, const char *s)
{
    csvb_text_put_escaped(out, s, strlen(s));
    fputc('\n', out);
}

/* "csvbatch: " PREFIX MESSAGE on stderr, the message escaped as every diagnostic is (a path in it
 * may hold any byte). */
static void say(const char *prefix, const char *message)
{
    fprintf(stderr, "csvbatch: %s", prefix);
    put_escaped(stderr, message);
}

/* How the run talks to people and to CI, decided once from the options and the environment. */
struct ui {
    bool color_out;   /* the table's Status cells on stdout */
    bool color_err;   /* the diagnostics' prefix on stderr */
    bool github;      /* workflow commands on stderr, the step summary */
    size_t columns;   /* stdout is a terminal this wide: the table is fitted to it; 0: a pipe */
    bool diag_last;   /* diagnostics after the table, where they cannot scroll away unseen */
    bool stdout_data; /* a file's output goes to stdout ('-'): no summary or preview there */
};

/* forwarded: stdout is mpirun's pseudo-terminal, not the user's: the table prints as in a pipe. */
static void ui_decide(const struct csvb_options *opt, bool forwarded, struct ui *ui)
{
    const char *no_color = getenv("NO_COLOR"), *force = getenv("CLICOLOR_FORCE");
    ui->color_out = csvb_color_enabled(opt->color, isatty(STDOUT_FILENO), no_color, force);
    ui->color_err = csvb_color_enabled(opt->color, isatty(STDERR_FILENO), no_color, force);
    ui->github = csvb_github_enabled(opt->annotations, getenv("GITHUB_ACTIONS"));
    ui->columns = opt->format == CSVB_FORMAT_TABLE && !forwarded
                      ? csvb_color_terminal_columns(STDOUT_FILENO, getenv("COLUMNS"))
                      : 0;
    /* A table on a terminal ends the run's output: what went wrong is read last, below it. */
    ui->diag_last = ui->columns > 0 && !opt->quiet;
    ui->stdout_data = false; /* known after the walk: ui_stdout_data */
}

static void say_plain(const char *message)
{
    say("", message);
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
                         const struct csvb_results *results, const struct csvb_totals *totals,
                         const struct csvb_run_info *info, time_t started, const struct ui *ui,
                         const struct csvb_report_extra *extra)
{
    bool ok = true;
    struct csvb_diag d;
    csvb_diag_init(&d);
    if (opt->report != NULL &&
        csvb_report_file_ex(opt->report, opt, list, results, totals, info, extra, &d) != 0) {
        say("--report: ", d.message);
        ok = false;
    }
    csvb_diag_init(&d);
    if (opt->junit != NULL && csvb_report_junit_run(opt->junit, opt, list, results, totals, info,
                                                    started, &d) != CSVB_OK) {
        say("--junit: ", d.message);
        ok = false;
    }
    const char *summary = getenv("GITHUB_STEP_SUMMARY");
    csvb_diag_init(&d);
    if (ui->github && summary != NULL && summary[0] != '\0' &&
        csvb_report_github_summary(summary, list, results, totals, &d) != CSVB_OK) {
        say("GITHUB_STEP_SUMMARY: ", d.message);
        ok = false;
    }
    return ok;
}

/* Prints the summary, the previews and the report files; returns whether all were written. */
static bool present(const struct csvb_options *opt, const struct csvb_plan *plan,
                    const struct csvb_joblist *list, const struct csvb_results *results,
                    const struct csvb_totals *totals, struct csvb_run_info *info, bool *io_failed,
                    time_t started, const struct ui *ui, const struct csvb_report_extra *extra)
{
    char share[160];
    if (!opt->quiet && extra->shard != NULL && opt->format == CSVB_FORMAT_TABLE)
        printf("%s\n\n", csvb_shard_run_describe(extra->shard, share, sizeof share));
    errno = 0;
    bool summary_ok =
        opt->quiet || ui->stdout_data || (list->n == 0 && opt->format == CSVB_FORMAT_TABLE) ||
        csvb_report_write_fit(stdout, opt, list, results, totals, ui->color_out, ui->columns) == 0;
    if (summary_ok && !opt->quiet && !ui->stdout_data && plan->stage.preview_rows > 0 &&
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
    info->exit_code = csvb_result_exit_code(totals->failed, csvb_results_count_not_started(results),
                                            *io_failed, info->signal);
    bool ok = report_files(opt, list, results, totals, info, started, ui, extra);
    info->finished_at = NULL; /* it pointed into this frame */
    return ok;
}

/* --incremental before the run: locks, manifests, Unchanged jobs (incremental.h). False, with
 * *status set, when the run must stop (the lock is held elsewhere with --no-wait: 2). */
static bool incremental_open(const struct csvb_options *opt, struct csvb_plan *plan,
                             struct csvb_joblist *list, struct csvb_results *results,
                             struct csvb_incremental **incr, int *status)
{
    struct csvb_diag d;
    csvb_diag_init(&d);
    enum csvb_err e = csvb_incremental_open(incr, opt, plan->stamp, list, results, &d);
    for (size_t k = 0; k < csvb_incremental_nwarnings(*incr); k++)
        say("warning: ", csvb_incremental_warning(*incr, k));
    if (e != CSVB_OK) {
        say("", d.message);
        *status = e == CSVB_E_USAGE ? 2 : 1;
        return false;
    }
    plan->incremental = opt->dry_run ? NULL : *incr;
    return true;
}

/* The share and plan file (shard_run.h), the plan, and the run's own files and the -o directory
 * checked writable before any work (in a dry run too). Returns 0, or the exit status (2: usage,
 * said on stderr; sr and the plan freed) when the run cannot start. */
static int prepare(struct csvb_options *opt, struct csvb_plan *plan, struct csvb_shard_run *sr)
{
    struct csvb_diag d;
    csvb_diag_init(&d);
    if (csvb_shard_run_open(sr, opt, NULL, &d) != CSVB_OK) {
        say("", d.message);
        csvb_shard_run_fini(sr);
        return d.code == CSVB_E_USAGE ? 2 : 1;
    }
    mode_t mask = umask(0);
    umask(mask);
    const struct csvb_conflicts_run_file run_files[] = {
        {"--report", opt->report}, {"--junit", opt->junit}, {"--plan-out", opt->plan_out}};
    if (csvb_plan_init(plan, opt, getenv("SOURCE_DATE_EPOCH"), time(NULL), mask,
                       getenv("OMP_NUM_THREADS"), sysconf(_SC_NPROCESSORS_ONLN), &d) != CSVB_OK ||
        csvb_conflicts_run_files_writable(run_files, 3, &d) != CSVB_OK ||
        (opt->output_dir != NULL && csvb_outdir_check(opt->output_dir, &d) != CSVB_OK)) {
        say("", d.message);
        csvb_plan_fini(plan);
        csvb_shard_run_fini(sr);
        return 2;
    }
    const char *omp_env_ignored = csvb_omp_env_ignored(); /* hidden from libgomp: say so */
    if (omp_env_ignored != NULL && opt->jobs == 0) {
        fputs("csvbatch: warning: ignoring OMP_NUM_THREADS='", stderr);
        csvb_text_put_escaped(stderr, omp_env_ignored, strlen(omp_env_ignored));
        fprintf(stderr, "' (not a thread count from 1 to 1024); using %d threads\n", plan->threads);
    }
    return 0;
}

/* --plan-out: the plan written, the run is over. */
static int write_plan(struct csvb_shard_run *sr, const struct csvb_options *opt,
                      const struct csvb_plan *plan, const struct csvb_joblist *list)
{
    struct csvb_diag d;
    csvb_diag_init(&d);
    if (csvb_shard_run_write_plan(sr, opt, list, opt->no_stamp ? NULL : plan->stamp, &d) !=
        CSVB_OK) {
        say("--plan-out: ", d.message);
        return 1;
    }
    if (!opt->quiet)
        printf("Planned %zu files in %s (plan %s).\n", list->n, opt->plan_out,
               sr->shard.plan_digest);
    return fflush(stdout) == 0 ? 0 : 1;
}

/* The job list of this process (shard_run.h). Returns -1 to go on, or the exit status: the
 * list failed (said on stderr), or --plan-out wrote the plan and the run is over. */
static int list_jobs(struct csvb_shard_run *sr, const struct csvb_options *opt,
                     const struct csvb_plan *plan, struct csvb_joblist *list)
{
    struct csvb_diag d;
    csvb_diag_init(&d);
    if (csvb_shard_run_list(sr, opt, list, &d) != CSVB_OK) {
        say("", d.message);
        return d.code == CSVB_E_USAGE ? 2 : 1;
    }
    return opt->plan_out != NULL ? write_plan(sr, opt, plan, list) : -1;
}

/* Whether a job's output goes to standard output: then stdout carries CSV only, and the
 * summary, the previews and the diagnostics' place are decided again (never mixed into it). */
static void ui_stdout_data(struct ui *ui, const struct csvb_options *opt,
                           const struct csvb_joblist *list)
{
    for (size_t i = 0; i < list->n && !ui->stdout_data && !opt->dry_run; i++) /* dry: no CSV */
        ui->stdout_data = csvb_outputs_is_stdout(list->jobs[i].output_path);
    ui->diag_last = ui->diag_last && !ui->stdout_data;
}

/* Fewer threads when the open-file limit (raised to the hard one in main) cannot hold them all,
 * with a notice when that changes anything: fdlimit.h. */
static void fit_threads(struct csvb_plan *plan, struct csvb_joblist *list, long nofile)
{
    int fit = csvb_fdlimit_threads(plan->threads, nofile, csvb_fdlimit_in_use());
    if (fit >= plan->threads)
        return;
    if ((size_t)fit < list->n) /* a notice only when it changes anything; out of memory: none */
        (void)csvb_text_push(&list->notices, &list->nnotices, &list->notices_cap,
                             csvb_text_printf("%d threads lowered to %d: the open-file limit is "
                                              "%ld (ulimit -n)",
                                              plan->threads, fit, nofile));
    plan->threads = fit;
}

static int run(struct csvb_options *opt, struct ui *ui, long nofile, csvb_supervise_fn *run_jobs)
{
    struct csvb_diag d;
    csvb_diag_init(&d);
    struct csvb_plan plan;
    struct csvb_shard_run sr;
    int status = prepare(opt, &plan, &sr);
    if (status != 0)
        return status;
    double start = csvb_now();
    time_t started = time(NULL);
    char started_at[CSVB_STAMP_MAX];
    utc_now(started_at, sizeof started_at);
    struct csvb_joblist list;
    struct csvb_results store = {NULL, NULL, 0}, *results = &store;
    struct csvb_incremental *incr = NULL;
    if ((status = list_jobs(&sr, opt, &plan, &list)) >= 0)
        goto out;
    status = 1;
    ui_stdout_data(ui, opt, &list);
    if (csvb_results_init(results, list.n, &d) != CSVB_OK) {
        say("", d.message);
        goto out;
    }
    if (opt->incremental && !incremental_open(opt, &plan, &list, results, &incr, &status))
        goto out;
    if (!opt->dry_run && csvb_outputs_sweep_stale(&list, &d) != CSVB_OK) {
        say("", d.message);
        goto out;
    }
    fit_threads(&plan, &list, nofile);
    csvb_cancel_install(plan.threads);
    run_jobs(&plan, &list, results, want_progress(opt));
    bool manifest_failed = false;
    if (incr != NULL && csvb_incremental_finish(incr, &list, &d) != CSVB_OK) {
        say("--incremental: ", d.message);
        manifest_failed = true;
    }
    struct csvb_totals totals;
    csvb_totals_sum(results, list.n, csvb_now() - start, &totals);
    csvb_rusage_get(&totals.usage);
    totals.have_usage = true;
    if (!ui->diag_last)
        csvb_report_diagnostics(stderr, &list, results, ui->color_err, ui->github);
    bool io_failed =
        plan.fsync && !opt->dry_run && csvb_outputs_sync_dirs(&list, results, say_plain) != 0;
    io_failed = io_failed || manifest_failed;
    struct csvb_run_info info = {started_at,           NULL,        plan.stamp, 0,
                                 csvb_cancel_signal(), plan.threads};
    const struct csvb_report_extra extra = {sr.shard.count > 0 ? &sr.shard : NULL, NULL};
    bool reported =
        present(opt, &plan, &list, results, &totals, &info, &io_failed, started, ui, &extra);
    if (ui->diag_last)
        csvb_report_diagnostics(stderr, &list, results, ui->color_err, ui->github);
    status = csvb_result_exit_code(totals.failed, csvb_results_count_not_started(results),
                                   io_failed || !reported, info.signal);
out:
    csvb_incremental_free(incr); /* the locks go last: after the manifest is in place */
    csvb_results_fini(results);
    csvb_joblist_fini(&list);
    csvb_plan_fini(&plan);
    csvb_shard_run_fini(&sr); /* last: opt->timestamp may borrow the plan's stamp */
    return status;
}

/* The whole run, its jobs run by run_jobs: csvb_supervise_run, or the MPI driver on rank 0. */
static int csvbatch_main(int argc, char **argv, csvb_supervise_fn *run_jobs)
{
    struct csvb_options opt;
    struct csvb_diag d;
    csvb_diag_init(&d);
    int status;
    /* A closed stdout must not kill the run before --report is written: EPIPE instead. */
    signal(SIGPIPE, SIG_IGN);
    if (argc > 1 && strcmp(argv[1], "merge-reports") == 0)
        return csvb_merge_reports_main(argc - 1, argv + 1);
    long nofile = csvb_fdlimit_raise(); /* -j is then bounded by it: fit_threads */
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
        say("", d.message);
        fputs("Try 'csvbatch --help' for more information.\n", stderr);
        status = 2;
        break;
    default: {
        struct ui ui;
        ui_decide(&opt, run_jobs != csvb_supervise_run, &ui);
        status = run(&opt, &ui, nofile, run_jobs);
        break;
    }
    }
    csvb_options_fini(&opt);
    return status;
}

int main(int argc, char **argv)
{
#ifdef CSVB_MPI /* make mpi: rank 0 runs csvbatch_main, the other ranks serve it (driver_mpi.h) */
    return csvb_driver_mpi_main(argc, argv, csvbatch_main);
#endif
    return csvbatch_main(argc, argv, csvb_supervise_run);
}
