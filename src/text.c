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

/* The escape of byte c into esc (5 bytes), or NULL when c passes unchanged. */
static const char *escape_of(unsigned char c, char esc[5])
{
    if (c == '\n')
        return "\\n";
    if (c == '\r')
        return "\\r";
    if (c == '\t')
        return "\\t";
    if (c >= 0x20 && c != 0x7f)
        return NULL;
    static const char hex[] = "0123456789ABCDEF";
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
    for (size_t i = 0; i < n; i++) {
        char esc[5], one[2] = {s[i], '\0'};
        const char *piece = escape_of((unsigned char)s[i], esc);
        if (piece == NULL)
            piece = one;
        size_t len = piece == one ? 1 : strlen(piece);
        if (!full && used + len < size)
            memcpy(dst + used, piece, len);
        else if (!full) {
            dst[used] = '\0';
            full = true;
        }
        used += len;
    }
    if (!full)
        dst[used] = '\0';
    return used;
}

int csvb_text_put_escaped(FILE *out, const char *s, size_t n)
{
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        char esc[5];
        const char *piece = escape_of((unsigned char)s[i], esc);
        if (piece == NULL)
            continue;
        /* Plain runs go out whole: one fwrite per run, not one call per byte. */
        if (fwrite(s + start, 1, i - start, out) != i - start || fputs(piece, out) == EOF)
            return EOF;
        start = i + 1;
    }
    return fwrite(s + start, 1, n - start, out) == n - start ? 0 : EOF;
}

size_t csvb_text_escaped_width(const char *s, size_t n)
{
    size_t width = 0, start = 0;
    for (size_t i = 0; i < n; i++) {
        char esc[5];
        const char *piece = escape_of((unsigned char)s[i], esc);
        if (piece == NULL)
            continue;
        width += csvb_utf8_width(s + start, i - start) + strlen(piece);
        start = i + 1;
    }
    return width + csvb_utf8_width(s + start, n - start);
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
