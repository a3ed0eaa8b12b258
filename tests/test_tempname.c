/* test_tempname.c — temp names fit NAME_MAX and name their owner; the sweep removes only dead
 * owners' files. */
#include <criterion/criterion.h>
#include <limits.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "csvbatch/atomic.h"
#include "csvbatch/tempname.h"
#include "helpers.h"

/* The base name of our own temp file for "d/x.csv", its XXXXXX filled. Caller frees. */
static char *own_name(void)
{
    char *t = csvb_tempname_template("d/x.csv");
    cr_assert_not_null(t);
    size_t n = strlen(t);
    cr_assert(n > 6 && strcmp(t + n - 6, "XXXXXX") == 0, "%s", t);
    memcpy(t + n - 6, "abc123", 6);
    char *base = strdup(t + 2);
    free(t);
    return base;
}

/* name with its owner's PID and start time replaced ("HHHH...-PID-START-XXXXXX"). */
static char *with_owner(const char *name, const char *tag, long pid, const char *start)
{
    const char *mark = strstr(name, CSVB_TMP_MARK) + strlen(CSVB_TMP_MARK);
    char own_tag[17];
    memcpy(own_tag, mark, 16);
    own_tag[16] = '\0';
    char *out = NULL;
    cr_assert_geq(asprintf(&out, "%.*s%s-%ld-%s-abc123", (int)(mark - name), name,
                           tag != NULL ? tag : own_tag, pid, start),
                  0);
    return out;
}

static long dead_pid(void)
{
    pid_t child = fork();
    cr_assert_geq(child, 0);
    if (child == 0)
        _exit(0);
    cr_assert_eq(waitpid(child, NULL, 0), child);
    return (long)child;
}

Test(tempname, names_of_255_bytes_get_a_temp_name_that_fits)
{
    char name[NAME_MAX + 1];
    memset(name, 'n', NAME_MAX);
    name[NAME_MAX] = '\0';
    char *path = NULL, *other = NULL;
    cr_assert_geq(asprintf(&path, "some/dir/%s", name), 0);
    name[NAME_MAX - 1] = 'm'; /* the same 200-byte prefix, another name */
    cr_assert_geq(asprintf(&other, "some/dir/%s", name), 0);
    char *t = csvb_tempname_template(path), *u = csvb_tempname_template(other);
    cr_assert_not_null(t);
    cr_assert_not_null(u);
    cr_assert_eq(strncmp(t, "some/dir/.nnnn", 14), 0, "%s", t);
    const char *base = strrchr(t, '/') + 1;
    cr_assert_leq(strlen(base), NAME_MAX, "%zu bytes: %s", strlen(base), base);
    cr_assert_geq(strlen(base), NAME_MAX - 3, "the name is cut no more than needed");
    cr_assert(csvb_atomic_is_temp_name(base), "%s", base);
    cr_assert_str_neq(t, u, "two long names share a temp name");
    cr_assert_not_null(strchr(base, '~'), "%s", base);

    char *short_t = csvb_tempname_template("x_processed.csv");
    cr_assert_eq(strncmp(short_t, ".x_processed.csv.tmp-", 21), 0, "%s", short_t);
    free(short_t);
    free(t);
    free(u);
    free(path);
    free(other);
}

Test(tempname, a_cut_name_never_ends_inside_a_utf8_sequence)
{
    char name[NAME_MAX + 1] = "";
    while (strlen(name) + 2 <= NAME_MAX - 1)
        strcat(name, "\xc3\xa9"); /* é */
    strcat(name, "x");
    char *t = csvb_tempname_template(name);
    const char *tilde = strchr(t, '~');
    cr_assert_not_null(tilde, "%s", t);
    cr_assert_eq(((size_t)(tilde - t) - 1) % 2, 0, "cut inside a two-byte character: %s", t);
    free(t);
}

Test(tempname, the_owner_decides)
{
    char *mine = own_name();
    cr_assert_eq(csvb_tempname_owner(mine), CSVB_TEMPNAME_LIVE, "%s", mine);
    char *dead = with_owner(mine, NULL, dead_pid(), "12345");
    cr_assert_eq(csvb_tempname_owner(dead), CSVB_TEMPNAME_DEAD, "%s", dead);
    char *reused = with_owner(mine, NULL, (long)getpid(), "1"); /* our PID, another start */
    cr_assert_eq(csvb_tempname_owner(reused), CSVB_TEMPNAME_DEAD, "%s", reused);
    char *no_start = with_owner(mine, NULL, (long)getpid(), "0");
    cr_assert_eq(csvb_tempname_owner(no_start), CSVB_TEMPNAME_LIVE, "%s", no_start);
    char *elsewhere = with_owner(mine, "0123456789abcdef", dead_pid(), "12345");
    cr_assert_eq(csvb_tempname_owner(elsewhere), CSVB_TEMPNAME_UNKNOWN, "%s", elsewhere);
    cr_assert_eq(csvb_tempname_owner(".x.csv.tmp-AbC123"), CSVB_TEMPNAME_UNKNOWN);
    cr_assert_eq(csvb_tempname_owner("x.csv"), CSVB_TEMPNAME_UNKNOWN);
    free(mine);
    free(dead);
    free(reused);
    free(no_start);
    free(elsewhere);
}

Test(tempname, sweep_removes_only_dead_owners_files)
{
    char *t = tmpdir_new();
    char *mine = own_name();
    char *dead = with_owner(mine, NULL, dead_pid(), "12345");
    char *dead_dir = with_owner(mine, NULL, dead_pid(), "777");
    char *elsewhere = with_owner(mine, "0123456789abcdef", dead_pid(), "12345");
    write_text(t, mine, "live\n");
    write_text(t, dead, "dead\n");
    write_text(t, elsewhere, "other host\n");
    write_text(t, ".y.csv.tmp-AbC123", "old format\n");
    char *dir = path_in(t, dead_dir);
    cr_assert_eq(mkdir(dir, 0755), 0);
    cr_assert_eq(csvb_tempname_sweep(t), 1);
    char *p = path_in(t, dead);
    cr_assert_neq(access(p, F_OK), 0, "the dead owner's file is still there");
    free(p);
    const char *kept[] = {mine, elsewhere, ".y.csv.tmp-AbC123", dead_dir};
    for (size_t i = 0; i < 4; i++) {
        p = path_in(t, kept[i]);
        cr_assert_eq(access(p, F_OK), 0, "%s was removed", kept[i]);
        free(p);
    }
    cr_assert_eq(csvb_tempname_sweep(t), 0);
    cr_assert_eq(csvb_tempname_sweep("/nonexistent/csvbatch-dir"), 0);
    free(dir);
    free(mine);
    free(dead);
    free(dead_dir);
    free(elsewhere);
    tmpdir_free(t);
}
