/* progress.c — counters bumped by workers, one status line drawn by the main thread. */
#include "csvbatch/progress.h"

#include <string.h>

#include "csvbatch/clock.h"

static _Atomic int next_slot;
static _Thread_local int my_slot = -1;

void csvb_progress_init(struct csvb_progress *p, size_t files_total, uint64_t bytes_total)
{
    memset(p, 0, sizeof *p);
    p->files_total = files_total;
    p->bytes_total = bytes_total;
    p->start = csvb_now();
}

void csvb_progress_working(struct csvb_progress *p, const char *path)
{
    if (p == NULL)
        return;
    if (my_slot < 0)
        my_slot = atomic_fetch_add(&next_slot, 1) % CSVB_PROGRESS_SLOTS;
    atomic_store(&p->current[my_slot], path);
}

static void human(uint64_t b, char *buf, size_t size)
{
    if (b < 1000000)
        snprintf(buf, size, "%.1f KB", (double)b / 1e3);
    else if (b < 1000000000)
        snprintf(buf, size, "%.1f MB", (double)b / 1e6);
    else
        snprintf(buf, size, "%.2f GB", (double)b / 1e9);
}

void csvb_progress_render(const struct csvb_progress *p, FILE *out, int width)
{
    char line[1024], done[32], total[32];
    uint64_t bytes = atomic_load(&p->bytes_done);
    size_t files = atomic_load(&p->files_done);
    double elapsed = csvb_now() - p->start;
    double rate = elapsed > 0 ? (double)bytes / elapsed : 0;
    human(bytes, done, sizeof done);
    human(p->bytes_total, total, sizeof total);
    int n = bytes <= p->bytes_total /* streams have no size to count against */
                ? snprintf(line, sizeof line, "%zu/%zu files, %s/%s, %.1f MB/s", files,
                           p->files_total, done, total, rate / 1e6)
                : snprintf(line, sizeof line, "%zu/%zu files, %s, %.1f MB/s", files, p->files_total,
                           done, rate / 1e6);
    if (rate > 0 && p->bytes_total > bytes) {
        unsigned long eta = (unsigned long)((double)(p->bytes_total - bytes) / rate + 0.5);
        n += snprintf(line + n, sizeof line - (size_t)n, ", ETA %lu:%02lu", eta / 60, eta % 60);
    }
    const char *sep = " | ";
    for (int i = 0; i < CSVB_PROGRESS_SLOTS && n < (int)sizeof line - 1; i++) {
        const char *path = atomic_load(&p->current[i]);
        if (path == NULL)
            continue;
        const char *base = strrchr(path, '/');
        n += snprintf(line + n, sizeof line - (size_t)n, "%s%s", sep, base ? base + 1 : path);
        sep = ", ";
    }
    if (width < 20)
        width = 20;
    if (n > width - 1) { /* never wrap: a wrapped line cannot be erased with \r */
        line[width - 4] = '\0';
        strcat(line, "...");
    }
    for (char *c = line; *c != '\0'; c++)
        if ((unsigned char)*c < 0x20)
            *c = '?';
    fprintf(out, "\r\033[K%s", line);
    fflush(out);
}

void csvb_progress_clear(FILE *out)
{
    fputs("\r\033[K", out);
    fflush(out);
}
