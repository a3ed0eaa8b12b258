/* atomic.c — temp file beside the destination, fsync, checked close, rename; abort unlinks. */
#include "csvbatch/atomic.h"
#include "csvbatch/writer.h"

#include "csvbatch/cancel.h"
#include "csvbatch/tempname.h"
#include "csvbatch/text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/random.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* mkdir -p of every directory above path's last component (mode 0777: the umask applies).
 * Returns 0 or an errno value. */
static int make_parents(const char *path)
{
    char *copy = strdup(path);
    if (copy == NULL)
        return ENOMEM;
    int err = 0;
    for (char *p = copy + 1; *p != '\0' && err == 0; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(copy, 0777) != 0 && errno != EEXIST)
            err = errno;
        *p = '/';
    }
    free(copy);
    return err;
}

/* Fills the trailing XXXXXX of path with random letters and creates it exclusively with mode
 * (less the umask), as mkostemp would but without its 0600 and the fchmod that would follow.
 * Returns the fd, or -1 with errno set. */
static int create_temp(char *path, mode_t mode)
{
    static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static _Thread_local uint64_t state;
    if (state == 0 && getrandom(&state, sizeof state, 0) != (ssize_t)sizeof state)
        state = (uint64_t)(uintptr_t)&state * UINT64_C(0x9E3779B97F4A7C15) + (uint64_t)getpid();
    if (state == 0)
        state = 1;
    char *x = path + strlen(path) - 6;
    for (int attempt = 0; attempt < 100; attempt++) {
        for (int k = 0; k < 6; k++) {
            state ^= state << 13; /* xorshift64 */
            state ^= state >> 7;
            state ^= state << 17;
            x[k] = letters[state % (sizeof letters - 1)];
        }
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, mode);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

enum csvb_err csvb_atomic_open(struct csvb_atomic *a, const char *final_path, bool make_dirs,
                               mode_t mode, struct csvb_diag *d)
{
    a->fd = -1;
    a->tracked = -1;
    a->tmp_path = NULL;
    a->final_path = strdup(final_path);
    a->tmp_path = csvb_tempname_template(final_path);
    if (a->final_path == NULL || a->tmp_path == NULL) {
        csvb_atomic_abort(a);
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    }
    a->fd = create_temp(a->tmp_path, mode);
    if (a->fd < 0 && errno == ENOENT && make_dirs) {
        /* Directories are made only when missing: no mkdir per file in the common case. */
        int err = make_parents(final_path);
        if (err != 0) {
            csvb_atomic_abort(a);
            return csvb_diag_errno(d, CSVB_E_IO, err, "cannot create directory for %s", final_path);
        }
        a->fd = create_temp(a->tmp_path, mode);
    }
    if (a->fd >= 0)
        a->tracked = csvb_cancel_track_temp(a->tmp_path);
    if (a->fd < 0) {
        int err = errno;
        free(a->tmp_path);
        a->tmp_path = NULL;
        csvb_atomic_abort(a);
        return csvb_diag_errno(d, CSVB_E_IO, err, "cannot create a file beside %s", final_path);
    }
    return CSVB_OK;
}

/* A parked temp file is opened again for writing at its end. */
static enum csvb_err reopen(struct csvb_atomic *a, struct csvb_diag *d)
{
    if (a->tmp_path == NULL)
        return csvb_diag_set(d, CSVB_E_IO, 0, "cannot write %s: no temp file",
                             a->final_path ? a->final_path : "output");
    /* Not O_APPEND: copy_file_range refuses such a descriptor (EBADF). */
    a->fd = open(a->tmp_path, O_WRONLY | O_CLOEXEC);
    if (a->fd < 0 || lseek(a->fd, 0, SEEK_END) < 0)
        return csvb_diag_errno(d, CSVB_E_IO, errno, "cannot write %s", a->final_path);
    return CSVB_OK;
}

enum csvb_err csvb_atomic_park(struct csvb_atomic *a, struct csvb_diag *d)
{
    if (a->fd < 0)
        return CSVB_OK;
    int fd = a->fd;
    a->fd = -1;
    if (close(fd) != 0)
        return csvb_diag_errno(d, CSVB_E_IO, errno, "cannot write %s (close)", a->final_path);
    return CSVB_OK;
}

/* Copies all of in (from offset 0) to the end of out: copy_file_range, else read/write. Returns
 * 0 or an errno value. */
static int copy_all(int in, int out)
{
    struct stat st;
    if (fstat(in, &st) != 0)
        return errno;
    off_t left = st.st_size, in_off = 0;
    while (left > 0) {
        ssize_t n = copy_file_range(in, &in_off, out, NULL, (size_t)left, 0);
        if (n > 0) {
            left -= n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0 || errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP)
            break;
        return errno;
    }
    char buf[1 << 16];
    while (left > 0) {
        ssize_t got = pread(in, buf, sizeof buf, in_off);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return got < 0 ? errno : EIO; /* the part shrank under us */
        int err = csvb_write_all(out, buf, (size_t)got);
        if (err != 0)
            return err;
        in_off += got;
        left -= got;
    }
    return 0;
}

enum csvb_err csvb_atomic_append(struct csvb_atomic *dst, struct csvb_atomic *src, bool writeback,
                                 struct csvb_diag *d)
{
    enum csvb_err e = dst->fd < 0 ? reopen(dst, d) : CSVB_OK;
    int in = e == CSVB_OK && src->tmp_path != NULL ? open(src->tmp_path, O_RDONLY | O_CLOEXEC) : -1;
    if (e == CSVB_OK && in < 0)
        e = csvb_diag_errno(d, CSVB_E_IO, src->tmp_path ? errno : ENOENT, "cannot write %s",
                            dst->final_path);
    int err = e == CSVB_OK ? copy_all(in, dst->fd) : 0;
    if (err != 0)
        e = csvb_diag_errno(d, CSVB_E_IO, err, "cannot write %s", dst->final_path);
    else if (e == CSVB_OK && writeback)
        (void)sync_file_range(dst->fd, 0, 0, SYNC_FILE_RANGE_WRITE); /* advice: fsync checks */
    if (in >= 0)
        close(in);
    csvb_atomic_abort(src);
    return e;
}

enum csvb_err csvb_atomic_commit(struct csvb_atomic *a, bool do_fsync, struct csvb_diag *d)
{
    enum csvb_err result = CSVB_OK;
    if (a->fd < 0 && (result = reopen(a, d)) != CSVB_OK)
        goto out;
    if (do_fsync && fsync(a->fd) != 0) {
        result = csvb_diag_errno(d, CSVB_E_IO, errno, "cannot write %s (fsync)", a->final_path);
        goto out;
    }
    int fd = a->fd;
    a->fd = -1;
    if (close(fd) != 0) {
        result = csvb_diag_errno(d, CSVB_E_IO, errno, "cannot write %s (close)", a->final_path);
        goto out;
    }
    csvb_cancel_untrack_temp(a->tracked); /* from here on the temp name may be the final file */
    a->tracked = -1;
    if (rename(a->tmp_path, a->final_path) != 0) {
        result = csvb_diag_errno(d, CSVB_E_IO, errno, "cannot rename into %s", a->final_path);
        goto out;
    }
    free(a->tmp_path);
    a->tmp_path = NULL;
out:
    csvb_atomic_abort(a);
    return result;
}

void csvb_atomic_abort(struct csvb_atomic *a)
{
    if (a == NULL)
        return;
    if (a->fd >= 0)
        close(a->fd);
    a->fd = -1;
    if (a->tmp_path != NULL) {
        unlink(a->tmp_path);
        csvb_cancel_untrack_temp(a->tracked);
        a->tracked = -1;
    }
    free(a->tmp_path);
    free(a->final_path);
    a->tmp_path = NULL;
    a->final_path = NULL;
}

enum csvb_err csvb_atomic_sync_dir(const char *file_path, struct csvb_diag *d)
{
    char *dir = csvb_text_dirname(file_path);
    if (dir == NULL)
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    enum csvb_err result = CSVB_OK;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0)
        result = csvb_diag_errno(d, CSVB_E_IO, errno, "cannot sync directory %s", dir);
    if (fd >= 0)
        close(fd);
    free(dir);
    return result;
}

bool csvb_atomic_is_temp_name(const char *name)
{
    return name[0] == '.' && strstr(name, CSVB_TMP_MARK) != NULL;
}

enum csvb_err csvb_atomic_write_text(const char *path, const char *text, bool do_fsync,
                                     struct csvb_diag *d)
{
    struct csvb_atomic a;
    enum csvb_err e = csvb_atomic_open(&a, path, false, 0666, d); /* open(2) applies the umask */
    if (e != CSVB_OK)
        return e;
    int err = csvb_write_all(a.fd, text, strlen(text));
    if (err == 0)
        err = csvb_write_all(a.fd, "\n", 1);
    if (err != 0) {
        csvb_atomic_abort(&a);
        return csvb_diag_errno(d, CSVB_E_IO, err, "cannot write %s", path);
    }
    return csvb_atomic_commit(&a, do_fsync, d);
}
