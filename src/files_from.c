/* files_from.c — reads the --files-from list into the options' PATHs. */
#include "csvbatch/files_from.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Reads all of fd into a NUL-terminated buffer. Returns NULL with errno set on failure. */
static char *slurp(int fd, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        if (n + 1 == cap) {
            char *b = realloc(buf, cap *= 2);
            if (b == NULL)
                break;
            buf = b;
        }
        ssize_t got = read(fd, buf + n, cap - n - 1);
        if (got == 0) {
            buf[n] = '\0';
            *len = n;
            return buf;
        }
        if (got < 0 && errno != EINTR)
            break;
        if (got > 0)
            n += (size_t)got;
    }
    int err = errno;
    free(buf);
    errno = err;
    return NULL;
}

/* Reads the list into opt->files_buf; *len gets its length. */
static enum csvb_err read_list(struct csvb_options *opt, size_t *len, struct csvb_diag *d)
{
    bool is_stdin = strcmp(opt->files_from, "-") == 0;
    int fd = is_stdin ? 0 : open(opt->files_from, O_RDONLY | O_CLOEXEC);
    opt->files_buf = fd >= 0 ? slurp(fd, len) : NULL;
    int err = errno;
    if (fd > 0)
        close(fd);
    if (opt->files_buf == NULL)
        return csvb_diag_set(d, CSVB_E_USAGE, 0, "--files-from: cannot read '%s': %s",
                             opt->files_from, strerror(err));
    if (!opt->files_from_nul && memchr(opt->files_buf, '\0', *len) != NULL)
        return csvb_diag_set(
            d, CSVB_E_USAGE, 0,
            "--files-from: '%s' holds NUL bytes: for NUL-separated names add -0/--null",
            opt->files_from);
    return CSVB_OK;
}

enum csvb_err csvb_files_from_read(struct csvb_options *opt, struct csvb_diag *d)
{
    if (opt->files_from == NULL)
        return CSVB_OK;
    size_t len = 0, names = 1;
    enum csvb_err err = read_list(opt, &len, d);
    if (err != CSVB_OK)
        return err;
    char sep = opt->files_from_nul ? '\0' : '\n';
    for (size_t i = 0; i < len; i++)
        names += opt->files_buf[i] == sep;
    char **paths = realloc(opt->paths, (opt->npaths + names + 1) * sizeof *paths);
    if (paths == NULL)
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    opt->paths = paths;
    for (char *p = opt->files_buf, *end = p + len; p < end;) {
        char *stop = memchr(p, sep, (size_t)(end - p));
        if (stop == NULL)
            stop = end;
        *stop = '\0';
        if (!opt->files_from_nul && stop > p && stop[-1] == '\r')
            stop[-1] = '\0'; /* a list written on Windows */
        if (p[0] != '\0')
            paths[opt->npaths++] = p;
        p = stop + 1;
    }
    paths[opt->npaths] = NULL;
    if (opt->npaths == 0)
        return csvb_diag_set(d, CSVB_E_USAGE, 0,
                             "missing PATH: no names given and --files-from listed none");
    return CSVB_OK;
}
