/* cli.c — argv to options with getopt_long; every value checked; never prints or exits. */
#include "csvbatch/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvbatch/schema.h"

enum {
    OPT_FORMAT = 256,
    OPT_WHERE,
    OPT_ALL_ROWS,
    OPT_CASE_SENSITIVE,
    OPT_SELECT,
    OPT_STAMP_COLUMN,
    OPT_NO_STAMP,
    OPT_TIMESTAMP,
    OPT_SUFFIX,
    OPT_NO_FSYNC,
    OPT_MAX_FIELD,
    OPT_NO_FAST_PATH,
    OPT_CHUNK_SIZE,
    OPT_OUTPUT_DELIMITER,
    OPT_ENCODING,
    OPT_COMPAT,
    OPT_PROGRESS,
    OPT_NO_PROGRESS,
    OPT_ON_BAD_ROW,
    OPT_REJECTS,
    OPT_FAIL_FAST,
    OPT_MAX_FAILURES,
    OPT_TIMEOUT,
    OPT_DEADLINE,
    OPT_PREVIEW,
    OPT_REPORT,
    OPT_FILES_FROM,
};

static const struct option long_options[] = {
    {"jobs", required_argument, NULL, 'j'},
    {"recursive", no_argument, NULL, 'r'},
    {"output-dir", required_argument, NULL, 'o'},
    {"dry-run", no_argument, NULL, 'n'},
    {"quiet", no_argument, NULL, 'q'},
    {"delimiter", required_argument, NULL, 'd'},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"where", required_argument, NULL, OPT_WHERE},
    {"all-rows", no_argument, NULL, OPT_ALL_ROWS},
    {"case-sensitive", no_argument, NULL, OPT_CASE_SENSITIVE},
    {"select", required_argument, NULL, OPT_SELECT},
    {"stamp-column", required_argument, NULL, OPT_STAMP_COLUMN},
    {"no-stamp", no_argument, NULL, OPT_NO_STAMP},
    {"timestamp", required_argument, NULL, OPT_TIMESTAMP},
    {"suffix", required_argument, NULL, OPT_SUFFIX},
    {"no-fsync", no_argument, NULL, OPT_NO_FSYNC},
    {"max-field-size", required_argument, NULL, OPT_MAX_FIELD},
    {"no-fast-path", no_argument, NULL, OPT_NO_FAST_PATH},
    {"chunk-size", required_argument, NULL, OPT_CHUNK_SIZE},
    {"output-delimiter", required_argument, NULL, OPT_OUTPUT_DELIMITER},
    {"encoding", required_argument, NULL, OPT_ENCODING},
    {"compat", required_argument, NULL, OPT_COMPAT},
    {"progress", no_argument, NULL, OPT_PROGRESS},
    {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
    {"on-bad-row", required_argument, NULL, OPT_ON_BAD_ROW},
    {"rejects", no_argument, NULL, OPT_REJECTS},
    {"fail-fast", no_argument, NULL, OPT_FAIL_FAST},
    {"max-failures", required_argument, NULL, OPT_MAX_FAILURES},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"deadline", required_argument, NULL, OPT_DEADLINE},
    {"preview", required_argument, NULL, OPT_PREVIEW},
    {"report", required_argument, NULL, OPT_REPORT},
    {"files-from", required_argument, NULL, OPT_FILES_FROM},
    {"null", no_argument, NULL, '0'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

void csvb_cli_help(FILE *out)
{
    fputs("Usage: csvbatch [OPTION]... PATH...\n"
          "Filter and project every CSV file in PATHs (files or directories), in parallel.\n"
          "\n"
          "By default each input X.csv gets X_processed.csv beside it, holding the columns Name\n"
          "and ID of the rows whose Status is Active (ASCII case-insensitive), plus a\n"
          "ProcessedDate column with one UTC time stamp for the whole run. Outputs are written\n"
          "atomically. A directory yields its *.csv files (any case), sorted, never hidden files\n"
          "or csvbatch's own outputs.\n"
          "\n"
          "Input:\n"
          "  -r, --recursive          descend into subdirectories\n"
          "      --files-from FILE    also read PATHs from FILE, one per line ('-': stdin)\n"
          "  -0, --null               --files-from names are NUL-separated (find -print0)\n"
          "  -d, --delimiter CHAR     field delimiter for input and output (default ','; 'tab')\n"
          "      --encoding ENC       input encoding: utf-8 (default), latin1, windows-1252\n"
          "      --max-field-size N   largest field or record accepted, in bytes; K, M, G\n"
          "                           suffixes (default 64M)\n"
          "      --on-bad-row POLICY  a record with the wrong number of fields: fail (default)\n"
          "                           fails the file; skip drops and counts it (RowsRejected)\n"
          "      --rejects            with skip: write dropped records to <stem>_rejects.csv\n"
          "                           beside the output (Line,Reason,Record)\n"
          "      --compat powershell  read and write as Import-Csv/Export-Csv would\n",
          out);
    fputs("Rows:\n"
          "      --where COL=VALUE    keep rows whose COL equals VALUE; COL!=VALUE keeps rows\n"
          "                           where it differs; repeatable, all must hold (replaces the\n"
          "                           default Status=Active)\n"
          "      --all-rows           keep every row\n"
          "      --case-sensitive     compare values exactly (default: ASCII case-insensitive)\n"
          "Columns:\n"
          "      --select LIST        output columns, comma-separated, in this order (default\n"
          "                           Name,ID); '*' = every input column in input order\n"
          "      --stamp-column NAME  name of the time stamp column (default ProcessedDate)\n"
          "      --no-stamp           no time stamp column\n"
          "      --timestamp VALUE    write VALUE as the stamp (default: now, or\n"
          "                           SOURCE_DATE_EPOCH if set, as YYYY-MM-DDTHH:MM:SSZ)\n",
          out);
    fputs("Output:\n"
          "  -o, --output-dir DIR     write outputs under DIR, mirroring each file's path\n"
          "                           below the directory argument it came from\n"
          "      --suffix S           output name suffix before .csv (default _processed)\n"
          "      --output-delimiter C delimiter of the outputs only (default: --delimiter)\n"
          "      --no-fsync           do not fsync outputs (faster, less durable)\n",
          out);
    fputs("Run:\n"
          "  -j, --jobs N             files processed in parallel (default: OMP_NUM_THREADS,\n"
          "                           else the number of online CPUs)\n"
          "  -n, --dry-run            parse, validate and count, but write nothing\n"
          "      --preview N          after the summary, show each file's first N output rows\n"
          "      --timeout SECONDS    fail a file still running after SECONDS\n"
          "      --deadline SECONDS   start no file after SECONDS (the rest: Skipped)\n"
          "      --fail-fast          start no file after one has failed\n"
          "      --max-failures N     start no file after N have failed\n"
          "  -q, --quiet              no summary on stdout (and no progress)\n"
          "      --format FMT         summary format: table (default), csv or json\n"
          "      --report FILE        also write the JSON run report to FILE (atomically)\n"
          "      --progress           show progress on stderr even when it is not a terminal\n"
          "      --no-progress        never show progress (default: when stderr is a terminal)\n"
          "      --chunk-size N       split a file larger than 2N into N-byte chunks parsed in\n"
          "                           parallel when threads are idle (default 32M; 0: never)\n"
          "      --no-fast-path       parse every line with libcsv (for diagnosis)\n"
          "  -h, --help               show this help and exit\n"
          "  -V, --version            show the version and exit\n"
          "\n"
          "Exit status:\n"
          "  0    every file succeeded (skipped entries, with a notice, do not fail a run)\n"
          "  1    at least one file failed (the others were completed)\n"
          "  2    usage or configuration error (nothing was processed)\n"
          "  130  interrupted by SIGINT (143: SIGTERM, 129: SIGHUP); finished outputs stay,\n"
          "       no temp files\n",
          out);
}

static enum csvb_cli_result usage(struct csvb_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static enum csvb_cli_result usage(struct csvb_diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char msg[CSVB_DIAG_MESSAGE_MAX];
    // NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): va_start is in every caller
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    csvb_diag_set(d, CSVB_E_USAGE, 0, "%s", msg);
    return CSVB_CLI_USAGE;
}

/* Parses a size with an optional K/M/G suffix (powers of 1024). */
static bool parse_size(const char *s, size_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || errno != 0 || s[0] == '-')
        return false;
    unsigned shift = 0;
    if (*end == 'K' || *end == 'k')
        shift = 10;
    else if (*end == 'M' || *end == 'm')
        shift = 20;
    else if (*end == 'G' || *end == 'g')
        shift = 30;
    if (shift != 0)
        end++;
    if (*end != '\0' || v == 0 || v > (SIZE_MAX >> shift) >> 1)
        return false;
    *out = (size_t)v << shift;
    return true;
}

/* A positive number of seconds (decimals allowed, at most a year). */
static bool parse_seconds(const char *s, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno != 0 || !(v > 0) || v > 366.0 * 86400)
        return false;
    *out = v;
    return true;
}

static bool parse_count(const char *s, size_t max, size_t *out)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end != '\0' || errno != 0 || v < 1 || (unsigned long long)v > max)
        return false;
    *out = (size_t)v;
    return true;
}

static enum csvb_cli_result add_where(struct csvb_options *opt, const char *arg,
                                      struct csvb_diag *d)
{
    const char *eq = strchr(arg, '=');
    if (eq == NULL || eq == arg || (eq == arg + 1 && arg[0] == '!'))
        return usage(d, "--where: expected COLUMN=VALUE or COLUMN!=VALUE, found '%s'", arg);
    if (opt->nwhere >= 32)
        return usage(d, "--where: at most 32 conditions, found more (at '%s')", arg);
    struct csvb_where *w = realloc(opt->where, (opt->nwhere + 1) * sizeof *w);
    if (w == NULL)
        return usage(d, "out of memory");
    opt->where = w;
    bool negate = eq[-1] == '!';
    size_t col_len = (size_t)(eq - arg) - (negate ? 1 : 0);
    char *column = strndup(arg, col_len);
    if (column == NULL)
        return usage(d, "out of memory");
    w[opt->nwhere].column = column;
    w[opt->nwhere].value = eq + 1;
    w[opt->nwhere].value_len = strlen(eq + 1);
    w[opt->nwhere].negate = negate;
    opt->nwhere++;
    return CSVB_CLI_OK;
}

/* Splits a --select list; names are trimmed of surrounding spaces; duplicates are refused. */
static enum csvb_cli_result set_select(struct csvb_options *opt, const char *arg,
                                       struct csvb_diag *d)
{
    for (size_t i = 0; i < opt->nselect; i++)
        free(opt->select[i]);
    free(opt->select);
    opt->select = NULL;
    opt->nselect = 0;
    opt->select_all = false;
    const char *p = arg;
    for (;;) {
        const char *comma = strchr(p, ',');
        const char *end = comma != NULL ? comma : p + strlen(p);
        while (p < end && *p == ' ')
            p++;
        const char *e = end;
        while (e > p && e[-1] == ' ')
            e--;
        if (e == p)
            return usage(d,
                         "--select: expected comma-separated column names, found an empty "
                         "name in '%s'",
                         arg);
        if (e - p == 1 && *p == '*') {
            if (comma != NULL || opt->nselect > 0)
                return usage(d, "--select: '*' must stand alone, found '%s'", arg);
            opt->select_all = true;
            return CSVB_CLI_OK;
        }
        for (size_t i = 0; i < opt->nselect; i++)
            if (csvb_ascii_ieq(opt->select[i], strlen(opt->select[i]), p, (size_t)(e - p)))
                return usage(d, "--select: expected distinct column names, found '%s'", arg);
        char **s = realloc(opt->select, (opt->nselect + 1) * sizeof *s);
        if (s == NULL)
            return usage(d, "out of memory");
        opt->select = s;
        if ((s[opt->nselect] = strndup(p, (size_t)(e - p))) == NULL)
            return usage(d, "out of memory");
        opt->nselect++;
        if (comma == NULL)
            return CSVB_CLI_OK;
        p = comma + 1;
    }
}

static enum csvb_cli_result set_delimiter(char *target, const char *name, const char *arg,
                                          struct csvb_diag *d)
{
    char c;
    if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0)
        c = '\t';
    else if (strlen(arg) == 1)
        c = arg[0];
    else
        return usage(d, "%s: expected one character or 'tab', found '%s'", name, arg);
    if (c == '"' || c == '\r' || c == '\n' || (unsigned char)c >= 0x80)
        return usage(d,
                     "%s: expected an ASCII character other than a quote or line break, found '%s'",
                     name, arg);
    *target = c;
    return CSVB_CLI_OK;
}

static enum csvb_cli_result one_option(struct csvb_options *opt, int c, const char *arg,
                                       struct csvb_diag *d, bool *stamp_given)
{
    char *end = NULL;
    long v;
    switch (c) {
    case 'j':
        errno = 0;
        v = strtol(arg, &end, 10);
        if (end == arg || *end != '\0' || errno != 0 || v < 1 || v > 1024)
            return usage(d, "--jobs: expected a whole number from 1 to 1024, found '%s'", arg);
        opt->jobs = (int)v;
        return CSVB_CLI_OK;
    case 'r':
        opt->recursive = true;
        return CSVB_CLI_OK;
    case 'o':
        if (arg[0] == '\0')
            return usage(d, "--output-dir: expected a directory, found '%s'", arg);
        opt->output_dir = arg;
        return CSVB_CLI_OK;
    case 'n':
        opt->dry_run = true;
        return CSVB_CLI_OK;
    case 'q':
        opt->quiet = true;
        return CSVB_CLI_OK;
    case 'd':
        return set_delimiter(&opt->delimiter, "--delimiter", arg, d);
    case OPT_OUTPUT_DELIMITER:
        return set_delimiter(&opt->out_delimiter, "--output-delimiter", arg, d);
    case OPT_ENCODING:
        if (strcmp(arg, "utf-8") == 0 || strcmp(arg, "utf8") == 0)
            opt->encoding = CSVB_ENC_UTF8;
        else if (strcmp(arg, "latin1") == 0 || strcmp(arg, "iso-8859-1") == 0)
            opt->encoding = CSVB_ENC_LATIN1;
        else if (strcmp(arg, "windows-1252") == 0 || strcmp(arg, "cp1252") == 0)
            opt->encoding = CSVB_ENC_CP1252;
        else
            return usage(d, "--encoding: expected utf-8, latin1 or windows-1252, found '%s'", arg);
        return CSVB_CLI_OK;
    case OPT_COMPAT:
        if (strcmp(arg, "powershell") != 0)
            return usage(d, "--compat: expected powershell, found '%s'", arg);
        opt->compat = CSVB_COMPAT_POWERSHELL;
        return CSVB_CLI_OK;
    case OPT_PROGRESS:
        opt->progress = CSVB_PROGRESS_ON;
        return CSVB_CLI_OK;
    case OPT_NO_PROGRESS:
        opt->progress = CSVB_PROGRESS_OFF;
        return CSVB_CLI_OK;
    case OPT_ON_BAD_ROW:
        if (strcmp(arg, "fail") == 0)
            opt->skip_bad_rows = false;
        else if (strcmp(arg, "skip") == 0)
            opt->skip_bad_rows = true;
        else
            return usage(d, "--on-bad-row: expected fail or skip, found '%s'", arg);
        return CSVB_CLI_OK;
    case OPT_REJECTS:
        opt->rejects = true;
        return CSVB_CLI_OK;
    case OPT_FAIL_FAST:
        opt->max_failures = 1;
        opt->fail_fast = true;
        return CSVB_CLI_OK;
    case OPT_MAX_FAILURES:
        opt->fail_fast = false;
        if (!parse_count(arg, 1000000000, &opt->max_failures))
            return usage(d, "--max-failures: expected a whole number of at least 1, found '%s'",
                         arg);
        return CSVB_CLI_OK;
    case OPT_TIMEOUT:
        if (!parse_seconds(arg, &opt->timeout))
            return usage(d, "--timeout: expected a positive number of seconds, found '%s'", arg);
        return CSVB_CLI_OK;
    case OPT_DEADLINE:
        if (!parse_seconds(arg, &opt->deadline))
            return usage(d, "--deadline: expected a positive number of seconds, found '%s'", arg);
        return CSVB_CLI_OK;
    case OPT_PREVIEW:
        if (!parse_count(arg, 10000, &opt->preview))
            return usage(d, "--preview: expected a number of rows from 1 to 10000, found '%s'",
                         arg);
        return CSVB_CLI_OK;
    case OPT_REPORT:
        if (arg[0] == '\0')
            return usage(d, "--report: expected a file name, found '%s'", arg);
        opt->report = arg;
        return CSVB_CLI_OK;
    case OPT_FILES_FROM:
        opt->files_from = arg;
        return CSVB_CLI_OK;
    case '0':
        opt->files_from_nul = true;
        return CSVB_CLI_OK;
    case OPT_FORMAT:
        if (strcmp(arg, "table") == 0)
            opt->format = CSVB_FORMAT_TABLE;
        else if (strcmp(arg, "csv") == 0)
            opt->format = CSVB_FORMAT_CSV;
        else if (strcmp(arg, "json") == 0)
            opt->format = CSVB_FORMAT_JSON;
        else
            return usage(d, "--format: expected table, csv or json, found '%s'", arg);
        return CSVB_CLI_OK;
    case OPT_WHERE:
        return add_where(opt, arg, d);
    case OPT_ALL_ROWS:
        opt->all_rows = true;
        return CSVB_CLI_OK;
    case OPT_CASE_SENSITIVE:
        opt->case_sensitive = true;
        return CSVB_CLI_OK;
    case OPT_SELECT:
        return set_select(opt, arg, d);
    case OPT_STAMP_COLUMN:
        if (arg[0] == '\0')
            return usage(d, "--stamp-column: expected a column name, found '%s'", arg);
        opt->stamp_column = arg;
        *stamp_given = true;
        return CSVB_CLI_OK;
    case OPT_NO_STAMP:
        opt->no_stamp = true;
        return CSVB_CLI_OK;
    case OPT_TIMESTAMP:
        opt->timestamp = arg;
        *stamp_given = true;
        return CSVB_CLI_OK;
    case OPT_SUFFIX:
        if (arg[0] == '\0' || strchr(arg, '/') != NULL)
            return usage(d, "--suffix: expected a non-empty name part without '/', found '%s'",
                         arg);
        opt->suffix = arg;
        return CSVB_CLI_OK;
    case OPT_NO_FSYNC:
        opt->fsync = false;
        return CSVB_CLI_OK;
    case OPT_MAX_FIELD:
        if (!parse_size(arg, &opt->max_field_size))
            return usage(d,
                         "--max-field-size: expected a size in bytes (K, M, G suffixes), "
                         "found '%s'",
                         arg);
        return CSVB_CLI_OK;
    case OPT_CHUNK_SIZE:
        if (strcmp(arg, "0") == 0)
            opt->chunk_size = 0;
        else if (!parse_size(arg, &opt->chunk_size) || opt->chunk_size < 4096)
            return usage(d,
                         "--chunk-size: expected 0 or a size of at least 4096 bytes (K, M, G "
                         "suffixes), found '%s'",
                         arg);
        return CSVB_CLI_OK;
    case OPT_NO_FAST_PATH:
        opt->fast_path = false;
        return CSVB_CLI_OK;
    case 'h':
        return CSVB_CLI_HELP;
    case 'V':
        return CSVB_CLI_VERSION;
    default:
        return usage(d, "%s", "unrecognised option");
    }
}

/* Reads all of fd into a NUL-terminated buffer. Returns NULL with errno set on failure. */
static char *slurp(int fd, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        if (n + 1 == cap) {
            char *b = realloc(buf, cap *= 2);
            if (b == NULL)
                break;
            buf = b;
        }
        ssize_t got = read(fd, buf + n, cap - n - 1);
        if (got == 0) {
            buf[n] = '\0';
            *len = n;
            return buf;
        }
        if (got < 0 && errno != EINTR)
            break;
        if (got > 0)
            n += (size_t)got;
    }
    int err = errno;
    free(buf);
    errno = err;
    return NULL;
}

/* PATH arguments, then the names from --files-from, into one owned array. */
static enum csvb_cli_result collect_paths(struct csvb_options *opt, int argc, char **argv,
                                          struct csvb_diag *d)
{
    size_t from_args = (size_t)(argc - optind), len = 0, names = 0;
    if (opt->files_from != NULL) {
        bool is_stdin = strcmp(opt->files_from, "-") == 0;
        int fd = is_stdin ? 0 : open(opt->files_from, O_RDONLY | O_CLOEXEC);
        opt->files_buf = fd >= 0 ? slurp(fd, &len) : NULL;
        int err = errno;
        if (fd > 0)
            close(fd);
        if (opt->files_buf == NULL)
            return usage(d, "--files-from: cannot read '%s': %s", opt->files_from, strerror(err));
        if (!opt->files_from_nul && memchr(opt->files_buf, '\0', len) != NULL)
            return usage(
                d, "--files-from: '%s' holds NUL bytes: for NUL-separated names add -0/--null",
                opt->files_from);
        char sep = opt->files_from_nul ? '\0' : '\n';
        for (size_t i = 0; i < len; i++)
            names += opt->files_buf[i] == sep;
        names++;
    }
    opt->paths = calloc(from_args + names + 1, sizeof *opt->paths);
    if (opt->paths == NULL)
        return usage(d, "out of memory");
    for (int i = optind; i < argc; i++)
        opt->paths[opt->npaths++] = argv[i];
    char *p = opt->files_buf, *end = p + len;
    while (p != NULL && p < end) {
        char *sep = memchr(p, opt->files_from_nul ? '\0' : '\n', (size_t)(end - p));
        char *stop = sep != NULL ? sep : end;
        *stop = '\0';
        if (!opt->files_from_nul && stop > p && stop[-1] == '\r')
            stop[-1] = '\0'; /* a list written on Windows */
        if (p[0] != '\0')
            opt->paths[opt->npaths++] = p;
        p = stop + 1;
    }
    if (opt->npaths == 0)
        return usage(d, opt->files_from != NULL
                            ? "missing PATH: no names given and --files-from listed none"
                            : "missing PATH: name the CSV files or directories to process");
    return CSVB_CLI_OK;
}

static void options_defaults(struct csvb_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->fsync = true;
    opt->fast_path = true;
    opt->suffix = CSVB_DEFAULT_SUFFIX;
    opt->stamp_column = CSVB_DEFAULT_STAMP_COLUMN;
    opt->max_field_size = CSVB_DEFAULT_MAX_FIELD;
    opt->chunk_size = CSVB_DEFAULT_CHUNK;
    opt->delimiter = ',';
    opt->out_delimiter = '\0';
    opt->format = CSVB_FORMAT_TABLE;
}

enum csvb_cli_result csvb_cli_parse(int argc, char **argv, struct csvb_options *opt,
                                    struct csvb_diag *d)
{
    options_defaults(opt);
    bool stamp_given = false;
    optind = 0; /* GNU: full re-initialisation */
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":j:ro:nqd:hV0", long_options, NULL)) != -1) {
        if (c == '?') {
            if (optopt != 0)
                return usage(d, "unknown option '-%c'", optopt);
            return usage(d, "unknown option '%s'", argv[optind - 1]);
        }
        if (c == ':')
            return usage(d, "option '%s' needs a value", argv[optind - 1]);
        enum csvb_cli_result r = one_option(opt, c, optarg, d, &stamp_given);
        if (r != CSVB_CLI_OK)
            return r;
    }
    if (opt->all_rows && opt->nwhere > 0)
        return usage(d, "--all-rows and --where exclude each other");
    if (opt->no_stamp && stamp_given)
        return usage(d, "--no-stamp excludes --timestamp and --stamp-column");
    if (!opt->all_rows && opt->nwhere == 0 && add_where(opt, "Status=Active", d) != CSVB_CLI_OK)
        return CSVB_CLI_USAGE;
    if (opt->rejects && !opt->skip_bad_rows)
        return usage(d, "--rejects needs --on-bad-row skip");
    if (opt->files_from_nul && opt->files_from == NULL)
        return usage(d, "-0/--null needs --files-from");
    if (opt->out_delimiter == '\0')
        opt->out_delimiter = opt->delimiter;
    return collect_paths(opt, argc, argv, d);
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
}
