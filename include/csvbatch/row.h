/* row.h — a record as the reader delivers it: fields that borrow someone else's bytes.
 *
 * Ground floor (util): every layer passes rows around, so the type sits below all of them. An
 * owned copy is struct csvb_rowcopy (text.h). */
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
