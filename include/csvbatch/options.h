/* options.h — the run's configuration, as parsed from argv by cli. Read-only after parsing. */
#ifndef CSVBATCH_OPTIONS_H
#define CSVBATCH_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

enum csvb_format { CSVB_FORMAT_TABLE, CSVB_FORMAT_CSV, CSVB_FORMAT_JSON };

/* One --where condition: COLUMN=VALUE or COLUMN!=VALUE. The value borrows from argv. */
struct csvb_where {
    char *column; /* owned */
    const char *value;
    size_t value_len;
    bool negate;
};

#define CSVB_DEFAULT_SUFFIX "_processed"
#define CSVB_DEFAULT_STAMP_COLUMN "ProcessedDate"
#define CSVB_DEFAULT_MAX_FIELD ((size_t)64 << 20)
#define CSVB_DEFAULT_CHUNK ((size_t)32 << 20)

struct csvb_options {
    char **paths; /* borrowed from argv */
    size_t npaths;
    int jobs; /* 0 = not given */
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
};

#endif
