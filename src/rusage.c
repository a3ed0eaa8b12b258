/* rusage.c — getrusage for self and children folded into the run's peak memory and CPU time. */
#include "csvbatch/rusage.h"

#include <string.h>
#include <sys/resource.h>

static double seconds(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

void csvb_rusage_get(struct csvb_rusage *u)
{
    struct rusage self, children;
    if (getrusage(RUSAGE_SELF, &self) != 0)
        memset(&self, 0, sizeof self);
    if (getrusage(RUSAGE_CHILDREN, &children) != 0)
        memset(&children, 0, sizeof children);
    long kib = self.ru_maxrss > children.ru_maxrss ? self.ru_maxrss : children.ru_maxrss;
    u->peak_rss_bytes = kib > 0 ? (uint64_t)kib * 1024u : 0;
    u->cpu_user_seconds = seconds(self.ru_utime) + seconds(children.ru_utime);
    u->cpu_system_seconds = seconds(self.ru_stime) + seconds(children.ru_stime);
}
