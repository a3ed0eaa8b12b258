/* main.c — wiring only: options → plan → walk/outputs → driver → diagnostics → report → exit code.
 */
#include <pthread.h>
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
#include "csvbatch/driver.h"
#include "csvbatch/completion.h"
#include "csvbatch/files_from.h"
#include "csvbatch/outputs.h"
#include "csvbatch/report.h"
#include "csvbatch/plan.h"
#include "csvbatch/result.h"
#include "csvbatch/stamp.h"
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

static void print_diagnostics(const struct csvb_joblist *list, const struct csvb_result *results)
{
    char line[CSVB_DIAG_MESSAGE_MAX + 4200];
    for (size_t i = 0; i < list->nnotices; i++) {
        fputs("csvbatch: notice: ", stderr);
        put_escaped(stderr, list->notices[i]);
    }
    for (size_t i = 0; i < list->n; i++) {
        const struct csvb_result *r = &results[i];
        if (r->status == CSVB_STATUS_SUCCESS)
            continue;
        csvb_diag_format(&r->diag, list->jobs[i].path, line, sizeof line);
        fprintf(stderr, "csvbatch: %s", r->status == CSVB_STATUS_SKIPPED ? "notice: " : "");
        put_escaped(stderr, line);
    }
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

struct driver_call {
    const struct csvb_plan *plan;
    const struct csvb_joblist *list;
    struct csvb_result *results;
    pthread_mutex_t lock;
    pthread_cond_t finished; /* signalled once done is set: the redraw loop ends at once */
    bool done;
};

static void *driver_thread(void *arg)
{
    struct driver_call *c = arg;
    csvb_driver_run(c->plan, c->list, c->results);
    csvb_cancel_leave(); /* this thread is about to end */
    pthread_mutex_lock(&c->lock);
    c->done = true;
    pthread_cond_signal(&c->finished);
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

/* Progress on stderr: when it is a terminal (or --progress), unless -q or --no-progress. */
static bool want_progress(const struct csvb_options *opt)
{
    if (opt->progress == CSVB_PROGRESS_OFF || opt->quiet)
        return false;
    return opt->progress == CSVB_PROGRESS_ON || isatty(STDERR_FILENO);
}

/* Runs the driver; with progress, on a second thread while this one draws the line. */
static void run_driver(struct csvb_plan *plan, const struct csvb_options *opt,
                       const struct csvb_joblist *list, struct csvb_result *results)
{
    struct csvb_progress progress;
    struct driver_call call = {
        plan, list, results, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false};
    pthread_t tid;
    if (!want_progress(opt)) {
        csvb_driver_run(plan, list, results);
        return;
    }
    uint64_t total = 0;
    for (size_t i = 0; i < list->n; i++)
        total += list->jobs[i].kind == CSVB_JOB_RUN ? (uint64_t)list->jobs[i].size : 0;
    csvb_progress_init(&progress, list->n, total);
    plan->progress = &progress;
    plan->reader.bytes_counter = &progress.bytes_done;
    if (pthread_create(&tid, NULL, driver_thread, &call) != 0) {
        plan->progress = NULL;
        plan->reader.bytes_counter = NULL;
        csvb_driver_run(plan, list, results);
        return;
    }
    int width = 80;
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        width = ws.ws_col;
    pthread_mutex_lock(&call.lock);
    while (!call.done) {
        pthread_mutex_unlock(&call.lock);
        csvb_progress_render(&progress, stderr, width);
        pthread_mutex_lock(&call.lock);
        struct timespec tick;
        clock_gettime(CLOCK_REALTIME, &tick);
        tick.tv_nsec += 200000000L; /* a few redraws a second */
        if (tick.tv_nsec >= 1000000000L) {
            tick.tv_sec++;
            tick.tv_nsec -= 1000000000L;
        }
        if (!call.done)
            pthread_cond_timedwait(&call.finished, &call.lock, &tick);
    }
    pthread_mutex_unlock(&call.lock);
    pthread_join(tid, NULL);
    csvb_progress_clear(stderr);
    plan->progress = NULL;
    plan->reader.bytes_counter = NULL;
}

/* --report must be writable before any work is done: a run whose report cannot be written
 * is a configuration error, found now rather than after every file. */
static bool report_path_ok(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        fprintf(stderr, "csvbatch: --report: '%s' is a directory\n", path);
        return false;
    }
    char *dir = csvb_text_dirname(path);
    bool ok = dir != NULL && access(dir, W_OK | X_OK) == 0;
    if (!ok)
        fprintf(stderr, "csvbatch: --report: cannot write in '%s': %s\n", dir ? dir : path,
                strerror(errno));
    free(dir);
    return ok;
}

/* Prints the summary, the previews and the run report; returns whether all were written. */
static bool present(const struct csvb_options *opt, const struct csvb_plan *plan,
                    const struct csvb_joblist *list, const struct csvb_result *results,
                    const struct csvb_totals *totals, struct csvb_run_info *info, bool *io_failed)
{
    if (!opt->quiet && (list->n > 0 || opt->format != CSVB_FORMAT_TABLE) &&
        csvb_report_write(stdout, opt, list, results, totals) != 0) {
        fprintf(stderr, "csvbatch: cannot write the summary to standard output\n");
        *io_failed = true;
    }
    if (!opt->quiet && plan->stage.preview_rows > 0 && opt->format == CSVB_FORMAT_TABLE)
        csvb_report_previews(stdout, list, results);
    if (opt->report == NULL)
        return true;
    char finished_at[CSVB_STAMP_MAX];
    utc_now(finished_at, sizeof finished_at);
    info->finished_at = finished_at;
    info->exit_code = csvb_result_exit_code(totals->failed, *io_failed, info->signal);
    struct csvb_diag d;
    csvb_diag_init(&d);
    if (csvb_report_file(opt->report, opt, list, results, totals, info, &d) != 0) {
        fprintf(stderr, "csvbatch: --report: %s\n", d.message);
        return false;
    }
    return true;
}

static int run(struct csvb_options *opt)
{
    struct csvb_diag d;
    csvb_diag_init(&d);
    mode_t mask = umask(0);
    umask(mask);
    struct csvb_plan plan;
    if (csvb_plan_init(&plan, opt, getenv("SOURCE_DATE_EPOCH"), time(NULL), mask,
                       getenv("OMP_NUM_THREADS"), sysconf(_SC_NPROCESSORS_ONLN), &d) != CSVB_OK) {
        fprintf(stderr, "csvbatch: %s\n", d.message);
        csvb_plan_fini(&plan);
        return 2;
    }
    if (opt->report != NULL && !report_path_ok(opt->report)) {
        csvb_plan_fini(&plan);
        return 2;
    }
    double start = wall_seconds();
    char started_at[CSVB_STAMP_MAX];
    utc_now(started_at, sizeof started_at);
    struct csvb_joblist list;
    struct csvb_result *results = NULL;
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
    csvb_cancel_install(plan.threads);
    run_driver(&plan, opt, &list, results);
    struct csvb_totals totals;
    csvb_totals_sum(results, list.n, wall_seconds() - start, &totals);
    print_diagnostics(&list, results);
    bool io_failed = plan.fsync && !opt->dry_run && sync_output_dirs(&list, results) != 0;
    struct csvb_run_info info = {started_at,           NULL,        plan.stamp, 0,
                                 csvb_cancel_signal(), plan.threads};
    bool reported = present(opt, &plan, &list, results, &totals, &info, &io_failed);
    status = csvb_result_exit_code(totals.failed, io_failed || !reported, info.signal);
out:
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
    default:
        status = run(&opt);
        break;
    }
    csvb_options_fini(&opt);
    return status;
}
