/* helpers.h — temp directories and whole-file I/O for the Criterion suites. */
#ifndef CSVBATCH_TEST_HELPERS_H
#define CSVBATCH_TEST_HELPERS_H

#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static inline char *tmpdir_new(void)
{
    char *t = strdup("/tmp/csvbatch-test-XXXXXX");
    cr_assert_not_null(mkdtemp(t));
    return t;
}

static inline int rm_one(const char *p, const struct stat *s, int flag, struct FTW *f)
{
    (void)s;
    (void)flag;
    (void)f;
    return remove(p);
}

static inline void tmpdir_free(char *t)
{
    nftw(t, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(t);
}

static inline char *path_in(const char *dir, const char *name)
{
    char *p = NULL;
    cr_assert_geq(asprintf(&p, "%s/%s", dir, name), 0);
    return p;
}

static inline void write_bytes(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot create %s", path);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    cr_assert_eq(fclose(f), 0);
}

static inline void write_text(const char *dir, const char *name, const char *text)
{
    char *p = path_in(dir, name);
    write_bytes(p, text, strlen(text));
    free(p);
}

/* Whole file as a NUL-terminated string, or NULL if it does not exist. */
static inline char *read_text(const char *dir, const char *name)
{
    char *p = path_in(dir, name);
    FILE *f = fopen(p, "rb");
    free(p);
    if (f == NULL)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (len + 1 == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    buf[len] = '\0';
    return buf;
}

static inline bool exists_in(const char *dir, const char *name)
{
    char *p = path_in(dir, name);
    struct stat st;
    bool r = lstat(p, &st) == 0;
    free(p);
    return r;
}

#endif
