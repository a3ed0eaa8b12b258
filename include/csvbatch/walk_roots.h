/* walk_roots.h — the trees the user named, resolved physically: with -L, where the walk may
 * plan outputs beside their inputs (issue 13: nothing is written outside them unless -o). */
#ifndef CSVBATCH_WALK_ROOTS_H
#define CSVBATCH_WALK_ROOTS_H

#include <stdbool.h>
#include <stddef.h>

#include "csvbatch/diag.h"
#include "csvbatch/options.h"

struct csvb_walk_roots {
    char **paths; /* owned: realpath of each directory argument; NULL when not needed */
    size_t n;
};

/* Initializes roots. Resolves opt->paths that are directories only when -r and -L are given and
 * -o is not (otherwise roots stays empty, paths NULL: no check is needed). A PATH that cannot be
 * resolved is left out (the walk reports it). Returns CSVB_OK or CSVB_E_NOMEM; on error roots
 * holds what was resolved so far: the caller always calls csvb_walk_roots_fini. */
enum csvb_err csvb_walk_roots_init(struct csvb_walk_roots *roots, const struct csvb_options *opt);

/* True when directory path, resolved with realpath, is one of roots or below one; false when it
 * cannot be resolved. */
bool csvb_walk_roots_contain(const struct csvb_walk_roots *roots, const char *path);

/* Frees what roots owns. NULL-safe, safe to call twice. */
void csvb_walk_roots_fini(struct csvb_walk_roots *roots);

#endif
