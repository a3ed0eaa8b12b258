/* result.h — what one job produced: filled by exactly one worker, read by report and main. */
#ifndef CSVBATCH_RESULT_H
#define CSVBATCH_RESULT_H

#include <stdint.h>

#include "csvbatch/diag.h"
#include "csvbatch/text.h"

enum csvb_status { CSVB_STATUS_SUCCESS, CSVB_STATUS_FAILED, CSVB_STATUS_SKIPPED };

struct csvb_result {
    enum csvb_status status;
    uint64_t rows_read;     /* data rows, header excluded */
    uint64_t rows_written;  /* data rows written (or that would be, in a dry run) */
    uint64_t rows_rejected; /* --on-bad-row skip: records dropped for their field count */
    uint64_t bytes_read;
    uint64_t bytes_written;
    double seconds;
    struct csvb_diag diag;    /* the error or notice, code CSVB_OK when none */
    struct csvb_rows preview; /* owned: --preview, the output header then the first rows
                                 written (empty when none); free with csvb_rows_fini */
};

#endif
