/* text.c — the one version of each small helper: path parts, ASCII compare, human byte counts,
 * terminal-safe text, growable arrays, owned rows. */
#include "csvbatch/text.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/utf8.h"

char *csvb_text_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return strdup(".");
    size_t len = (size_t)(slash - path);
    while (len > 0 && path[len - 1] == '/')
        len--;
    return len == 0 ? strdup("/") : strndup(path, len);
}

const char *csvb_text_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

bool csvb_text_ieq(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen != blen)
        return false;
    for (size_t i = 0; i < alen; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x != y) {
            if (x >= 'A' && x <= 'Z')
                x = (unsigned char)(x + 32);
            if (y >= 'A' && y <= 'Z')
                y = (unsigned char)(y + 32);
            if (x != y)
                return false;
        }
    }
    return true;
}

const char *csvb_text_bytes(uint64_t bytes, char *buf, size_t size)
{
    if (bytes < 1000)
        snprintf(buf, size, "%llu B", (unsigned long long)bytes);
    else if (bytes < 1000000)
        snprintf(buf, size, "%.1f KB", (double)bytes / 1e3);
    else if (bytes < 1000000000)
        snprintf(buf, size, "%.1f MB", (double)bytes / 1e6);
    else
        snprintf(buf, size, "%.2f GB", (double)bytes / 1e9);
    return buf;
}

/* Characters a terminal shows as nothing, or that reorder what follows: C1 controls, the soft
 * hyphen, zero-width spaces and marks, bidirectional overrides and isolates, word joiners,
 * U+FEFF (a BOM read as data) and the interlinear annotation marks. Written as \uXXXX so a name
 * that holds one can be told from one that does not. (U+200D, the joiner emoji sequences need,
 * stays: it is shown, as part of its sequence.) */
static bool invisible(unsigned cp)
{
    return (cp >= 0x80 && cp <= 0x9f) || cp == 0xad || (cp >= 0x200b && cp <= 0x200c) ||
           (cp >= 0x200e && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
           (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb);
}

/* The piece that stands for the character or byte starting s[0..n) (n >= 1), with its length in
 * *len: NULL when those *len bytes pass unchanged, else the escape, written into esc (7 bytes):
 * \n, \r, \t, \xNN for another control byte or a byte that does not start valid UTF-8, \uXXXX
 * for an invisible character. */
static const char *escape_at(const char *s, size_t n, size_t *len, char esc[7])
{
    static const char hex[] = "0123456789ABCDEF", lower[] = "0123456789abcdef";
    unsigned char c = (unsigned char)s[0];
    *len = 1;
    if (c == '\n')
        return "\\n";
    if (c == '\r')
        return "\\r";
    if (c == '\t')
        return "\\t";
    if (c >= 0x20 && c < 0x7f)
        return NULL;
    unsigned cp = 0;
    size_t clen = c >= 0x80 ? csvb_utf8_decode((const unsigned char *)s, n, &cp) : 0;
    if (clen > 0 && !invisible(cp)) {
        *len = clen;
        return NULL;
    }
    if (clen > 0) {
        *len = clen;
        snprintf(esc, 7, "\\u%c%c%c%c", lower[(cp >> 12) & 0xF], lower[(cp >> 8) & 0xF],
                 lower[(cp >> 4) & 0xF], lower[cp & 0xF]);
        return esc;
    }
    esc[0] = '\\';
    esc[1] = 'x';
    esc[2] = hex[c >> 4];
    esc[3] = hex[c & 0xF];
    esc[4] = '\0';
    return esc;
}

size_t csvb_text_escape(char *dst, size_t size, const char *s, size_t n)
{
    size_t used = 0;
    bool full = size == 0;
    for (size_t i = 0; i < n;) {
        char esc[7];
        size_t step;
        const char *piece = escape_at(s + i, n - i, &step, esc);
        size_t len = piece == NULL ? step : strlen(piece);
        if (piece == NULL)
            piece = s + i;
        if (!full && used + len < size)
            memcpy(dst + used, piece, len);
        else if (!full) {
            dst[used] = '\0';
            full = true;
        }
        used += len;
        i += step;
    }
    if (!full)
        dst[used] = '\0';
    return used;
}

int csvb_text_put_escaped(FILE *out, const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n;) {
        char esc[7];
        size_t step;
        const char *piece = escape_at(s + i, n - i, &step, esc);
        if (piece != NULL) {
            /* Plain runs go out whole: one fwrite per run, not one call per byte. */
            if (fwrite(s + start, 1, i - start, out) != i - start || fputs(piece, out) == EOF)
                return EOF;
            start = i + step;
        }
        i += step;
    }
    return fwrite(s + start, 1, n - start, out) == n - start ? 0 : EOF;
}

size_t csvb_text_escaped_width(const char *s, size_t n)
{
    size_t width = 0, start = 0;
    for (size_t i = 0; i < n;) {
        char esc[7];
        size_t step;
        const char *piece = escape_at(s + i, n - i, &step, esc);
        if (piece != NULL) {
            width += csvb_utf8_width(s + start, i - start) + strlen(piece);
            start = i + step;
        }
        i += step;
    }
    return width + csvb_utf8_width(s + start, n - start);
}

/* The length of the unit of escaped text that starts s[0..n): a whole escape (\\n, \\xNN,
 * \\uXXXX) or one UTF-8 character, so that a cut never splits either. */
static size_t unit_len(const char *s, size_t n)
{
    if (s[0] == '\\' && n >= 2) {
        size_t want = s[1] == 'x' ? 4 : s[1] == 'u' ? 6 : 2;
        return want <= n ? want : n;
    }
    unsigned cp;
    size_t len = csvb_utf8_decode((const unsigned char *)s, n, &cp);
    return len == 0 ? 1 : len;
}

/* The escaped form of s[0..n), owned (caller frees), its length in *len; NULL when out of
 * memory. */
static char *escaped_copy(const char *s, size_t n, size_t *len)
{
    *len = csvb_text_escape(NULL, 0, s, n);
    char *esc = calloc(*len + 1, 1); /* zeroed: every byte defined, whatever escape wrote */
    if (esc != NULL)
        csvb_text_escape(esc, *len + 1, s, n);
    return esc;
}

size_t csvb_text_cut(char *dst, size_t size, const char *s, size_t n, size_t columns)
{
    if (size == 0)
        return 0;
    size_t elen, out = 0;
    char *esc = escaped_copy(s, n, &elen);
    if (esc == NULL) {
        dst[0] = '\0';
        return 0;
    }
    bool cut = csvb_utf8_width(esc, elen) > columns;
    size_t room = cut && columns > 0 ? columns - 1 : columns, used_w = 0, keep = 0;
    while (keep < elen) {
        size_t u = unit_len(esc + keep, elen - keep), w = csvb_utf8_width(esc + keep, u);
        if (used_w + w > room)
            break;
        used_w += w;
        keep += u;
    }
    for (; out < keep && out + 1 < size; out++)
        dst[out] = esc[out];
    for (const char *e = cut && columns > 0 ? "\xe2\x80\xa6" : ""; *e != '\0' && out + 1 < size;
         e++)
        dst[out++] = *e;
    dst[out] = '\0';
    free(esc);
    return out;
}

size_t csvb_text_elide(char *dst, size_t size, const char *s, size_t n, size_t columns)
{
    if (size == 0)
        return 0;
    size_t elen;
    char *esc = escaped_copy(s, n, &elen);
    if (esc == NULL) {
        dst[0] = '\0';
        return 0;
    }
    size_t width = csvb_utf8_width(esc, elen), head = elen, tail = elen;
    bool cut = width > columns;
    if (cut) {
        /* The ellipsis takes one column; the head gets half the rest, the tail (where a file
         * name and its extension are) the other half and what the head could not use. */
        size_t room = columns > 0 ? columns - 1 : 0, head_w = 0;
        head = 0;
        while (head < elen) {
            size_t u = unit_len(esc + head, elen - head), w = csvb_utf8_width(esc + head, u);
            if (head_w + w > room / 2)
                break;
            head_w += w;
            head += u;
        }
        size_t tail_w = width - head_w;
        for (tail = head; tail < elen && head_w + tail_w > room;) {
            size_t u = unit_len(esc + tail, elen - tail);
            tail_w -= csvb_utf8_width(esc + tail, u);
            tail += u;
        }
    }
    size_t out = 0;
    for (size_t i = 0; i < head && out + 1 < size; i++)
        dst[out++] = esc[i];
    for (const char *e = cut && columns > 0 ? "\xe2\x80\xa6" : ""; *e != '\0' && out + 1 < size;
         e++)
        dst[out++] = *e;
    for (size_t i = tail; i < elen && out + 1 < size; i++)
        dst[out++] = esc[i];
    dst[out] = '\0';
    free(esc);
    return out;
}

bool csvb_text_push(char ***items, size_t *n, size_t *cap, char *s)
{
    if (s == NULL || csvb_vec_reserve(items, cap, *n + 1, sizeof **items) != CSVB_OK) {
        free(s);
        return false;
    }
    (*items)[(*n)++] = s;
    return true;
}

enum csvb_err csvb_vec_reserve(void *items_ptr, size_t *cap, size_t need, size_t elem_size)
{
    if (need <= *cap)
        return CSVB_OK;
    size_t grown = *cap >= 8 ? *cap : 8;
    while (grown < need)
        grown = grown <= SIZE_MAX / 2 ? grown * 2 : need;
    /* No object may exceed PTRDIFF_MAX bytes (pointer differences inside it must work). */
    if (elem_size != 0 && grown > (size_t)PTRDIFF_MAX / elem_size)
        return CSVB_E_NOMEM;
    /* The pointer is read and written through memcpy: the caller's T * is not a void * object,
     * and an access through a void ** lvalue would break the aliasing rules. */
    void *items;
    memcpy(&items, items_ptr, sizeof items);
    void *bigger = realloc(items, grown * elem_size);
    if (bigger == NULL)
        return CSVB_E_NOMEM;
    memcpy(items_ptr, &bigger, sizeof bigger);
    *cap = grown;
    return CSVB_OK;
}

void csvb_rowcopy_init(struct csvb_rowcopy *c)
{
    memset(c, 0, sizeof *c);
}

enum csvb_err csvb_rowcopy_set(struct csvb_rowcopy *c, const struct csvb_row *row)
{
    size_t total = 0;
    for (size_t i = 0; i < row->nfields; i++) {
        if (row->fields[i].len >= SIZE_MAX - total)
            return CSVB_E_NOMEM;
        total += row->fields[i].len + 1;
    }
    /* One block for the field table, one for the bytes; at least one byte each, so that an
     * empty row still owns something and NULL means "nothing allocated". */
    struct csvb_field *fields = calloc(row->nfields ? row->nfields : 1, sizeof *fields);
    char *text = malloc(total ? total : 1);
    if (fields == NULL || text == NULL) {
        free(fields);
        free(text);
        return CSVB_E_NOMEM;
    }
    size_t used = 0;
    for (size_t i = 0; i < row->nfields; i++) {
        size_t len = row->fields[i].ptr != NULL ? row->fields[i].len : 0;
        if (len > 0)
            memcpy(text + used, row->fields[i].ptr, len);
        text[used + len] = '\0';
        fields[i] = (struct csvb_field){text + used, len};
        used += len + 1;
    }
    csvb_rowcopy_fini(c);
    c->fields = fields;
    c->text = text;
    c->nfields = row->nfields;
    c->line = row->line;
    return CSVB_OK;
}

struct csvb_row csvb_rowcopy_row(const struct csvb_rowcopy *c)
{
    return (struct csvb_row){c->fields, c->nfields, c->line};
}

void csvb_rowcopy_fini(struct csvb_rowcopy *c)
{
    if (c == NULL)
        return;
    free(c->fields);
    free(c->text);
    csvb_rowcopy_init(c);
}

void csvb_rows_init(struct csvb_rows *r)
{
    memset(r, 0, sizeof *r);
}

enum csvb_err csvb_rows_append(struct csvb_rows *r, const struct csvb_row *row)
{
    if (r->n == SIZE_MAX ||
        csvb_vec_reserve(&r->rows, &r->cap, r->n + 1, sizeof *r->rows) != CSVB_OK)
        return CSVB_E_NOMEM;
    struct csvb_rowcopy *c = &r->rows[r->n];
    csvb_rowcopy_init(c);
    if (csvb_rowcopy_set(c, row) != CSVB_OK)
        return CSVB_E_NOMEM;
    r->n++;
    return CSVB_OK;
}

void csvb_rows_fini(struct csvb_rows *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n; i++)
        csvb_rowcopy_fini(&r->rows[i]);
    free(r->rows);
    csvb_rows_init(r);
}

char *csvb_text_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return s;
}
