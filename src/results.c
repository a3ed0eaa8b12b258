/* results.c — the run's results packed one slot per job, the rare parts out of line (results.h). */
#include "csvbatch/results.h"

#include <stdlib.h>
#include <string.h>

/* What few results have. text holds message, hint, encoding, written_stamp and written_at,
 * each NUL-terminated, one after the other: exactly as long as they are. */
struct csvb_result_rare {
    uint64_t rows_rejected, rows_padded, bytes_decompressed, bytes_parsed, bytes_copied;
    unsigned parse_runs, chunks, chunk_temps_max;
    enum csvb_err code;
    int sys_errno;
    unsigned long line;
    struct csvb_rows preview; /* owned */
    struct csvb_result_input input;
    uint32_t skip_lines;
    char escape, comment;
    char text[];
};

enum csvb_err csvb_results_init(struct csvb_results *rs, size_t n, struct csvb_diag *d)
{
    /* All zero bytes is csvb_result_init's result: Succeeded, nothing rare. */
    rs->slots = calloc(n + 1, sizeof *rs->slots);
    rs->full = NULL;
    rs->n = rs->slots != NULL ? n : 0;
    return rs->slots != NULL ? CSVB_OK : csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
}

void csvb_results_wrap(struct csvb_results *rs, struct csvb_result *full, size_t n)
{
    rs->slots = NULL;
    rs->full = full;
    rs->n = n;
}

static void rare_free(struct csvb_result_rare *rare)
{
    if (rare != NULL)
        csvb_rows_fini(&rare->preview);
    free(rare);
}

void csvb_results_fini(struct csvb_results *rs)
{
    if (rs == NULL)
        return;
    for (size_t i = 0; rs->slots != NULL && i < rs->n; i++)
        rare_free(rs->slots[i].rare);
    free(rs->slots);
    rs->slots = NULL;
    rs->full = NULL;
    rs->n = 0;
}

static bool input_known(const struct csvb_result_input *in)
{
    bool hashed = false;
    for (size_t k = 0; k < sizeof in->hash; k++)
        hashed = hashed || in->hash[k] != 0;
    return in->known || hashed || in->size != 0 || in->mtime_ns != 0 || in->ctime_ns != 0 ||
           in->dev != 0 || in->ino != 0 || in->read_ns != 0;
}

/* Whether res has anything a slot does not hold. */
static bool has_rare(const struct csvb_result *res)
{
    const struct csvb_diag *d = &res->diag;
    return res->rows_rejected != 0 || res->rows_padded != 0 || res->bytes_decompressed != 0 ||
           res->bytes_parsed != 0 || res->parse_runs != 0 || res->chunks != 0 ||
           res->chunk_temps_max != 0 || res->bytes_copied != 0 || d->code != CSVB_OK ||
           d->sys_errno != 0 || d->line != 0 || d->message[0] != '\0' || d->hint[0] != '\0' ||
           res->preview.n > 0 || res->preview.rows != NULL || input_known(&res->input) ||
           res->dialect.encoding[0] != '\0' || res->dialect.skip_lines != 0 ||
           res->dialect.escape != '\0' || res->dialect.comment != '\0' ||
           res->written_stamp[0] != '\0' || res->written_at[0] != '\0';
}

/* The strings of res as rare->text keeps them, in that order. */
static void rare_strings(const struct csvb_result *res, const char *s[5])
{
    s[0] = res->diag.message;
    s[1] = res->diag.hint;
    s[2] = res->dialect.encoding;
    s[3] = res->written_stamp;
    s[4] = res->written_at;
}

/* res's rare part, its preview moved in; NULL without memory (res then unchanged). */
static struct csvb_result_rare *rare_pack(struct csvb_result *res)
{
    const char *s[5];
    size_t len[5], total = 0;
    rare_strings(res, s);
    for (int k = 0; k < 5; k++)
        total += (len[k] = strlen(s[k])) + 1;
    struct csvb_result_rare *rare = malloc(sizeof *rare + total);
    if (rare == NULL)
        return NULL;
    *rare = (struct csvb_result_rare){
        res->rows_rejected,  res->rows_padded,        res->bytes_decompressed,
        res->bytes_parsed,   res->bytes_copied,       res->parse_runs,
        res->chunks,         res->chunk_temps_max,    res->diag.code,
        res->diag.sys_errno, res->diag.line,          res->preview,
        res->input,          res->dialect.skip_lines, res->dialect.escape,
        res->dialect.comment};
    csvb_rows_init(&res->preview);
    char *at = rare->text;
    for (int k = 0; k < 5; k++) {
        memcpy(at, s[k], len[k] + 1);
        at += len[k] + 1;
    }
    return rare;
}

enum csvb_err csvb_results_put(struct csvb_results *rs, size_t i, struct csvb_result *res)
{
    if (rs->full != NULL) {
        if (&rs->full[i] != res) {
            csvb_result_fini(&rs->full[i]);
            rs->full[i] = *res;
            csvb_result_init(res); /* the preview is full[i]'s now */
        }
        return CSVB_OK;
    }
    struct csvb_result_slot *slot = &rs->slots[i];
    rare_free(slot->rare);
    struct csvb_result_rare *rare = has_rare(res) ? rare_pack(res) : NULL;
    *slot = (struct csvb_result_slot){res->rows_read,
                                      res->rows_written,
                                      res->bytes_read,
                                      res->bytes_written,
                                      res->seconds,
                                      rare,
                                      (uint8_t)res->status,
                                      (uint8_t)res->compression,
                                      res->dialect.delimiter,
                                      res->dialect.quotes_lenient,
                                      rare == NULL && has_rare(res)};
    csvb_result_fini(res); /* the preview, when it could not be kept */
    csvb_result_init(res);
    return slot->lost ? CSVB_E_NOMEM : CSVB_OK;
}

/* Copies s, NUL-terminated, into dst (size bytes: put took it from a buffer of that size);
 * returns the string after s in rare->text. */
static const char *take(char *dst, size_t size, const char *s)
{
    size_t len = strlen(s);
    memcpy(dst, s, len < size ? len + 1 : size);
    dst[size - 1] = '\0';
    return s + len + 1;
}

static void rare_unpack(const struct csvb_result_rare *rare, struct csvb_result *res)
{
    res->rows_rejected = rare->rows_rejected;
    res->rows_padded = rare->rows_padded;
    res->bytes_decompressed = rare->bytes_decompressed;
    res->bytes_parsed = rare->bytes_parsed;
    res->bytes_copied = rare->bytes_copied;
    res->parse_runs = rare->parse_runs;
    res->chunks = rare->chunks;
    res->chunk_temps_max = rare->chunk_temps_max;
    res->diag.code = rare->code;
    res->diag.sys_errno = rare->sys_errno;
    res->diag.line = rare->line;
    res->preview = rare->preview; /* borrowed (results.h) */
    res->input = rare->input;
    res->dialect.skip_lines = rare->skip_lines;
    res->dialect.escape = rare->escape;
    res->dialect.comment = rare->comment;
    const char *s = rare->text;
    s = take(res->diag.message, sizeof res->diag.message, s);
    s = take(res->diag.hint, sizeof res->diag.hint, s);
    s = take(res->dialect.encoding, sizeof res->dialect.encoding, s);
    s = take(res->written_stamp, sizeof res->written_stamp, s);
    take(res->written_at, sizeof res->written_at, s);
}

/* What rare_unpack sets, as csvb_result_init leaves it. Not a memset of the whole record: a
 * reader gets one result per cell of the table, and most of the record is the diagnostic's
 * buffers, of which only the first byte then matters. */
static void rare_clear(struct csvb_result *res)
{
    res->rows_rejected = res->rows_padded = res->bytes_decompressed = res->bytes_parsed = 0;
    res->bytes_copied = 0;
    res->parse_runs = res->chunks = res->chunk_temps_max = 0;
    res->diag.code = CSVB_OK;
    res->diag.sys_errno = 0;
    res->diag.line = 0;
    res->diag.message[0] = res->diag.hint[0] = '\0';
    csvb_rows_init(&res->preview);
    memset(&res->input, 0, sizeof res->input);
    res->dialect.skip_lines = 0;
    res->dialect.escape = res->dialect.comment = '\0';
    res->dialect.encoding[0] = res->written_stamp[0] = res->written_at[0] = '\0';
}

const struct csvb_result *csvb_results_get(const struct csvb_results *rs, size_t i,
                                           struct csvb_result *buf)
{
    if (rs->full != NULL)
        return &rs->full[i];
    const struct csvb_result_slot *slot = &rs->slots[i];
    buf->status = (enum csvb_status)slot->status;
    buf->rows_read = slot->rows_read;
    buf->rows_written = slot->rows_written;
    buf->bytes_read = slot->bytes_read;
    buf->bytes_written = slot->bytes_written;
    buf->compression = (enum csvb_compression)slot->compression;
    buf->seconds = slot->seconds;
    buf->dialect.delimiter = slot->delimiter;
    buf->dialect.quotes_lenient = slot->quotes_lenient;
    if (slot->rare != NULL)
        rare_unpack(slot->rare, buf);
    else
        rare_clear(buf);
    if (slot->lost) {
        buf->status = CSVB_STATUS_FAILED;
        csvb_diag_set(&buf->diag, CSVB_E_NOMEM, 0, "out of memory");
    }
    return buf;
}

size_t csvb_results_count_not_started(const struct csvb_results *rs)
{
    size_t count = 0;
    struct csvb_result buf;
    for (size_t i = 0; i < rs->n; i++)
        count += csvb_result_not_started(csvb_results_get(rs, i, &buf));
    return count;
}

struct csvb_result *csvb_results_expand(const struct csvb_results *rs)
{
    struct csvb_result *all = calloc(rs->n + 1, sizeof *all);
    for (size_t i = 0; all != NULL && i < rs->n; i++)
        all[i] = *csvb_results_get(rs, i, &all[i]);
    return all;
}
