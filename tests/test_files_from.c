/* test_files_from.c — the --files-from list: separators, CRLF, empty names, NUL rules, stdin,
 * and the usage errors main reports with exit 2. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "csvbatch/cli.h"
#include "csvbatch/files_from.h"
#include "helpers.h"

/* Writes bytes to DIR/list, parses argv (with "--files-from DIR/list" first), reads the list. */
static enum csvb_err read_with(const char *bytes, size_t len, bool nul, char **args, int nargs,
                               struct csvb_options *o, struct csvb_diag *d)
{
    char *dir = tmpdir_new(), *list = path_in(dir, "list");
    FILE *f = fopen(list, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(bytes, 1, len, f), len);
    fclose(f);
    char *argv[8] = {"csvbatch", "--files-from", list};
    int argc = 3;
    if (nul)
        argv[argc++] = "-0";
    for (int i = 0; i < nargs; i++)
        argv[argc++] = args[i];
    csvb_diag_init(d);
    cr_assert_eq(csvb_cli_parse(argc, argv, o, d), CSVB_CLI_OK, "%s", d->message);
    enum csvb_err err = csvb_files_from_read(o, d);
    tmpdir_free(dir);
    free(list);
    return err;
}

static void assert_paths(const struct csvb_options *o, const char *const *want, size_t n)
{
    cr_assert_eq(o->npaths, n);
    for (size_t i = 0; i < n; i++)
        cr_assert_str_eq(o->paths[i], want[i], "path %zu", i);
    cr_assert_null(o->paths[n]);
}

Test(files_from, lines_after_the_arguments)
{
    struct csvb_options o;
    struct csvb_diag d;
    char *args[] = {"first.csv"};
    static const char list[] = "a.csv\n\nb c.csv\r\nlast";
    cr_assert_eq(read_with(list, sizeof list - 1, false, args, 1, &o, &d), CSVB_OK);
    const char *want[] = {"first.csv", "a.csv", "b c.csv", "last"};
    assert_paths(&o, want, 4);
    csvb_options_fini(&o);
    csvb_options_fini(&o);
}

Test(files_from, nul_separated_with_null)
{
    struct csvb_options o;
    struct csvb_diag d;
    static const char list[] = "a.csv\0b\nc.csv\0\0d\r\0";
    cr_assert_eq(read_with(list, sizeof list - 1, true, NULL, 0, &o, &d), CSVB_OK);
    const char *want[] = {"a.csv", "b\nc.csv", "d\r"}; /* -0: newlines and CRs are name bytes */
    assert_paths(&o, want, 3);
    csvb_options_fini(&o);
}

Test(files_from, nul_without_null_refused)
{
    struct csvb_options o;
    struct csvb_diag d;
    static const char list[] = "a.csv\0b.csv\0";
    cr_assert_eq(read_with(list, sizeof list - 1, false, NULL, 0, &o, &d), CSVB_E_USAGE);
    cr_assert(strstr(d.message, "' holds NUL bytes: for NUL-separated names add -0/--null"));
    cr_assert_eq(strncmp(d.message, "--files-from: '/tmp/", 20), 0, "%s", d.message);
    csvb_options_fini(&o);
}

Test(files_from, empty_list_and_no_argument)
{
    struct csvb_options o;
    struct csvb_diag d;
    cr_assert_eq(read_with("\n\r\n\n", 4, false, NULL, 0, &o, &d), CSVB_E_USAGE);
    cr_assert_str_eq(d.message, "missing PATH: no names given and --files-from listed none");
    csvb_options_fini(&o);
    char *args[] = {"x.csv"}; /* an empty list is fine when PATHs are given */
    cr_assert_eq(read_with("", 0, false, args, 1, &o, &d), CSVB_OK);
    const char *want[] = {"x.csv"};
    assert_paths(&o, want, 1);
    csvb_options_fini(&o);
}

Test(files_from, unreadable)
{
    char *argv[] = {"csvbatch", "--files-from", "/nonexistent/list"};
    struct csvb_options o;
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_cli_parse(3, argv, &o, &d), CSVB_CLI_OK);
    cr_assert_eq(csvb_files_from_read(&o, &d), CSVB_E_USAGE);
    cr_assert_str_eq(d.message,
                     "--files-from: cannot read '/nonexistent/list': No such file or directory");
    csvb_options_fini(&o);
    char *dir_argv[] = {"csvbatch", "--files-from", "/"};
    csvb_diag_init(&d);
    cr_assert_eq(csvb_cli_parse(3, dir_argv, &o, &d), CSVB_CLI_OK);
    cr_assert_eq(csvb_files_from_read(&o, &d), CSVB_E_USAGE);
    cr_assert_str_eq(d.message, "--files-from: cannot read '/': Is a directory");
    csvb_options_fini(&o);
}

Test(files_from, standard_input)
{
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    static const char list[] = "s1.csv\ns2.csv\n";
    cr_assert_eq(write(fds[1], list, sizeof list - 1), (ssize_t)(sizeof list - 1));
    close(fds[1]);
    cr_assert_eq(dup2(fds[0], 0), 0);
    close(fds[0]);
    char *argv[] = {"csvbatch", "--files-from", "-", "arg.csv"};
    struct csvb_options o;
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_cli_parse(4, argv, &o, &d), CSVB_CLI_OK);
    cr_assert_eq(csvb_files_from_read(&o, &d), CSVB_OK, "%s", d.message);
    const char *want[] = {"arg.csv", "s1.csv", "s2.csv"};
    assert_paths(&o, want, 3);
    cr_assert_neq(fcntl(0, F_GETFD), -1, "stdin stays open");
    csvb_options_fini(&o);
}

Test(files_from, nothing_to_do_without_the_option)
{
    char *argv[] = {"csvbatch", "a", "b"};
    struct csvb_options o;
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_cli_parse(3, argv, &o, &d), CSVB_CLI_OK);
    char **before = o.paths;
    cr_assert_eq(csvb_files_from_read(&o, &d), CSVB_OK);
    cr_assert_eq(o.paths, before);
    cr_assert_null(o.files_buf);
    const char *want[] = {"a", "b"};
    assert_paths(&o, want, 2);
    csvb_options_fini(&o);
}
