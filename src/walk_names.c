/* walk_names.c — which names the walk takes: CSV and TSV extensions (or --include), --exclude,
 * and csvbatch's own outputs. */
#include "csvbatch/walk.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/codec.h"
#include "csvbatch/schema.h"
#include "csvbatch/text.h"

/* Whether s[0..n) ends in suffix, ASCII case-insensitively. */
static bool ends_with_ci(const char *s, size_t n, const char *suffix)
{
    size_t m = strlen(suffix);
    return n >= m && csvb_text_ieq(s + n - m, m, suffix, m);
}

/* strlen(name) less its compression extension, if any. */
static size_t uncompressed_len(const char *name)
{
    size_t zlen;
    csvb_compression_from_name(name, &zlen);
    return strlen(name) - zlen;
}

size_t csvb_walk_csv_ext_len(const char *name)
{
    size_t n = uncompressed_len(name);
    return ends_with_ci(name, n, ".csv") || ends_with_ci(name, n, ".tsv") ? strlen(name) - n + 4
                                                                          : 0;
}

bool csvb_walk_is_tsv(const char *name)
{
    return ends_with_ci(name, uncompressed_len(name), ".tsv");
}

bool csvb_walk_takes_name(const struct csvb_options *opt, const char *name, const char *output_tail)
{
    if (csvb_walk_is_output_tail(name, output_tail))
        return false;
    if (opt->ninclude == 0)
        return csvb_walk_has_csv_ext(name);
    for (size_t i = 0; i < opt->ninclude; i++)
        if (fnmatch(opt->include[i], name, 0) == 0)
            return true;
    return false;
}

bool csvb_walk_excluded(const struct csvb_options *opt, const char *rel_path)
{
    for (size_t i = 0; i < opt->nexclude; i++)
        if (fnmatch(opt->exclude[i], rel_path, 0) == 0)
            return true;
    return false;
}

bool csvb_walk_has_csv_ext(const char *name)
{
    return csvb_walk_csv_ext_len(name) > 0;
}

/* The name's compression extension is looked past: x_processed.csv.gz is ours too, and so is
 * x_processed.tsv (output_tail ends in ".csv"; a TSV input's output ends in ".tsv"). */
bool csvb_walk_is_output_tail(const char *name, const char *output_tail)
{
    size_t n = uncompressed_len(name), m = strlen(output_tail);
    if (ends_with_ci(name, n, CSVB_REJECTS_SUFFIX ".csv"))
        return true;
    if (m < 4 || n < m || (!ends_with_ci(name, n, ".csv") && !ends_with_ci(name, n, ".tsv")))
        return false;
    return csvb_text_ieq(name + n - m, m - 4, output_tail, m - 4);
}

bool csvb_walk_is_output_name(const char *name, const char *suffix)
{
    char *tail = NULL;
    if (asprintf(&tail, "%s.csv", suffix) < 0)
        tail = NULL;
    bool r = tail != NULL ? csvb_walk_is_output_tail(name, tail)
                          : ends_with_ci(name, uncompressed_len(name), CSVB_REJECTS_SUFFIX ".csv");
    free(tail);
    return r;
}
