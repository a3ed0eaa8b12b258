/* driver_mpi.c — the only file with MPI: rank 0 hands jobs out largest first, every rank runs them.
 *
 * Messages (all in MPI_COMM_WORLD): rank 0 sends START (the stamp and the job list) and, after
 * its run, FIN; a rank's thread sends WORK (an ask, then the results of its jobs finished since
 * its last message) and, for an ask, gets JOB + slot back (a job index; -1: stop; -2: ask again
 * when idle); SIGNAL (worker to 0) and CANCEL (0 to workers) carry a signal number; BYE says a
 * rank's threads have all stopped. A thread asks for its next job as it starts one (ASK_NEXT),
 * so the round trip hides behind the work; rank 0's queue (handout.h) grants such an early job
 * (one per thread at most, so a slow rank holds back no more than that) only while more jobs
 * are left than there are threads, never under --max-failures or --deadline. Waits poll with short
 * sleeps instead of blocking in MPI, whose blocking calls spin a core: with ranks oversubscribed on
 * one machine that core is a worker's. Threads share MPI under one lock (MPI_THREAD_SERIALIZED); on
 * rank 0 only the calling thread uses MPI. Over the 400-line budget on purpose: the MPI door
 * (DESIGN §2) keeps every MPI call, both sides of every message, in this one file; what needs no
 * MPI is in handout.c (the queue), wire.c (the bytes) and mpi_env.c (Open MPI's start-up). */
#include "csvbatch/driver_mpi.h"

#include <limits.h>
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
#include "csvbatch/handout.h"
#include "csvbatch/mpi_env.h"
#include "csvbatch/schedule.h"
#include "csvbatch/wire.h"

enum { TAG_START = 1, TAG_FIN, TAG_WORK, TAG_SIGNAL, TAG_CANCEL, TAG_BYE, TAG_JOB = 100 };

/* What a WORK message starts with; csvb_wire_put_done entries follow, to its end. */
struct ask {
    int32_t slot;
    int32_t kind;    /* enum ask_kind */
    int32_t threads; /* the sender rank's: rank 0 counts every rank's threads */
    int32_t pad;
};

enum ask_kind { ASK_NONE, ASK_NOW, ASK_NEXT }; /* results only; idle; busy (an early job) */
enum { REPLY_STOP = -1, REPLY_LATER = -2 };

static int my_rank; /* for csvb_mpi_env_trace: set once, before any thread */

/* Sleeps a little longer each idle round, up to max_us: quick answers while busy, a quiet core
 * while a long job runs. */
static void nap(unsigned *idle, unsigned max_us)
{
    unsigned us = 20u << (*idle < 8 ? *idle : 8);
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

/* The calling thread's CPU seconds (for CSVBATCH_MPI_TRACE). */
static double thread_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- Rank 0 -------------------------------------------------------------------------------- */

struct coord {
    struct csvb_handout h; /* the queue: next job, refusals, early jobs */
    int threads;           /* this rank's */
    long rounds;           /* of the MPI thread's loop (CSVBATCH_MPI_TRACE) */
    _Atomic int local_done;
};

static bool coord_next(void *ctx, int slot, size_t *index)
{
    (void)slot;
    return csvb_handout_next(&((struct coord *)ctx)->h, index);
}

static void coord_done(void *ctx, int slot, size_t i, struct csvb_result *res)
{
    (void)slot;
    csvb_handout_done(&((struct coord *)ctx)->h, i, res);
}

static void *coord_local(void *arg)
{
    struct coord *c = arg;
    struct csvb_driver_feed feed = {coord_next, coord_done, c};
    csvb_driver_run_fed(c->h.plan, c->h.list, c->threads, &feed);
    csvb_mpi_env_trace(0, "local-done", 0, 0);
    csvb_cancel_leave(); /* this thread is about to end */
    atomic_store(&c->local_done, 1);
    return NULL;
}

/* The entries of a WORK message, p[0..len): each result in, counted, recorded. */
static void coord_results(struct coord *c, const unsigned char *p, size_t len)
{
    for (size_t used = 0; len > 0; p += used, len -= used) {
        struct csvb_result tmp;
        struct csvb_diag d;
        size_t i;
        csvb_diag_init(&d);
        csvb_result_init(&tmp);
        enum csvb_err e = csvb_wire_get_done(p, len, &i, &tmp, &used, &d);
        if (i < c->h.list->n) {
            if (e != CSVB_OK) /* tmp: "succeeded, nothing done", then failed */
                csvb_result_preset(&tmp, CSVB_STATUS_FAILED, d.code, d.message);
            csvb_handout_done(&c->h, i, &tmp); /* moves tmp into the run's results */
        }
        csvb_result_fini(&tmp);
        if (e != CSVB_OK) {
            fprintf(stderr, "csvbatch: MPI: %s\n", d.message);
            return;
        }
    }
}

/* The answer to an ask: the next job, REPLY_STOP, or REPLY_LATER for an early job (ASK_NEXT)
 * that csvb_handout_early does not grant now. */
static int64_t coord_answer(struct coord *c, int from, const struct ask *ask)
{
    csvb_handout_threads(&c->h, from, ask->threads);
    size_t next;
    if (ask->kind == ASK_NEXT && !csvb_handout_early(&c->h))
        return REPLY_LATER;
    return csvb_handout_next(&c->h, &next) ? (int64_t)next : REPLY_STOP;
}

/* A WORK message from a rank's thread: take its results in, answer its ask. */
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
    struct ask ask = {0, ASK_NONE, 0, 0};
    if ((size_t)count >= sizeof ask) {
        memcpy(&ask, buf, sizeof ask);
        coord_results(c, buf + sizeof ask, (size_t)count - sizeof ask);
    }
    free(buf);
    if (ask.kind == ASK_NOW || ask.kind == ASK_NEXT) {
        int64_t reply = coord_answer(c, st->MPI_SOURCE, &ask);
        MPI_Send(&reply, 1, MPI_INT64_T, st->MPI_SOURCE, TAG_JOB + ask.slot, MPI_COMM_WORLD);
    }
}

/* Answers the other ranks until they and this rank's threads have all stopped; passes a signal
 * on to every rank once. */
static void coord_serve(struct coord *c, int ranks)
{
    int byes = 0, sig;
    bool cancel_sent = false;
    unsigned idle = 0;
    long rounds = 0;
    double last = 0, gap = 0; /* WORK messages: when the last came, the recent interval */
    while (byes < ranks - 1 || !atomic_load(&c->local_done)) {
        if ((sig = csvb_cancel_signal()) != 0 && !cancel_sent) {
            for (int r = 1; r < ranks; r++)
                MPI_Send(&sig, 1, MPI_INT, r, TAG_CANCEL, MPI_COMM_WORLD);
            cancel_sent = true;
        }
        int flag = 0;
        MPI_Status st;
        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
        rounds++;
        if (!flag) {
            nap(&idle, csvb_handout_poll_us(&c->h, gap));
            continue;
        }
        idle = 0;
        if (st.MPI_TAG == TAG_WORK) {
            double now = csvb_now();
            gap = last == 0 ? 0 : gap == 0 ? now - last : 0.75 * gap + 0.25 * (now - last);
            last = now;
            coord_work(c, &st);
            continue;
        }
        MPI_Recv(&sig, 1, MPI_INT, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (st.MPI_TAG == TAG_SIGNAL)
            raise_once(sig);
        else if (st.MPI_TAG == TAG_BYE)
            byes++;
    }
    c->rounds = rounds;
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
    struct coord c = {.local_done = 0};
    bool scheduled = csvb_schedule_init(&sched, list, plan->chunk_size, &d) == CSVB_OK;
    if (scheduled)
        c.threads = csvb_schedule_threads(&sched, plan->threads);
    if (!scheduled ||
        csvb_handout_init(&c.h, plan, list, results, &sched, c.threads, ranks, &d) != CSVB_OK ||
        !coord_start(plan, list, ranks)) {
        csvb_handout_fini(&c.h);
        csvb_schedule_fini(&sched);
        csvb_driver_run(plan, list, results); /* no memory: this rank alone, FIN frees the rest */
        return;
    }
    csvb_driver_preset(list, results);
    csvb_mpi_env_trace(0, "start", (double)list->n, 0);
    double cpu0 = thread_cpu();
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
    csvb_mpi_env_trace(0, "served", thread_cpu() - cpu0, (double)c.rounds); /* what serving cost */
    csvb_handout_fini(&c.h);
    csvb_schedule_fini(&sched);
}

/* ---- The other ranks ------------------------------------------------------------------------- */

/* One thread's messages: the results not sent yet, the WORK being sent, the ask pending. */
struct slot {
    struct csvb_wire done; /* csvb_wire_put_done entries */
    struct csvb_wire msg;  /* MPI_Isend's buffer until it completes */
    MPI_Request send, recv;
    int64_t reply;
    bool sending, asking;
    double waited; /* seconds idle waiting for an answer (CSVBATCH_MPI_TRACE) */
};

struct server {
    pthread_mutex_t lock;    /* every MPI call */
    pthread_mutex_t pending; /* the slots' done: a commit thread adds results as outputs land */
    const struct csvb_plan *plan;
    const struct csvb_joblist *list;
    struct slot *slots;
    int threads;
    bool early; /* ask for the next job as one starts (ASK_NEXT) */
    _Atomic int done;
};

/* Waits for req to complete, testing it under the lock between naps. */
static void server_complete(struct server *s, MPI_Request *req)
{
    unsigned idle = 0;
    for (int flag = 0;;) {
        pthread_mutex_lock(&s->lock);
        MPI_Test(req, &flag, MPI_STATUS_IGNORE);
        pthread_mutex_unlock(&s->lock);
        if (flag)
            return;
        nap(&idle, 500);
    }
}

/* Job index is finished: its result res joins the slot's next message; this rank keeps none. */
static void server_done(void *ctx, int slot, size_t index, struct csvb_result *res)
{
    struct server *s = ctx;
    pthread_mutex_lock(&s->pending);
    enum csvb_err e = csvb_wire_put_done(&s->slots[slot].done, index, res);
    pthread_mutex_unlock(&s->pending);
    if (e != CSVB_OK) {
        fprintf(stderr, "csvbatch: out of memory sending a result\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    csvb_result_fini(res);
}

/* Sends the slot's results not sent yet with an ask of this kind (nothing for ASK_NONE without
 * results); an ask's answer is then pending. */
static void server_post(struct server *s, int slot, enum ask_kind kind)
{
    struct slot *sl = &s->slots[slot];
    pthread_mutex_lock(&s->pending);
    bool none = sl->done.len == 0;
    pthread_mutex_unlock(&s->pending);
    if (kind == ASK_NONE && none)
        return;
    if (sl->sending)
        server_complete(s, &sl->send); /* long done: the message before */
    struct ask ask = {slot, (int32_t)kind, s->threads, 0};
    sl->msg.len = 0;
    pthread_mutex_lock(&s->pending);
    bool ok = csvb_wire_put(&sl->msg, &ask, sizeof ask) == CSVB_OK &&
              csvb_wire_put(&sl->msg, sl->done.data, sl->done.len) == CSVB_OK &&
              sl->msg.len <= INT_MAX;
    sl->done.len = 0;
    pthread_mutex_unlock(&s->pending);
    if (!ok) {
        fprintf(stderr, "csvbatch: out of memory sending a result\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    pthread_mutex_lock(&s->lock);
    MPI_Isend(sl->msg.data, (int)sl->msg.len, MPI_BYTE, 0, TAG_WORK, MPI_COMM_WORLD, &sl->send);
    if (kind != ASK_NONE)
        MPI_Irecv(&sl->reply, 1, MPI_INT64_T, 0, TAG_JOB + slot, MPI_COMM_WORLD, &sl->recv);
    pthread_mutex_unlock(&s->lock);
    sl->sending = true;
    sl->asking = kind != ASK_NONE;
}

/* The answer to the slot's pending ask, or REPLY_LATER when none is pending. */
static int64_t server_answer(struct server *s, int slot)
{
    struct slot *sl = &s->slots[slot];
    if (!sl->asking)
        return REPLY_LATER;
    double t0 = csvb_now();
    server_complete(s, &sl->recv);
    sl->waited += csvb_now() - t0;
    sl->asking = false;
    return sl->reply;
}

/* The slot's next job: the early one asked for as the last started, or one asked for now. One
 * handed out after this rank was interrupted (rank 0 had not heard yet) is not started, and
 * goes back as such with the next ask. */
static bool server_next(void *ctx, int slot, size_t *index)
{
    struct server *s = ctx;
    for (int64_t reply = server_answer(s, slot);;) {
        if (reply == REPLY_LATER) {
            server_post(s, slot, ASK_NOW);
            reply = server_answer(s, slot);
            continue;
        }
        if (reply < 0 || (size_t)reply >= s->list->n) {
            server_post(s, slot, ASK_NONE); /* the last results */
            return false;
        }
        const char *why = csvb_driver_refusal(s->plan, 0, 0);
        if (why == NULL) {
            *index = (size_t)reply;
            server_post(s, slot, s->early ? ASK_NEXT : ASK_NONE);
            return true;
        }
        struct csvb_result refused;
        csvb_result_preset(&refused, CSVB_STATUS_SKIPPED, CSVB_E_CANCELLED, why);
        server_done(s, slot, (size_t)reply, &refused);
        reply = REPLY_LATER;
    }
}

static void *server_threads(void *arg)
{
    struct server *s = arg;
    struct csvb_driver_feed feed = {server_next, server_done, s};
    csvb_driver_run_fed(s->plan, s->list, s->threads, &feed);
    for (int k = 0; k < s->threads; k++) /* results whose outputs the pool committed last */
        server_post(s, k, ASK_NONE);
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
            nap(&idle, 1000); /* FIN ends the run: seen within a millisecond */
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
    struct server s = {
        .lock = PTHREAD_MUTEX_INITIALIZER, .pending = PTHREAD_MUTEX_INITIALIZER, .plan = plan};
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
    s.early = plan->limits.max_failures == 0 && plan->limits.deadline <= 0;
    s.slots = calloc((size_t)s.threads, sizeof *s.slots); /* all zero: nothing pending */
    if (s.slots == NULL)
        goto out;
    pthread_t tid;
    if (pthread_create(&tid, NULL, server_threads, &s) == 0) {
        server_watch(&s);
        pthread_join(tid, NULL);
    }
    for (int k = 0; k < s.threads; k++) { /* every result sent before BYE */
        if (s.slots[k].sending)
            server_complete(&s, &s.slots[k].send);
        csvb_mpi_env_trace(my_rank, "waited", s.slots[k].waited, k);
    }
out:
    if (d.code != CSVB_OK)
        fprintf(stderr, "csvbatch: MPI rank: %s\n", d.message);
    for (int k = 0; s.slots != NULL && k < s.threads; k++) {
        csvb_wire_fini(&s.slots[k].done);
        csvb_wire_fini(&s.slots[k].msg);
    }
    free(s.slots);
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
    csvb_mpi_env_trace(my_rank, "start", 0, 0);
    if (tag == TAG_START && ready)
        server_run(&plan, start, (size_t)count);
    if (tag == TAG_START) { /* no thread of this rank asks again */
        csvb_mpi_env_trace(my_rank, "bye", 0, 0);
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
    csvb_mpi_env_trace(-1, "main", 0, 0);
    bool pml = csvb_mpi_env_pml(); /* before MPI reads the environment */
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
    my_rank = rank;
    int nodelay = csvb_mpi_env_nodelay(); /* MPI_Finalize's fence: no wait for a delayed ACK */
    csvb_mpi_env_trace(rank, "init", pml, nodelay);
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
    csvb_mpi_env_trace(rank, "finalize", 0, 0);
    MPI_Finalize();
    csvb_mpi_env_trace(rank, "end", 0, 0);
    return status;
}
