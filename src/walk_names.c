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

enum csvb_walk_output csvb_walk_output_kind(const char *name, const char *output_tail,
                                            const char *suffix)
{
    if (csvb_walk_is_output_tail(name, output_tail))
        return CSVB_WALK_OUTPUT;
    /* An earlier run's outputs must not come back as inputs because --suffix changed. */
    if (strcmp(suffix, CSVB_DEFAULT_SUFFIX) != 0 &&
        csvb_walk_is_output_name(name, CSVB_DEFAULT_SUFFIX))
        return CSVB_WALK_DEFAULT_OUTPUT;
    return CSVB_WALK_NOT_OUTPUT;
}

char *csvb_walk_names_notice(const char *arg, bool none, size_t output_named, size_t default_named,
                             const char *output_tail)
{
    if (none && output_named == 0)
        return csvb_text_printf("%s: no CSV files found", arg);
    bool one = (none ? output_named : default_named) == 1;
    const char *are = one ? "was" : "were",
               *how = one ? "it as an argument to read it" : "them as arguments to read them";
    if (none)
        return csvb_text_printf(
            "%s: no CSV files found: %zu file%s named like outputs (*%s, "
            "*_rejects.csv) %s left out; name %s",
            arg, output_named, one ? "" : "s",
            default_named == output_named ? CSVB_DEFAULT_SUFFIX ".csv" : output_tail, are, how);
    return csvb_text_printf("%s: %zu file%s named like outputs of the default suffix (*%s) %s "
                            "left out; name %s",
                            arg, default_named, one ? "" : "s", CSVB_DEFAULT_SUFFIX ".csv", are,
                            how);
}
