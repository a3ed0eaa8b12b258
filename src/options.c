/* options.c — the options' defaults, their --where and --select values, the names of enum
 * choices, and the typed listing. */
#include "csvbatch/options.h"

#include "csvbatch/text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/schema.h"

void csvb_options_init(struct csvb_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->fsync = true;
    opt->fast_path = true;
    opt->suffix = CSVB_DEFAULT_SUFFIX;
    opt->stamp_column = CSVB_DEFAULT_STAMP_COLUMN;
    opt->max_field_size = CSVB_DEFAULT_MAX_FIELD;
    opt->chunk_size = CSVB_DEFAULT_CHUNK;
    opt->delimiter = '\0'; /* -d auto */
    opt->out_delimiter = '\0';
    opt->format = CSVB_FORMAT_TABLE;
    opt->encoding = "utf-8";
    opt->quotes = CSVB_QUOTES_STRICT;
    opt->escape = CSVB_ESCAPE_AUTO;
    opt->comment = CSVB_COMMENT_AUTO;
    opt->skip_lines = CSVB_SKIP_LINES_AUTO;
    opt->compat = CSVB_COMPAT_NONE;
    opt->progress = CSVB_PROGRESS_AUTO;
    opt->completion = CSVB_SHELL_NONE;
    opt->color = CSVB_COLOR_AUTO;
    opt->annotations = CSVB_ANNOTATIONS_AUTO;
}

void csvb_options_fini(struct csvb_options *opt)
{
    if (opt == NULL)
        return;
    free(opt->paths);
    free(opt->files_buf);
    opt->paths = NULL;
    opt->files_buf = NULL;
    opt->npaths = 0;
    for (size_t i = 0; i < opt->nselect; i++)
        free(opt->select[i]);
    free(opt->select);
    for (size_t i = 0; i < opt->nwhere; i++)
        free(opt->where[i].column);
    free(opt->where);
    opt->select = NULL;
    opt->where = NULL;
    opt->nselect = opt->nwhere = 0;
    free(opt->include);
    free(opt->exclude);
    opt->include = opt->exclude = NULL;
    opt->ninclude = opt->nexclude = 0;
}

enum csvb_err csvb_options_add_glob(char ***globs, size_t *n, const char *glob, struct csvb_diag *d)
{
    char **grown = realloc(*globs, (*n + 1) * sizeof *grown);
    if (grown == NULL)
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    /* borrowed from argv, never written */
    grown[(*n)++] = (char *)(uintptr_t)glob; /* NOLINT(performance-no-int-to-ptr) */
    *globs = grown;
    return CSVB_OK;
}

/* ---- --where and --select, grown as given. ---- */

/* Makes room for element n of array, whose capacity is max(4, the power of two ≥ n): the array
 * doubles as it fills, so n additions copy O(n) elements. Returns the array, or NULL (array
 * untouched) when out of memory. */
static void *room_for(void *array, size_t n, size_t elem)
{
    if ((n > 0 && n < 4) || (n > 4 && (n & (n - 1)) != 0))
        return array;
    size_t cap = n == 0 ? 4 : n * 2;
    return cap > SIZE_MAX / elem ? NULL : realloc(array, cap * elem);
}

static enum csvb_err oom(struct csvb_diag *d)
{
    return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
}

enum csvb_err csvb_options_add_where(struct csvb_options *opt, const char *arg, struct csvb_diag *d)
{
    const char *eq = strchr(arg, '=');
    if (eq == NULL || eq == arg || (eq == arg + 1 && arg[0] == '!'))
        return csvb_diag_set(d, CSVB_E_USAGE, 0,
                             "--where: expected COLUMN=VALUE or COLUMN!=VALUE, found '%s'", arg);
    struct csvb_where *w = room_for(opt->where, opt->nwhere, sizeof *w);
    if (w == NULL)
        return oom(d);
    opt->where = w;
    bool negate = eq[-1] == '!';
    size_t col_len = (size_t)(eq - arg) - (negate ? 1 : 0);
    char *column = strndup(arg, col_len);
    if (column == NULL)
        return oom(d);
    w[opt->nwhere].column = column;
    w[opt->nwhere].value = eq + 1;
    w[opt->nwhere].value_len = strlen(eq + 1);
    w[opt->nwhere].negate = negate;
    opt->nwhere++;
    return CSVB_OK;
}

static void clear_select(struct csvb_options *opt)
{
    for (size_t i = 0; i < opt->nselect; i++)
        free(opt->select[i]);
    free(opt->select);
    opt->select = NULL;
    opt->nselect = 0;
    opt->select_all = false;
}

enum csvb_err csvb_options_set_select(struct csvb_options *opt, const char *arg,
                                      struct csvb_diag *d)
{
    clear_select(opt);
    for (const char *p = arg;;) {
        const char *comma = strchr(p, ',');
        const char *end = comma != NULL ? comma : p + strlen(p);
        while (p < end && *p == ' ')
            p++;
        const char *e = end;
        while (e > p && e[-1] == ' ')
            e--;
        const char *why = NULL;
        if (e == p)
            why = "expected comma-separated column names, found an empty name in";
        else if (e - p == 1 && *p == '*' && (comma != NULL || opt->nselect > 0))
            why = "'*' must stand alone, found";
        for (size_t i = 0; why == NULL && i < opt->nselect; i++)
            if (csvb_text_ieq(opt->select[i], strlen(opt->select[i]), p, (size_t)(e - p)))
                why = "expected distinct column names, found";
        if (why != NULL)
            return csvb_diag_set(d, CSVB_E_USAGE, 0, "--select: %s '%s'", why, arg);
        if (e - p == 1 && *p == '*') {
            opt->select_all = true;
            return CSVB_OK;
        }
        char **s = room_for(opt->select, opt->nselect, sizeof *s);
        if (s == NULL)
            return oom(d);
        opt->select = s;
        if ((s[opt->nselect] = strndup(p, (size_t)(e - p))) == NULL)
            return oom(d);
        opt->nselect++;
        if (comma == NULL)
            return CSVB_OK;
        p = comma + 1;
    }
}

/* ---- Names. ---- */

#define NAMES(id, ...)                                                                             \
    static const struct csvb_name id##_table[] = {__VA_ARGS__};                                    \
    const struct csvb_names csvb_##id##_names = {id##_table,                                       \
                                                 sizeof id##_table / sizeof id##_table[0]}

NAMES(format, {"table", CSVB_FORMAT_TABLE, 0}, {"csv", CSVB_FORMAT_CSV, 0},
      {"json", CSVB_FORMAT_JSON, 0});
/* --encoding takes any name iconv knows: this list only feeds the shell completions. */
NAMES(encoding, {"utf-8", 0, 0}, {"utf8", 0, CSVB_NAME_ALIAS}, {"latin1", 1, 0},
      {"iso-8859-1", 1, CSVB_NAME_ALIAS}, {"windows-1252", 2, 0}, {"cp1252", 2, CSVB_NAME_ALIAS});
NAMES(comment, {"auto", CSVB_COMMENT_AUTO, 0}, {"none", 0, 0}, {"#", '#', 0});
NAMES(escape, {"auto", CSVB_ESCAPE_AUTO, 0}, {"none", 0, 0}, {"backslash", '\\', 0});
NAMES(quotes, {"strict", CSVB_QUOTES_STRICT, 0}, {"lenient", CSVB_QUOTES_LENIENT, 0});
NAMES(compat, {"none", CSVB_COMPAT_NONE, CSVB_NAME_INTERNAL},
      {"powershell", CSVB_COMPAT_POWERSHELL, 0});
NAMES(progress, {"auto", CSVB_PROGRESS_AUTO, CSVB_NAME_INTERNAL},
      {"on", CSVB_PROGRESS_ON, CSVB_NAME_INTERNAL}, {"off", CSVB_PROGRESS_OFF, CSVB_NAME_INTERNAL});
NAMES(bad_row, {"fail", CSVB_BAD_ROW_FAIL, 0}, {"skip", CSVB_BAD_ROW_SKIP, 0},
      {"pad", CSVB_BAD_ROW_PAD, 0});
NAMES(compress, {"auto", CSVB_COMPRESS_AUTO, 0}, {"none", CSVB_COMPRESS_NONE, 0},
      {"gzip", CSVB_COMPRESS_GZIP, 0}, {"zstd", CSVB_COMPRESS_ZSTD, 0});
NAMES(shell, {"none", CSVB_SHELL_NONE, CSVB_NAME_INTERNAL}, {"bash", CSVB_SHELL_BASH, 0},
      {"zsh", CSVB_SHELL_ZSH, 0}, {"fish", CSVB_SHELL_FISH, 0});
NAMES(color, {"auto", CSVB_COLOR_AUTO, 0}, {"always", CSVB_COLOR_ALWAYS, 0},
      {"never", CSVB_COLOR_NEVER, 0});
NAMES(annotations, {"auto", CSVB_ANNOTATIONS_AUTO, 0}, {"github", CSVB_ANNOTATIONS_GITHUB, 0},
      {"none", CSVB_ANNOTATIONS_NONE, 0});

const char *csvb_names_name(const struct csvb_names *names, int value)
{
    for (size_t i = 0; i < names->n; i++)
        if (names->names[i].value == value && !(names->names[i].flags & CSVB_NAME_ALIAS))
            return names->names[i].name;
    return NULL;
}

int csvb_names_value(const struct csvb_names *names, const char *name, bool internal_too)
{
    for (size_t i = 0; i < names->n; i++) {
        const struct csvb_name *n = &names->names[i];
        if (strcmp(n->name, name) == 0 && (internal_too || !(n->flags & CSVB_NAME_INTERNAL)))
            return n->value;
    }
    return -1;
}

const char *csvb_names_join(const struct csvb_names *names, char *buf, size_t size)
{
    size_t listed = 0, total = 0, used = 0;
    for (size_t i = 0; i < names->n; i++)
        total += names->names[i].flags == 0;
    if (size > 0)
        buf[0] = '\0';
    for (size_t i = 0; i < names->n && used < size; i++) {
        if (names->names[i].flags != 0)
            continue;
        const char *sep = listed == 0 ? "" : listed + 1 == total ? " or " : ", ";
        int n = snprintf(buf + used, size - used, "%s%s", sep, names->names[i].name);
        used += n > 0 ? (size_t)n : 0;
        listed++;
    }
    return buf;
}

/* NOLINTBEGIN(bugprone-macro-parentheses): type is a type name, it cannot be parenthesised */
#define TYPED_NAMES(id, type)                                                                      \
    const char *csvb_##id##_name(type value)                                                       \
    {                                                                                              \
        return csvb_names_name(&csvb_##id##_names, (int)value);                                    \
    }                                                                                              \
    bool csvb_##id##_from_name(const char *name, type *value)                                      \
    {                                                                                              \
        int v = csvb_names_value(&csvb_##id##_names, name, true);                                  \
        if (v < 0)                                                                                 \
            return false;                                                                          \
        *value = (type)v;                                                                          \
        return true;                                                                               \
    }

TYPED_NAMES(format, enum csvb_format)
TYPED_NAMES(quotes, enum csvb_quotes)
TYPED_NAMES(compat, enum csvb_compat)
TYPED_NAMES(progress, enum csvb_progress_mode)
TYPED_NAMES(bad_row, enum csvb_bad_row)
TYPED_NAMES(shell, enum csvb_shell)
TYPED_NAMES(color, enum csvb_color_mode)
TYPED_NAMES(annotations, enum csvb_annotations)
TYPED_NAMES(compress, enum csvb_compress)
/* NOLINTEND(bugprone-macro-parentheses) */

/* ---- The typed listing. ---- */

struct visit {
    void (*emit)(void *ctx, const char *key, const struct csvb_opt_value *value);
    void *ctx;
};

static void put(const struct visit *v, const char *key, struct csvb_opt_value value)
{
    v->emit(v->ctx, key, &value);
}

static void put_bool(const struct visit *v, const char *key, bool b)
{
    put(v, key, (struct csvb_opt_value){.kind = CSVB_VALUE_BOOL, .boolean = b});
}

static void put_int(const struct visit *v, const char *key, long long i)
{
    put(v, key, (struct csvb_opt_value){.kind = CSVB_VALUE_INT, .integer = i});
}

/* A string, or null when s is NULL. */
static void put_string(const struct visit *v, const char *key, const char *s)
{
    put(v, key,
        (struct csvb_opt_value){.kind = s ? CSVB_VALUE_STRING : CSVB_VALUE_NULL, .string = s});
}

/* Seconds, or null when not set (0). */
static void put_seconds(const struct visit *v, const char *key, double s)
{
    put(v, key,
        (struct csvb_opt_value){.kind = s > 0 ? CSVB_VALUE_REAL : CSVB_VALUE_NULL, .real = s});
}

static void put_list(const struct visit *v, const char *key, const char *const *list, size_t n)
{
    put(v, key, (struct csvb_opt_value){.kind = CSVB_VALUE_LIST, .list = list, .count = n});
}

/* The where conditions as COLUMN=VALUE / COLUMN!=VALUE texts. */
static void put_where(const struct visit *v, const struct csvb_options *opt)
{
    char **texts = calloc(opt->nwhere + 1, sizeof *texts);
    size_t n = 0;
    for (size_t i = 0; texts != NULL && i < opt->nwhere; i++) {
        const struct csvb_where *w = &opt->where[i];
        if (asprintf(&texts[n], "%s%s%s", w->column, w->negate ? "!=" : "=", w->value) >= 0)
            n++;
        else
            texts[n] = NULL;
    }
    put_list(v, "where", (const char *const *)texts, n);
    for (size_t i = 0; i < n; i++)
        free(texts[i]);
    free(texts);
}

/* The output columns: '*', the --select names, or the default Name,ID. */
static void put_select(const struct visit *v, const struct csvb_options *opt)
{
    static const char *const defaults[] = {"Name", "ID"}, *const all[] = {"*"};
    if (opt->select_all)
        put_list(v, "select", all, 1);
    else if (opt->select == NULL)
        put_list(v, "select", defaults, 2);
    else
        put_list(v, "select", (const char *const *)opt->select, opt->nselect);
}

void csvb_options_describe(const struct csvb_options *opt, int jobs,
                           void (*emit)(void *ctx, const char *key,
                                        const struct csvb_opt_value *value),
                           void *ctx)
{
    const struct visit v = {emit, ctx};
    char delim[2] = {opt->delimiter, '\0'}, out_delim[2] = {opt->out_delimiter, '\0'};
    put_int(&v, "jobs", jobs);
    /* '\0': -d auto, each file's own (its entry in the report says which) */
    put_string(&v, "delimiter", delim[0] != '\0' ? delim : "auto");
    put_string(&v, "output_delimiter", out_delim[0] != '\0' ? out_delim : "auto");
    put_string(&v, "encoding", opt->encoding);
    put_string(&v, "format", csvb_format_name(opt->format));
    put_int(&v, "preview", (long long)opt->preview);
    put_int(&v, "chunk_size", (long long)opt->chunk_size);
    put_bool(&v, "recursive", opt->recursive);
    put_string(&v, "output_dir", opt->output_dir);
    put_string(&v, "suffix", opt->suffix);
    put_where(&v, opt);
    put_bool(&v, "all_rows", opt->all_rows);
    put_bool(&v, "case_sensitive", opt->case_sensitive);
    put_select(&v, opt);
    put_string(&v, "stamp_column", opt->no_stamp ? NULL : opt->stamp_column);
    put_bool(&v, "dry_run", opt->dry_run);
    put_bool(&v, "fsync", opt->fsync);
    put_string(&v, "on_bad_row",
               csvb_bad_row_name(opt->pad_bad_rows    ? CSVB_BAD_ROW_PAD
                                 : opt->skip_bad_rows ? CSVB_BAD_ROW_SKIP
                                                      : CSVB_BAD_ROW_FAIL));
    put_bool(&v, "rejects", opt->rejects);
    put_string(&v, "compat", csvb_compat_name(opt->compat));
    put_int(&v, "max_failures", (long long)opt->max_failures);
    put_seconds(&v, "timeout", opt->timeout);
    put_seconds(&v, "deadline", opt->deadline);
    put_string(&v, "color", csvb_color_name(opt->color));
    put_string(&v, "junit", opt->junit);
    put_string(&v, "annotations", csvb_annotations_name(opt->annotations));
    put_string(&v, "compress", csvb_compress_name(opt->compress));
    put_int(&v, "compress_level", opt->compress_level);
    put_bool(&v, "incremental", opt->incremental);
    if (opt->skip_lines == CSVB_SKIP_LINES_AUTO)
        put_string(&v, "skip_lines", "auto");
    else
        put_int(&v, "skip_lines", (long long)opt->skip_lines);
    char esc[2] = {(char)(opt->escape > 0 ? opt->escape : 0), '\0'};
    put_string(&v, "escape",
               opt->escape == CSVB_ESCAPE_AUTO ? "auto"
               : opt->escape == 0              ? "none"
                                               : esc);
    char com[2] = {(char)(opt->comment > 0 ? opt->comment : 0), '\0'};
    put_string(&v, "comment",
               opt->comment == CSVB_COMMENT_AUTO ? "auto"
               : opt->comment == 0               ? "none"
                                                 : com);
}
