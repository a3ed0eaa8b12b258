/* hints.c — asks the lenient parser and the encoding detector whether they would read a file
 * that failed, and words the answer as a hint. */
#include "csvbatch/hints.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/input.h"
#include "csvbatch/sniff.h"
#include "csvbatch/stage.h"
#include "csvbatch/transcode.h"

/* Drops the reader's generic advice from the end of d's message: the hint says better. */
static void drop_advice(struct csvb_diag *d, const char *advice)
{
    size_t n = strlen(d->message), a = strlen(advice);
    if (n >= a && strcmp(d->message + n - a, advice) == 0)
        d->message[n - a] = '\0';
}

/* How job reads with --quotes lenient under plan's stage rules (a dry run). */
enum lenient_reading {
    LENIENT_FAILS,
    LENIENT_READS,
    LENIENT_READS_PADDED, /* only with --on-bad-row pad too: short records follow */
};

/* How a dry read differs from the failed run: false and -1 read as the run did. */
struct dry_how {
    bool lenient; /* --quotes lenient */
    bool pad;     /* --on-bad-row pad */
    int escape;   /* --escape CHAR */
    int comment;  /* --comment CHAR */
};

/* One dry read of job as the failed run read it (plan's rules, the dialect its input sniffs),
 * changed as how says. False, reading nothing, when how's escape or comment character is the one
 * the run read with (it failed so). *short_only: the read failed on a record narrower than the
 * header (pad would fill it). */
static bool dry_read(const struct csvb_plan *plan, const struct csvb_job *job, double deadline,
                     struct dry_how how, bool *short_only)
{
    struct csvb_diag d;
    csvb_diag_init(&d);
    struct csvb_input in;
    *short_only = false;
    if (csvb_input_open(&in, plan, job, CSVB_INPUT_CHECKED, deadline, &d) != CSVB_OK)
        return false;
    if ((how.escape >= 0 && (char)how.escape == in.escape) ||
        (how.comment >= 0 && (char)how.comment == in.comment)) {
        csvb_input_close(&in);
        return false;
    }
    struct csvb_reader_config cfg;
    struct csvb_stage_config sc;
    csvb_plan_dialect(plan, in.delimiter, &cfg, &sc); /* as the failed run read it (-d auto) */
    cfg.skip_lines = in.skip_lines;
    cfg.escape = how.escape >= 0 ? (char)how.escape : in.escape;
    cfg.comment = how.comment >= 0 ? (char)how.comment : in.comment;
    sc.dry_run = true;
    sc.preview_rows = 0;
    sc.pad_short_rows = sc.pad_short_rows || how.pad;
    struct csvb_stage s;
    csvb_stage_init(&s, &sc, job->output_path, NULL, true);
    cfg.quotes_lenient = cfg.quotes_lenient || how.lenient;
    cfg.deadline = deadline;
    cfg.bytes_counter = NULL; /* the progress line counted the file once */
    cfg.stop_after = 0;
    bool ok =
        csvb_reader_run(&cfg, in.src, (struct csvb_sink){csvb_stage_row, &s}, NULL, &d) == CSVB_OK;
    *short_only = !ok && s.width_failed && s.width_short;
    csvb_input_close(&in);
    csvb_stage_fini(&s);
    return ok;
}

/* Whether --quotes lenient reads job, alone or with --on-bad-row pad (when that is not in force
 * already and the lenient read failed on a short record only). */
static enum lenient_reading lenient_reads(const struct csvb_plan *plan, const struct csvb_job *job,
                                          double deadline)
{
    bool short_only;
    struct dry_how how = {true, false, -1, -1};
    if (dry_read(plan, job, deadline, how, &short_only))
        return LENIENT_READS;
    if (!short_only || plan->stage.pad_short_rows || plan->stage.skip_bad_rows)
        return LENIENT_FAILS;
    how.pad = true;
    return dry_read(plan, job, deadline, how, &short_only) ? LENIENT_READS_PADDED : LENIENT_FAILS;
}

/* Reads up to cap bytes of job's content (decompressed) from offset `from` into buf. Returns
 * the count, -1 on error; *at_end: the content ended within them. */
static long read_sample(const struct csvb_plan *plan, const struct csvb_job *job, uint64_t from,
                        char *buf, size_t cap, bool *at_end, double deadline)
{
    struct csvb_diag d;
    csvb_diag_init(&d);
    struct csvb_input in;
    if (csvb_input_open(&in, plan, job, CSVB_INPUT_CHECKED, deadline, &d) != CSVB_OK)
        return -1;
    uint64_t skipped = 0;
    size_t n = 0;
    long got = 1;
    while (got > 0 && n < cap) {
        size_t want = cap - n;
        if (skipped < from && from - skipped < want)
            want = (size_t)(from - skipped);
        got = in.src.fill(in.src.ctx, buf + n, want);
        if (got > 0 && skipped < from)
            skipped += (uint64_t)got; /* not kept: before the sample */
        else if (got > 0)
            n += (size_t)got;
    }
    *at_end = got == 0;
    csvb_input_close(&in);
    return got < 0 ? -1 : (long)n;
}

/* The hint for invalid UTF-8 at stats->failure_offset, into d when the detector is sure. */
static void encoding_hint(const struct csvb_plan *plan, const struct csvb_job *job,
                          const struct csvb_reader_stats *stats, double deadline,
                          struct csvb_diag *d)
{
    size_t cap = CSVB_TRANSCODE_SAMPLE;
    char *buf = malloc(cap); /* off the worker's stack */
    if (buf == NULL)
        return;
    uint64_t from = stats->failure_offset > CSVB_TRANSCODE_SAMPLE / 2
                        ? stats->failure_offset - CSVB_TRANSCODE_SAMPLE / 2
                        : 0;
    bool at_end;
    long n = read_sample(plan, job, from, buf, cap, &at_end, deadline);
    if (n <= 0)
        goto out;
    size_t start = 0;
    if (from > 0) { /* begin at a line start: a multi-byte encoding is cut anywhere else */
        const char *nl = memchr(buf, '\n', (size_t)n);
        start = nl != NULL ? (size_t)(nl - buf) + 1 : 0;
    }
    char name[CSVB_TRANSCODE_NAME_MAX], first[CSVB_TRANSCODE_NAME_MAX], why[200];
    if (csvb_transcode_guess(buf + start, (size_t)n - start, at_end, name, sizeof name, why,
                             sizeof why) != CSVB_GUESS_FOUND)
        goto out;
    /* Would --encoding auto choose it? It looks at the first bytes only (and when it was the
     * option in force, it kept UTF-8 for them). */
    bool auto_too = false, was_auto = strcmp(plan->encoding, "auto") == 0;
    if (!was_auto && from == 0 && (n == (long)cap || at_end)) {
        auto_too = true;
    } else if (!was_auto && (n = read_sample(plan, job, 0, buf, cap, &at_end, deadline)) > 0) {
        auto_too = csvb_transcode_guess(buf, (size_t)n, at_end, first, sizeof first, why,
                                        sizeof why) == CSVB_GUESS_FOUND &&
                   strcmp(first, name) == 0;
    }
    drop_advice(d, CSVB_READER_UTF8_ADVICE);
    csvb_diag_hint(d, "this looks like %s: --encoding %s%s", name, name,
                   auto_too ? ", or --encoding auto" : "");
out:
    free(buf);
}

void csvb_hints_explain(const struct csvb_plan *plan, const struct csvb_job *job,
                        const struct csvb_reader_stats *stats, double deadline, struct csvb_diag *d)
{
    if (d->code != CSVB_E_PARSE || plan->reader.lenient)
        return;
    switch (stats->failure) {
    case CSVB_READER_FAIL_NONE:
        return;
    case CSVB_READER_FAIL_ENCODING: /* UTF-8 was in force: by default, or auto chose it */
        if (plan->encoding[0] == '\0' || strcmp(plan->encoding, "auto") == 0)
            encoding_hint(plan, job, stats, deadline, d);
        return;
    case CSVB_READER_FAIL_AFTER_QUOTE:
    case CSVB_READER_FAIL_UNTERMINATED:
        break;
    }
    /* \" read as an escaped quote: the reading that fits such a file (before the lenient one,
     * which would keep the backslashes and split fields at the wrong quotes) */
    bool short_only;
    if (dry_read(plan, job, deadline, (struct dry_how){false, false, CSVB_SNIFF_ESCAPE, -1},
                 &short_only)) {
        drop_advice(d, CSVB_READER_QUOTE_ADVICE);
        csvb_diag_hint(d, "the file escapes quotes with a backslash: --escape backslash reads it");
        return;
    }
    /* An open quote read to the end of the file takes the records after it into one field: the
     * hint says so ("the open quoted field to the end of the file"), the user judges. */
    enum lenient_reading how =
        plan->reader.quotes_lenient ? LENIENT_FAILS : lenient_reads(plan, job, deadline);
    if (how == LENIENT_FAILS)
        return;
    drop_advice(d, CSVB_READER_QUOTE_ADVICE);
    const char *what = stats->failure == CSVB_READER_FAIL_AFTER_QUOTE
                           ? "text after a closing quote as part of the field"
                           : "the open quoted field to the end of the file";
    if (how == LENIENT_READS)
        csvb_diag_hint(d, "--quotes lenient reads %s", what);
    else /* the lenient reading has short records: both options read the file */
        csvb_diag_hint(d,
                       "--quotes lenient --on-bad-row pad reads the file: %s, and short "
                       "records filled with empty fields",
                       what);
}

/* Replaces d's hint (and its words at the end of the message) with nothing: a better one follows.
 */
static void drop_hint(struct csvb_diag *d)
{
    if (d->hint[0] == '\0')
        return;
    size_t n = strlen(d->message), h = strlen(d->hint) + 3; /* " (" hint ")" */
    if (n >= h)
        d->message[n - h] = '\0';
    d->hint[0] = '\0';
}

/* Whether the delimiter a field-count hint names (the sniffer's other agreeing candidate,
 * csvb_sniff_other) reads job: a dry run with it; true when there is none to ask about. */
static bool other_delimiter_reads(const struct csvb_plan *plan, const struct csvb_job *job,
                                  double deadline)
{
    struct csvb_diag d;
    csvb_diag_init(&d);
    struct csvb_input in;
    if (csvb_input_open(&in, plan, job, CSVB_INPUT_CHECKED, deadline, &d) != CSVB_OK)
        return true;
    char other = csvb_sniff_other(&in.sniff, in.delimiter, csvb_sniff_ext_delimiter(job->path));
    csvb_input_close(&in);
    if (other == '\0')
        return true;
    struct csvb_plan with = *plan; /* read-only, for the dry run */
    with.reader.delimiter = other;
    bool short_only;
    return dry_read(&with, job, deadline, (struct dry_how){false, false, -1, -1}, &short_only);
}

void csvb_hints_explain_width(const struct csvb_plan *plan, const struct csvb_job *job,
                              double deadline, struct csvb_diag *d)
{
    if (d->code != CSVB_E_PARSE || plan->reader.lenient)
        return;
    bool short_only;
    /* '#' lines read as records (--comment auto found none in the sample) */
    if (plan->comment_auto &&
        dry_read(plan, job, deadline, (struct dry_how){false, false, -1, CSVB_SNIFF_COMMENT},
                 &short_only)) {
        drop_hint(d); /* the sniffer's, which would read such lines as records */
        csvb_diag_hint(
            d, "the lines that start with '#' look like comments: --comment '#' skips them");
        return;
    }
    /* \, and escaped line breaks read as delimiters and record ends (MySQL's unquoted style) */
    if (plan->escape_auto &&
        dry_read(plan, job, deadline, (struct dry_how){false, false, CSVB_SNIFF_ESCAPE, -1},
                 &short_only)) {
        drop_hint(d);
        csvb_diag_hint(d, "the file escapes delimiters or line breaks with a backslash: --escape "
                          "backslash reads it");
        return;
    }
    /* The other delimiter the sniffer named agrees on the sample only: it stays named when it
     * reads the whole file; else --on-bad-row pad, when that does (a short record failed). */
    if (strncmp(d->hint, "the file looks ", 15) == 0 &&
        !other_delimiter_reads(plan, job, deadline)) {
        drop_hint(d);
        if (!plan->stage.pad_short_rows && !plan->stage.skip_bad_rows &&
            dry_read(plan, job, deadline, (struct dry_how){false, true, -1, -1}, &short_only))
            csvb_diag_hint(d, "--on-bad-row pad fills short records with empty fields");
    }
}
