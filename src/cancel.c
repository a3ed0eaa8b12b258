/* cancel.c — signal handling: a polled flag, waking blocked workers, emergency temp cleanup. */
#include "csvbatch/cancel.h"

#include <pthread.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct slot {
    _Atomic int used; /* thread registered */
    pthread_t thread;
};

/* Temp paths live in blocks that are only ever added (never freed while the process runs), so
 * the handler can walk them at any moment; each slot's PATH_MAX buffer is allocated on its first
 * use and reused, never freed or moved, for the same reason. Slots exist only as many as temp
 * files were ever open at once. */
#define CSVB_TEMP_BLOCK 256

struct temp_slot {
    _Atomic int state; /* 0 free, 1 being written, 2 holds a path */
    char *_Atomic path;
};

struct temp_block {
    struct temp_slot slots[CSVB_TEMP_BLOCK];
    struct temp_block *_Atomic next;
};

static struct slot *slots; /* nslots, sized by the thread count at install */
static int nslots;
static struct temp_block *_Atomic temps;
static pthread_mutex_t grow_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic int next_slot;
static _Atomic int first_signal;
static _Atomic int signal_count;
static _Atomic long long first_signal_ns; /* CLOCK_MONOTONIC of the first signal */

/* Signals closer than this to the first are the same event delivered twice (timeout(1) signals
 * the child and then its process group), not a person pressing Ctrl-C again. */
#define CSVB_REPEAT_NS 250000000LL

static long long monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts); /* async-signal-safe */
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}
static _Thread_local int my_slot = -1;

static void on_wake(int signo)
{
    (void)signo; /* only here to interrupt a blocking system call (no SA_RESTART) */
}

static void on_signal(int signo)
{
    int expected = 0;
    long long now = monotonic_ns();
    if (atomic_compare_exchange_strong(&first_signal, &expected, signo))
        atomic_store(&first_signal_ns, now);
    else if (now - atomic_load(&first_signal_ns) < CSVB_REPEAT_NS)
        return;
    if (atomic_fetch_add(&signal_count, 1) == 0) {
        int n = atomic_load(&next_slot);
        for (int i = 0; i < n && i < nslots; i++)
            if (atomic_load(&slots[i].used))
                pthread_kill(slots[i].thread, SIGUSR1);
        return;
    }
    /* A second signal: do not wait for the workers. unlink and _exit are async-signal-safe. */
    for (struct temp_block *b = atomic_load(&temps); b != NULL; b = atomic_load(&b->next))
        for (int i = 0; i < CSVB_TEMP_BLOCK; i++)
            if (atomic_load(&b->slots[i].state) == 2)
                unlink(atomic_load(&b->slots[i].path));
    _exit(128 + atomic_load(&first_signal));
}

void csvb_cancel_install(int threads)
{
    /* Every OpenMP worker, the driver thread and the main thread may register. */
    int want = (threads > 0 ? threads : 1) + 2;
    if (slots == NULL && (slots = calloc((size_t)want, sizeof *slots)) != NULL)
        nslots = want;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_wake;
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

const _Atomic int *csvb_cancel_flag(void)
{
    return &first_signal;
}

int csvb_cancel_signal(void)
{
    return atomic_load(&first_signal);
}

void csvb_cancel_enter(void)
{
    if (my_slot < 0) {
        int i = atomic_fetch_add(&next_slot, 1);
        if (i >= nslots)
            return;
        my_slot = i;
    }
    slots[my_slot].thread = pthread_self();
    atomic_store(&slots[my_slot].used, 1);
}

void csvb_cancel_leave(void)
{
    if (my_slot >= 0)
        atomic_store(&slots[my_slot].used, 0);
}

/* A free slot, claimed (state 1); a new block when all are taken. NULL without memory. */
static struct temp_slot *claim_slot(int *handle)
{
    for (;;) {
        int base = 0;
        for (struct temp_block *b = atomic_load(&temps); b != NULL; b = atomic_load(&b->next)) {
            for (int i = 0; i < CSVB_TEMP_BLOCK; i++) {
                int expected = 0;
                struct temp_slot *t = &b->slots[i];
                if (atomic_load_explicit(&t->state, memory_order_relaxed) == 0 &&
                    atomic_compare_exchange_strong(&t->state, &expected, 1)) {
                    *handle = base + i;
                    return t;
                }
            }
            base += CSVB_TEMP_BLOCK;
        }
        struct temp_block *fresh = calloc(1, sizeof *fresh);
        if (fresh == NULL)
            return NULL;
        pthread_mutex_lock(&grow_lock); /* appended at the end: handles stay stable */
        struct temp_block *_Atomic *tail = &temps;
        while (atomic_load(tail) != NULL)
            tail = &atomic_load(tail)->next;
        atomic_store(tail, fresh);
        pthread_mutex_unlock(&grow_lock);
    }
}

static struct temp_slot *slot_of(int handle)
{
    struct temp_block *b = atomic_load(&temps);
    for (; b != NULL && handle >= CSVB_TEMP_BLOCK; handle -= CSVB_TEMP_BLOCK)
        b = atomic_load(&b->next);
    return b != NULL && handle >= 0 ? &b->slots[handle] : NULL;
}

int csvb_cancel_track_temp(const char *path)
{
    size_t n = strlen(path);
    if (n >= PATH_MAX)
        return -1; /* no file of ours can be created under such a path */
    int handle = -1;
    struct temp_slot *t = claim_slot(&handle);
    if (t == NULL)
        return -1;
    char *buf = atomic_load(&t->path);
    if (buf == NULL) { /* one PATH_MAX buffer per slot, kept for the slot's next use */
        if ((buf = malloc(PATH_MAX)) == NULL) {
            atomic_store(&t->state, 0);
            return -1;
        }
        atomic_store(&t->path, buf);
    }
    memcpy(buf, path, n + 1);
    atomic_store(&t->state, 2);
    return handle;
}

void csvb_cancel_untrack_temp(int handle)
{
    struct temp_slot *t = handle >= 0 ? slot_of(handle) : NULL;
    if (t != NULL)
        atomic_store(&t->state, 0);
}

int csvb_cancel_thread_create(pthread_t *thread, void *(*fn)(void *), void *arg)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old); /* the new thread inherits this mask */
    int rc = pthread_create(thread, NULL, fn, arg);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}
