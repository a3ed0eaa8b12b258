/* walk_roots.c — the directory arguments resolved physically, and whether a directory is in one. */
#include "csvbatch/walk_roots.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum csvb_err csvb_walk_roots_init(struct csvb_walk_roots *roots, const struct csvb_options *opt)
{
    memset(roots, 0, sizeof *roots);
    if (!opt->follow || !opt->recursive || opt->output_dir != NULL)
        return CSVB_OK;
    roots->paths = calloc(opt->npaths + 1, sizeof *roots->paths);
    if (roots->paths == NULL)
        return CSVB_E_NOMEM;
    for (size_t i = 0; i < opt->npaths; i++) {
        struct stat st;
        if (stat(opt->paths[i], &st) == 0 && S_ISDIR(st.st_mode) &&
            (roots->paths[roots->n] = realpath(opt->paths[i], NULL)) != NULL)
            roots->n++;
    }
    return CSVB_OK;
}

bool csvb_walk_roots_contain(const struct csvb_walk_roots *roots, const char *path)
{
    char *real = realpath(path, NULL);
    bool in = false;
    for (size_t i = 0; real != NULL && !in && i < roots->n; i++) {
        const char *root = roots->paths[i];
        size_t n = strlen(root);
        /* below it: the next byte starts a name ("/" itself ends in one) */
        in = strncmp(real, root, n) == 0 &&
             (real[n] == '\0' || real[n] == '/' || (n > 0 && root[n - 1] == '/'));
    }
    free(real);
    return in;
}

void csvb_walk_roots_fini(struct csvb_walk_roots *roots)
{
    if (roots == NULL)
        return;
    for (size_t i = 0; i < roots->n; i++)
        free(roots->paths[i]);
    free(roots->paths);
    memset(roots, 0, sizeof *roots);
}
