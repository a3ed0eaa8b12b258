/* main.c — wiring only: options → stamp → enumerate → run → diagnostics → report → exit code. */
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
#include "csvbatch/enumerate.h"
#include "csvbatch/files_from.h"
#include "csvbatch/report.h"
#include "csvbatch/stamp.h"

/* -j, else OMP_NUM_THREADS (its first number), else the online CPUs. */
static int thread_count(const struct csvb_options *opt)
{
    if (opt->jobs > 0)
        return opt->jobs;
    const char *env = getenv("OMP_NUM_THREADS");
    if (env != NULL) {
        char *end = NULL;
        long v = strtol(env, &end, 10);
        if (end != env && v >= 1 && v <= 1024)
            return (int)v;
    }
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    return cpus >= 1 && cpus <= 1024 ? (int)cpus : 1;
}

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
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\n')
            fputs("\\n", out);
        else if (c == '\r')
            fputs("\\r", out);
        else if (c == '\t')
            fputs("\\t", out);
        else if (c < 0x20 || c == 0x7f)
            fprintf(out, "\\x%02X", c);
        else
            fputc(c, out);
    }
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

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Makes the renames durable: one fsync per distinct output directory, after all the files. */
static int sync_output_dirs(const struct csvb_joblist *list, const struct csvb_result *results)
{
    char **dirs = calloc(list->n + 1, sizeof *dirs);
    size_t n = 0;
    int status = 0;
    if (dirs == NULL)
        return 1;
    for (size_t i = 0; i < list->n; i++) {
        const char *out = list->jobs[i].output_path;
        if (results[i].status != CSVB_STATUS_SUCCESS || out == NULL)
            continue;
        const char *slash = strrchr(out, '/');
        dirs[n++] = slash != NULL ? strndup(out, (size_t)(slash - out) + 1) : strdup("./");
    }
    qsort(dirs, n, sizeof *dirs, cmp_str);
    for (size_t i = 0; i < n; i++) {
        if (dirs[i] == NULL || (i > 0 && dirs[i - 1] != NULL && strcmp(dirs[i], dirs[i - 1]) == 0))
            continue;
        struct csvb_diag d;
        csvb_diag_init(&d);
        if (csvb_atomic_sync_dir(dirs[i], &d) != CSVB_OK) {
            fprintf(stderr, "csvbatch: %s\n", d.message);
            status = 1;
        }
    }
    for (size_t i = 0; i < n; i++)
        free(dirs[i]);
    free(dirs);
    return status;
}

struct driver_call {
    const struct csvb_plan *plan;
    const struct csvb_joblist *list;
    int threads;
    struct csvb_result *results;
    pthread_mutex_t lock;
    pthread_cond_t finished; /* signalled once done is set: the redraw loop ends at once */
    bool done;
};

static void *driver_thread(void *arg)
{
    struct driver_call *c = arg;
    csvb_driver_run(c->plan, c->list, c->threads, c->results);
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
static void run_driver(struct csvb_plan *plan, const struct csvb_joblist *list, int threads,
                       struct csvb_result *results)
{
    struct csvb_progress progress;
    struct driver_call call = {
        plan, list, threads, results, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false};
    pthread_t tid;
    if (!want_progress(plan->opt)) {
        csvb_driver_run(plan, list, threads, results);
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
        csvb_driver_run(plan, list, threads, results);
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
    const char *slash = strrchr(path, '/');
    char *dir = slash == NULL ? strdup(".") : strndup(path, (size_t)(slash - path) + 1);
    bool ok = dir != NULL && access(dir, W_OK | X_OK) == 0;
    if (!ok)
        fprintf(stderr, "csvbatch: --report: cannot write in '%s': %s\n", dir ? dir : path,
                strerror(errno));
    free(dir);
    return ok;
}

static int run(struct csvb_options *opt)
{
    char stamp[CSVB_STAMP_MAX];
    struct csvb_diag d;
    csvb_diag_init(&d);
    enum csvb_err (*make)(char *, size_t, const char *, const char *, time_t, struct csvb_diag *) =
        opt->compat == CSVB_COMPAT_POWERSHELL ? csvb_stamp_make_powershell : csvb_stamp_make;
    if (make(stamp, sizeof stamp, opt->timestamp, getenv("SOURCE_DATE_EPOCH"), time(NULL), &d) !=
        CSVB_OK) {
        fprintf(stderr, "csvbatch: %s\n", d.message);
        return 2;
    }
    if (opt->report != NULL && !report_path_ok(opt->report))
        return 2;
    double start = wall_seconds();
    char started_at[CSVB_STAMP_MAX];
    utc_now(started_at, sizeof started_at);
    struct csvb_joblist list;
    if (csvb_enumerate(opt, &list, &d) != CSVB_OK) {
        fprintf(stderr, "csvbatch: %s\n", d.message);
        csvb_joblist_fini(&list);
        return d.code == CSVB_E_USAGE ? 2 : 1;
    }
    struct csvb_result *results = calloc(list.n + 1, sizeof *results);
    if (results == NULL) {
        fprintf(stderr, "csvbatch: out of memory\n");
        csvb_joblist_fini(&list);
        return 1;
    }
    mode_t mask = umask(0);
    umask(mask);
    struct csvb_plan plan;
    memset(&plan, 0, sizeof plan);
    plan.opt = opt;
    plan.stamp = stamp;
    plan.file_mode = 0666 & ~mask;
    plan.cancel = csvb_cancel_flag();
    /* Rejects files, previews, transcoding and PowerShell's lenient reading take one pass over the
     * file: such runs do not split files. */
    plan.chunk_size = opt->rejects || opt->preview > 0 || opt->encoding != CSVB_ENC_UTF8 ||
                              opt->compat != CSVB_COMPAT_NONE
                          ? 0
                          : opt->chunk_size;
    csvb_reader_config_init(&plan.reader);
    plan.reader.delimiter = opt->delimiter;
    plan.reader.max_field_size = opt->max_field_size;
    plan.reader.fast_path = opt->fast_path && opt->compat == CSVB_COMPAT_NONE;
    plan.reader.lenient = opt->compat == CSVB_COMPAT_POWERSHELL;
    plan.reader.cancel = csvb_cancel_flag();

    csvb_cancel_install();
    int threads = thread_count(opt);
    run_driver(&plan, &list, threads, results);
    struct csvb_totals totals;
    csvb_totals_sum(results, list.n, wall_seconds() - start, &totals);
    print_diagnostics(&list, results);
    int status = totals.failed > 0 ? 1 : 0;
    if (opt->fsync && !opt->dry_run && sync_output_dirs(&list, results) != 0)
        status = 1;
    if (!opt->quiet && (list.n > 0 || opt->format != CSVB_FORMAT_TABLE) &&
        csvb_report_write(stdout, opt, &list, results, &totals) != 0) {
        fprintf(stderr, "csvbatch: cannot write the summary to standard output\n");
        status = 1;
    }
    if (!opt->quiet && opt->preview > 0 && opt->format == CSVB_FORMAT_TABLE)
        csvb_report_previews(stdout, &list, results);
    int sig = csvb_cancel_signal();
    if (sig != 0)
        status = 128 + sig;
    if (opt->report != NULL) {
        char finished_at[CSVB_STAMP_MAX];
        utc_now(finished_at, sizeof finished_at);
        struct csvb_run_info info = {started_at, finished_at, stamp, status, sig, threads};
        csvb_diag_init(&d);
        if (csvb_report_file(opt->report, opt, &list, results, &totals, &info, &d) != 0) {
            fprintf(stderr, "csvbatch: --report: %s\n", d.message);
            if (status == 0)
                status = 1;
        }
    }
    for (size_t i = 0; i < list.n; i++)
        free(results[i].preview);
    free(results);
    csvb_joblist_fini(&list);
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
