/* text.h — the small helpers every layer needs once: path parts, ASCII case folding, byte
 * counts for people, terminal-safe text, growable arrays, owned copies of rows.
 *
 * Ground floor (util): includes only diag and row. The allocation helpers here return CSVB_OK or
 * CSVB_E_NOMEM and fill no diag: "out of memory" is all there is to say, and the caller knows
 * which file and line it was working on. */
#ifndef CSVBATCH_TEXT_H
#define CSVBATCH_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "csvbatch/diag.h"
#include "csvbatch/row.h"

/* ---- Paths ------------------------------------------------------------------------------- */

/* The directory that holds path, which names a file: everything before the last '/', less the
 * slashes that end it. "a/b/c.csv" -> "a/b", "a//c.csv" -> "a", "c.csv" -> ".", "/c.csv" ->
 * "/", "a/" -> "a" (the file name is empty: unlike dirname(3), a trailing slash is not
 * stripped first, so that dirname + "/" + basename names path again), "" -> ".". Caller frees;
 * NULL when out of memory. */
char *csvb_text_dirname(const char *path);

/* The file name in path: what follows its last '/' (all of path when it has none; "" when it
 * ends in '/'). Borrows from path. */
const char *csvb_text_basename(const char *path);

/* ---- ASCII ------------------------------------------------------------------------------- */

/* ASCII case-insensitive equality of a[0..alen) and b[0..blen): only A-Z and a-z fold, so
 * look-alikes (Cyrillic А) and other scripts compare exactly, as PowerShell's -eq on ASCII. */
bool csvb_text_ieq(const char *a, size_t alen, const char *b, size_t blen);

/* ---- Byte counts for people -------------------------------------------------------------- */

#define CSVB_TEXT_BYTES_MAX 32

/* Writes bytes in decimal units into buf (CSVB_TEXT_BYTES_MAX bytes is always enough): "0 B",
 * "999 B", "1.0 KB", "437.2 KB", "12.3 MB", "1.25 GB" (below 1000 the exact count; one decimal
 * up to MB, two for GB). Returns buf. */
const char *csvb_text_bytes(uint64_t bytes, char *buf, size_t size);

/* ---- Terminal-safe text ------------------------------------------------------------------ */
/* One rule for everything printed for a person (diagnostics, the table, the previews, the
 * progress line): a control byte (below 0x20, or DEL) is written as \n, \r, \t or \xNN, so a
 * file name or a field can never move the cursor or end a line; a byte that does not start valid
 * UTF-8 is \xNN too (one rule for every byte a terminal cannot be trusted to show), and an
 * invisible character (C1 controls, zero-width spaces, bidirectional overrides, U+FEFF...) is
 * \uXXXX in lower-case hex (\ufeff). Other characters pass unchanged (UTF-8 stays readable). */

/* The escaped form of s[0..n) into dst (size bytes, NUL-terminated when size > 0, cut short
 * when too small, never in the middle of an escape). Returns the length of the whole escaped
 * form, as snprintf does. */
size_t csvb_text_escape(char *dst, size_t size, const char *s, size_t n);

/* Writes the escaped form of s[0..n) to out. Returns 0, or EOF when out failed. */
int csvb_text_put_escaped(FILE *out, const char *s, size_t n);

/* Terminal columns the escaped form of s[0..n) takes (csvb_utf8_width of it: an escape is
 * ASCII, so \n counts 2 and \x1B counts 4). */
size_t csvb_text_escaped_width(const char *s, size_t n);

/* The escaped form of s[0..n) cut to at most `columns` terminal columns by taking out its middle
 * (its start and its end are kept, the end the larger half, joined by U+2026 "…"), never inside
 * an escape or a character, into dst (size bytes, always NUL-terminated when size > 0). Nothing
 * is cut when it fits. Returns the bytes written (0 also when memory ran out: dst is then ""). */
size_t csvb_text_elide(char *dst, size_t size, const char *s, size_t n, size_t columns);

/* csvb_text_elide, but cutting the end (a message: its start says most), "…" last. */
size_t csvb_text_cut(char *dst, size_t size, const char *s, size_t n, size_t columns);

/* ---- Growable arrays --------------------------------------------------------------------- */

/* Makes room for at least `need` elements of elem_size bytes in the array whose address is
 * items_ptr (a T **, passed as void *, so any element type goes without a cast) and whose
 * capacity (in elements) is *cap. Grows by doubling, from 8 elements; does nothing when *cap >=
 * need. On CSVB_E_NOMEM (allocation failed, or the array would pass PTRDIFF_MAX bytes) the
 * array and *cap are unchanged. */
enum csvb_err csvb_vec_reserve(void *items_ptr, size_t *cap, size_t need, size_t elem_size);

/* Appends the owned string s to the string array *items (count *n, capacity *cap), which then
 * owns it. False, with s freed and the array unchanged, when s is NULL or memory runs out. */
bool csvb_text_push(char ***items, size_t *n, size_t *cap, char *s);

/* A new string formatted as printf would (caller frees), or NULL when out of memory. */
char *csvb_text_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- Owned rows -------------------------------------------------------------------------- */

/* A row that owns its bytes (a header kept past the reader's callback, a preview row). */
struct csvb_rowcopy {
    struct csvb_field *fields; /* owned: nfields entries, pointing into text */
    char *text;                /* owned: every field's bytes, each followed by a NUL */
    size_t nfields;
    unsigned long line;
};

/* Sets c to the empty row (no allocation). */
void csvb_rowcopy_init(struct csvb_rowcopy *c);

/* Replaces c's content with a copy of row (fields, lengths, line). A field with a NULL ptr
 * (PowerShell's $null) becomes an empty one. Each copied field is also NUL-terminated (the ptr
 * may be printed as a string when the field holds no NUL). On CSVB_E_NOMEM c is unchanged. */
enum csvb_err csvb_rowcopy_set(struct csvb_rowcopy *c, const struct csvb_row *row);

/* A view of c as a reader row; borrows from c (valid until c changes or is freed). */
struct csvb_row csvb_rowcopy_row(const struct csvb_rowcopy *c);

/* Frees what c owns and leaves it empty. NULL-safe, safe to call twice. */
void csvb_rowcopy_fini(struct csvb_rowcopy *c);

/* A list of owned rows, in the order appended. All zero bytes is a valid empty list. */
struct csvb_rows {
    struct csvb_rowcopy *rows; /* owned: n entries */
    size_t n, cap;
};

/* Sets r to the empty list (no allocation). */
void csvb_rows_init(struct csvb_rows *r);

/* Appends a copy of row (as csvb_rowcopy_set). On CSVB_E_NOMEM r is unchanged. */
enum csvb_err csvb_rows_append(struct csvb_rows *r, const struct csvb_row *row);

/* Frees every row and the list, and leaves it empty. NULL-safe, safe to call twice. */
void csvb_rows_fini(struct csvb_rows *r);

#endif
