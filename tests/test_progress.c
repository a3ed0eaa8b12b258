/* test_progress.c — the progress line: in-flight names cut in their middle, so they differ. */
#include <criterion/criterion.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/progress.h"
#include "csvbatch/utf8.h"

/* Two long names that differ only at their end both show their end (issue 13 item 23), and the
 * line (less its "\r\033[K") fits the width given, less one column. */
Test(progress, names_cut_in_the_middle)
{
    struct csvb_progress p;
    cr_assert_eq(csvb_progress_init(&p, 2, 1000, 2), CSVB_OK);
    atomic_store(&p.current[0], "data/sales_region_north_quarterly_report_2026_q1.csv");
    atomic_store(&p.current[1], "data/sales_region_north_quarterly_report_2026_q2.csv");
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    cr_assert_not_null(f);
    csvb_progress_render(&p, f, 80);
    cr_assert_eq(fclose(f), 0);
    cr_assert_eq(strncmp(text, "\r\033[K", 4), 0);
    const char *line = text + 4;
    cr_assert_not_null(strstr(line, "026_q1.csv"), "%s", line);
    cr_assert_not_null(strstr(line, "026_q2.csv"), "%s", line);
    cr_assert_not_null(strstr(line, "sales_"), "%s", line);
    cr_assert_leq(csvb_utf8_width(line, strlen(line)), 79, "%s", line);
    free(text);
    csvb_progress_fini(&p);
}
