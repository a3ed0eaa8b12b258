/* walk_names.c — which names the walk takes: CSV extensions and csvbatch's own outputs. */
#include "csvbatch/walk.h"

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
    return ends_with_ci(name, n, ".csv") ? strlen(name) - n + 4 : 0;
}

bool csvb_walk_has_csv_ext(const char *name)
{
    return csvb_walk_csv_ext_len(name) > 0;
}

/* The name's compression extension is looked past: x_processed.csv.gz is ours too. */
bool csvb_walk_is_output_tail(const char *name, const char *output_tail)
{
    size_t n = uncompressed_len(name);
    return ends_with_ci(name, n, output_tail) || ends_with_ci(name, n, CSVB_REJECTS_SUFFIX ".csv");
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
