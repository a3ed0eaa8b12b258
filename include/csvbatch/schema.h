/* schema.h — header record to column indexes; missing or ambiguous columns are errors. */
#ifndef CSVBATCH_SCHEMA_H
#define CSVBATCH_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "csvbatch/diag.h"
#include "csvbatch/reader.h"

/* Finds `name` in header (ASCII case-insensitive). On success stores its index in *index. A name
 * absent from the header, or present more than once, is CSVB_E_SCHEMA with a message that lists
 * the header (line 1 of the file, `line`). `role` names what the column is for ("filter"). */
enum csvb_err csvb_schema_find(const struct csvb_row *header, const char *name, const char *role,
                               size_t *index, struct csvb_diag *d);

/* The index of a column that is not there (PowerShell compatibility: an absent property). */
#define CSVB_NO_COLUMN ((size_t)-1)

/* Like csvb_schema_find, but a missing column is not an error when `optional`: *index is then
 * CSVB_NO_COLUMN. */
enum csvb_err csvb_schema_lookup(const struct csvb_row *header, const char *name, const char *role,
                                 bool optional, size_t *index, struct csvb_diag *d);

/* csvb_schema_lookup for a header read with `delimiter` (0: ','): the message shows the header
 * as read (csvb_schema_header_text). */
enum csvb_err csvb_schema_lookup_in(const struct csvb_row *header, char delimiter, const char *name,
                                    const char *role, bool optional, size_t *index,
                                    struct csvb_diag *d);

/* Bytes of a header shown in a message before it is cut with "…". */
#define CSVB_SCHEMA_HEADER_MAX 400

/* The header as it was read into buf (size bytes; NUL-terminated when size > 0): the fields
 * joined with `delimiter` (0: ','), a field that holds the delimiter, a quote or a line break
 * quoted as RFC 4180 does; past CSVB_SCHEMA_HEADER_MAX bytes (or what buf holds, less 4) cut
 * between characters and ended with U+2026 "…". The bytes are as read: escaping them is the
 * printer's (text.h). Returns the length written. */
size_t csvb_schema_header_text(const struct csvb_row *h, char delimiter, char *buf, size_t size);

/* The first name that appears twice in header (ASCII case-insensitive), or -1. */
long csvb_schema_duplicate(const struct csvb_row *header);

#endif
