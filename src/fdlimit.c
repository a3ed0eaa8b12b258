/* fdlimit.c — the open-file limit: raised at start, and the threads it allows (fdlimit.h). */
#include "csvbatch/fdlimit.h"

#include <dirent.h>
#include <stddef.h>
#include <sys/resource.h>

long csvb_fdlimit_raise(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return -1;
    if (rl.rlim_cur < rl.rlim_max) {
        struct rlimit want = {rl.rlim_max, rl.rlim_max};
        if (setrlimit(RLIMIT_NOFILE, &want) == 0)
            rl.rlim_cur = rl.rlim_max;
    }
    return rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (rlim_t)0x7fffffff ? -1
                                                                            : (long)rl.rlim_cur;
}

long csvb_fdlimit_in_use(void)
{
    DIR *dh = opendir("/proc/self/fd");
    if (dh == NULL)
        return -1;
    long n = -1; /* the directory's own descriptor is listed too */
    struct dirent *e;
    while ((e = readdir(dh)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(dh);
    return n;
}

int csvb_fdlimit_threads(int threads, long limit, long in_use)
{
    if (limit < 0)
        return threads;
    long room = limit - (in_use < 0 ? 3 : in_use) - CSVB_FDLIMIT_RESERVE;
    long fit = room / CSVB_FDLIMIT_PER_THREAD;
    if (fit < 1)
        fit = 1;
    return threads > fit ? (int)fit : threads;
}
