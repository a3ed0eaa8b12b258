/* wire.h — the job list and one job's result as bytes, for the MPI driver's messages.
 *
 * driver_mpi.c sends them between ranks running the same binary on the same architecture (an
 * MPI job is one executable), so fixed-size parts travel as their bytes; strings and preview
 * rows follow with their lengths. Decoding checks every length against the buffer: a short or
 * malformed buffer is an error, never a read past its end. No MPI here: unit-tested in the
 * default build. */
#ifndef CSVBATCH_WIRE_H
#define CSVBATCH_WIRE_H

#include <stdbool.h>
#include <stddef.h>

#include "csvbatch/diag.h"
#include "csvbatch/outputs.h"
#include "csvbatch/result.h"

/* A growable byte buffer. All zero bytes is a valid empty one. */
struct csvb_wire {
    unsigned char *data; /* owned */
    size_t len, cap;
};

/* Sets w to the empty buffer (no allocation). */
void csvb_wire_init(struct csvb_wire *w);

/* Frees what w owns and leaves it empty. NULL-safe, safe to call twice. */
void csvb_wire_fini(struct csvb_wire *w);

/* Appends n bytes of p. Errors: CSVB_E_NOMEM (w unchanged). */
enum csvb_err csvb_wire_put(struct csvb_wire *w, const void *p, size_t n);

/* Appends every job of list (kind, flags, size, identity and its four strings), not the
 * notices. Errors: CSVB_E_NOMEM (w then holds part of it). */
enum csvb_err csvb_wire_put_jobs(struct csvb_wire *w, const struct csvb_joblist *list);

/* Rebuilds a job list from data[0..len) as csvb_wire_put_jobs wrote it, into list, which it
 * initializes (no notices). Errors: CSVB_E_NOMEM, CSVB_E_IO (malformed: d says where); list
 * may then be partial: the caller always calls csvb_joblist_fini. */
enum csvb_err csvb_wire_get_jobs(const unsigned char *data, size_t len, struct csvb_joblist *list,
                                 struct csvb_diag *d);

/* Appends res: its fixed fields and its preview rows. Errors: CSVB_E_NOMEM. */
enum csvb_err csvb_wire_put_result(struct csvb_wire *w, const struct csvb_result *res);

/* Replaces *res (calls csvb_result_fini on it first) with the result at data[0..len) as
 * csvb_wire_put_result wrote it; *used gets the bytes it took. res owns its preview afterwards.
 * Errors: CSVB_E_NOMEM, CSVB_E_IO (malformed); res is then "succeeded, nothing done" with no
 * preview. */
enum csvb_err csvb_wire_get_result(const unsigned char *data, size_t len, struct csvb_result *res,
                                   size_t *used, struct csvb_diag *d);

/* Appends job index's result as one entry of a WORK message: the index, then res as
 * csvb_wire_put_result writes it. Entries go back to back. Errors: CSVB_E_NOMEM. */
enum csvb_err csvb_wire_put_done(struct csvb_wire *w, size_t index, const struct csvb_result *res);

/* Reads the entry at data[0..len) that csvb_wire_put_done wrote: *index, then the result into
 * *res as csvb_wire_get_result does; *used gets the bytes of the whole entry. Errors: CSVB_E_IO
 * (malformed: *index is then SIZE_MAX when even the index was missing), CSVB_E_NOMEM; res is
 * then as csvb_wire_get_result leaves it. */
enum csvb_err csvb_wire_get_done(const unsigned char *data, size_t len, size_t *index,
                                 struct csvb_result *res, size_t *used, struct csvb_diag *d);

#endif
