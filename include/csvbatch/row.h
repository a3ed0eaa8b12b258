/* row.h — a record as the reader delivers it: fields that borrow someone else's buffer. */
#ifndef CSVBATCH_ROW_H
#define CSVBATCH_ROW_H

#include <stddef.h>

struct csvb_field {
    const char *ptr; /* not NUL-terminated */
    size_t len;
};

struct csvb_row {
    const struct csvb_field *fields;
    size_t nfields;
    unsigned long line; /* line the record starts on */
};

#endif
