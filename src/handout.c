/* handout.c — rank 0's queue in the MPI build: next job, refusals, early jobs (handout.h). */
#include "csvbatch/handout.h"

#include <stdlib.h>
#include <string.h>

#include "csvbatch/clock.h"
#include "csvbatch/driver.h"
#include "csvbatch/incremental.h"

enum csvb_err csvb_handout_init(struct csvb_handout *h, const struct csvb_plan *plan,
                                const struct csvb_joblist *list, struct csvb_results *results,
                                const struct csvb_schedule *sched, int local_threads, int ranks,
                                struct csvb_diag *d)
{
    memset(h, 0, sizeof *h);
    pthread_mutex_init(&h->lock, NULL);
    h->plan = plan;
    h->list = list;
    h->results = results;
    h->order = sched->order;
    h->n = sched->n;
    h->deadline = plan->limits.deadline > 0 ? csvb_now() + plan->limits.deadline : 0;
    h->threads = local_threads;
    h->early_allowed = plan->limits.max_failures == 0 && plan->limits.deadline <= 0;
    h->ranks = ranks > 0 ? ranks : 1;
    if ((h->rank_threads = calloc((size_t)h->ranks, sizeof *h->rank_threads)) == NULL)
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    return CSVB_OK;
}

void csvb_handout_fini(struct csvb_handout *h)
{
    if (h == NULL || h->plan == NULL)
        return;
    free(h->rank_threads);
    pthread_mutex_destroy(&h->lock);
    memset(h, 0, sizeof *h);
}

bool csvb_handout_next(struct csvb_handout *h, size_t *index)
{
    bool found = false;
    pthread_mutex_lock(&h->lock);
    while (!found && h->pos < h->n) {
        size_t i = h->order[h->pos++];
        const char *why = csvb_driver_refusal(h->plan, h->failures, h->deadline);
        if (why != NULL)
            csvb_driver_refuse(h->results, i, why);
        else {
            *index = i;
            found = true;
        }
    }
    pthread_mutex_unlock(&h->lock);
    return found;
}

void csvb_handout_done(struct csvb_handout *h, size_t i, struct csvb_result *res)
{
    pthread_mutex_lock(&h->lock);
    if (res->status == CSVB_STATUS_FAILED)
        h->failures++;
    pthread_mutex_unlock(&h->lock);
    csvb_incremental_record(h->plan->incremental, i, &h->list->jobs[i], res);
    (void)csvb_results_put(h->results, i, res); /* no memory: it reads as failed, said so */
}

void csvb_handout_threads(struct csvb_handout *h, int rank, int threads)
{
    if (rank <= 0 || rank >= h->ranks || threads <= 0 || threads == h->rank_threads[rank])
        return;
    h->threads += threads - h->rank_threads[rank];
    h->rank_threads[rank] = threads;
}

bool csvb_handout_early(struct csvb_handout *h)
{
    pthread_mutex_lock(&h->lock);
    bool early = h->early_allowed && h->n - h->pos > (size_t)h->threads;
    pthread_mutex_unlock(&h->lock);
    return early;
}

unsigned csvb_handout_poll_us(struct csvb_handout *h, double gap)
{
    if (!(gap > 0) || !csvb_handout_early(h))
        return 500;
    double us = gap * 1e6 / 2;
    return us < 500 ? 500 : us > 5000 ? 5000 : (unsigned)us;
}
