/* cli_table.c — the option table (options, their checks and their --help lines, in --help order),
 * the hooks of the options no generic kind covers, and the rules between options. The table
 * is long by nature (it is the whole --help text): it stays in one piece, on purpose, over the
 * 400-line budget. */
#include <string.h>

#include "csvbatch/charset.h"
#include "csvbatch/cli.h"
#include "csvbatch/shard.h"
#include "csvbatch/transcode.h"

/* --where COL=VALUE or COL!=VALUE, repeatable; --select LIST, the last one wins. */
static enum csvb_cli_result add_where(struct csvb_options *opt, const char *arg,
                                      struct csvb_diag *d)
{
    return csvb_options_add_where(opt, arg, d) == CSVB_OK ? CSVB_CLI_OK : CSVB_CLI_USAGE;
}

static enum csvb_cli_result set_select(struct csvb_options *opt, const char *arg,
                                       struct csvb_diag *d)
{
    return csvb_options_set_select(opt, arg, d) == CSVB_OK ? CSVB_CLI_OK : CSVB_CLI_USAGE;
}

/* --encoding: auto, or any name iconv can convert from (it is asked, once, here). */
static enum csvb_cli_result set_encoding(struct csvb_options *opt, const char *arg,
                                         struct csvb_diag *d)
{
    if (strcmp(arg, "auto") != 0 &&
        (strlen(arg) >= CSVB_TRANSCODE_NAME_MAX || !csvb_charset_known(arg))) {
        csvb_diag_set(d, CSVB_E_USAGE, 0,
                      "--encoding: iconv does not know '%s' (iconv -l lists the names it knows; "
                      "or auto)",
                      arg);
        return CSVB_CLI_USAGE;
    }
    opt->encoding = arg;
    return CSVB_CLI_OK;
}

/* --escape, --comment: one of names (auto, none, ...; auto is -1 in both) or one character that
 * is not a quote or a line break, into *out as options.h says. */
_Static_assert(CSVB_ESCAPE_AUTO == -1 && CSVB_COMMENT_AUTO == -1, "auto is csvb_names_value's -1");
static enum csvb_cli_result set_char(const char *option, const struct csvb_names *names,
                                     const char *arg, int *out, struct csvb_diag *d)
{
    int value = csvb_names_value(names, arg, false); /* -1: auto, or no name */
    if (value != -1 || strcmp(arg, "auto") == 0) {
        *out = value;
    } else if (strlen(arg) == 1 && arg[0] != '"' && arg[0] != '\r' && arg[0] != '\n') {
        *out = (unsigned char)arg[0];
    } else {
        char list[64];
        csvb_diag_set(d, CSVB_E_USAGE, 0,
                      "--%s: expected %s, or one character other than a quote or a line break, "
                      "found '%s'",
                      option, csvb_names_join(names, list, sizeof list), arg);
        return CSVB_CLI_USAGE;
    }
    return CSVB_CLI_OK;
}

static enum csvb_cli_result set_escape(struct csvb_options *opt, const char *arg,
                                       struct csvb_diag *d)
{
    return set_char("escape", &csvb_escape_names, arg, &opt->escape, d);
}

static enum csvb_cli_result set_comment(struct csvb_options *opt, const char *arg,
                                        struct csvb_diag *d)
{
    return set_char("comment", &csvb_comment_names, arg, &opt->comment, d);
}

/* --include GLOB, --exclude GLOB: repeatable, each adds one. */
static enum csvb_cli_result add_include(struct csvb_options *opt, const char *arg,
                                        struct csvb_diag *d)
{
    return csvb_options_add_glob(&opt->include, &opt->ninclude, arg, d) == CSVB_OK ? CSVB_CLI_OK
                                                                                   : CSVB_CLI_USAGE;
}

static enum csvb_cli_result add_exclude(struct csvb_options *opt, const char *arg,
                                        struct csvb_diag *d)
{
    return csvb_options_add_glob(&opt->exclude, &opt->nexclude, arg, d) == CSVB_OK ? CSVB_CLI_OK
                                                                                   : CSVB_CLI_USAGE;
}

/* --fail-fast is --max-failures 1, said so in the messages. */
static enum csvb_cli_result fail_fast_limit(struct csvb_options *opt, const char *arg,
                                            struct csvb_diag *d)
{
    (void)arg, (void)d;
    opt->max_failures = 1;
    return CSVB_CLI_OK;
}

static enum csvb_cli_result not_fail_fast(struct csvb_options *opt, const char *arg,
                                          struct csvb_diag *d)
{
    (void)arg, (void)d;
    opt->fail_fast = false;
    return CSVB_CLI_OK;
}

/* --shard K/N or auto (shard.h parses K/N, so the rule lives in one place). */
static enum csvb_cli_result set_shard(struct csvb_options *opt, const char *arg,
                                      struct csvb_diag *d)
{
    opt->shard_auto = strcmp(arg, "auto") == 0;
    if (opt->shard_auto) {
        opt->shard_index = opt->shard_count = 0;
        return CSVB_CLI_OK;
    }
    return csvb_shard_parse(arg, &opt->shard_index, &opt->shard_count, d) == CSVB_OK
               ? CSVB_CLI_OK
               : CSVB_CLI_USAGE;
}

/* --on-bad-row: the choice as the two bools the plan reads. */
static enum csvb_cli_result set_bad_row(struct csvb_options *opt, const char *arg,
                                        struct csvb_diag *d)
{
    (void)arg, (void)d;
    opt->skip_bad_rows = opt->on_bad_row == CSVB_BAD_ROW_SKIP;
    opt->pad_bad_rows = opt->on_bad_row == CSVB_BAD_ROW_PAD;
    return CSVB_CLI_OK;
}

static enum csvb_cli_result ask_help(struct csvb_options *opt, const char *arg, struct csvb_diag *d)
{
    (void)opt, (void)arg, (void)d;
    return CSVB_CLI_HELP;
}

static enum csvb_cli_result ask_version(struct csvb_options *opt, const char *arg,
                                        struct csvb_diag *d)
{
    (void)opt, (void)arg, (void)d;
    return CSVB_CLI_VERSION;
}

static enum csvb_cli_result ask_completion(struct csvb_options *opt, const char *arg,
                                           struct csvb_diag *d)
{
    (void)opt, (void)arg, (void)d;
    return CSVB_CLI_COMPLETION;
}

/* The target field of a row: its offset and size in struct csvb_options. */
#define FIELD(f)                                                                                   \
    .offset = offsetof(struct csvb_options, f), .size = sizeof(((struct csvb_options *)0)->f)
#define TEXT(t)                                                                                    \
    {                                                                                              \
        .kind = CSVB_OPT_TEXT, .help = (t)                                                         \
    }
#define REQ .arg = CSVB_ARG_REQUIRED

static const struct csvb_cli_option table[] = {
    TEXT("Usage: csvbatch [OPTION]... PATH...\n"
         "  or:  csvbatch [OPTION]... --plan FILE\n"
         "  or:  csvbatch merge-reports [--format FMT] [--report FILE] REPORT...\n"
         "Filter and project every CSV file in PATHs (files or directories), in parallel.\n"
         "\n"
         "By default each input X.csv gets X_processed.csv beside it, holding the\n"
         "columns Name and ID of the rows whose Status is Active (ASCII case-insensitive),\n"
         "plus a ProcessedDate column with one UTC time stamp for the whole run. Outputs\n"
         "are written atomically. A directory yields its *.csv and *.tsv files (any case,\n"
         "also compressed), sorted, never hidden files or csvbatch's own outputs. Each\n"
         "file's delimiter is detected (-d auto); x.tsv gives x_processed.tsv.\n"
         "\n"
         "Input:\n"),
    {.kind = CSVB_OPT_FLAG,
     .short_name = 'r',
     .long_name = "recursive",
     FIELD(recursive),
     .value = 1,
     .help = "descend into subdirectories"},
    {.kind = CSVB_OPT_FLAG,
     .short_name = 'L',
     .long_name = "follow",
     FIELD(follow),
     .value = 1,
     .help = "with -r, follow symbolic links to directories"},
    {.kind = CSVB_OPT_CUSTOM,
     .long_name = "include",
     REQ,
     .handler = add_include,
     .arg_name = "GLOB",
     .flags = CSVB_OPTF_REPEAT,
     .help = "directories yield the files whose name matches GLOB\n"
             "(repeatable; replaces the default *.csv and *.tsv)"},
    {.kind = CSVB_OPT_CUSTOM,
     .long_name = "exclude",
     REQ,
     .handler = add_exclude,
     .arg_name = "GLOB",
     .flags = CSVB_OPTF_REPEAT,
     .help = "leave out what matches GLOB, as a path relative to the\n"
             "directory argument (repeatable; a directory: all below)"},
    {.kind = CSVB_OPT_STRING,
     .long_name = "files-from",
     REQ,
     FIELD(files_from),
     .arg_name = "FILE",
     .complete = CSVB_COMPLETE_FILE,
     .help = "also read PATHs from FILE, one per line ('-': stdin)"},
    {.kind = CSVB_OPT_FLAG,
     .short_name = '0',
     .long_name = "null",
     FIELD(files_from_nul),
     .value = 1,
     .help = "--files-from names are NUL-separated (find -print0)"},
    {.kind = CSVB_OPT_CHAR,
     .short_name = 'd',
     .long_name = "delimiter",
     REQ,
     FIELD(delimiter),
     .arg_name = "CHAR",
     .flags = CSVB_OPTF_AUTO,
     .help = "field delimiter for input and output: auto (default:\n"
             "each file's own: , tab ; or |), or one character ('tab')"},
    {.kind = CSVB_OPT_CUSTOM,
     .long_name = "encoding",
     REQ,
     .handler = set_encoding,
     .names = &csvb_encoding_names,
     .arg_name = "ENC",
     .help = "input encoding: utf-8 (default), auto (UTF-8 if it is,\n"
             "else detected), or any name iconv knows (windows-1252,\n"
             "macintosh, shift_jis...); a byte-order mark wins"},
    {.kind = CSVB_OPT_ENUM,
     .long_name = "quotes",
     REQ,
     FIELD(quotes),
     .names = &csvb_quotes_names,
     .arg_name = "MODE",
     .help = "strict (default: as Python's csv module, strict=True)\n"
             "or lenient (strict=False: text after a closing quote\n"
             "continues the field)"},
    {.kind = CSVB_OPT_CUSTOM,
     .long_name = "escape",
     REQ,
     .handler = set_escape,
     .names = &csvb_escape_names,
     .arg_name = "CHAR",
     .help = "escape character: auto (default: a backslash where a\n"
             "file writes \\\" and reads only so), none, backslash\n"
             "or one character; it makes the next character text"},
    {.kind = CSVB_OPT_CUSTOM,
     .long_name = "comment",
     REQ,
     .flags = CSVB_OPTF_EXACT, /* --co, --com still mean --compat */
     .handler = set_comment,
     .names = &csvb_comment_names,
     .arg_name = "CHAR",
     .help = "comment lines start with CHAR and are skipped: auto\n"
             "(default: '#' where a file's sample has such lines that\n"
             "do not fit its records, and reads only without them),\n"
             "none, or one character"},
    {.kind = CSVB_OPT_COUNT,
     .long_name = "skip-lines",
     REQ,
     FIELD(skip_lines),
     .max = 1000000,
     .flags = CSVB_OPTF_AUTO,
     .arg_name = "N",
     .expect = "auto or a number of lines from 0 to 1000000",
     .help = "drop each file's first N lines (a preamble: titles,\n"
             "comments) unread; the header is the line after them;\n"
             "auto (default): the preamble the sniffer finds in a file\n"
             "whose first line does not fit its records (0: none)"},
    {.kind = CSVB_OPT_ENUM,
     .long_name = "compress",
     REQ,
     FIELD(compress),
     .flags = CSVB_OPTF_EXACT, /* --co, --comp still mean --compat */
     .names = &csvb_compress_names,
     .arg_name = "HOW",
     .help = "outputs: auto (default: as the input, x.csv.gz gives\n"
             "x_processed.csv.gz), none, gzip or zstd"},
    {.kind = CSVB_OPT_COUNT,
     .long_name = "compress-level",
     REQ,
     FIELD(compress_level),
     .flags = CSVB_OPTF_EXACT,
     .min = 1,
     .max = 19,
     .arg_name = "N",
     .expect = "a whole number from 1 to 19",
     .help = "compression level (gzip, bzip2, xz up to 9; zstd up to 19)"},
    {.kind = CSVB_OPT_SIZE,
     .long_name = "max-field-size",
     REQ,
     FIELD(max_field_size),
     .min = 1,
     .arg_name = "N",
     .expect = "a size in bytes (K, M, G suffixes)",
     .help = "largest field or record accepted, in bytes; K, M, G\n"
             "suffixes (default 64M)"},
    {.kind = CSVB_OPT_ENUM,
     .long_name = "on-bad-row",
     REQ,
     FIELD(on_bad_row),
     .names = &csvb_bad_row_names,
     .handler = set_bad_row,
     .arg_name = "POLICY",
     .help = "a record with the wrong number of fields: fail (default)\n"
             "fails the file; skip drops and counts it (RowsRejected);\n"
             "pad fills a short one with empty fields (a long one fails)"},
    {.kind = CSVB_OPT_FLAG,
     .long_name = "rejects",
     FIELD(rejects),
     .value = 1,
     .help = "with skip: write dropped records to <stem>_rejects.csv\n"
             "beside the output (Line,Reason,Record)"},
    {.kind = CSVB_OPT_ENUM,
     .long_name = "compat",
     REQ,
     FIELD(compat),
     .names = &csvb_compat_names,
     .arg_name = "powershell",
     .help = "read and write as Import-Csv/Export-Csv would"},
    TEXT("Rows:\n"),
    {.kind = CSVB_OPT_CUSTOM,
     .long_name = "where",
     REQ,
     .handler = add_where,
     .arg_name = "COL=VALUE",
     .flags = CSVB_OPTF_REPEAT,
     .help = "keep rows whose COL equals VALUE; COL!=VALUE keeps rows\n"
             "where it differs; repeatable, all must hold (replaces the\n"
             "default Status=Active)"},
    {.kind = CSVB_OPT_FLAG,
     .long_name = "all-rows",
     FIELD(all_rows),
     .value = 1,
     .help = "keep every row"},
    {.kind = CSVB_OPT_FLAG,
     .long_name = "case-sensitive",
     FIELD(case_sensitive),
     .value = 1,
     .help = "compare values exactly (default: ASCII case-insensitive)"},
    TEXT("Columns:\n"),
    {.kind = CSVB_OPT_CUSTOM,
     .long_name = "select",
     REQ,
     .handler = set_select,
     .arg_name = "LIST",
     .help = "output columns, comma-separated, in this order (default\n"
             "Name,ID); '*' = every input column in input order"},
    {.kind = CSVB_OPT_STRING,
     .long_name = "stamp-column",
     REQ,
     FIELD(stamp_column),
     .arg_name = "NAME",
     .flags = CSVB_OPTF_NONEMPTY,
     .expect = "a column name",
     .help = "name of the time stamp column (default ProcessedDate)"},
    {.kind = CSVB_OPT_FLAG,
     .long_name = "no-stamp",
     FIELD(no_stamp),
     .value = 1,
     .help = "no time stamp column"},
    {.kind = CSVB_OPT_STRING,
     .long_name = "timestamp",
     REQ,
     FIELD(timestamp),
     .arg_name = "VALUE",
     .help = "write VALUE as the stamp (default: now, or\n"
             "SOURCE_DATE_EPOCH if set, as YYYY-MM-DDTHH:MM:SSZ)"},
    TEXT("Output:\n"),
    {.kind = CSVB_OPT_STRING,
     .short_name = 'o',
     .long_name = "output-dir",
     REQ,
     FIELD(output_dir),
     .arg_name = "DIR",
     .flags = CSVB_OPTF_NONEMPTY,
     .expect = "a directory",
     .complete = CSVB_COMPLETE_DIR,
     .help = "write outputs under DIR, mirroring each file's path\n"
             "below the directory argument it came from"},
    {.kind = CSVB_OPT_STRING,
     .long_name = "suffix",
     REQ,
     FIELD(suffix),
     .arg_name = "S",
     .flags = CSVB_OPTF_NONEMPTY | CSVB_OPTF_NO_SLASH,
     .expect = "a non-empty name part without '/'",
     .help = "output name suffix before .csv (default _processed)"},
    {.kind = CSVB_OPT_CHAR,
     .long_name = "output-delimiter",
     REQ,
     FIELD(out_delimiter),
     .arg_name = "C",
     .help = "delimiter of the outputs only (default: --delimiter)"},
    {.kind = CSVB_OPT_FLAG,
     .long_name = "no-fsync",
     FIELD(fsync),
     .value = 0,
     .help = "do not fsync outputs (faster, less durable)"},
    TEXT("Run:\n"),
    {.kind = CSVB_OPT_COUNT,
     .short_name = 'j',
     .long_name = "jobs",
     REQ,
     FIELD(jobs),
     .min = 1,
     .max = 1024,
     .arg_name = "N",
     .expect = "a whole number from 1 to 1024",
     .help = "files processed in parallel (default: OMP_NUM_THREADS,\n"
             "else the number of online CPUs)"},
    {.kind = CSVB_OPT_FLAG,
     .short_name = 'n',
     .long_name = "dry-run",
     FIELD(dry_run),
     .value = 1,
     .help = "parse, validate and count, but write nothing"},
    {.kind = CSVB_OPT_FLAG,
     .long_name = "incremental",
     FIELD(incremental),
     .value = 1,
     .help = "redo only files whose input, options or outputs changed\n"
             "since the last run (manifest .csvbatch-manifest.json)"},
    {.kind = CSVB_OPT_FLAG,
     .long_name = "verify",
     FIELD(verify),
     .value = 1,
     .help = "--incremental, also comparing content hashes"},
    {.kind = CSVB_OPT_FLAG,
     .long_name = "force",
     FIELD(force),
     .flags = CSVB_OPTF_EXACT, /* --fo, --for still mean --format */
     .value = 1,
     .help = "--incremental, but redo everything (new manifest)"},
    {.kind = CSVB_OPT_FLAG,
     .long_name = "prune",
     FIELD(prune),
     .value = 1,
     .help = "--incremental, removing outputs of inputs that are gone"},
    {.kind = CSVB_OPT_FLAG,
     .long_name = "no-wait",
     FIELD(no_wait),
     .value = 1,
     .help = "--incremental, failing (exit 2) instead of waiting when\n"
             "another run holds the output directory"},
    {.kind = CSVB_OPT_COUNT,
     .long_name = "preview",
     REQ,
     FIELD(preview),
     .min = 1,
     .max = 10000,
     .arg_name = "N",
     .expect = "a number of rows from 1 to 10000",
     .help = "after the summary, show each file's first N output rows"},
    {.kind = CSVB_OPT_SECONDS,
     .long_name = "timeout",
     REQ,
     FIELD(timeout),
     .arg_name = "SECONDS",
     .expect = "a positive number of seconds",
     .help = "fail a file still running after SECONDS"},
    {.kind = CSVB_OPT_SECONDS,
     .long_name = "deadline",
     REQ,
     FIELD(deadline),
     .arg_name = "SECONDS",
     .expect = "a positive number of seconds",
     .help = "start no file after SECONDS (the rest: Skipped)"},
    {.kind = CSVB_OPT_FLAG,
     .long_name = "fail-fast",
     FIELD(fail_fast),
     .value = 1,
     .handler = fail_fast_limit,
     .help = "start no file after one has failed"},
    {.kind = CSVB_OPT_COUNT,
     .long_name = "max-failures",
     REQ,
     FIELD(max_failures),
     .min = 1,
     .max = 1000000000,
     .handler = not_fail_fast,
     .arg_name = "N",
     .expect = "a whole number of at least 1",
     .help = "start no file after N have failed"},
    {.kind = CSVB_OPT_CUSTOM,
     .long_name = "shard",
     REQ,
     .handler = set_shard,
     .arg_name = "K/N|auto",
     .help = "process share K of N of the files, balanced by bytes;\n"
             "auto: from a Slurm array, JOB_COMPLETION_INDEX, Open MPI\n"
             "or PMI"},
    {.kind = CSVB_OPT_COUNT,
     .long_name = "shards",
     REQ,
     FIELD(shards),
     .min = 1,
     .max = 1000000,
     .arg_name = "N",
     .expect = "a whole number from 1 to 1000000",
     .help = "with --shard auto: the count for JOB_COMPLETION_INDEX\n"
             "(default: CSVBATCH_SHARDS)"},
    {.kind = CSVB_OPT_STRING,
     .long_name = "plan-out",
     REQ,
     FIELD(plan_out),
     .arg_name = "FILE",
     .flags = CSVB_OPTF_NONEMPTY,
     .expect = "a file name",
     .complete = CSVB_COMPLETE_FILE,
     .help = "write the job list and an options digest to FILE (JSON,\n"
             "atomically) and process nothing"},
    {.kind = CSVB_OPT_STRING,
     .long_name = "plan",
     REQ,
     FIELD(plan_in),
     .arg_name = "FILE",
     .flags = CSVB_OPTF_NONEMPTY,
     .expect = "a file name",
     .complete = CSVB_COMPLETE_FILE,
     .help = "run the job list of a --plan-out FILE (no PATH); a file\n"
             "changed since fails"},
    {.kind = CSVB_OPT_FLAG,
     .short_name = 'q',
     .long_name = "quiet",
     FIELD(quiet),
     .value = 1,
     .help = "no summary on stdout (and no progress)"},
    {.kind = CSVB_OPT_ENUM,
     .long_name = "format",
     REQ,
     FIELD(format),
     .names = &csvb_format_names,
     .arg_name = "FMT",
     .help = "summary format: table (default), csv or json"},
    {.kind = CSVB_OPT_STRING,
     .long_name = "report",
     REQ,
     FIELD(report),
     .arg_name = "FILE",
     .flags = CSVB_OPTF_NONEMPTY,
     .expect = "a file name",
     .complete = CSVB_COMPLETE_FILE,
     .help = "also write the JSON run report to FILE (atomically)"},
    {.kind = CSVB_OPT_STRING,
     .long_name = "junit",
     REQ,
     FIELD(junit),
     .arg_name = "FILE",
     .flags = CSVB_OPTF_NONEMPTY | CSVB_OPTF_EXACT,
     .expect = "a file name",
     .complete = CSVB_COMPLETE_FILE,
     .help = "also write a JUnit XML report to FILE (atomically)"},
    {.kind = CSVB_OPT_ENUM,
     .long_name = "color",
     REQ,
     FIELD(color),
     .names = &csvb_color_names,
     .arg_name = "WHEN",
     .flags = CSVB_OPTF_EXACT,
     .help = "colour statuses and diagnostics: auto (default: on a\n"
             "terminal, unless NO_COLOR; CLICOLOR_FORCE), always, never"},
    {.kind = CSVB_OPT_ENUM,
     .long_name = "annotations",
     REQ,
     FIELD(annotations),
     .names = &csvb_annotations_names,
     .arg_name = "KIND",
     .help = "GitHub workflow commands for errors on stderr: auto\n"
             "(default: when GITHUB_ACTIONS=true), github, none"},
    {.kind = CSVB_OPT_FLAG,
     .long_name = "progress",
     FIELD(progress),
     .value = CSVB_PROGRESS_ON,
     .help = "show progress on stderr even when it is not a terminal"},
    {.kind = CSVB_OPT_FLAG,
     .long_name = "no-progress",
     FIELD(progress),
     .value = CSVB_PROGRESS_OFF,
     .help = "never show progress (default: when stderr is a terminal)"},
    {.kind = CSVB_OPT_SIZE,
     .long_name = "chunk-size",
     REQ,
     FIELD(chunk_size),
     .min = 4096,
     .flags = CSVB_OPTF_ZERO_OK,
     .arg_name = "N",
     .expect = "0 or a size of at least 4096 bytes (K, M, G suffixes)",
     .help = "split a file larger than 2N into about size/N chunks parsed\n"
             "in parallel when threads are idle (default 32M; 0: never)"},
    {.kind = CSVB_OPT_FLAG,
     .long_name = "no-fast-path",
     FIELD(fast_path),
     .value = 0,
     .help = "parse every line with libcsv (for diagnosis)"},
    {.kind = CSVB_OPT_CUSTOM,
     .short_name = 'h',
     .long_name = "help",
     .handler = ask_help,
     .help = "show this help and exit"},
    {.kind = CSVB_OPT_CUSTOM,
     .short_name = 'V',
     .long_name = "version",
     .handler = ask_version,
     .help = "show the version and exit"},
    /* Hidden: a script's business, documented in the man page's SHELL COMPLETION. */
    {.kind = CSVB_OPT_ENUM,
     .long_name = "completion",
     REQ,
     FIELD(completion),
     .names = &csvb_shell_names,
     .handler = ask_completion,
     .arg_name = "SHELL",
     .flags = CSVB_OPTF_HIDDEN,
     .help = "print the completion script for SHELL and exit"},
    TEXT("\n"
         "Exit status:\n"
         "  0    every file succeeded (entries skipped with a notice do not fail a run)\n"
         "  1    a file failed (the others were completed), a file was not started\n"
         "       (--deadline, --fail-fast, --max-failures), or the summary or a report\n"
         "       could not be written (a closed stdout pipe)\n"
         "  2    usage or configuration error (nothing was processed)\n"
         "  130  interrupted by SIGINT (143: SIGTERM, 129: SIGHUP); finished outputs stay,\n"
         "       no temp files\n"),
};

const struct csvb_cli_option *csvb_cli_table(size_t *n)
{
    *n = sizeof table / sizeof table[0];
    return table;
}

/* Whether the option called name was given. */
static bool given(const bool *seen, const char *name)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].long_name != NULL && strcmp(table[i].long_name, name) == 0)
            return seen[i];
    return false;
}

enum csvb_cli_result csvb_cli_resolve(struct csvb_options *opt, const bool *seen,
                                      struct csvb_diag *d)
{
    const char *why = NULL;
    if (opt->all_rows && opt->nwhere > 0)
        why = "--all-rows and --where exclude each other";
    else if (opt->no_stamp && (given(seen, "timestamp") || given(seen, "stamp-column")))
        why = "--no-stamp excludes --timestamp and --stamp-column";
    if (why != NULL) {
        csvb_diag_set(d, CSVB_E_USAGE, 0, "%s", why);
        return CSVB_CLI_USAGE;
    }
    if (!opt->all_rows && opt->nwhere == 0 &&
        csvb_options_add_where(opt, "Status=Active", d) != CSVB_OK)
        return CSVB_CLI_USAGE;
    if (opt->rejects && !opt->skip_bad_rows)
        why = "--rejects needs --on-bad-row skip";
    else if (opt->files_from_nul && opt->files_from == NULL)
        why = "-0/--null needs --files-from";
    else if (opt->quotes == CSVB_QUOTES_LENIENT && opt->compat == CSVB_COMPAT_POWERSHELL)
        why = "--quotes lenient and --compat powershell each say how quotes are read: give one";
    else if (opt->escape > 0 && opt->compat == CSVB_COMPAT_POWERSHELL)
        why = "--escape and --compat powershell each say how quotes are read: give one "
              "(Import-Csv knows no escape character)";
    else if (opt->escape > 0 && opt->escape == (unsigned char)opt->delimiter)
        why = "--escape and --delimiter name the same character";
    else if (opt->comment > 0 && opt->compat == CSVB_COMPAT_POWERSHELL)
        why = "--comment and --compat powershell: Import-Csv reads every line (give one)";
    else if (opt->comment > 0 &&
             (opt->comment == (unsigned char)opt->delimiter || opt->comment == opt->escape))
        why = "--comment and --delimiter or --escape name the same character";

    if (why != NULL) {
        csvb_diag_set(d, CSVB_E_USAGE, 0, "%s", why);
        return CSVB_CLI_USAGE;
    }
    if (opt->verify || opt->force || opt->prune || opt->no_wait)
        opt->incremental = true; /* each is a way of running incrementally */
    if (csvb_shard_check_options(opt, given(seen, "shard"), d) != CSVB_OK)
        return CSVB_CLI_USAGE;
    /* Import-Csv reads commas unless told otherwise: so does its compatibility mode */
    if (opt->compat == CSVB_COMPAT_POWERSHELL && !given(seen, "delimiter"))
        opt->delimiter = ',';
    if (opt->out_delimiter == '\0')
        opt->out_delimiter = opt->delimiter;
    return CSVB_CLI_OK;
}
