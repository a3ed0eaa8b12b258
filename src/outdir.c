/* outdir.c — the -o directory checked before any work: usable, or one usage error. */
#include "csvbatch/outdir.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvbatch/text.h"

/* The nearest ancestor of the missing dir that exists (stat succeeds): its path, owned, and its
 * stat in *st; NULL with *err set when a lookup fails otherwise, or when out of memory (*err 0). */
static char *existing_ancestor(const char *dir, struct stat *st, int *err)
{
    char *cur = strdup(dir);
    *err = 0;
    while (cur != NULL) {
        /* "a/b/" names a/b: the trailing slashes go first, as csvb_text_dirname keeps them. */
        for (size_t n = strlen(cur); n > 1 && cur[n - 1] == '/'; n--)
            cur[n - 1] = '\0';
        char *parent = csvb_text_dirname(cur);
        free(cur);
        cur = parent;
        if (cur == NULL)
            return NULL;
        if (stat(cur, st) == 0)
            return cur;
        if (errno != ENOENT || strcmp(cur, ".") == 0 || strcmp(cur, "/") == 0) {
            *err = errno;
            free(cur);
            return NULL;
        }
    }
    return NULL;
}

enum csvb_err csvb_outdir_check(const char *dir, struct csvb_diag *d)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            return csvb_diag_set(d, CSVB_E_USAGE, 0, "-o: '%s' is not a directory", dir);
        if (access(dir, W_OK | X_OK) != 0)
            return csvb_diag_errno(d, CSVB_E_USAGE, errno, "-o: cannot write in '%s'", dir);
        return CSVB_OK;
    }
    if (errno != ENOENT)
        return csvb_diag_errno(d, CSVB_E_USAGE, errno, "-o: cannot access '%s'", dir);
    int err;
    char *up = existing_ancestor(dir, &st, &err);
    enum csvb_err e = CSVB_OK;
    if (up == NULL && err == 0)
        e = csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    else if (up == NULL)
        e = csvb_diag_errno(d, CSVB_E_USAGE, err, "-o: cannot create '%s'", dir);
    else if (!S_ISDIR(st.st_mode))
        e = csvb_diag_set(d, CSVB_E_USAGE, 0,
                          "-o: cannot create '%s' (its parent '%s' is not a directory)", dir, up);
    else if (access(up, W_OK | X_OK) != 0)
        e = csvb_diag_errno(d, CSVB_E_USAGE, errno, "-o: cannot create '%s': cannot write in '%s'",
                            dir, up);
    free(up);
    return e;
}
