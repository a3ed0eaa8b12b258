/* plan.c — options to narrow per-module configs, once per run; all run policy lives here. */
#include "csvbatch/plan.h"

#include <stdlib.h>
#include <string.h>

#include "csvbatch/cancel.h"
#include "csvbatch/charset.h"

static const char *const default_columns[] = {"Name", "ID"};

int csvb_plan_threads(int jobs, const char *omp_env, long cpus)
{
    if (jobs > 0)
        return jobs;
    if (omp_env != NULL) {
        char *end = NULL;
        long v = strtol(omp_env, &end, 10);
        if (end != omp_env && v >= 1 && v <= 1024)
            return (int)v;
    }
    return cpus >= 1 && cpus <= 1024 ? (int)cpus : 1;
}

bool csvb_plan_omp_env_ok(const char *omp_env)
{
    /* libgomp's grammar: whole numbers separated by commas, blanks around them; ours: each
     * from 1 to 1024, the cap of -j. */
    const char *c = omp_env;
    for (;;) {
        while (*c == ' ' || *c == '\t')
            c++;
        char *end = NULL;
        if (*c < '0' || *c > '9')
            return false;
        long v = strtol(c, &end, 10);
        if (v < 1 || v > 1024)
            return false;
        for (c = end; *c == ' ' || *c == '\t';)
            c++;
        if (*c == '\0')
            return true;
        if (*c++ != ',')
            return false;
    }
}

/* --where conditions and --select names into the filter and projection configs. */
static enum csvb_err plan_rows(struct csvb_plan *p, const struct csvb_options *opt, bool ps,
                               struct csvb_diag *d)
{
    struct csvb_stage_config *st = &p->stage;
    p->rules = calloc(opt->nwhere + 1, sizeof *p->rules);
    p->columns = calloc(opt->nselect + 1, sizeof *p->columns);
    if (p->rules == NULL || p->columns == NULL)
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    for (size_t i = 0; i < opt->nwhere; i++)
        p->rules[i] = (struct csvb_filter_rule){opt->where[i].column, opt->where[i].value,
                                                opt->where[i].value_len, opt->where[i].negate};
    st->filter =
        (struct csvb_filter_config){p->rules, opt->nwhere, opt->case_sensitive, ps, opt->delimiter};
    for (size_t i = 0; i < opt->nselect; i++)
        p->columns[i] = opt->select[i];
    struct csvb_projection_config *pc = &st->projection;
    pc->columns = opt->select != NULL ? p->columns : default_columns;
    pc->ncolumns = opt->select != NULL ? opt->nselect : 2;
    pc->all_columns = opt->select_all;
    pc->stamp_column = opt->no_stamp ? NULL : opt->stamp_column;
    pc->stamp = p->stamp;
    pc->absent_is_null = ps;
    pc->delimiter = opt->delimiter;
    return CSVB_OK;
}

/* PowerShell compatibility, resolved into named rules: Import-Csv's lenient reading and padded
 * rows, Export-Csv's quoting and its empty output when nothing matches, distinct headers. */
static void plan_stage(struct csvb_plan *p, const struct csvb_options *opt, bool ps,
                       mode_t umask_value)
{
    struct csvb_stage_config *st = &p->stage;
    st->dry_run = opt->dry_run;
    st->make_dirs = opt->output_dir != NULL;
    st->writeback = opt->fsync && !opt->dry_run;
    st->file_mode = 0666 & ~umask_value;
    st->in_delimiter = opt->delimiter;
    st->out_delimiter = opt->out_delimiter != '\0' ? opt->out_delimiter : opt->delimiter;
    st->quote_all = ps;
    st->pad_rows = ps;
    st->distinct_header = ps;
    st->header_with_rows = ps;
    st->skip_bad_rows = opt->skip_bad_rows;
    st->pad_short_rows = opt->pad_bad_rows;
    st->preview_rows = opt->preview;
    st->compress_level = opt->compress_level;
}

enum csvb_err csvb_plan_init(struct csvb_plan *p, const struct csvb_options *opt, const char *sde,
                             time_t now, mode_t umask_value, const char *omp_env, long cpus,
                             struct csvb_diag *d)
{
    memset(p, 0, sizeof *p);
    bool ps = opt->compat == CSVB_COMPAT_POWERSHELL;
    enum csvb_err e = (ps ? csvb_stamp_make_powershell : csvb_stamp_make)(
        p->stamp, sizeof p->stamp, opt->timestamp, sde, now, d);
    if (e != CSVB_OK || (e = plan_rows(p, opt, ps, d)) != CSVB_OK)
        return e;
    plan_stage(p, opt, ps, umask_value);
    p->cancel = csvb_cancel_flag();
    csvb_reader_config_init(&p->reader);
    p->reader.delimiter = opt->delimiter;
    p->reader.max_field_size = opt->max_field_size;
    p->reader.fast_path = opt->fast_path && !ps;
    p->reader.lenient = ps;
    p->reader.cancel = p->cancel;
    p->encoding = csvb_charset_is_utf8(opt->encoding) ? "" : opt->encoding;
    p->reader.quotes_lenient = opt->quotes == CSVB_QUOTES_LENIENT;
    /* Import-Csv knows no escape character */
    p->escape_auto = opt->escape == CSVB_ESCAPE_AUTO && !ps;
    p->reader.escape = opt->escape > 0 && !ps ? (char)opt->escape : '\0';
    p->comment_auto = opt->comment == CSVB_COMMENT_AUTO && !ps;
    p->reader.comment = opt->comment > 0 && !ps ? (char)opt->comment : '\0';
    /* Import-Csv takes the first line for the header: --compat powershell does too */
    p->skip_auto = opt->skip_lines == CSVB_SKIP_LINES_AUTO && !ps;
    p->reader.skip_lines = opt->skip_lines == CSVB_SKIP_LINES_AUTO ? 0 : opt->skip_lines;
    p->fsync = opt->fsync;
    p->hash_inputs = opt->incremental && !opt->dry_run;
    p->limits =
        (struct csvb_plan_limits){opt->max_failures, opt->fail_fast, opt->deadline, opt->timeout};
    /* Rejects files, previews, transcoding, lenient reading, skipped lines and an escape
     * character take one pass over the file: such runs do not split files (a UTF-16 file cannot
     * be cut at raw byte offsets, a lenient unterminated quote runs to the end of the file, the
     * lines skipped are counted from its start, and an escaped quote or a comment line hides
     * where a quoted field ends from the chunk planner). */
    bool one_pass = opt->rejects || opt->preview > 0 || p->encoding[0] != '\0' ||
                    p->reader.quotes_lenient || ps || p->reader.skip_lines > 0 ||
                    p->reader.escape != '\0' || p->reader.comment != '\0';
    p->chunk_size = one_pass ? 0 : opt->chunk_size;
    p->threads = csvb_plan_threads(opt->jobs, omp_env, cpus);
    return CSVB_OK;
}

void csvb_plan_dialect(const struct csvb_plan *p, char delimiter, struct csvb_reader_config *reader,
                       struct csvb_stage_config *stage)
{
    *reader = p->reader;
    *stage = p->stage;
    reader->delimiter = delimiter;
    stage->in_delimiter = delimiter;
    if (stage->out_delimiter == '\0') /* no --output-delimiter: as read */
        stage->out_delimiter = delimiter;
}

void csvb_plan_fini(struct csvb_plan *p)
{
    if (p == NULL)
        return;
    free(p->rules);
    free(p->columns);
    p->rules = NULL;
    p->columns = NULL;
}
