/* schema.c — header record to column indexes, with errors that show the header. */
#include "csvbatch/schema.h"

#include "csvbatch/text.h"

#include <stdio.h>
#include <string.h>

/* Writes the header as "A,B,C" into buf, shortened with "..." when long. */
static void header_list(const struct csvb_row *h, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < h->nfields && used + 4 < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%.*s", i ? "," : "", (int)h->fields[i].len,
                         h->fields[i].ptr);
        if (n < 0 || (size_t)n >= size - used) {
            snprintf(buf + (size - 4), 4, "...");
            return;
        }
        used += (size_t)n;
    }
}

enum csvb_err csvb_schema_find(const struct csvb_row *header, const char *name, const char *role,
                               size_t *index, struct csvb_diag *d)
{
    return csvb_schema_lookup(header, name, role, false, index, d);
}

long csvb_schema_duplicate(const struct csvb_row *header)
{
    for (size_t i = 1; i < header->nfields; i++)
        for (size_t k = 0; k < i; k++)
            if (csvb_text_ieq(header->fields[i].ptr, header->fields[i].len, header->fields[k].ptr,
                              header->fields[k].len))
                return (long)i;
    return -1;
}

enum csvb_err csvb_schema_lookup(const struct csvb_row *header, const char *name, const char *role,
                                 bool optional, size_t *index, struct csvb_diag *d)
{
    size_t nlen = strlen(name), found = 0, first = 0, second = 0;
    for (size_t i = 0; i < header->nfields; i++) {
        if (csvb_text_ieq(header->fields[i].ptr, header->fields[i].len, name, nlen)) {
            if (found == 0)
                first = i;
            else if (found == 1)
                second = i;
            found++;
        }
    }
    if (found == 1 || (found == 0 && optional)) {
        *index = found == 1 ? first : CSVB_NO_COLUMN;
        return CSVB_OK;
    }
    char list[320];
    header_list(header, list, sizeof list);
    if (found == 0)
        return csvb_diag_set(d, CSVB_E_SCHEMA, header->line,
                             "expected a column named '%s' (%s), found header: %s", name, role,
                             list);
    return csvb_diag_set(d, CSVB_E_SCHEMA, header->line,
                         "expected one column named '%s' (%s), found it at columns %zu and %zu "
                         "of header: %s",
                         name, role, first + 1, second + 1, list);
}
