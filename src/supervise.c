/* supervise.c — the driver on a second thread while the calling thread draws the progress line. */
#include "csvbatch/supervise.h"

#include <pthread.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "csvbatch/cancel.h"
#include "csvbatch/driver.h"
#include "csvbatch/progress.h"

struct driver_call {
    const struct csvb_plan *plan;
    const struct csvb_joblist *list;
    struct csvb_results *results;
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

void csvb_supervise_run(struct csvb_plan *plan, const struct csvb_joblist *list,
                        struct csvb_results *results, bool show_progress)
{
    struct csvb_progress progress;
    struct driver_call call = {
        plan, list, results, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false};
    pthread_t tid;
    if (!show_progress) {
        csvb_driver_run(plan, list, results);
        return;
    }
    uint64_t total = 0;
    for (size_t i = 0; i < list->n; i++)
        total += list->jobs[i].kind == CSVB_JOB_RUN ? (uint64_t)list->jobs[i].size : 0;
    bool ready = csvb_progress_init(&progress, list->n, total, plan->threads) == CSVB_OK;
    if (ready) {
        plan->progress = &progress;
        plan->reader.bytes_counter = &progress.bytes_done;
    }
    if (!ready || pthread_create(&tid, NULL, driver_thread, &call) != 0) {
        plan->progress = NULL;
        plan->reader.bytes_counter = NULL;
        csvb_progress_fini(&progress);
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
    csvb_progress_fini(&progress);
    plan->progress = NULL;
    plan->reader.bytes_counter = NULL;
}
