/* walk.c — PATH arguments to input entries: which names are taken, directory walks, sorting. */
#include "csvbatch/walk.h"

#include "csvbatch/text.h"
#include "csvbatch/walk_roots.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
struct dev_ino {
    dev_t dev;
    ino_t ino;
};

struct walk {
    const struct csvb_options *opt;
    struct csvb_walk_list *list;
    char *output_tail;         /* suffix + ".csv" */
    size_t rel;                /* the current argument's length, plus its '/' if it lacks one */
    struct dev_ino *ancestors; /* directories on the current path: loop detection */
    size_t depth, cap;
    struct csvb_walk_roots roots; /* -L without -o: where outputs may be planned */
    size_t links;                 /* symbolic links to directories followed on the current path */
    struct dev_ino out_dir;       /* -o, when it exists (inode not 0): never walked as an input */
    size_t output_named;          /* names left out in the current argument as our outputs' */
    size_t default_named;         /* of those, named as outputs of the default suffix only */
};

/* A directory being walked: where its entries are looked up. */
struct level {
    const char *path; /* as the user would name it */
    int fd;           /* its descriptor, or AT_FDCWD when entries are named by whole path */
    bool outside;     /* reached through a link, resolved outside every tree named: no outputs */
};

/* One name read from a directory: an offset into the level's name bytes, and readdir's d_type. */
struct name {
    size_t off;
    unsigned char type;
};

struct names {
    char *bytes; /* the names, each NUL-terminated */
    size_t len, bytes_cap;
    struct name *items;
    size_t n, cap;
};

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    return csvb_text_printf("%s%s%s", dir, n > 0 && dir[n - 1] == '/' ? "" : "/", name);
}

/* Appends an entry; takes ownership of path and reason. Returns false on OOM. */
static bool add_entry(struct csvb_walk_list *list, char *path, size_t rel, enum csvb_job_kind kind,
                      char *reason, const struct stat *st, bool named)
{
    if (path == NULL || (kind != CSVB_JOB_RUN && reason == NULL) ||
        csvb_vec_reserve(&list->entries, &list->cap, list->n + 1, sizeof *list->entries) !=
            CSVB_OK) {
        free(path);
        free(reason);
        return false;
    }
    struct csvb_walk_entry *e = &list->entries[list->n++];
    memset(e, 0, sizeof *e);
    e->path = path;
    e->reason = reason;
    e->rel = rel;
    e->kind = kind;
    e->named = named;
    if (st != NULL) {
        e->size = st->st_size;
        e->dev = st->st_dev;
        e->ino = st->st_ino;
        e->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
    }
    return true;
}

static bool add_notice(struct csvb_walk_list *list, char *notice)
{
    return csvb_text_push(&list->notices, &list->nnotices, &list->notices_cap, notice);
}

/* What to say about an entry that is not a regular file. */
static const char *kind_name(mode_t mode)
{
    if (S_ISFIFO(mode))
        return "not a regular file (named pipe)";
    if (S_ISSOCK(mode))
        return "not a regular file (socket)";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "not a regular file (device)";
    if (S_ISDIR(mode))
        return "is a directory (use -r to descend)";
    return "not a regular file";
}

/* fstatat of an entry of lv, by descriptor or by whole path. Returns 0 or the errno. By
 * descriptor, depth is not limited by PATH_MAX (issue 13 item 4). */
static int lookup(const struct level *lv, const char *name, const char *path, struct stat *st,
                  int flags)
{
    int r =
        lv->fd != AT_FDCWD ? fstatat(lv->fd, name, st, flags) : fstatat(AT_FDCWD, path, st, flags);
    return r == 0 ? 0 : errno;
}

/* Whether an entry of readdir type t may be (or lead to) a directory: only then does a name that
 * is not taken need a stat, and only with -r. */
static bool maybe_dir(unsigned char t)
{
    return t != DT_REG && t != DT_FIFO && t != DT_SOCK && t != DT_CHR && t != DT_BLK;
}

/* Whether st is a directory on the current path (a link to it would loop). */
static bool is_ancestor(const struct walk *w, const struct stat *st)
{
    for (size_t i = 0; i < w->depth; i++)
        if (w->ancestors[i].dev == st->st_dev && w->ancestors[i].ino == st->st_ino)
            return true;
    return false;
}
static bool walk_dir(struct walk *w, const struct level *parent, const char *name, const char *path,
                     const struct stat *st);

/* The entry for a taken name that stat could not examine: why, told from its lstat. */
static bool add_unexamined(struct walk *w, const struct level *lv, const char *name, char *path,
                           int err)
{
    struct stat lst;
    if (lookup(lv, name, path, &lst, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(lst.st_mode) &&
        (err == ELOOP || err == ENOENT))
        return add_entry(w->list, path, w->rel, CSVB_JOB_SKIP,
                         csvb_text_printf("skipped: %s", err == ELOOP ? "symbolic link loop"
                                                                      : "dangling symbolic link"),
                         NULL, false);
    /* Anything else (EACCES in a directory without search permission, ENAMETOOLONG below the
     * levels walked by descriptor...) would leave the entry out unseen: a failure naming the
     * cause. */
    return add_entry(w->list, path, w->rel, CSVB_JOB_FAIL,
                     csvb_text_printf("cannot examine: %s", strerror(err)), NULL, false);
}

/* Whether a CSV name is one of our outputs (csvb_walk_output_kind), counted for the notices. */
static bool output_named(struct walk *w, const char *name)
{
    enum csvb_walk_output kind = csvb_walk_output_kind(name, w->output_tail, w->opt->suffix);
    w->output_named += kind != CSVB_WALK_NOT_OUTPUT;
    w->default_named += kind == CSVB_WALK_DEFAULT_OUTPUT;
    return kind != CSVB_WALK_NOT_OUTPUT;
}

/* Classifies one directory entry of lv. Returns false on OOM. */
static bool walk_entry(struct walk *w, const struct level *lv, const char *name, unsigned char type)
{
    const struct csvb_options *opt = w->opt;
    bool csv = !output_named(w, name) && csvb_walk_takes_name(opt, name, w->output_tail);
    if (!csv && !(opt->recursive && maybe_dir(type)))
        return true; /* nothing stat could tell would take it: no system call */
    char *path = join(lv->path, name);
    if (path == NULL)
        return false;
    if (opt->nexclude > 0 && csvb_walk_excluded(opt, path + w->rel)) {
        free(path);
        return true;
    }
    struct stat st;
    int err = lookup(lv, name, path, &st, 0);
    if (err != 0) {
        /* A name -r would descend into if it is a directory is reported like a taken name,
         * unless it is plainly not there to examine (a dangling link, a link loop). */
        if (csv || type == DT_DIR || (err != ENOENT && err != ELOOP))
            return add_unexamined(w, lv, name, path, err);
        free(path);
        return true;
    }
    bool ok = true;
    if (S_ISDIR(st.st_mode) && opt->recursive) {
        struct stat lst;
        bool link = type == DT_LNK ||
                    (type == DT_UNKNOWN && lookup(lv, name, path, &lst, AT_SYMLINK_NOFOLLOW) == 0 &&
                     S_ISLNK(lst.st_mode));
        if (link && !opt->follow && !is_ancestor(w, &st)) /* an ancestor: walk_dir's notice */
            return add_entry(
                w->list, path, w->rel, CSVB_JOB_SKIP,
                csvb_text_printf("skipped: symbolic link to a directory (-L follows it)"), &st,
                false);
        if (w->out_dir.ino != 0 && st.st_dev == w->out_dir.dev && st.st_ino == w->out_dir.ino) {
            /* Its files are this run's outputs (or an earlier one's): never inputs. */
            ok = add_notice(w->list, csvb_text_printf("%s: not descending: it is the output "
                                                      "directory (-o)",
                                                      path));
            free(path);
            return ok;
        }
        w->links += link;
        ok = walk_dir(w, lv, name, path, &st);
        w->links -= link;
    } else if (csv && S_ISREG(st.st_mode) && lv->outside)
        return add_entry(
            w->list, path, w->rel, CSVB_JOB_FAIL,
            csvb_text_printf("its output would be written outside the directories named "
                             "(through a symbolic link); use -o DIR"),
            &st, false);
    else if (csv && S_ISREG(st.st_mode) && strlen(path) >= PATH_MAX)
        /* Found by descriptor, but read and written by name: a failure, never a silent gap. */
        return add_entry(w->list, path, w->rel, CSVB_JOB_FAIL,
                         csvb_text_printf("cannot be processed: its path is longer than PATH_MAX "
                                          "(%d bytes): %s",
                                          PATH_MAX, strerror(ENAMETOOLONG)),
                         &st, false);
    else if (csv && S_ISREG(st.st_mode))
        return add_entry(w->list, path, w->rel, CSVB_JOB_RUN, NULL, &st, false);
    else if (csv)
        return add_entry(w->list, path, w->rel, CSVB_JOB_SKIP,
                         csvb_text_printf("skipped: %s", kind_name(st.st_mode)), &st, false);
    free(path);
    return ok;
}

/* Reads every name of dh but the hidden ones (a leading '.': ., .., our temp files). */
static bool read_names(DIR *dh, struct names *nm)
{
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        size_t len = strlen(e->d_name) + 1;
        if (csvb_vec_reserve(&nm->bytes, &nm->bytes_cap, nm->len + len, 1) != CSVB_OK ||
            csvb_vec_reserve(&nm->items, &nm->cap, nm->n + 1, sizeof *nm->items) != CSVB_OK)
            return false;
        memcpy(nm->bytes + nm->len, e->d_name, len);
        nm->items[nm->n].off = nm->len;
        nm->items[nm->n++].type = e->d_type;
        nm->len += len;
    }
    return true;
}

static int cmp_name(const void *a, const void *b, void *bytes)
{
    return strcmp((const char *)bytes + ((const struct name *)a)->off,
                  (const char *)bytes + ((const struct name *)b)->off);
}

/* Opens directory `path` (entry `name` of parent; the argument itself when parent is NULL) and
 * lists it into nm. Returns its descriptor for its entries' lookups when the tree is shallow
 * enough, else AT_FDCWD; -1 with *err set when it cannot be read, as opendir would fail; -2 when
 * out of memory (nm may then be partial). */
static int list_dir(const struct walk *w, const struct level *parent, const char *name,
                    const char *path, struct names *nm, int *err)
{
    bool by_fd = parent != NULL && parent->fd != AT_FDCWD;
    int fd = openat(by_fd ? parent->fd : AT_FDCWD, by_fd ? name : path,
                    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        *err = errno;
        return -1;
    }
    /* A second descriptor, kept after the listing: fdopendir's is closed with its stream. If it
     * cannot be had, the entries are named by whole path, as the deep levels are. */
    int keep = w->depth < CSVB_WALK_FD_LEVELS ? fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;
    DIR *dh = fdopendir(fd);
    if (dh == NULL) {
        *err = errno;
        close(fd);
        if (keep >= 0)
            close(keep);
        return -1;
    }
    bool ok = read_names(dh, nm);
    closedir(dh);
    if (!ok) {
        if (keep >= 0)
            close(keep);
        return -2;
    }
    return keep >= 0 ? keep : AT_FDCWD;
}

/* Walks one directory: its entries in byte order of name (csvb_walk sorts the whole paths
 * afterwards: a directory's files and its subdirectories' files interleave as their paths sort).
 * st is the directory's stat. Returns false on OOM. */
static bool walk_dir(struct walk *w, const struct level *parent, const char *name, const char *path,
                     const struct stat *st)
{
    if (is_ancestor(w, st))
        return add_notice(w->list,
                          csvb_text_printf("%s: not descending: directory loop (a symbolic link to "
                                           "a parent?)",
                                           path));
    struct names nm = {NULL, 0, 0, NULL, 0, 0};
    int err = 0;
    struct level lv = {path, list_dir(w, parent, name, path, &nm, &err), false};
    lv.outside =
        w->links > 0 && w->roots.paths != NULL && !csvb_walk_roots_contain(&w->roots, path);
    bool ok = lv.fd != -2;
    if (lv.fd == -1) {
        char *reason = csvb_text_printf("cannot read directory: %s", strerror(err));
        ok = add_entry(w->list, strdup(path), 0, CSVB_JOB_FAIL, reason, NULL, false);
    }
    if (lv.fd < 0 && lv.fd != AT_FDCWD)
        goto out;
    if (csvb_vec_reserve(&w->ancestors, &w->cap, w->depth + 1, sizeof *w->ancestors) != CSVB_OK) {
        ok = false;
        goto out;
    }
    w->ancestors[w->depth++] = (struct dev_ino){st->st_dev, st->st_ino};
    if (nm.n > 1)
        qsort_r(nm.items, nm.n, sizeof *nm.items, cmp_name, nm.bytes);
    for (size_t i = 0; ok && i < nm.n; i++)
        ok = walk_entry(w, &lv, nm.bytes + nm.items[i].off, nm.items[i].type);
    w->depth--;
out:
    if (lv.fd >= 0)
        close(lv.fd);
    free(nm.bytes);
    free(nm.items);
    return ok;
}

static int cmp_entry_path(const void *a, const void *b)
{
    return strcmp(((const struct csvb_walk_entry *)a)->path,
                  ((const struct csvb_walk_entry *)b)->path);
}

/* One PATH argument: a file is taken as named; a directory is walked and its entries sorted. */
static enum csvb_err walk_arg(struct walk *w, const char *arg, struct csvb_diag *d)
{
    struct csvb_walk_list *list = w->list;
    struct stat st;
    bool std_in = strcmp(arg, "-") == 0; /* standard input (outputs.h): no size, no identity */
    if (!std_in && stat(arg, &st) != 0)
        return csvb_diag_errno(d, CSVB_E_USAGE, errno, "cannot access '%s'", arg);
    if (std_in || !S_ISDIR(st.st_mode))
        return add_entry(list, strdup(arg), 0, CSVB_JOB_RUN, NULL, std_in ? NULL : &st, true)
                   ? CSVB_OK
                   : CSVB_E_NOMEM;
    size_t before = list->n, notices = list->nnotices, len = strlen(arg);
    w->output_named = w->default_named = 0;
    w->rel = len + (len > 0 && arg[len - 1] == '/' ? 0 : 1);
    if (!walk_dir(w, NULL, NULL, arg, &st))
        return CSVB_E_NOMEM;
    if (list->n - before > 1)
        qsort(list->entries + before, list->n - before, sizeof *list->entries, cmp_entry_path);
    bool none = list->n == before && list->nnotices == notices; /* and why, if it was */
    if ((none || w->default_named > 0) &&
        !add_notice(list, csvb_walk_names_notice(arg, none, w->output_named, w->default_named,
                                                 w->output_tail)))
        return CSVB_E_NOMEM;
    return CSVB_OK;
}

enum csvb_err csvb_walk(const struct csvb_options *opt, struct csvb_walk_list *list,
                        struct csvb_diag *d)
{
    memset(list, 0, sizeof *list);
    struct walk w = {
        .opt = opt, .list = list, .output_tail = csvb_text_printf("%s.csv", opt->suffix)};
    struct stat out_st;
    if (opt->output_dir != NULL && stat(opt->output_dir, &out_st) == 0 && S_ISDIR(out_st.st_mode))
        w.out_dir = (struct dev_ino){out_st.st_dev, out_st.st_ino};
    enum csvb_err result =
        w.output_tail != NULL ? csvb_walk_roots_init(&w.roots, opt) : CSVB_E_NOMEM;
    for (size_t i = 0; result == CSVB_OK && i < opt->npaths; i++)
        result = walk_arg(&w, opt->paths[i], d);
    if (result == CSVB_E_NOMEM)
        result = csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    free(w.output_tail);
    free(w.ancestors);
    csvb_walk_roots_fini(&w.roots);
    return result;
}

void csvb_walk_list_fini(struct csvb_walk_list *list)
{
    if (list == NULL)
        return;
    for (size_t i = 0; i < list->n; i++) {
        free(list->entries[i].path);
        free(list->entries[i].reason);
    }
    for (size_t i = 0; i < list->nnotices; i++)
        free(list->notices[i]);
    free(list->entries);
    free(list->notices);
    memset(list, 0, sizeof *list);
}
