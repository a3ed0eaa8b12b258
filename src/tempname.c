/* tempname.c — temp names that carry their owner (host, PID namespace, PID, start time), and the
 * sweep that removes dead owners' temp files. */
#include "csvbatch/tempname.h"

#include "csvbatch/atomic.h"
#include "csvbatch/text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "HHHHHHHHNNNNNNNN-PID-START": 16 + 1 + 10 + 1 + 20 characters at most. */
#define OWNER_MAX 64
#define HASH_DIGITS 16

static char owner[OWNER_MAX];
static char host_tag[HASH_DIGITS + 1]; /* the first part of owner */
static pthread_once_t owner_once = PTHREAD_ONCE_INIT;

static uint64_t fnv1a(const char *s, size_t n)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * UINT64_C(0x100000001b3);
    return h;
}

/* Field 22 of /proc/PID/stat (starttime), or 0 when it cannot be read; *gone when the file does
 * not exist (the process has ended). The command name in parentheses may hold anything: the
 * fields are counted after its last ')'. */
static unsigned long long start_time(long pid, bool *gone)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    *gone = false;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        *gone = errno == ENOENT || errno == ESRCH;
        return 0;
    }
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    for (int field = 2; p != NULL && field < 22; field++) /* p is before field `field + 1` */
        p = strchr(p + 1, ' ');
    return p != NULL ? strtoull(p + 1, NULL, 10) : 0;
}

/* The inode number of the PID namespace (/proc/self/ns/pid reads "pid:[4026531836]"), or 0. */
static unsigned long long pid_namespace(void)
{
    char link[64];
    ssize_t n = readlink("/proc/self/ns/pid", link, sizeof link - 1);
    if (n <= 0)
        return 0;
    link[n] = '\0';
    const char *open_bracket = strchr(link, '[');
    return open_bracket != NULL ? strtoull(open_bracket + 1, NULL, 10) : 0;
}

static void make_owner(void)
{
    char host[256] = "";
    if (gethostname(host, sizeof host - 1) != 0)
        host[0] = '\0';
    bool gone;
    snprintf(host_tag, sizeof host_tag, "%08" PRIx32 "%08" PRIx32,
             (uint32_t)fnv1a(host, strlen(host)), (uint32_t)pid_namespace());
    snprintf(owner, sizeof owner, "%s-%ld-%llu", host_tag, (long)getpid(),
             start_time((long)getpid(), &gone));
}

/* The longest prefix of name[0..max) that does not end inside a UTF-8 sequence. */
static size_t utf8_cut(const char *name, size_t max)
{
    size_t n = max;
    while (n > 0 && ((unsigned char)name[n] & 0xC0) == 0x80)
        n--;
    return n;
}

char *csvb_tempname_template(const char *final_path)
{
    pthread_once(&owner_once, make_owner);
    const char *base = csvb_text_basename(final_path);
    int dir_len = (int)(base - final_path); /* the directory part, its '/' included */
    size_t base_len = strlen(base);
    /* "." NAME ".tmp-" OWNER "-XXXXXX" */
    size_t fixed = 1 + strlen(CSVB_TMP_MARK) + strlen(owner) + 7;
    if (fixed + base_len <= NAME_MAX)
        return csvb_text_printf("%.*s.%s" CSVB_TMP_MARK "%s-XXXXXX", dir_len, final_path, base,
                                owner);
    /* Too long: a prefix of the name, "~" and the whole name's hash keep it recognisable and
     * distinct from other long names with the same prefix. */
    size_t keep = utf8_cut(base, NAME_MAX - fixed - 1 - HASH_DIGITS);
    return csvb_text_printf("%.*s.%.*s~%016" PRIx64 CSVB_TMP_MARK "%s-XXXXXX", dir_len, final_path,
                            (int)keep, base, fnv1a(base, base_len), owner);
}

/* Parses "HHHHHHHHNNNNNNNN-PID-START-XXXXXX" at s. */
static bool parse_owner(const char *s, char *tag, long *pid, unsigned long long *start)
{
    for (int i = 0; i < HASH_DIGITS; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
        tag[i] = c;
    }
    tag[HASH_DIGITS] = '\0';
    if (s[HASH_DIGITS] != '-' || s[HASH_DIGITS + 1] < '1' || s[HASH_DIGITS + 1] > '9')
        return false;
    char *end;
    errno = 0;
    *pid = strtol(s + HASH_DIGITS + 1, &end, 10);
    if (errno != 0 || *pid <= 0 || *pid > INT32_MAX || *end != '-' || end[1] < '0' || end[1] > '9')
        return false;
    *start = strtoull(end + 1, &end, 10);
    return errno == 0 && *end == '-' && strlen(end + 1) == 6;
}

enum csvb_tempname_owner csvb_tempname_owner(const char *name)
{
    pthread_once(&owner_once, make_owner);
    if (!csvb_atomic_is_temp_name(name))
        return CSVB_TEMPNAME_UNKNOWN;
    const char *mark = name, *next;
    while ((next = strstr(mark + 1, CSVB_TMP_MARK)) != NULL) /* the last mark: NAME may hold one */
        mark = next;
    char tag[HASH_DIGITS + 1];
    long pid;
    unsigned long long start;
    if (!parse_owner(mark + strlen(CSVB_TMP_MARK), tag, &pid, &start) || strcmp(tag, host_tag) != 0)
        return CSVB_TEMPNAME_UNKNOWN;
    if (kill((pid_t)pid, 0) != 0 && errno == ESRCH)
        return CSVB_TEMPNAME_DEAD;
    if (start == 0)
        return CSVB_TEMPNAME_LIVE; /* the owner could not know its start time: the PID decides */
    bool gone;
    unsigned long long now = start_time(pid, &gone);
    if (gone || (now != 0 && now != start))
        return CSVB_TEMPNAME_DEAD; /* ended meanwhile, or the PID was reused */
    return CSVB_TEMPNAME_LIVE;
}

size_t csvb_tempname_sweep(const char *dir)
{
    DIR *dh = opendir(dir);
    if (dh == NULL)
        return 0;
    size_t removed = 0;
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        if (e->d_name[0] != '.' || (e->d_type != DT_REG && e->d_type != DT_UNKNOWN) ||
            csvb_tempname_owner(e->d_name) != CSVB_TEMPNAME_DEAD)
            continue;
        struct stat st;
        if (e->d_type == DT_UNKNOWN &&
            (fstatat(dirfd(dh), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)))
            continue;
        if (unlinkat(dirfd(dh), e->d_name, 0) == 0)
            removed++;
    }
    closedir(dh);
    return removed;
}
