/* result.c — a job's result: init, preset, settle, counts, and the run's exit code. */
#include "csvbatch/result.h"

#include <stdlib.h>
#include <string.h>

void csvb_result_init(struct csvb_result *res)
{
    memset(res, 0, sizeof *res);
    csvb_diag_init(&res->diag);
    res->status = CSVB_STATUS_SUCCESS;
}

void csvb_result_preset(struct csvb_result *res, enum csvb_status status, enum csvb_err code,
                        const char *message)
{
    csvb_result_init(res);
    res->status = status;
    if (message != NULL)
        csvb_diag_set(&res->diag, code, 0, "%s", message);
}

void csvb_result_add_counts(struct csvb_result *res, const struct csvb_stage_counts *c)
{
    res->rows_read += c->rows_read;
    res->rows_written += c->rows_written;
    res->rows_rejected += c->rows_rejected;
    res->bytes_written += c->bytes_written;
}

void csvb_result_settle(struct csvb_result *res, enum csvb_err e, bool cancelled, double timeout)
{
    if (e == CSVB_E_TIMEOUT) {
        csvb_diag_init(&res->diag);
        csvb_diag_set(&res->diag, CSVB_E_TIMEOUT, 0, "timed out after %g s", timeout);
    }
    if (e != CSVB_OK && cancelled) {
        /* Whatever the interrupted call said (EINTR...), the truth is: interrupted. */
        csvb_diag_init(&res->diag);
        csvb_diag_set(&res->diag, CSVB_E_CANCELLED, 0, "interrupted");
    }
    if (e != CSVB_OK) {
        res->rows_written = 0;
        res->bytes_written = 0;
        res->rows_rejected = 0;
        res->rows_padded = 0;
        csvb_rows_fini(&res->preview);
    }
    res->status = e == CSVB_OK ? CSVB_STATUS_SUCCESS : CSVB_STATUS_FAILED;
}

void csvb_result_fini(struct csvb_result *res)
{
    if (res == NULL)
        return;
    csvb_rows_fini(&res->preview);
}

bool csvb_result_not_started(const struct csvb_result *res)
{
    return res->status == CSVB_STATUS_SKIPPED && res->diag.code == CSVB_E_CANCELLED;
}

int csvb_result_exit_code(size_t failed, size_t not_started, bool run_failed, int signal)
{
    if (signal != 0)
        return 128 + signal;
    return failed > 0 || not_started > 0 || run_failed ? 1 : 0;
}
