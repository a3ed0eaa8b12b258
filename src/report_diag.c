/* report_diag.c — the diagnostics on stderr: notices, one line per file not processed (escaped,
 * coloured), and GitHub annotations. */
#include "csvbatch/report_diag.h"

#include <stdlib.h>
#include <string.h>

#include "csvbatch/color.h"
#include "csvbatch/report_github.h"
#include "csvbatch/text.h"

static void put_line(FILE *err, const char *s)
{
    csvb_text_put_escaped(err, s, strlen(s));
    fputc('\n', err);
}

void csvb_report_diagnostics(FILE *err, const struct csvb_joblist *list,
                             const struct csvb_results *results, bool color, bool github)
{
    char line[CSVB_DIAG_MESSAGE_MAX + 4200] = "";
    for (size_t i = 0; i < list->nnotices; i++) {
        csvb_color_diag_prefix(err, color, CSVB_COLOR_LEVEL_NOTICE);
        put_line(err, list->notices[i]);
    }
    bool debug_chunks = getenv("CSVBATCH_DEBUG_CHUNKS") != NULL; /* tests/chunks.sh */
    struct csvb_result buf;
    for (size_t i = 0; i < list->n; i++) {
        const struct csvb_result *r = csvb_results_get(results, i, &buf);
        if (debug_chunks && r->parse_runs > 0)
            fprintf(err,
                    "csvbatch: debug: %s: %u chunks, %u chunk runs, bytes parsed %llu of %lld, "
                    "temp files at most %u, bytes copied %llu\n",
                    list->jobs[i].path, r->chunks, r->parse_runs,
                    (unsigned long long)r->bytes_parsed, (long long)list->jobs[i].size,
                    r->chunk_temps_max, (unsigned long long)r->bytes_copied);
        if (r->status == CSVB_STATUS_SUCCESS || r->status == CSVB_STATUS_UNCHANGED)
            continue;
        /* A path longer than the line (a tree deeper than PATH_MAX) still gets its cause said. */
        size_t path_len = strlen(list->jobs[i].path), need = path_len + sizeof line;
        char *big = path_len > 4000 ? malloc(need) : NULL;
        csvb_diag_format(&r->diag, list->jobs[i].path, big != NULL ? big : line,
                         big != NULL ? need : sizeof line);
        csvb_color_diag_prefix(err, color,
                               r->status == CSVB_STATUS_SKIPPED ? CSVB_COLOR_LEVEL_NOTICE
                                                                : CSVB_COLOR_LEVEL_NONE);
        put_line(err, big != NULL ? big : line);
        free(big);
    }
    if (github)
        csvb_report_github_annotations(err, list, results);
}
