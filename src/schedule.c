/* schedule.c — start order of the jobs (largest first) and how many threads are worth it. */
#include "csvbatch/schedule.h"

#include <stdlib.h>
#include <string.h>

struct sized {
    off_t size;
    size_t job;
};

static int cmp_sized(const void *a, const void *b)
{
    const struct sized *x = a, *y = b;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return x->job < y->job ? -1 : x->job > y->job;
}

enum csvb_err csvb_schedule_init(struct csvb_schedule *s, const struct csvb_joblist *list,
                                 size_t chunk_size, struct csvb_diag *d)
{
    memset(s, 0, sizeof *s);
    struct sized *tmp = calloc(list->n + 1, sizeof *tmp);
    s->order = calloc(list->n + 1, sizeof *s->order);
    if (tmp == NULL || s->order == NULL) {
        free(tmp);
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    }
    for (size_t i = 0; i < list->n; i++)
        if (list->jobs[i].kind == CSVB_JOB_RUN)
            tmp[s->n++] = (struct sized){list->jobs[i].size, i};
    if (s->n > 1)
        qsort(tmp, s->n, sizeof *tmp, cmp_sized);
    for (size_t k = 0; k < s->n; k++)
        s->order[k] = tmp[k].job;
    s->splittable = s->n > 0 && chunk_size > 0 && tmp[0].size >= 2 * (off_t)chunk_size;
    free(tmp);
    return CSVB_OK;
}

int csvb_schedule_threads(const struct csvb_schedule *s, int threads)
{
    if (threads < 1)
        threads = 1;
    /* More threads than files only help when a file is big enough to be split. */
    if ((size_t)threads > s->n && !s->splittable)
        threads = s->n > 0 ? (int)s->n : 1;
    return threads;
}

void csvb_schedule_fini(struct csvb_schedule *s)
{
    if (s == NULL)
        return;
    free(s->order);
    s->order = NULL;
    s->n = 0;
}
