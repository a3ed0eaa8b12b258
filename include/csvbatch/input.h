/* input.h — a job's input opened as a source chain (file or stream, then transcoding), the one
 * "changed while it was read" check, and whether a file may be split into chunks. */
#ifndef CSVBATCH_INPUT_H
#define CSVBATCH_INPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "csvbatch/decompress.h"
#include "csvbatch/diag.h"
#include "csvbatch/hash.h"
#include "csvbatch/outputs.h"
#include "csvbatch/plan.h"
#include "csvbatch/reader.h"
#include "csvbatch/result.h"
#include "csvbatch/sniff.h"
#include "csvbatch/transcode.h"

struct csvb_input {
    int fd;         /* -1 when closed */
    bool stream;    /* a pipe or FIFO named by the user: read through poll */
    struct stat st; /* fstat of fd when opened */
    struct csvb_fd_source fds;
    struct csvb_decompress *dz; /* owned; NULL for a regular file that is not compressed */
    struct csvb_transcode *tc;  /* owned; NULL for a plain UTF-8 file (no BOM but UTF-8's, no
                                   --encoding, not compressed, not a stream) */
    struct csvb_hash_tap *tap;  /* owned; with plan->hash_inputs on a regular file, right above
                                   the fd source: the file's bytes hashed as they are read */
    int64_t opened_ns;          /* with a tap: CLOCK_REALTIME just before the open */
    struct csvb_peek peek;      /* on top of the chain: the decoded sample, served first */
    struct csvb_sniff sniff;    /* what the sample agrees on (hints ask it even under -d CHAR) */
    char delimiter;             /* the one to read with: -d CHAR, or the sniffer's answer */
    char escape;                /* --escape CHAR, or under auto the sniffer's answer ('\0') */
    char comment;               /* --comment CHAR, or under auto the sniffer's answer ('\0') */
    size_t skip_lines;          /* the lines before the header: --skip-lines N, or under auto the
                                   preamble the sniffer found (csvb_sniff_auto_skip) */
    bool trusted;               /* opened on the listing's word: csvb_input_confirm checks */
    struct csvb_source src;     /* the head of the chain: what the reader reads */
};

/* Opens job's input without ever blocking: a FIFO that was not named is refused; a named one
 * (or a pipe) is read as a stream through poll, honouring plan->cancel and deadline (monotonic
 * seconds, 0 = none). A compressed input (detected from its first bytes, whatever its name) gets
 * its decoder stacked on it (decoding ahead on a thread of its own for a regular file), then the
 * encoding filter (transcode.h: BOMs, --encoding) where it may be needed, and on top a peek
 * (sniff.h) holding the first CSVB_SNIFF_SAMPLE decoded bytes: in->sniff is what they agree on,
 * in->delimiter the delimiter to read with (plan->reader.delimiter, or the sniffer's answer when
 * that is '\0', -d auto; the extension's delimiter comes from job->path). Errors: CSVB_E_IO (no
 * path in the message: the caller owns it), CSVB_E_NOMEM. in is closed on error.
 *
 * how: CSVB_INPUT_CHECKED opens job->path and fstats the descriptor. CSVB_INPUT_TRUST_LISTING
 * (only where csvb_input_may_trust) takes the file to be the regular file the walk saw (its size,
 * device and inode) without an fstat of its own: many small files then cost one metadata call
 * each, the fstat of csvb_input_confirm after the read, which must then be called instead of
 * csvb_input_check_unchanged. A descriptor (>= 0) of job's file, which in takes over, is read
 * again from its start, checked as by CSVB_INPUT_CHECKED: the second reading of a file that
 * csvb_input_confirm could not confirm (its descriptor still reads a file deleted meanwhile). */
#define CSVB_INPUT_CHECKED (-1)
#define CSVB_INPUT_TRUST_LISTING (-2)
enum csvb_err csvb_input_open(struct csvb_input *in, const struct csvb_plan *plan,
                              const struct csvb_job *job, int how, double deadline,
                              struct csvb_diag *d);

/* Whether job may be opened with CSVB_INPUT_TRUST_LISTING: found by the walk (whose fstatat saw a
 * regular file), and no --incremental facts to record (they keep the fstat of the open descriptor).
 */
bool csvb_input_may_trust(const struct csvb_plan *plan, const struct csvb_job *job);

/* After the read of an input opened with CSVB_INPUT_TRUST_LISTING: one fstat, compared with what
 * the walk saw (job). CSVB_OK when it is the same regular file with the listed size and mtime:
 * nothing wrote it since it was listed, so what was read is the whole file, unchanged; in->st is
 * then that fstat. CSVB_E_IO, "the file changed while it was being read ...", as
 * csvb_input_check_unchanged says it, when the same file now has fewer bytes than the reader took
 * from it (bytes, uncompressed input), or a size other than that after the reader read through
 * to its end (read_to_end). Otherwise (it was replaced or rewritten since it was listed, before
 * the open or not) CSVB_OK with *recheck set: the caller reads it again through a duplicate of
 * in->fd, checked the ordinary way. Clocks are never compared: file times may lag the clock. */
enum csvb_err csvb_input_confirm(struct csvb_input *in, const struct csvb_job *job,
                                 bool read_to_end, uint64_t bytes, bool *recheck,
                                 struct csvb_diag *d);

/* Opens job's input as a regular file for pread (chunks): fails, without a message, when it is
 * anything else or no longer has the size the listing saw. */
bool csvb_input_open_regular(struct csvb_input *in, const struct csvb_job *job);

/* Bytes taken from the file itself (compressed, before transcoding), given what the reader
 * counted. */
uint64_t csvb_input_raw_bytes(const struct csvb_input *in, uint64_t reader_bytes);

/* The input's compression (NONE when it is not compressed) and the bytes decoded from it. */
enum csvb_compression csvb_input_compression(const struct csvb_input *in);
uint64_t csvb_input_decompressed_bytes(const struct csvb_input *in);

/* A compressed input counts its compressed bytes into cfg->bytes_counter itself (the progress
 * total is the files' sizes), and cfg's reader then counts nothing; others are left as they are. */
void csvb_input_route_progress(struct csvb_input *in, struct csvb_reader_config *cfg);

/* The encoding the input was read in (canonical, "" for UTF-8), once the reader has begun. */
const char *csvb_input_encoding(const struct csvb_input *in);

/* Rewrites the reader's error in d (code e) when the encoding filter caused it (CSVB_E_PARSE,
 * its line and message: "column 4: expected shift_jis text, found invalid byte 0x81") or the
 * decoder did: "gzip data is truncated
 * after N compressed bytes (line L)" (line: where the reader was), and names the compression in
 * a parse error of compressed content. Returns the (unchanged) code. */
enum csvb_err csvb_input_explain(const struct csvb_input *in, enum csvb_err e, unsigned long line,
                                 struct csvb_diag *d);

/* CSVB_E_IO when the input was rewritten, truncated or extended since it was opened (its output
 * would match no version of it); streams are never checked. A deleted input is fine: the open
 * descriptor still reads it all. */
enum csvb_err csvb_input_check_unchanged(const struct csvb_input *in, struct csvb_diag *d);

/* True when the plan splits job into chunks: chunking on, a regular file at least twice the
 * chunk size, not compressed and without a UTF-16/32 byte-order mark (its first bytes are
 * looked at). */
bool csvb_input_can_split(const struct csvb_plan *plan, const struct csvb_job *job);

/* With a hash tap that saw the whole file: its digest and identity (from the fstat at open) into
 * facts, known set. Otherwise facts->known is false. Call after csvb_input_check_unchanged. */
void csvb_input_facts(const struct csvb_input *in, struct csvb_result_input *facts);

/* Closes and frees what in holds. NULL-safe, safe to call twice. */
void csvb_input_close(struct csvb_input *in);

#endif
