/* scan.c — the quote-free fast path: whole lines split on the delimiter, 16 bytes per step. */
#include "csvbatch/scan.h"

#include <stdlib.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* The scanner within the current line. */
struct state {
    const char *base, *line, *field, *cr, *end;
    struct csvb_scan *sc;
    size_t nfields;    /* fields recorded, the current line's included */
    size_t line_first; /* fields recorded before the current line */
};

enum csvb_err csvb_scan_init(struct csvb_scan *sc, char delimiter, size_t max_len, size_t fields,
                             size_t max_fields, struct csvb_diag *d)
{
    sc->delimiter = delimiter;
    sc->max_len = max_len;
    sc->max_fields = max_fields;
    sc->fields_cap = fields < max_fields ? fields : max_fields;
    sc->nfields = sc->nlines = 0;
    sc->full = false;
    sc->fields = malloc(sc->fields_cap * sizeof *sc->fields);
    if (sc->fields == NULL)
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    return CSVB_OK;
}

void csvb_scan_fini(struct csvb_scan *sc)
{
    free(sc->fields);
    sc->fields = NULL;
    sc->fields_cap = 0;
}

bool csvb_scan_grow(struct csvb_scan *sc)
{
    if (sc->fields_cap >= sc->max_fields)
        return false;
    size_t cap = sc->fields_cap * 2 < sc->max_fields ? sc->fields_cap * 2 : sc->max_fields;
    struct csvb_field *f = realloc(sc->fields, cap * sizeof *f);
    if (f == NULL)
        return false;
    sc->fields = f;
    sc->fields_cap = cap;
    return true;
}

/* Records the line that ends at fe (its LF or CRLF, or the input's end) and goes on at next.
 * False to stop before it. */
static inline __attribute__((always_inline)) bool end_line(struct state *st, const char *fe,
                                                           const char *next)
{
    struct csvb_scan *sc = st->sc;
    size_t len = (size_t)(fe - st->line);
    if (len > sc->max_len)
        return false;
    if (sc->nlines == CSVB_SCAN_LINES || (len > 0 && st->nfields == sc->fields_cap)) {
        sc->full = true;
        return false;
    }
    if (len > 0)
        sc->fields[st->nfields++] = (struct csvb_field){st->field, (size_t)(fe - st->field)};
    sc->lines[sc->nlines++] =
        (struct csvb_scan_line){(size_t)(next - st->base), len, st->nfields - st->line_first};
    st->line_first = st->nfields;
    st->line = st->field = next;
    return true;
}

/* One structural byte at q (delimiter, LF, CR or quote). Returns false to stop before the
 * current line. Inlined: it is the fast path's inner loop. */
static inline __attribute__((always_inline)) bool event(struct state *st, const char *q)
{
    char c = *q;
    struct csvb_scan *sc = st->sc;
    if (c == sc->delimiter) {
        if (st->nfields == sc->fields_cap) {
            sc->full = true;
            return false;
        }
        sc->fields[st->nfields++] = (struct csvb_field){st->field, (size_t)(q - st->field)};
        st->field = q + 1;
        return true;
    }
    if (c == '\n')
        return end_line(st, st->cr == q - 1 ? q - 1 : q, q + 1);
    if (c == '\r' && q + 1 < st->end && q[1] == '\n') {
        st->cr = q;
        return true;
    }
    return false; /* a quote or a lone CR: not ours */
}

size_t csvb_scan_lines(struct csvb_scan *sc, const char *s, size_t n, bool final)
{
    struct state st = {s, s, s, NULL, s + n, sc, 0, 0};
    const char *p = s, *end = s + n;
    const char delimiter = sc->delimiter;
    bool go = true;
    sc->nfields = sc->nlines = 0;
    sc->full = false;
#ifdef __SSE2__
    const __m128i vd = _mm_set1_epi8(delimiter), vq = _mm_set1_epi8('"');
    const __m128i vr = _mm_set1_epi8('\r'), vn = _mm_set1_epi8('\n');
    for (; go && p + 16 <= end; p += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i hits = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, vd), _mm_cmpeq_epi8(v, vn)),
                                    _mm_or_si128(_mm_cmpeq_epi8(v, vq), _mm_cmpeq_epi8(v, vr)));
        unsigned mask = (unsigned)_mm_movemask_epi8(hits);
        while (mask != 0 && go) {
            go = event(&st, p + __builtin_ctz(mask));
            mask &= mask - 1;
        }
    }
#endif
    for (; go && p < end; p++) {
        char c = *p;
        if (c == delimiter || c == '\n' || c == '\r' || c == '"')
            go = event(&st, p);
    }
    if (go && final && st.line < end)
        end_line(&st, end, end);
    sc->nfields = st.line_first;
    return (size_t)(st.line - s);
}
