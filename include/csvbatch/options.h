/* options.h — the run's configuration (filled by cli, read-only after parsing): its defaults, the
 * names of every enum choice (shared by cli, completions and the JSON report), and a typed
 * listing of the options in effect for the report. */
#ifndef CSVBATCH_OPTIONS_H
#define CSVBATCH_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csvbatch/diag.h"

enum csvb_format { CSVB_FORMAT_TABLE, CSVB_FORMAT_CSV, CSVB_FORMAT_JSON };
enum csvb_compat { CSVB_COMPAT_NONE, CSVB_COMPAT_POWERSHELL };
/* --quotes: strict RFC 4180, or lenient as Python's csv.reader(strict=False) (lenient.h). */
enum csvb_quotes { CSVB_QUOTES_STRICT, CSVB_QUOTES_LENIENT };

/* --escape auto: each file's own (sniff.h csvb_sniff_escape); 0 is none. */
#define CSVB_ESCAPE_AUTO (-1)

/* --comment auto: each file's own (sniff.h csvb_sniff_comment); 0 is none. */
#define CSVB_COMMENT_AUTO (-1)
enum csvb_progress_mode { CSVB_PROGRESS_AUTO, CSVB_PROGRESS_ON, CSVB_PROGRESS_OFF };
/* --on-bad-row; the choice is also kept as the bools skip_bad_rows and pad_bad_rows. */
enum csvb_bad_row { CSVB_BAD_ROW_FAIL, CSVB_BAD_ROW_SKIP, CSVB_BAD_ROW_PAD };
/* --compress: AUTO keeps each input's compression (by its name: x.csv.gz gives
 * x_processed.csv.gz), NONE writes plain CSV, GZIP and ZSTD compress every output. */
enum csvb_compress {
    CSVB_COMPRESS_AUTO,
    CSVB_COMPRESS_NONE,
    CSVB_COMPRESS_GZIP,
    CSVB_COMPRESS_ZSTD
};
/* --completion: the shell whose completion script is asked for (NONE: not asked). */
enum csvb_shell { CSVB_SHELL_NONE, CSVB_SHELL_BASH, CSVB_SHELL_ZSH, CSVB_SHELL_FISH };
/* --color: when to colour the table (stdout) and the diagnostics (stderr); color.h decides. */
enum csvb_color_mode { CSVB_COLOR_AUTO, CSVB_COLOR_ALWAYS, CSVB_COLOR_NEVER };
/* --annotations: GitHub workflow commands on stderr; report_github.h decides. */
enum csvb_annotations { CSVB_ANNOTATIONS_AUTO, CSVB_ANNOTATIONS_GITHUB, CSVB_ANNOTATIONS_NONE };

/* One --where condition: COLUMN=VALUE or COLUMN!=VALUE. The value borrows from argv. */
struct csvb_where {
    char *column; /* owned */
    const char *value;
    size_t value_len;
    bool negate;
};

#define CSVB_DEFAULT_SUFFIX "_processed"
#define CSVB_REJECTS_SUFFIX "_rejects"
#define CSVB_DEFAULT_STAMP_COLUMN "ProcessedDate"
#define CSVB_DEFAULT_MAX_FIELD ((size_t)64 << 20)
#define CSVB_DEFAULT_CHUNK ((size_t)32 << 20)

/* --skip-lines auto (the default): each file's preamble, as the sniffer finds it. */
#define CSVB_SKIP_LINES_AUTO SIZE_MAX

struct csvb_options {
    char **paths; /* owned array, NULL-terminated; strings borrow from argv or from files_buf */
    size_t npaths;
    char *files_buf; /* owned: the contents of --files-from */
    int jobs;        /* 0 = not given */
    bool recursive;
    char **include; /* owned array (strings borrow from argv): --include globs; none = default */
    size_t ninclude;
    char **exclude; /* owned array (strings borrow from argv): --exclude globs */
    size_t nexclude;
    bool follow; /* -L: -r descends through symbolic links to directories */
    bool dry_run;
    bool quiet;
    bool case_sensitive;
    bool all_rows;
    bool no_stamp;
    bool fsync;     /* true unless --no-fsync */
    bool fast_path; /* true unless --no-fast-path (the plain libcsv path, for differential tests) */
    const char *output_dir; /* NULL = beside each input */
    const char *suffix;
    const char *stamp_column;
    const char *timestamp; /* literal --timestamp value, or NULL */
    char **select;         /* owned array of owned names; NULL = default Name,ID */
    size_t nselect;
    bool select_all;          /* --select '*' */
    struct csvb_where *where; /* owned array, as many conditions as given */
    size_t nwhere;
    enum csvb_format format;
    size_t max_field_size;
    size_t chunk_size; /* --chunk-size; 0 = never split a file */
    char delimiter;
    char out_delimiter;   /* --output-delimiter, default: delimiter */
    const char *encoding; /* --encoding as given: "utf-8" (default), "auto" or a name iconv knows
                             (checked by cli; transcode.h says how each is read) */
    enum csvb_quotes quotes;
    int escape;  /* --escape: CSVB_ESCAPE_AUTO (default), 0 (none) or the character */
    int comment; /* --comment: CSVB_COMMENT_AUTO (default), 0 (none) or the character */
    enum csvb_compat compat;
    enum csvb_progress_mode progress;
    enum csvb_bad_row on_bad_row;      /* --on-bad-row, as given */
    bool skip_bad_rows;                /* --on-bad-row skip */
    bool pad_bad_rows;                 /* --on-bad-row pad: short records padded, counted */
    bool rejects;                      /* --rejects */
    size_t max_failures;               /* 0 = no limit; --fail-fast = 1 */
    bool fail_fast;                    /* the limit came from --fail-fast (for the message) */
    double timeout;                    /* per file, seconds; 0 = none */
    double deadline;                   /* whole run, seconds; 0 = none */
    size_t preview;                    /* --preview N rows per file */
    size_t skip_lines;                 /* --skip-lines N: lines before the header, unread;
                                          CSVB_SKIP_LINES_AUTO: each file's preamble (sniff.h) */
    const char *report;                /* --report FILE */
    const char *files_from;            /* --files-from FILE ('-' = stdin); read by files_from.h */
    bool files_from_nul;               /* -0 */
    enum csvb_shell completion;        /* --completion SHELL (hidden) */
    enum csvb_color_mode color;        /* --color */
    const char *junit;                 /* --junit FILE */
    enum csvb_annotations annotations; /* --annotations */
    bool incremental;                  /* --incremental: redo only what changed (incremental.h) */
    bool verify;                 /* --verify: also compare content hashes of inputs, outputs */
    bool force;                  /* --force: redo everything, rewrite the manifest */
    bool prune;                  /* --prune: remove the outputs of inputs that disappeared */
    bool no_wait;                /* --no-wait: fail at once when another run holds the lock */
    enum csvb_compress compress; /* --compress */
    int compress_level;          /* --compress-level; 0 = each format's default */
    /* Shards (shard.h): --shard K/N (shard_index K, 1-based; 0 = not sharded) or auto (shard_auto:
     * from the environment); --shards N (the count for JOB_COMPLETION_INDEX). */
    unsigned shard_index, shard_count, shards;
    bool shard_auto;
    const char *plan_out; /* --plan-out FILE: write the job list there, process nothing */
    const char *plan_in;  /* --plan FILE: run from that job list instead of listing PATHs */
};

/* Sets opt to the defaults: nothing owned, no paths, the job of the PowerShell original except
 * its --where condition (cli adds Status=Active when neither --where nor --all-rows is given). */
void csvb_options_init(struct csvb_options *opt);

/* Frees what opt owns (paths, files_buf, select, where) and leaves it empty. NULL-safe, safe to
 * call twice, and safe after csvb_options_init alone. */
void csvb_options_fini(struct csvb_options *opt);

/* Adds the --where condition text (COLUMN=VALUE or COLUMN!=VALUE; the value borrows from text,
 * which must outlive opt) after those already in opt: no limit on their number. Returns CSVB_OK,
 * CSVB_E_USAGE with the message in d for a malformed condition, or CSVB_E_NOMEM. */
enum csvb_err csvb_options_add_where(struct csvb_options *opt, const char *text,
                                     struct csvb_diag *d);

/* Replaces opt's output columns with the comma-separated list (names trimmed of surrounding
 * spaces and copied; '*' alone: every input column). Returns CSVB_OK, CSVB_E_USAGE with the
 * message in d for an empty name, a repeated name (ASCII case-insensitive) or a '*' that does not
 * stand alone, or CSVB_E_NOMEM. */
enum csvb_err csvb_options_set_select(struct csvb_options *opt, const char *list,
                                      struct csvb_diag *d);

/* Appends glob (borrowed: it must outlive the array) to the array *globs of *n (opt->include,
 * opt->exclude). Returns CSVB_OK or CSVB_E_NOMEM (d filled; the array is unchanged). */
enum csvb_err csvb_options_add_glob(char ***globs, size_t *n, const char *glob,
                                    struct csvb_diag *d);

/* ---- Names of enum choices: one table per enum. ---- */

enum {
    CSVB_NAME_ALIAS = 1u,   /* accepted on the command line, never printed */
    CSVB_NAME_INTERNAL = 2u /* printed (report), not accepted on the command line */
};

struct csvb_name {
    const char *name;
    int value;
    unsigned flags; /* CSVB_NAME_* */
};

struct csvb_names {
    const struct csvb_name *names; /* each value's canonical name comes before its aliases */
    size_t n;
};

extern const struct csvb_names csvb_format_names;      /* table csv json */
extern const struct csvb_names csvb_encoding_names;    /* suggestions for completion only: utf-8
                                                          latin1 windows-1252 (any iconv name works) */
extern const struct csvb_names csvb_quotes_names;      /* strict lenient */
extern const struct csvb_names csvb_comment_names;     /* suggestions for completion only: auto
                                                          none # */
extern const struct csvb_names csvb_escape_names;      /* suggestions for completion only: auto
                                                          none backslash (any character works) */
extern const struct csvb_names csvb_compat_names;      /* none (internal) powershell */
extern const struct csvb_names csvb_progress_names;    /* auto on off (internal: no option) */
extern const struct csvb_names csvb_bad_row_names;     /* fail skip pad */
extern const struct csvb_names csvb_shell_names;       /* none (internal) bash zsh fish */
extern const struct csvb_names csvb_color_names;       /* auto always never */
extern const struct csvb_names csvb_annotations_names; /* auto github none */
extern const struct csvb_names csvb_compress_names;    /* auto none gzip zstd */

/* The canonical (first non-alias) name of value, or NULL when names has none. Static storage. */
const char *csvb_names_name(const struct csvb_names *names, int value);

/* The value called name (exact, case-sensitive; canonical or alias), or -1. INTERNAL names count
 * only when internal_too is set: the command line passes false. */
int csvb_names_value(const struct csvb_names *names, const char *name, bool internal_too);

/* Writes the names accepted on the command line (no aliases, no internal names) into buf as
 * "a, b or c" (as usage messages say them); truncated to size. Returns buf. */
const char *csvb_names_join(const struct csvb_names *names, char *buf, size_t size);

/* Typed forms of the above. _name: NULL for an out-of-range value. _from_name: false (and *value
 * unchanged) for an unknown name; internal names are accepted. */
const char *csvb_format_name(enum csvb_format value);
bool csvb_format_from_name(const char *name, enum csvb_format *value);
const char *csvb_quotes_name(enum csvb_quotes value);
bool csvb_quotes_from_name(const char *name, enum csvb_quotes *value);
const char *csvb_compat_name(enum csvb_compat value);
bool csvb_compat_from_name(const char *name, enum csvb_compat *value);
const char *csvb_progress_name(enum csvb_progress_mode value);
bool csvb_progress_from_name(const char *name, enum csvb_progress_mode *value);
const char *csvb_bad_row_name(enum csvb_bad_row value);
bool csvb_bad_row_from_name(const char *name, enum csvb_bad_row *value);
const char *csvb_compress_name(enum csvb_compress value);
bool csvb_compress_from_name(const char *name, enum csvb_compress *value);
const char *csvb_shell_name(enum csvb_shell value);
bool csvb_shell_from_name(const char *name, enum csvb_shell *value);
const char *csvb_color_name(enum csvb_color_mode value);
bool csvb_color_from_name(const char *name, enum csvb_color_mode *value);
const char *csvb_annotations_name(enum csvb_annotations value);
bool csvb_annotations_from_name(const char *name, enum csvb_annotations *value);

/* ---- The options in effect, as a typed listing (the run report renders it). ---- */

enum csvb_opt_value_kind {
    CSVB_VALUE_NULL,   /* not set (no output directory, no timeout, no stamp column) */
    CSVB_VALUE_BOOL,   /* .boolean */
    CSVB_VALUE_INT,    /* .integer */
    CSVB_VALUE_REAL,   /* .real */
    CSVB_VALUE_STRING, /* .string (not NULL) */
    CSVB_VALUE_LIST    /* .list[0 .. count-1], strings */
};

struct csvb_opt_value {
    enum csvb_opt_value_kind kind;
    bool boolean;
    long long integer;
    double real;
    const char *string;
    const char *const *list;
    size_t count;
};

/* Calls emit once per option the report records, in the report's order: jobs, delimiter,
 * output_delimiter, encoding, format, preview, chunk_size, recursive, output_dir, suffix, where,
 * all_rows, case_sensitive, select, stamp_column, dry_run, fsync, on_bad_row, rejects, compat,
 * max_failures, timeout, deadline, color, junit, annotations, compress, compress_level,
 * incremental, skip_lines. jobs is the thread count in effect
 * (the report records what ran, not what was asked). key and value (and the strings it points to)
 * are borrowed for the call only. A where condition that cannot be formatted for lack of memory is
 * left out. */
void csvb_options_describe(const struct csvb_options *opt, int jobs,
                           void (*emit)(void *ctx, const char *key,
                                        const struct csvb_opt_value *value),
                           void *ctx);

#endif
