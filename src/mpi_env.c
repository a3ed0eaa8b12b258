/* mpi_env.c — Open MPI's start-up trimmed for csvbatch's tiny messages (mpi_env.h). */
#include "csvbatch/mpi_env.h"

#include <dirent.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* CSVBATCH_MPI_TUNE=0: leave Open MPI exactly as it would start. */
static bool tune_off(void)
{
    const char *v = getenv("CSVBATCH_MPI_TUNE");
    return v != NULL && strcmp(v, "0") == 0;
}

bool csvb_mpi_env_pml(void)
{
    if (tune_off() || getenv("OMPI_MCA_pml") != NULL)
        return false;
    return setenv("OMPI_MCA_pml", "ob1", 0) == 0;
}

/* Whether fd is a connected TCP socket (IPv4 or IPv6). */
static bool connected_tcp(int fd)
{
    int type = 0;
    socklen_t len = sizeof type;
    struct sockaddr_storage peer = {0};
    socklen_t plen = sizeof peer;
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_STREAM ||
        getpeername(fd, (struct sockaddr *)&peer, &plen) != 0)
        return false;
    return peer.ss_family == AF_INET || peer.ss_family == AF_INET6;
}

int csvb_mpi_env_nodelay(void)
{
    if (tune_off())
        return 0;
    DIR *dir = opendir("/proc/self/fd");
    if (dir == NULL)
        return 0;
    int set = 0, one = 1, own = dirfd(dir);
    for (struct dirent *e; (e = readdir(dir)) != NULL;) {
        char *end;
        long fd = strtol(e->d_name, &end, 10);
        if (*end != '\0' || end == e->d_name || fd == own || fd < 0 || fd > INT_MAX)
            continue;
        if (connected_tcp((int)fd) &&
            setsockopt((int)fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) == 0)
            set++;
    }
    closedir(dir);
    return set;
}

void csvb_mpi_env_trace(int rank, const char *what, double a, double b)
{
    static _Atomic int on = -1; /* every thread that races here computes the same */
    if (on < 0)
        on = getenv("CSVBATCH_MPI_TRACE") != NULL;
    if (!on)
        return;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    fprintf(stderr, "csvbatch-mpi-trace %d %lld.%06ld %s %.6f %.6f\n", rank, (long long)ts.tv_sec,
            ts.tv_nsec / 1000, what, a, b);
}
