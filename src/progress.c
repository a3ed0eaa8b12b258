/* progress.c — counters bumped by workers, one status line drawn by the main thread. */
#include "csvbatch/progress.h"

#include <stdlib.h>
#include <string.h>

#include "csvbatch/clock.h"
#include "csvbatch/text.h"
#include "csvbatch/utf8.h"

static _Atomic int next_slot;
static _Thread_local int my_slot = -1;

enum csvb_err csvb_progress_init(struct csvb_progress *p, size_t files_total, uint64_t bytes_total,
                                 int threads)
{
    memset(p, 0, sizeof *p);
    p->files_total = files_total;
    p->bytes_total = bytes_total;
    p->start = csvb_now();
    p->nslots = (size_t)(threads > 0 ? threads : 1) + 1; /* the OpenMP team, the driver thread */
    p->slots_mem = calloc(p->nslots, sizeof *p->current);
    p->current = p->slots_mem;
    return p->current != NULL ? CSVB_OK : CSVB_E_NOMEM;
}

void csvb_progress_fini(struct csvb_progress *p)
{
    if (p == NULL)
        return;
    free(p->slots_mem);
    p->slots_mem = NULL;
    p->current = NULL;
    p->nslots = 0;
}

void csvb_progress_working(struct csvb_progress *p, const char *path)
{
    if (p == NULL)
        return;
    if (my_slot < 0)
        my_slot = atomic_fetch_add(&next_slot, 1);
    if ((size_t)my_slot < p->nslots) /* never otherwise: one slot per thread of the run */
        atomic_store(&p->current[my_slot], path);
}

/* Cuts line (len bytes) to at most `columns` (>= 3) terminal columns, ending it with "..." when
 * cut: a wrapped line could not be erased with \r. Cuts between characters, never inside one.
 * A character takes at most one column per byte, so the cut leaves room for "..." in place. */
static void fit(char *line, size_t len, size_t columns)
{
    if (csvb_utf8_width(line, len) <= columns)
        return;
    size_t keep = 0, width = 0;
    while (keep < len) {
        unsigned cp;
        size_t n = csvb_utf8_decode((const unsigned char *)line + keep, len - keep, &cp);
        size_t w = n == 0 ? 1 : csvb_utf8_cp_width(cp);
        if (width + w > columns - 3)
            break;
        width += w;
        keep += n == 0 ? 1 : n;
    }
    memcpy(line + keep, "...", 4);
}

void csvb_progress_render(const struct csvb_progress *p, FILE *out, int width)
{
    char line[1024], done[CSVB_TEXT_BYTES_MAX], total[CSVB_TEXT_BYTES_MAX];
    uint64_t bytes = atomic_load(&p->bytes_done);
    size_t files = atomic_load(&p->files_done);
    double elapsed = csvb_now() - p->start;
    double rate = elapsed > 0 ? (double)bytes / elapsed : 0;
    csvb_text_bytes(bytes, done, sizeof done);
    csvb_text_bytes(p->bytes_total, total, sizeof total);
    int n = bytes <= p->bytes_total /* streams have no size to count against */
                ? snprintf(line, sizeof line, "%zu/%zu files, %s/%s, %.1f MB/s", files,
                           p->files_total, done, total, rate / 1e6)
                : snprintf(line, sizeof line, "%zu/%zu files, %s, %.1f MB/s", files, p->files_total,
                           done, rate / 1e6);
    size_t used = n > 0 ? (size_t)n : 0;
    if (rate > 0 && p->bytes_total > bytes) {
        unsigned long eta = (unsigned long)((double)(p->bytes_total - bytes) / rate + 0.5);
        n = snprintf(line + used, sizeof line - used, ", ETA %lu:%02lu", eta / 60, eta % 60);
        used += n > 0 ? (size_t)n : 0;
    }
    const char *sep = " | ";
    /* The names are escaped (a file name may hold any byte but '/' and NUL) and share the room
     * left, each cut in its middle when long (the end tells files apart: q1_2026.csv,
     * q2_2026.csv), at least 12 columns each; a name that does not fit ends the list, cut short.
     * used stays below sizeof line throughout. */
    size_t active = 0, cols = (size_t)(width < 20 ? 20 : width) - 1;
    for (size_t i = 0; i < p->nslots; i++)
        active += atomic_load(&p->current[i]) != NULL;
    size_t room = cols > used + 3 ? cols - used - 3 : 0;
    size_t each = active > 0 ? room / active : 0;
    each = each > 2 ? each - 2 : 0; /* the ", " between names */
    each = each < 12 ? 12 : each;
    for (size_t i = 0; i < p->nslots && used + 4 < sizeof line; i++) {
        const char *path = atomic_load(&p->current[i]);
        if (path == NULL)
            continue;
        memcpy(line + used, sep, strlen(sep) + 1);
        used += strlen(sep);
        const char *base = csvb_text_basename(path);
        used += csvb_text_elide(line + used, sizeof line - used, base, strlen(base), each);
        sep = ", ";
    }
    if (used >= sizeof line)
        used = sizeof line - 1;
    line[used] = '\0';
    fit(line, used, cols);
    fprintf(out, "\r\033[K%s", line);
    fflush(out);
}

void csvb_progress_clear(FILE *out)
{
    fputs("\r\033[K", out);
    fflush(out);
}
