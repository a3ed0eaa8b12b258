/* results.h — the run's results, one per job, kept compact until the report is written.
 *
 * A worker fills a whole struct csvb_result (result.h: 1,288 bytes on LP64, most of it the
 * diagnostic's fixed buffers) while it runs a file; when the job is over, csvb_results_put packs
 * it into the job's slot, and the readers (summary, reports, totals, exit code) read it back
 * whole with csvb_results_get, one result at a time, into a record of their own.
 *
 * Memory per job: one struct csvb_result_slot (56 bytes on LP64: status, rows read and written,
 * bytes read and written, seconds, dialect, compression). Only a result with something rare in
 * it (a diagnostic, a preview, a chunked or compressed input, rejected or padded rows, the
 * input's identity under --incremental, an Unchanged job's stamp, a non-UTF-8 encoding) has
 * besides one allocation of 168 bytes + the exact length of its strings (message, hint,
 * encoding, stamps), which also owns its preview rows. */
#ifndef CSVBATCH_RESULTS_H
#define CSVBATCH_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csvbatch/diag.h"
#include "csvbatch/result.h"

struct csvb_result_rare; /* results.c: what few results have, exactly as long as it is */

/* One job's result, packed. Read it with csvb_results_get, never field by field. */
struct csvb_result_slot {
    uint64_t rows_read, rows_written, bytes_read, bytes_written;
    double seconds;
    struct csvb_result_rare *rare; /* owned: NULL when the result has nothing rare */
    uint8_t status;                /* enum csvb_status */
    uint8_t compression;           /* enum csvb_compression */
    char delimiter;                /* dialect.delimiter */
    bool quotes_lenient;           /* dialect.quotes_lenient */
    bool lost;                     /* put had no memory for the rare part: reads as Failed */
};

/* n results: compact slots (csvb_results_init), or a caller's array of whole results
 * (csvb_results_wrap: tests, merge-reports, which already hold one). */
struct csvb_results {
    struct csvb_result_slot *slots; /* owned: n slots; NULL when wrapped */
    struct csvb_result *full;       /* borrowed: the wrapped array; NULL when compact */
    size_t n;
};

/* Sets rs to n compact results, each "succeeded, nothing done" (as csvb_result_init).
 * Returns CSVB_OK, or CSVB_E_NOMEM (d says so; rs is then empty, csvb_results_fini safe). */
enum csvb_err csvb_results_init(struct csvb_results *rs, size_t n, struct csvb_diag *d);

/* Sets rs to read and write full[0..n), which stays the caller's (and is not freed by fini). */
void csvb_results_wrap(struct csvb_results *rs, struct csvb_result *full, size_t n);

/* Frees the slots and what they own (compact), nothing of a wrapped array. NULL-safe, safe to
 * call twice. */
void csvb_results_fini(struct csvb_results *rs);

/* Stores res as result i (i < rs->n), replacing (and freeing) what was there, and moves res's
 * preview into rs: res is left as csvb_result_init leaves it. Exact: csvb_results_get gives
 * back every field (counts, status, seconds, dialect, compression, the diagnostic's code,
 * errno, line, message and hint, the preview, input, stamps). Without memory for the rare part
 * (CSVB_E_NOMEM returned) result i reads back as Failed, CSVB_E_NOMEM, "out of memory", with
 * its counts. Calls for different i may run on different threads at once. */
enum csvb_err csvb_results_put(struct csvb_results *rs, size_t i, struct csvb_result *res);

/* Result i (i < rs->n), whole: the wrapped array's element, or buf filled from the slot. The
 * returned result borrows its preview from rs: do not csvb_result_fini it, do not keep it past
 * the next put of i or fini of rs. */
const struct csvb_result *csvb_results_get(const struct csvb_results *rs, size_t i,
                                           struct csvb_result *buf);

/* Every result whole, in one array of rs->n (+ 1) records (1,288 bytes each: for tests and
 * small runs; the renderers read one result at a time instead). Previews are borrowed from rs, as
 * csvb_results_get's. Caller frees the array with free(), never csvb_result_fini. NULL without
 * memory. */
struct csvb_result *csvb_results_expand(const struct csvb_results *rs);

/* How many results csvb_result_not_started says (jobs the run refused to start). */
size_t csvb_results_count_not_started(const struct csvb_results *rs);

#endif
