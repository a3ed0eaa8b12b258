/* cancel.c — signal handling: a polled flag, waking blocked workers, emergency temp cleanup. */
#include "csvbatch/cancel.h"

#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CSVB_CANCEL_SLOTS 1024

#define CSVB_TEMP_SLOTS 4096

struct slot {
    _Atomic int used; /* thread registered */
    pthread_t thread;
};

struct temp_slot {
    _Atomic int state; /* 0 free, 1 being written, 2 holds a path */
    char path[PATH_MAX];
};

static struct slot slots[CSVB_CANCEL_SLOTS];
static struct temp_slot temps[CSVB_TEMP_SLOTS];
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
        for (int i = 0; i < n && i < CSVB_CANCEL_SLOTS; i++)
            if (atomic_load(&slots[i].used))
                pthread_kill(slots[i].thread, SIGUSR1);
        return;
    }
    /* A second signal: do not wait for the workers. unlink and _exit are async-signal-safe. */
    for (int i = 0; i < CSVB_TEMP_SLOTS; i++)
        if (atomic_load(&temps[i].state) == 2)
            unlink(temps[i].path);
    _exit(128 + atomic_load(&first_signal));
}

void csvb_cancel_install(void)
{
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
        if (i >= CSVB_CANCEL_SLOTS)
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

int csvb_cancel_track_temp(const char *path)
{
    size_t n = strlen(path);
    if (n >= PATH_MAX)
        return -1;
    for (int i = 0; i < CSVB_TEMP_SLOTS; i++) {
        int expected = 0;
        if (atomic_load_explicit(&temps[i].state, memory_order_relaxed) == 0 &&
            atomic_compare_exchange_strong(&temps[i].state, &expected, 1)) {
            memcpy(temps[i].path, path, n + 1);
            atomic_store(&temps[i].state, 2);
            return i;
        }
    }
    return -1;
}

void csvb_cancel_untrack_temp(int handle)
{
    if (handle >= 0 && handle < CSVB_TEMP_SLOTS)
        atomic_store(&temps[handle].state, 0);
}
