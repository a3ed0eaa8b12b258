/* driver_mpi.c — the only file with MPI: rank 0 hands jobs out largest first, every rank runs them.
 *
 * Messages (all in MPI_COMM_WORLD): rank 0 sends START (the stamp and the job list) and, after
 * its run, FIN; a rank's thread sends WORK (the result of its last job, if any, and an ask) and
 * gets JOB + slot back (a job index, or -1: stop); SIGNAL (worker to 0) and CANCEL (0 to
 * workers) carry a signal number; BYE says a rank's threads have all stopped. Waits poll with
 * short sleeps instead of blocking in MPI, whose blocking calls spin a core: with ranks
 * oversubscribed on one machine that core is a worker's. Threads share MPI under one lock
 * (MPI_THREAD_SERIALIZED); on rank 0 only the calling thread uses MPI. Over the 400-line budget
 * on purpose: the MPI door (DESIGN §2) keeps every MPI call, both sides of every message, in
 * this one file. */
#include "csvbatch/driver_mpi.h"

#include <mpi.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "csvbatch/cancel.h"
#include "csvbatch/cli.h"
#include "csvbatch/clock.h"
#include "csvbatch/driver.h"
#include "csvbatch/incremental.h"
#include "csvbatch/schedule.h"
#include "csvbatch/wire.h"

enum { TAG_START = 1, TAG_FIN, TAG_WORK, TAG_SIGNAL, TAG_CANCEL, TAG_BYE, TAG_JOB = 100 };

/* What a WORK message starts with; a result follows when index >= 0. */
struct ask {
    int32_t slot;
    int32_t pad;
    int64_t index;
};

/* Sleeps a little longer each idle round, up to max_us: quick answers while busy, a quiet core
 * while a long job runs. */
static void nap(unsigned *idle, unsigned max_us)
{
    unsigned us = 20u << (*idle < 6 ? *idle : 6);
    struct timespec ts = {0, (long)(us < max_us ? us : max_us) * 1000L};
    nanosleep(&ts, NULL);
    (*idle)++;
}

/* Passes on a signal from another rank, unless this rank had one: the handler then sees it as
 * its first signal and sets the flag every worker polls. */
static void raise_once(int sig)
{
    if (sig > 0 && csvb_cancel_signal() == 0)
        kill(getpid(), sig);
}

/* ---- Rank 0 -------------------------------------------------------------------------------- */

struct coord {
    pthread_mutex_t lock; /* pos and failures */
    const struct csvb_plan *plan;
    const struct csvb_joblist *list;
    struct csvb_results *results;
    const size_t *order;
    size_t n, pos, failures;
    double deadline;
    int threads;
    _Atomic int local_done;
};

/* The next job to start; each job refused on the way gets its Skipped result, as the
 * one-process driver gives it. False when none is left. */
static bool coord_next(void *ctx, int slot, size_t *index)
{
    struct coord *c = ctx;
    bool found = false;
    (void)slot;
    pthread_mutex_lock(&c->lock);
    while (!found && c->pos < c->n) {
        size_t i = c->order[c->pos++];
        const char *why = csvb_driver_refusal(c->plan, c->failures, c->deadline);
        if (why != NULL)
            csvb_driver_refuse(c->results, i, why);
        else {
            *index = i;
            found = true;
        }
    }
    pthread_mutex_unlock(&c->lock);
    return found;
}

/* Job i's result res is in (from this rank or another): count it, record it for
 * --incremental, keep it (res is left empty). */
static void coord_done(void *ctx, int slot, size_t i, struct csvb_result *res)
{
    struct coord *c = ctx;
    (void)slot;
    pthread_mutex_lock(&c->lock);
    if (res->status == CSVB_STATUS_FAILED)
        c->failures++;
    pthread_mutex_unlock(&c->lock);
    csvb_incremental_record(c->plan->incremental, i, &c->list->jobs[i], res);
    (void)csvb_results_put(c->results, i, res); /* no memory: it reads as failed, said so */
}

static void *coord_local(void *arg)
{
    struct coord *c = arg;
    struct csvb_driver_feed feed = {coord_next, coord_done, c};
    csvb_driver_run_fed(c->plan, c->list, c->threads, &feed);
    csvb_cancel_leave(); /* this thread is about to end */
    atomic_store(&c->local_done, 1);
    return NULL;
}

/* A WORK message from a rank's thread: take its result in, answer with its next job. */
static void coord_work(struct coord *c, const MPI_Status *st)
{
    int count = 0;
    MPI_Get_count(st, MPI_BYTE, &count);
    unsigned char *buf = malloc(count > 0 ? (size_t)count : 1);
    if (buf == NULL) {
        fprintf(stderr, "csvbatch: out of memory receiving a result\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
        return;
    }
    MPI_Recv(buf, count, MPI_BYTE, st->MPI_SOURCE, TAG_WORK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    struct ask ask = {0, 0, -1};
    if ((size_t)count >= sizeof ask)
        memcpy(&ask, buf, sizeof ask);
    if (ask.index >= 0 && (size_t)ask.index < c->list->n) {
        size_t i = (size_t)ask.index, used = 0;
        struct csvb_diag d;
        struct csvb_result res;
        csvb_diag_init(&d);
        csvb_result_init(&res);
        if (csvb_wire_get_result(buf + sizeof ask, (size_t)count - sizeof ask, &res, &used, &d) !=
            CSVB_OK)
            csvb_result_preset(&res, CSVB_STATUS_FAILED, d.code, d.message);
        coord_done(c, 0, i, &res);
    }
    free(buf);
    size_t next;
    int64_t reply = coord_next(c, 0, &next) ? (int64_t)next : -1;
    MPI_Send(&reply, 1, MPI_INT64_T, st->MPI_SOURCE, TAG_JOB + ask.slot, MPI_COMM_WORLD);
}

/* Answers the other ranks until they and this rank's threads have all stopped; passes a signal
 * on to every rank once. */
static void coord_serve(struct coord *c, int ranks)
{
    int byes = 0, sig;
    bool cancel_sent = false;
    unsigned idle = 0;
    while (byes < ranks - 1 || !atomic_load(&c->local_done)) {
        if ((sig = csvb_cancel_signal()) != 0 && !cancel_sent) {
            for (int r = 1; r < ranks; r++)
                MPI_Send(&sig, 1, MPI_INT, r, TAG_CANCEL, MPI_COMM_WORLD);
            cancel_sent = true;
        }
        int flag = 0;
        MPI_Status st;
        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
        if (!flag) {
            nap(&idle, 500);
            continue;
        }
        idle = 0;
        if (st.MPI_TAG == TAG_WORK) {
            coord_work(c, &st);
            continue;
        }
        MPI_Recv(&sig, 1, MPI_INT, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (st.MPI_TAG == TAG_SIGNAL)
            raise_once(sig);
        else if (st.MPI_TAG == TAG_BYE)
            byes++;
    }
}

/* START for every other rank: the stamp, then the job list. False without memory. */
static bool coord_start(const struct csvb_plan *plan, const struct csvb_joblist *list, int ranks)
{
    struct csvb_wire w;
    csvb_wire_init(&w);
    bool ok = csvb_wire_put(&w, plan->stamp, sizeof plan->stamp) == CSVB_OK &&
              csvb_wire_put_jobs(&w, list) == CSVB_OK && w.len <= INT32_MAX;
    for (int r = 1; ok && r < ranks; r++)
        MPI_Send(w.data, (int)w.len, MPI_BYTE, r, TAG_START, MPI_COMM_WORLD);
    csvb_wire_fini(&w);
    return ok;
}

void csvb_driver_mpi_run(struct csvb_plan *plan, const struct csvb_joblist *list,
                         struct csvb_results *results, bool show_progress)
{
    struct csvb_schedule sched;
    struct csvb_diag d;
    int ranks = 1;
    (void)show_progress; /* the other ranks' work would not show: no line at all */
    csvb_diag_init(&d);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    if (csvb_schedule_init(&sched, list, plan->chunk_size, &d) != CSVB_OK ||
        !coord_start(plan, list, ranks)) {
        csvb_schedule_fini(&sched);
        csvb_driver_run(plan, list, results); /* no memory: this rank alone, FIN frees the rest */
        return;
    }
    csvb_driver_preset(list, results);
    struct coord c = {.lock = PTHREAD_MUTEX_INITIALIZER,
                      .plan = plan,
                      .list = list,
                      .results = results,
                      .order = sched.order,
                      .n = sched.n,
                      .threads = csvb_schedule_threads(&sched, plan->threads)};
    c.deadline = plan->limits.deadline > 0 ? csvb_now() + plan->limits.deadline : 0;
    pthread_t tid;
    if (ranks == 1) {
        coord_local(&c);
    } else if (pthread_create(&tid, NULL, coord_local, &c) != 0) {
        atomic_store(&c.local_done, 1); /* the other ranks do it all */
        coord_serve(&c, ranks);
    } else {
        coord_serve(&c, ranks);
        pthread_join(tid, NULL);
    }
    csvb_schedule_fini(&sched);
}

/* ---- The other ranks ------------------------------------------------------------------------- */

struct server {
    pthread_mutex_t lock; /* every MPI call */
    const struct csvb_plan *plan;
    const struct csvb_joblist *list;
    struct csvb_result *held; /* per slot: the result that goes with the slot's next ask */
    int64_t *finished; /* per slot: the job whose result goes with the slot's next ask, or -1 */
    int threads;
    _Atomic int done;
};

static void server_done(void *ctx, int slot, size_t index, struct csvb_result *res)
{
    struct server *s = ctx;
    s->finished[slot] = (int64_t)index;
    s->held[slot] = *res; /* moved: res's preview is held's now */
    csvb_result_init(res);
}

/* Sends the slot's last result (dropping this rank's copy) with an ask; returns the answer. */
static int64_t server_ask(struct server *s, int slot)
{
    struct ask ask = {slot, 0, s->finished[slot]};
    struct csvb_wire w;
    csvb_wire_init(&w);
    if (csvb_wire_put(&w, &ask, sizeof ask) != CSVB_OK ||
        (ask.index >= 0 && csvb_wire_put_result(&w, &s->held[slot]) != CSVB_OK)) {
        fprintf(stderr, "csvbatch: out of memory sending a result\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    int64_t reply = -1;
    MPI_Request req;
    pthread_mutex_lock(&s->lock);
    MPI_Send(w.data, (int)w.len, MPI_BYTE, 0, TAG_WORK, MPI_COMM_WORLD);
    MPI_Irecv(&reply, 1, MPI_INT64_T, 0, TAG_JOB + slot, MPI_COMM_WORLD, &req);
    pthread_mutex_unlock(&s->lock);
    csvb_wire_fini(&w);
    csvb_result_fini(&s->held[slot]);
    s->finished[slot] = -1;
    unsigned idle = 0;
    for (int flag = 0;;) {
        pthread_mutex_lock(&s->lock);
        MPI_Test(&req, &flag, MPI_STATUS_IGNORE);
        if (flag)
            MPI_Wait(&req, MPI_STATUS_IGNORE); /* complete already: returns at once */
        pthread_mutex_unlock(&s->lock);
        if (flag)
            return reply;
        nap(&idle, 500);
    }
}

/* The slot's next job. One handed out after this rank was interrupted (rank 0 had not heard
 * yet) is not started, and goes back as such with the next ask. */
static bool server_next(void *ctx, int slot, size_t *index)
{
    struct server *s = ctx;
    for (;;) {
        int64_t reply = server_ask(s, slot);
        if (reply < 0 || (size_t)reply >= s->list->n)
            return false;
        const char *why = csvb_driver_refusal(s->plan, 0, 0);
        if (why == NULL) {
            *index = (size_t)reply;
            return true;
        }
        csvb_result_preset(&s->held[slot], CSVB_STATUS_SKIPPED, CSVB_E_CANCELLED, why);
        s->finished[slot] = reply;
    }
}

static void *server_threads(void *arg)
{
    struct server *s = arg;
    struct csvb_driver_feed feed = {server_next, server_done, s};
    csvb_driver_run_fed(s->plan, s->list, s->threads, &feed);
    csvb_cancel_leave();
    atomic_store(&s->done, 1);
    return NULL;
}

/* While this rank's threads work: CANCEL from rank 0 raised here, a signal here sent there. */
static void server_watch(struct server *s)
{
    bool told = false, heard = false;
    unsigned idle = 0;
    while (!atomic_load(&s->done)) {
        int flag = 0, sig = 0;
        pthread_mutex_lock(&s->lock);
        MPI_Iprobe(0, TAG_CANCEL, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE);
        if (flag)
            MPI_Recv(&sig, 1, MPI_INT, 0, TAG_CANCEL, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (!flag && !heard && !told && (sig = csvb_cancel_signal()) != 0) {
            MPI_Send(&sig, 1, MPI_INT, 0, TAG_SIGNAL, MPI_COMM_WORLD);
            told = true;
        }
        pthread_mutex_unlock(&s->lock);
        if (flag) {
            heard = true;
            raise_once(sig);
        }
        nap(&idle, 2000);
    }
}

/* Waits for rank 0's message of this tag (taking and dropping CANCELs meanwhile); returns its
 * bytes (caller frees; NULL for an empty message or no memory) and its length. */
static unsigned char *server_wait(int want, int *tag, int *count)
{
    unsigned idle = 0;
    for (;;) {
        int flag = 0;
        MPI_Status st;
        MPI_Iprobe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
        if (!flag) {
            nap(&idle, 5000);
            continue;
        }
        MPI_Get_count(&st, MPI_BYTE, count);
        unsigned char *buf = malloc(*count > 0 ? (size_t)*count : 1);
        if (buf == NULL)
            MPI_Abort(MPI_COMM_WORLD, 1);
        MPI_Recv(buf, *count, MPI_BYTE, 0, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        *tag = st.MPI_TAG;
        if (st.MPI_TAG == want || st.MPI_TAG == TAG_FIN)
            return buf;
        free(buf);
    }
}

/* Runs the jobs rank 0 hands this rank, from the START message start[0..len). */
static void server_run(struct csvb_plan *plan, const unsigned char *start, size_t len)
{
    struct csvb_joblist list;
    struct csvb_schedule sched;
    struct csvb_diag d;
    struct server s = {.lock = PTHREAD_MUTEX_INITIALIZER, .plan = plan};
    csvb_diag_init(&d);
    memset(&sched, 0, sizeof sched);
    memset(&list, 0, sizeof list);
    if (len < sizeof plan->stamp)
        goto out;
    memcpy(plan->stamp, start, sizeof plan->stamp); /* rank 0's ProcessedDate, not this clock's */
    plan->stamp[sizeof plan->stamp - 1] = '\0';
    if (csvb_wire_get_jobs(start + sizeof plan->stamp, len - sizeof plan->stamp, &list, &d) !=
            CSVB_OK ||
        csvb_schedule_init(&sched, &list, plan->chunk_size, &d) != CSVB_OK)
        goto out;
    s.list = &list;
    s.threads = csvb_schedule_threads(&sched, plan->threads);
    s.held = calloc((size_t)s.threads, sizeof *s.held); /* all zero: csvb_result_init's */
    s.finished = malloc((size_t)s.threads * sizeof *s.finished);
    if (s.held == NULL || s.finished == NULL)
        goto out;
    for (int k = 0; k < s.threads; k++)
        s.finished[k] = -1;
    pthread_t tid;
    if (pthread_create(&tid, NULL, server_threads, &s) == 0) {
        server_watch(&s);
        pthread_join(tid, NULL);
    }
out:
    if (d.code != CSVB_OK)
        fprintf(stderr, "csvbatch: MPI rank: %s\n", d.message);
    for (int k = 0; s.held != NULL && k < s.threads; k++)
        csvb_result_fini(&s.held[k]);
    free(s.held);
    free(s.finished);
    csvb_schedule_fini(&sched);
    csvb_joblist_fini(&list);
}

/* A rank other than 0: the same options and plan, rank 0's jobs. */
static int serve(int argc, char **argv)
{
    struct csvb_options opt;
    struct csvb_plan plan;
    struct csvb_diag d;
    csvb_diag_init(&d);
    memset(&plan, 0, sizeof plan);
    mode_t mask = umask(0);
    umask(mask);
    bool ready =
        csvb_cli_parse(argc, argv, &opt, &d) == CSVB_CLI_OK &&
        csvb_plan_init(&plan, &opt, getenv("SOURCE_DATE_EPOCH"), time(NULL), mask,
                       getenv("OMP_NUM_THREADS"), sysconf(_SC_NPROCESSORS_ONLN), &d) == CSVB_OK;
    csvb_cancel_install(ready ? plan.threads : 1); /* an interrupt from now on is a cancel */
    int tag = 0, count = 0;
    unsigned char *start = server_wait(TAG_START, &tag, &count);
    if (tag == TAG_START && ready)
        server_run(&plan, start, (size_t)count);
    if (tag == TAG_START) { /* no thread of this rank asks again */
        MPI_Send(&tag, 1, MPI_INT, 0, TAG_BYE, MPI_COMM_WORLD);
        free(server_wait(TAG_FIN, &tag, &count));
    }
    free(start);
    csvb_plan_fini(&plan);
    csvb_options_fini(&opt);
    return 0;
}

/* Whether argv asks for a share of the files (--shard): under more than one rank, rank 0 would
 * take its share alone and the ranks would split only that. */
static bool wants_shard(int argc, char **argv)
{
    struct csvb_options opt;
    struct csvb_diag d;
    csvb_diag_init(&d);
    bool shard = csvb_cli_parse(argc, argv, &opt, &d) == CSVB_CLI_OK &&
                 (opt.shard_index > 0 || opt.shard_auto);
    csvb_options_fini(&opt);
    return shard;
}

int csvb_driver_mpi_main(int argc, char **argv,
                         int (*one_process)(int argc, char **argv, csvb_supervise_fn *run_jobs))
{
    int provided = 0, rank = 0, ranks = 1, status;
    if (MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS) {
        fprintf(stderr, "csvbatch: MPI could not be started\n");
        return 1;
    }
    if (provided < MPI_THREAD_SERIALIZED) {
        fprintf(stderr, "csvbatch: this MPI does not allow calls from several threads\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    if (rank == 0) {
        /* mpirun gives rank 0 a pseudo-terminal for stdout whatever its own stdout is, so
         * isatty says nothing: --color auto means no colour here (--color always still works). */
        const char *force = getenv("CLICOLOR_FORCE");
        if (force == NULL || force[0] == '\0')
            setenv("NO_COLOR", "1", 0);
        if (ranks > 1 && wants_shard(argc, argv)) {
            fprintf(stderr, "csvbatch: --shard: the MPI build shares the files out over its "
                            "ranks itself; run it without --shard (or run the default build "
                            "with --shard auto under mpirun)\n");
            status = 2;
        } else
            status = one_process(argc, argv, csvb_driver_mpi_run);
        for (int r = 1; r < ranks; r++)
            MPI_Send(NULL, 0, MPI_BYTE, r, TAG_FIN, MPI_COMM_WORLD);
    } else
        status = serve(argc, argv);
    MPI_Finalize();
    return status;
}
