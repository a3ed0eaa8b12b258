/* LD_PRELOAD fault-injection shim for the csvbatch fault tests (tests/faults/run.sh).
 *
 * Build: cc -shared -fPIC -O1 -o inject.so tests/faults/inject.c -ldl
 *
 * Environment:
 *   CSVB_FAULT_OP     comma-separated ops to fault: fsync (also fdatasync), rename (also
 *                     renameat, renameat2), write, close, open (open/openat/fopen), and two
 *                     benign perturbations: shortwrite (write at most 7 bytes per call) and
 *                     eintr (every other write fails with EINTR before writing anything).
 *   CSVB_FAULT_MATCH  substring of the path the call concerns (fd-based calls are resolved
 *                     through /proc/self/fd/N; rename matches either path). Required.
 *   CSVB_FAULT_ERRNO  errno to inject: a name (EIO, ENOSPC, EACCES, ...) or a number. Default EIO.
 *   CSVB_FAULT_SKIP   let this many matching calls through before faulting (default 0).
 *   CSVB_FAULT_LOG    file to which one line "op path" is appended per injected fault.
 *
 * Thread-safe: configuration is read once in a constructor, the call counter is atomic, and
 * path resolution uses only stack buffers.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

enum { F_FSYNC = 1, F_RENAME = 2, F_WRITE = 4, F_CLOSE = 8, F_OPEN = 16, F_SHORT = 32, F_EINTR = 64 };

static unsigned g_ops;
static const char *g_match;
static int g_errno = EIO;
static long g_skip;
static long g_count; /* matching calls seen (atomic) */
static int g_logfd = -1;

static ssize_t (*real_write)(int, const void *, size_t);
static int (*real_close)(int);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_rename)(const char *, const char *);
static int (*real_renameat)(int, const char *, int, const char *);
static int (*real_renameat2)(int, const char *, int, const char *, unsigned);
static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_openat64)(int, const char *, int, ...);
static FILE *(*real_fopen)(const char *, const char *);
static FILE *(*real_fopen64)(const char *, const char *);

static int parse_errno(const char *s) {
    static const struct { const char *n; int v; } t[] = {
        {"EIO", EIO},       {"ENOSPC", ENOSPC}, {"EACCES", EACCES}, {"EPERM", EPERM},
        {"EFBIG", EFBIG},   {"EDQUOT", EDQUOT}, {"EROFS", EROFS},   {"ENOENT", ENOENT},
        {"EMFILE", EMFILE}, {"EINTR", EINTR},   {"EXDEV", EXDEV},   {"EBADF", EBADF},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(s, t[i].n) == 0) return t[i].v;
    int v = atoi(s);
    return v > 0 ? v : EIO;
}

__attribute__((constructor)) static void shim_init(void) {
#define LOAD(sym) real_##sym = (__typeof__(real_##sym))dlsym(RTLD_NEXT, #sym)
    LOAD(write); LOAD(close); LOAD(fsync); LOAD(fdatasync); LOAD(rename); LOAD(renameat);
    LOAD(renameat2); LOAD(open); LOAD(open64); LOAD(openat); LOAD(openat64); LOAD(fopen);
    LOAD(fopen64);
#undef LOAD
    const char *ops = getenv("CSVB_FAULT_OP");
    const char *m = getenv("CSVB_FAULT_MATCH");
    const char *e = getenv("CSVB_FAULT_ERRNO");
    const char *sk = getenv("CSVB_FAULT_SKIP");
    const char *log = getenv("CSVB_FAULT_LOG");
    if (m && *m) g_match = m;
    if (e && *e) g_errno = parse_errno(e);
    if (sk) g_skip = atol(sk);
    if (ops) {
        char buf[256];
        snprintf(buf, sizeof buf, "%s", ops);
        for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            if (!strcmp(tok, "fsync")) g_ops |= F_FSYNC;
            else if (!strcmp(tok, "rename")) g_ops |= F_RENAME;
            else if (!strcmp(tok, "write")) g_ops |= F_WRITE;
            else if (!strcmp(tok, "close")) g_ops |= F_CLOSE;
            else if (!strcmp(tok, "open")) g_ops |= F_OPEN;
            else if (!strcmp(tok, "shortwrite")) g_ops |= F_SHORT;
            else if (!strcmp(tok, "eintr")) g_ops |= F_EINTR;
        }
    }
    if (log && *log && real_open) g_logfd = real_open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

/* Resolve an fd to its path; returns 0 on success. */
static int fd_path(int fd, char *out, size_t n) {
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t r = readlink(link, out, n - 1);
    if (r < 0) return -1;
    out[r] = '\0';
    return 0;
}

static int matches(const char *path) { return g_match && path && strstr(path, g_match) != NULL; }

static int fd_matches(int fd, char *path, size_t n) {
    if (!g_match || fd < 0) return 0;
    return fd_path(fd, path, n) == 0 && matches(path);
}

/* Called for a matching call of an armed op: returns 1 if this call must fail. */
static int should_fault(void) { return __atomic_fetch_add(&g_count, 1, __ATOMIC_SEQ_CST) >= g_skip; }

static void log_fault(const char *op, const char *path) {
    if (g_logfd < 0 || !real_write) return;
    char line[4200];
    int len = snprintf(line, sizeof line, "%s %s\n", op, path ? path : "?");
    if (len > 0) (void)!real_write(g_logfd, line, (size_t)len < sizeof line ? (size_t)len : sizeof line - 1);
}

static int fail(const char *op, const char *path, int err) {
    log_fault(op, path);
    errno = err;
    return -1;
}

ssize_t write(int fd, const void *buf, size_t count) {
    char p[4096];
    if ((g_ops & (F_WRITE | F_SHORT | F_EINTR)) && fd != g_logfd && fd_matches(fd, p, sizeof p)) {
        if (g_ops & F_WRITE) {
            if (should_fault()) return fail("write", p, g_errno);
        } else if (g_ops & F_EINTR) {
            if (__atomic_fetch_add(&g_count, 1, __ATOMIC_SEQ_CST) % 2 == 0) return fail("eintr", p, EINTR);
        } else if (count > 7) {
            log_fault("shortwrite", p);
            count = 7;
        }
    }
    return real_write(fd, buf, count);
}

int close(int fd) {
    char p[4096];
    if ((g_ops & F_CLOSE) && fd != g_logfd && fd_matches(fd, p, sizeof p) && should_fault()) {
        real_close(fd); /* Linux always releases the descriptor, even when close reports EIO */
        return fail("close", p, g_errno);
    }
    return real_close(fd);
}

int fsync(int fd) {
    char p[4096];
    if ((g_ops & F_FSYNC) && fd_matches(fd, p, sizeof p) && should_fault()) return fail("fsync", p, g_errno);
    return real_fsync(fd);
}

int fdatasync(int fd) {
    char p[4096];
    if ((g_ops & F_FSYNC) && fd_matches(fd, p, sizeof p) && should_fault()) return fail("fdatasync", p, g_errno);
    return real_fdatasync(fd);
}

static int rename_faults(const char *a, const char *b) {
    return (g_ops & F_RENAME) && (matches(a) || matches(b)) && should_fault();
}

int rename(const char *a, const char *b) {
    if (rename_faults(a, b)) return fail("rename", a, g_errno);
    return real_rename(a, b);
}

int renameat(int da, const char *a, int db, const char *b) {
    if (rename_faults(a, b)) return fail("renameat", a, g_errno);
    return real_renameat(da, a, db, b);
}

int renameat2(int da, const char *a, int db, const char *b, unsigned flags) {
    if (rename_faults(a, b)) return fail("renameat2", a, g_errno);
    if (!real_renameat2) { errno = ENOSYS; return -1; }
    return real_renameat2(da, a, db, b, flags);
}

static int open_faults(const char *path) { return (g_ops & F_OPEN) && matches(path) && should_fault(); }

static mode_t open_mode(int flags, va_list ap) {
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...) {
    va_list ap;
    va_start(ap, flags);
    mode_t mode = open_mode(flags, ap);
    va_end(ap);
    if (open_faults(path)) return fail("open", path, g_errno);
    return real_open(path, flags, mode);
}

int open64(const char *path, int flags, ...) {
    va_list ap;
    va_start(ap, flags);
    mode_t mode = open_mode(flags, ap);
    va_end(ap);
    if (open_faults(path)) return fail("open64", path, g_errno);
    return (real_open64 ? real_open64 : real_open)(path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...) {
    va_list ap;
    va_start(ap, flags);
    mode_t mode = open_mode(flags, ap);
    va_end(ap);
    if (open_faults(path)) return fail("openat", path, g_errno);
    return real_openat(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...) {
    va_list ap;
    va_start(ap, flags);
    mode_t mode = open_mode(flags, ap);
    va_end(ap);
    if (open_faults(path)) return fail("openat64", path, g_errno);
    return (real_openat64 ? real_openat64 : real_openat)(dirfd, path, flags, mode);
}

/* _FORTIFY_SOURCE variants of open (called when the flags are not compile-time constants). */
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);
int __open_2(const char *path, int flags) { return open(path, flags); }
int __open64_2(const char *path, int flags) { return open64(path, flags); }
int __openat_2(int dirfd, const char *path, int flags) { return openat(dirfd, path, flags); }
int __openat64_2(int dirfd, const char *path, int flags) { return openat64(dirfd, path, flags); }

FILE *fopen(const char *path, const char *mode) {
    if (open_faults(path)) { fail("fopen", path, g_errno); return NULL; }
    return real_fopen(path, mode);
}

FILE *fopen64(const char *path, const char *mode) {
    if (open_faults(path)) { fail("fopen64", path, g_errno); return NULL; }
    return (real_fopen64 ? real_fopen64 : real_fopen)(path, mode);
}
