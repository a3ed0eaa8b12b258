/* options.h — the run's configuration, as parsed from argv by cli. Read-only after parsing. */
#ifndef CSVBATCH_OPTIONS_H
#define CSVBATCH_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

enum csvb_format { CSVB_FORMAT_TABLE, CSVB_FORMAT_CSV, CSVB_FORMAT_JSON };
enum csvb_encoding { CSVB_ENC_UTF8, CSVB_ENC_LATIN1, CSVB_ENC_CP1252 };
enum csvb_compat { CSVB_COMPAT_NONE, CSVB_COMPAT_POWERSHELL };
enum csvb_progress_mode { CSVB_PROGRESS_AUTO, CSVB_PROGRESS_ON, CSVB_PROGRESS_OFF };

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

struct csvb_options {
    char **paths; /* owned array; strings borrow from argv or from files_buf */
    size_t npaths;
    char *files_buf; /* owned: the contents of --files-from */
    int jobs;        /* 0 = not given */
    bool recursive;
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
    struct csvb_where *where; /* owned array */
    size_t nwhere;
    enum csvb_format format;
    size_t max_field_size;
    size_t chunk_size; /* --chunk-size; 0 = never split a file */
    char delimiter;
    char out_delimiter; /* --output-delimiter, default: delimiter */
    enum csvb_encoding encoding;
    enum csvb_compat compat;
    enum csvb_progress_mode progress;
    bool skip_bad_rows;     /* --on-bad-row skip */
    bool rejects;           /* --rejects */
    size_t max_failures;    /* 0 = no limit; --fail-fast = 1 */
    bool fail_fast;         /* the limit came from --fail-fast (for the message) */
    double timeout;         /* per file, seconds; 0 = none */
    double deadline;        /* whole run, seconds; 0 = none */
    size_t preview;         /* --preview N rows per file */
    const char *report;     /* --report FILE */
    const char *files_from; /* --files-from FILE ('-' = stdin) */
    bool files_from_nul;    /* -0 */
};

#endif
