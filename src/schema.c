/* schema.c — header record to column indexes, with errors that show the header. */
#include "csvbatch/schema.h"

#include "csvbatch/text.h"

#include <stdio.h>
#include <string.h>

/* Appends s[0..n) to buf (size bytes, used so far *used), as far as it fits before `limit`. */
static void put(char *buf, size_t limit, size_t *used, const char *s, size_t n)
{
    size_t room = limit > *used ? limit - *used : 0, k = n < room ? n : room;
    memcpy(buf + *used, s, k);
    *used += k;
}

size_t csvb_schema_header_text(const struct csvb_row *h, char delimiter, char *buf, size_t size)
{
    char sep = delimiter != '\0' ? delimiter : ',';
    /* Past CSVB_SCHEMA_HEADER_MAX bytes it is cut (room is kept for the mark), never inside a
     * UTF-8 character. */
    size_t limit = size > 4 ? size - 4 : 0, used = 0;
    limit = limit < CSVB_SCHEMA_HEADER_MAX ? limit : CSVB_SCHEMA_HEADER_MAX;
    bool cut = false;
    if (size == 0)
        return 0;
    for (size_t i = 0; i < h->nfields && !cut; i++) {
        const struct csvb_field *f = &h->fields[i];
        bool quote = memchr(f->ptr, '"', f->len) != NULL || memchr(f->ptr, sep, f->len) != NULL ||
                     memchr(f->ptr, '\n', f->len) != NULL || memchr(f->ptr, '\r', f->len) != NULL;
        if (i > 0)
            put(buf, limit + 1, &used, &sep, 1);
        if (quote)
            put(buf, limit + 1, &used, "\"", 1);
        for (size_t k = 0; k < f->len && used <= limit; k++) {
            put(buf, limit + 1, &used, f->ptr + k, 1);
            if (f->ptr[k] == '"')
                put(buf, limit + 1, &used, "\"", 1);
        }
        if (quote)
            put(buf, limit + 1, &used, "\"", 1);
        cut = used > limit || (used == limit && i + 1 < h->nfields);
    }
    if (cut && used > limit) {
        used = limit;
        while (used > 0 && ((unsigned char)buf[used] & 0xC0) == 0x80)
            used--; /* buf[used] continues a character the cut would split: drop it whole */
    }
    if (cut) {
        memcpy(buf + used, "\xe2\x80\xa6", 3);
        used += 3;
    }
    buf[used] = '\0';
    return used;
}

enum csvb_err csvb_schema_find(const struct csvb_row *header, const char *name, const char *role,
                               size_t *index, struct csvb_diag *d)
{
    return csvb_schema_lookup(header, name, role, false, index, d);
}

enum csvb_err csvb_schema_lookup(const struct csvb_row *header, const char *name, const char *role,
                                 bool optional, size_t *index, struct csvb_diag *d)
{
    return csvb_schema_lookup_in(header, ',', name, role, optional, index, d);
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

enum csvb_err csvb_schema_lookup_in(const struct csvb_row *header, char delimiter, const char *name,
                                    const char *role, bool optional, size_t *index,
                                    struct csvb_diag *d)
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
    char list[CSVB_SCHEMA_HEADER_MAX + 4];
    csvb_schema_header_text(header, delimiter, list, sizeof list);
    if (found == 0)
        return csvb_diag_set(d, CSVB_E_SCHEMA, header->line,
                             "expected a column named '%s' (%s), found header: %s", name, role,
                             list);
    return csvb_diag_set(d, CSVB_E_SCHEMA, header->line,
                         "expected one column named '%s' (%s), found it at columns %zu and %zu "
                         "of header: %s",
                         name, role, first + 1, second + 1, list);
}
