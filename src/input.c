/* input.c — a job's input as a source chain, the unchanged check, and the split decision. */
#include "csvbatch/input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void input_reset(struct csvb_input *in)
{
    memset(in, 0, sizeof *in);
    in->fd = -1;
}

/* open (or, reuse >= 0, that descriptor of the file from its start) + fstat; refuses what must
 * not be read. Returns the fd or -1 with d filled. */
static int open_checked(const struct csvb_job *job, bool allow_stream, int reuse, struct stat *st,
                        struct csvb_diag *d)
{
    bool std_in = csvb_outputs_is_stdin(job);
    if (std_in && !allow_stream)
        return -1;
    /* Standard input gets a descriptor of its own (closed like a file's), left blocking: its
     * flags are shared with whoever else holds it (the shell, a terminal). */
    int fd = reuse >= 0 ? reuse
             : std_in   ? fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0)
                        : open(job->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        csvb_diag_errno(d, CSVB_E_IO, errno, "cannot open");
        return -1;
    }
    if (reuse >= 0 && lseek(fd, 0, SEEK_SET) != 0) {
        csvb_diag_errno(d, CSVB_E_IO, errno, "cannot read");
        close(fd);
        return -1;
    }
    if (fstat(fd, st) != 0) {
        csvb_diag_errno(d, CSVB_E_IO, errno, "cannot stat");
        close(fd);
        return -1;
    }
    bool regular = S_ISREG(st->st_mode) && !std_in;
    if (S_ISDIR(st->st_mode) || (!regular && (!job->named || !allow_stream))) {
        csvb_diag_set(d, CSVB_E_IO, 0,
                      S_ISDIR(st->st_mode) ? "cannot read: is a directory"
                                           : "cannot read: not a regular file");
        close(fd);
        return -1;
    }
    /* O_NONBLOCK means nothing to a regular file: it stays set (one system call less). */
    if (regular && st->st_size >= ((off_t)1 << 20))
        posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    return fd;
}

/* What a regular file's first bytes say (pread: nothing is consumed): its compression, and
 * whether a UTF-16 or UTF-32 byte-order mark asks for the transcoding filter. */
static enum csvb_compression sniff(int fd, bool *wide_bom)
{
    unsigned char head[CSVB_COMPRESSION_MAGIC_MAX > 4 ? CSVB_COMPRESSION_MAGIC_MAX : 4];
    ssize_t n = pread(fd, head, sizeof head, 0);
    size_t bom_len;
    const char *bom = n > 0 ? csvb_transcode_bom(head, (size_t)n, &bom_len) : NULL;
    *wide_bom = bom != NULL && bom_len != 3;
    return n > 0 ? csvb_compression_detect(head, (size_t)n) : CSVB_COMPRESSION_NONE;
}

/* Stacks the encoding filter on in->src where it may be needed: an encoding named (or auto), a
 * wide BOM, or bytes not seen yet (a stream, a compressed file). A plain UTF-8 file gets none. */
static enum csvb_err stack_transcode(struct csvb_input *in, const struct csvb_plan *plan,
                                     bool needed, struct csvb_diag *d)
{
    if (!needed && plan->encoding[0] == '\0')
        return CSVB_OK;
    if ((in->tc = csvb_transcode_new(in->src, plan->encoding)) == NULL)
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    in->src = (struct csvb_source){csvb_transcode_fill, in->tc};
    return CSVB_OK;
}

/* Stacks the peek on the chain and sniffs its sample once: the delimiter (and escape character)
 * the file is read with.
 * A regular file that is not compressed or transcoded peeks no more than its size (+1, to see its
 * end): small files cost a small buffer. */
static enum csvb_err input_sniff(struct csvb_input *in, const struct csvb_plan *plan,
                                 const struct csvb_job *job, struct csvb_diag *d)
{
    size_t want = CSVB_SNIFF_SAMPLE;
    if (!in->stream && in->dz == NULL && in->tc == NULL && in->st.st_size >= 0 &&
        (uint64_t)in->st.st_size < want)
        want = (size_t)in->st.st_size + 1;
    if (!csvb_peek_init(&in->peek, in->src, want)) {
        csvb_input_close(in);
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    }
    in->src = (struct csvb_source){csvb_peek_fill, &in->peek};
    char ext = csvb_sniff_ext_delimiter(job->path);
    bool complete = in->peek.ended && in->peek.err == 0;
    /* the lines --skip-lines drops are no part of the sample */
    if (plan->skip_auto) {
        in->skip_lines = csvb_sniff_auto_skip(in->peek.buf, in->peek.len, complete, ext,
                                              plan->reader.delimiter, &in->sniff);
    } else {
        in->skip_lines = plan->reader.skip_lines;
        size_t from = csvb_sniff_skip(in->peek.buf, in->peek.len, in->skip_lines);
        csvb_sniff_sample(in->peek.buf + from, in->peek.len - from, complete, ext, &in->sniff);
    }
    in->delimiter = plan->reader.delimiter != '\0' ? plan->reader.delimiter : in->sniff.delimiter;
    in->escape = plan->reader.escape;
    in->comment = plan->reader.comment;
    size_t from = csvb_sniff_skip(in->peek.buf, in->peek.len, in->skip_lines);
    csvb_sniff_extras(in->peek.buf + from, in->peek.len - from, complete, in->delimiter,
                      plan->escape_auto, plan->comment_auto, &in->escape, &in->comment);
    return CSVB_OK;
}

/* The open on the listing's word: no fstat; st is what the walk saw of a regular file. */
static int open_listed(const struct csvb_job *job, struct stat *st, struct csvb_diag *d)
{
    int fd = open(job->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        csvb_diag_errno(d, CSVB_E_IO, errno, "cannot open");
        return -1;
    }
    memset(st, 0, sizeof *st);
    st->st_mode = S_IFREG;
    st->st_size = job->size;
    st->st_dev = job->dev;
    st->st_ino = job->ino;
    if (job->size >= ((off_t)1 << 20))
        posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    return fd;
}

bool csvb_input_may_trust(const struct csvb_plan *plan, const struct csvb_job *job)
{
    return !job->named && !plan->hash_inputs && job->dev != 0;
}

enum csvb_err csvb_input_open(struct csvb_input *in, const struct csvb_plan *plan,
                              const struct csvb_job *job, int how, double deadline,
                              struct csvb_diag *d)
{
    input_reset(in);
    in->trusted = how == CSVB_INPUT_TRUST_LISTING;
    if (plan->hash_inputs) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        in->opened_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
    }
    in->fd = in->trusted ? open_listed(job, &in->st, d)
                         : open_checked(job, true, how >= 0 ? how : -1, &in->st, d);
    if (in->fd < 0)
        return d->code;
    in->stream = !S_ISREG(in->st.st_mode) || csvb_outputs_is_stdin(job); /* read as it comes */
    in->fds = (struct csvb_fd_source){in->fd, plan->cancel, in->stream, deadline};
    in->src = (struct csvb_source){csvb_source_fd_fill, &in->fds};
    if (plan->hash_inputs && !in->stream) {
        if ((in->tap = malloc(sizeof *in->tap)) == NULL) {
            csvb_input_close(in);
            return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
        }
        csvb_hash_tap_init(in->tap, in->src);
        in->src = (struct csvb_source){csvb_hash_tap_fill, in->tap};
    }
    bool wide_bom = false;
    enum csvb_compression kind = in->stream ? CSVB_COMPRESSION_NONE : sniff(in->fd, &wide_bom);
    if (in->stream || kind != CSVB_COMPRESSION_NONE) {
        in->dz = in->stream ? csvb_decompress_detect_new(in->src, false)
                            : csvb_decompress_new(in->src, kind, NULL, 0, true);
        if (in->dz == NULL) {
            csvb_input_close(in);
            return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
        }
        in->src = (struct csvb_source){csvb_decompress_fill, in->dz};
    }
    if (stack_transcode(in, plan, wide_bom || in->dz != NULL, d) != CSVB_OK) {
        csvb_input_close(in);
        return d->code;
    }
    return input_sniff(in, plan, job, d);
}

bool csvb_input_open_regular(struct csvb_input *in, const struct csvb_job *job)
{
    input_reset(in);
    struct csvb_diag ignored;
    csvb_diag_init(&ignored);
    in->fd = open_checked(job, false, -1, &in->st, &ignored);
    if (in->fd >= 0 && S_ISREG(in->st.st_mode) && in->st.st_size == job->size)
        return true;
    csvb_input_close(in);
    return false;
}

uint64_t csvb_input_raw_bytes(const struct csvb_input *in, uint64_t reader_bytes)
{
    if (in->dz != NULL)
        return csvb_decompress_in_bytes(in->dz);
    return in->tc != NULL ? csvb_transcode_raw_bytes(in->tc) : reader_bytes;
}

enum csvb_compression csvb_input_compression(const struct csvb_input *in)
{
    return in->dz != NULL ? csvb_decompress_kind(in->dz) : CSVB_COMPRESSION_NONE;
}

uint64_t csvb_input_decompressed_bytes(const struct csvb_input *in)
{
    return in->dz != NULL ? csvb_decompress_out_bytes(in->dz) : 0;
}

void csvb_input_route_progress(struct csvb_input *in, struct csvb_reader_config *cfg)
{
    if (csvb_input_compression(in) == CSVB_COMPRESSION_NONE || cfg->bytes_counter == NULL)
        return;
    csvb_decompress_set_counter(in->dz, cfg->bytes_counter);
    cfg->bytes_counter = NULL;
}

const char *csvb_input_encoding(const struct csvb_input *in)
{
    return in->tc != NULL ? csvb_transcode_encoding(in->tc) : "";
}

enum csvb_err csvb_input_explain(const struct csvb_input *in, enum csvb_err e, unsigned long line,
                                 struct csvb_diag *d)
{
    if (e == CSVB_E_IO && in->tc != NULL && csvb_transcode_message(in->tc)[0] != '\0') {
        csvb_diag_init(d);
        return csvb_diag_set(d, CSVB_E_PARSE, csvb_transcode_line(in->tc), "%s",
                             csvb_transcode_message(in->tc));
    }
    const char *name = csvb_compression_name(csvb_input_compression(in));
    if (name == NULL)
        return e;
    const char *why = csvb_decompress_message(in->dz);
    if (e == CSVB_E_IO && why[0] != '\0') {
        int err = d->sys_errno;
        csvb_diag_init(d);
        csvb_diag_set(d, CSVB_E_IO, 0, "%s (line %lu)", why, line);
        d->sys_errno = err;
    } else if (e == CSVB_E_PARSE) {
        size_t n = strlen(d->message);
        snprintf(d->message + n, sizeof d->message - n, " (in %s-compressed data)", name);
    }
    return e;
}

enum csvb_err csvb_input_check_unchanged(const struct csvb_input *in, struct csvb_diag *d)
{
    if (in->stream)
        return CSVB_OK;
    struct stat now;
    if (fstat(in->fd, &now) != 0)
        return csvb_diag_errno(d, CSVB_E_IO, errno, "cannot stat");
    if (now.st_size != in->st.st_size || now.st_mtim.tv_sec != in->st.st_mtim.tv_sec ||
        now.st_mtim.tv_nsec != in->st.st_mtim.tv_nsec)
        return csvb_diag_set(d, CSVB_E_IO, 0,
                             "the file changed while it was being read (size %lld, then %lld "
                             "bytes); its output was discarded",
                             (long long)in->st.st_size, (long long)now.st_size);
    return CSVB_OK;
}

static int64_t ns_of(struct timespec t)
{
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

enum csvb_err csvb_input_confirm(struct csvb_input *in, const struct csvb_job *job,
                                 bool read_to_end, uint64_t bytes, bool *recheck,
                                 struct csvb_diag *d)
{
    struct stat now;
    *recheck = false;
    if (fstat(in->fd, &now) != 0)
        return csvb_diag_errno(d, CSVB_E_IO, errno, "cannot stat");
    bool same_file =
        S_ISREG(now.st_mode) && now.st_dev == in->st.st_dev && now.st_ino == in->st.st_ino;
    /* Size and mtime as listed: not written since the walk, so not while it was read (the test
     * csvb_input_check_unchanged makes, from the listing instead of the open). */
    if (same_file && now.st_size == in->st.st_size && ns_of(now.st_mtim) == job->mtime_ns) {
        in->st = now;
        return CSVB_OK;
    }
    /* Read through to its end, the file had `bytes` bytes then; more than it has now (it shrank
     * under the reader), or read whole and a size other than now's: it changed while read. */
    bool plain = in->dz == NULL && in->tc == NULL;
    if (same_file && plain &&
        ((uint64_t)now.st_size < bytes || (read_to_end && (uint64_t)now.st_size != bytes)))
        return csvb_diag_set(d, CSVB_E_IO, 0,
                             "the file changed while it was being read (size %lld, then %lld "
                             "bytes); its output was discarded",
                             (long long)in->st.st_size, (long long)now.st_size);
    *recheck = true; /* replaced or rewritten since it was listed: before the open, or during? */
    return CSVB_OK;
}

bool csvb_input_can_split(const struct csvb_plan *plan, const struct csvb_job *job)
{
    off_t chunk = (off_t)plan->chunk_size;
    if (chunk <= 0 || job->size < 2 * chunk || csvb_outputs_is_stdin(job))
        return false;
    int fd = open(job->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return true; /* the chunked run reports it */
    bool wide_bom;
    bool compressed = sniff(fd, &wide_bom) != CSVB_COMPRESSION_NONE;
    close(fd);
    return !compressed && !wide_bom; /* UTF-16/32 cannot be cut at raw byte offsets */
}

void csvb_input_facts(const struct csvb_input *in, struct csvb_result_input *facts)
{
    memset(facts, 0, sizeof *facts);
    if (in->tap == NULL || !in->tap->hash.ok || in->tap->bytes != (uint64_t)in->st.st_size)
        return;
    csvb_hash_digest(&in->tap->hash, facts->hash);
    facts->size = (uint64_t)in->st.st_size;
    facts->mtime_ns = (int64_t)in->st.st_mtim.tv_sec * 1000000000 + in->st.st_mtim.tv_nsec;
    facts->ctime_ns = (int64_t)in->st.st_ctim.tv_sec * 1000000000 + in->st.st_ctim.tv_nsec;
    facts->dev = (uint64_t)in->st.st_dev;
    facts->ino = (uint64_t)in->st.st_ino;
    facts->read_ns = in->opened_ns;
    facts->known = true;
}

void csvb_input_close(struct csvb_input *in)
{
    if (in == NULL)
        return;
    csvb_decompress_free(in->dz); /* first: its thread reads fd */
    if (in->fd >= 0)
        close(in->fd);
    csvb_transcode_free(in->tc);
    csvb_peek_fini(&in->peek);
    csvb_hash_tap_fini(in->tap);
    free(in->tap);
    input_reset(in);
}
