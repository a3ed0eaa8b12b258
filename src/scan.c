/* scan.c — the fast path: whole records split on the structural bytes outside quotes.
 *
 * Per 64-byte block the kernel gives the quotes Q, the in-quote mask M (prefix XOR, carried),
 * the delimiters and line ends. Outside quotes they are structural: S = (delimiter|LF|CR) & ~M.
 * A quote with M set opens (or, right after a closing quote, is the second half of a doubled
 * one); with M clear it closes. A quote that would open elsewhere than at a field start or right
 * after a closing quote stands inside an unquoted field, where it is text (csvfeed.h's strict
 * grammar, Python's): it leaves the quote mask and M flips from it on, as if it were not there
 * (check_block, once per such quote). The grammar then reduces to one more mask check: a closing
 * quote is followed by a structural byte or an opening quote (a doubled quote). Any other quote
 * (text after a closing quote) is a byte csvfeed refuses: the scan stops before its record and
 * the reader hands that record to libcsv, whose error it reports. So the only bytes the loop
 * visits one by one are the structural ones, the second quotes of doubled pairs (to mark the
 * field for unescaping) and the line ends inside quotes (to count lines). */
#include "csvbatch/scan.h"

#include <stdlib.h>
#include <string.h>

/* The scanner within the current record. */
struct state {
    const char *base, *end;
    struct csvb_scan *sc;
    const char *record, *field;
    const char *skip_lf;     /* the LF of a CRLF that ended the previous record */
    const char *after_break; /* just past the record's last quoted line end */
    size_t nfields;          /* fields recorded, the current record's included */
    size_t record_first;     /* fields recorded before the current record */
    size_t breaks;           /* quoted line ends in the current record */
    size_t arena_used, record_arena;
    bool escaped;   /* the current field holds doubled quotes */
    bool can_unesc; /* the arena holds n bytes */
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
    sc->arena = NULL;
    sc->arena_cap = 0;
    sc->kernel = csvb_scan_kernel(CSVB_SCAN_AUTO, &sc->isa);
    sc->fields = malloc(sc->fields_cap * sizeof *sc->fields);
    if (sc->fields == NULL)
        return csvb_diag_set(d, CSVB_E_NOMEM, 0, "out of memory");
    return CSVB_OK;
}

enum csvb_scan_isa csvb_scan_force(struct csvb_scan *sc, enum csvb_scan_isa want)
{
    sc->kernel = csvb_scan_kernel(want, &sc->isa);
    return sc->isa;
}

void csvb_scan_fini(struct csvb_scan *sc)
{
    free(sc->fields);
    free(sc->arena);
    sc->fields = NULL;
    sc->arena = NULL;
    sc->fields_cap = sc->arena_cap = 0;
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

/* Copies the content of a quoted field with doubled quotes, undoubled, into the arena. */
static struct csvb_field unescape(struct state *st, const char *s, size_t n)
{
    char *out = st->sc->arena + st->arena_used, *o = out;
    const char *end = s + n;
    while (s < end) {
        const char *q = memchr(s, '"', (size_t)(end - s));
        size_t k = q != NULL ? (size_t)(q - s) + 1 : (size_t)(end - s);
        memcpy(o, s, k);
        o += k;
        s += k + (q != NULL); /* the quote's twin is skipped */
    }
    st->arena_used += (size_t)(o - out);
    return (struct csvb_field){out, (size_t)(o - out)};
}

/* Records the field [st->field, fe). False when the table is full. */
static inline __attribute__((always_inline)) bool add_field(struct state *st, const char *fe)
{
    struct csvb_scan *sc = st->sc;
    if (st->nfields == sc->fields_cap) {
        sc->full = true;
        return false;
    }
    const char *fs = st->field;
    struct csvb_field f = {fs, (size_t)(fe - fs)};
    if (fe > fs && *fs == '"') /* quoted: the checks guarantee the closing quote at fe - 1 */
        f = st->escaped ? unescape(st, fs + 1, f.len - 2) : (struct csvb_field){fs + 1, f.len - 2};
    st->escaped = false;
    sc->fields[st->nfields++] = f;
    return true;
}

/* Records the record that ends at fe (its line end, or the input's end) and goes on at next.
 * False to stop before it (undoing its fields). */
static bool end_record(struct state *st, const char *fe, const char *next)
{
    struct csvb_scan *sc = st->sc;
    size_t len = (size_t)(fe - st->record);
    bool ok = len <= sc->max_len;
    if (ok && sc->nlines == CSVB_SCAN_LINES)
        ok = !(sc->full = true);
    if (ok && len > 0)
        ok = add_field(st, fe);
    if (!ok) {
        st->nfields = st->record_first;
        st->arena_used = st->record_arena;
        return false;
    }
    const char *last = st->breaks > 0 ? st->after_break : st->record;
    sc->lines[sc->nlines++] =
        (struct csvb_scan_line){(size_t)(next - st->base), len, st->nfields - st->record_first,
                                st->breaks, (size_t)(fe - last)};
    st->record_first = st->nfields;
    st->record_arena = st->arena_used;
    st->record = st->field = next;
    st->breaks = 0;
    st->escaped = false;
    return true;
}

/* A structural byte at q (delimiter, LF or CR outside quotes). False to stop. */
static inline __attribute__((always_inline)) bool structural(struct state *st, const char *q,
                                                             bool final)
{
    char c = *q;
    if (c == st->sc->delimiter) {
        if (!add_field(st, q))
            return false;
        st->field = q + 1;
        return true;
    }
    if (c == '\n')
        return q == st->skip_lf || end_record(st, q, q + 1);
    if (q + 1 == st->end) /* a CR: is it a CRLF? */
        return final && end_record(st, q, q + 1);
    if (q[1] != '\n')
        return end_record(st, q, q + 1);
    st->skip_lf = q + 1;
    return end_record(st, q, q + 2);
}

/* The per-block quote checks (see the top). */
struct block_bits {
    uint64_t events, structural, escapes, breaks;
};

/* Bits of block p's masks m; `prev_structural` and `prev_close` carry bit 63 of the previous
 * block (or 1 and 0 at the scan's start); `next_ok`: the byte after the block may follow a
 * closing quote. A quote that would open a field mid-way (per M, it is outside quotes before it)
 * stands inside an unquoted field and is text: it leaves m's quote mask, and M from it on is
 * flipped, as is *carry into the next block (`valid`: the block's bytes, a tail's fewer), before
 * the checks are made again. Returns the events to visit; a bad quote (text after a closing
 * quote) is an event of no class. */
static inline __attribute__((always_inline)) struct block_bits
check_block(struct csvb_scan_masks *m, uint64_t *carry, uint64_t valid, uint64_t *prev_structural,
            uint64_t *prev_close, uint64_t next_ok)
{
    uint64_t s, open, close, field_start, after_close, text;
    for (;;) {
        s = m->structural & ~m->in_quote;
        open = m->quote & m->in_quote, close = m->quote & ~m->in_quote;
        field_start = s << 1 | *prev_structural, after_close = close << 1 | *prev_close;
        text = open & ~field_start & ~after_close;
        if (text == 0)
            break;
        uint64_t bit = text & (0 - text);
        m->quote &= ~bit;
        m->in_quote ^= (0 - bit) & valid; /* bits from the quote on */
        *carry = ~*carry;
    }
    uint64_t escapes = open & after_close;
    uint64_t bad = close & ~((s | open) >> 1 | next_ok << 63);
    uint64_t breaks = m->line_end & m->in_quote;
    *prev_structural = s >> 63;
    *prev_close = close >> 63;
    return (struct block_bits){s | escapes | breaks | bad, s, escapes, breaks};
}

/* Visits the events of the block at p. False to stop. */
static inline __attribute__((always_inline)) bool visit(struct state *st, const char *p,
                                                        struct block_bits b, bool final)
{
    while (b.events != 0) {
        unsigned i = (unsigned)__builtin_ctzll(b.events);
        uint64_t bit = (uint64_t)1 << i;
        b.events &= b.events - 1;
        const char *q = p + i;
        if (b.structural & bit) {
            if (!structural(st, q, final))
                return false;
        } else if (b.escapes & bit) {
            if (!st->can_unesc)
                return false;
            st->escaped = true;
        } else if (b.breaks & bit) {
            st->breaks += *q == '\r' || q[-1] != '\r';
            st->after_break = q + 1;
        } else {
            return false; /* a quote libcsv must see */
        }
    }
    return true;
}

/* Makes the arena hold n bytes (unescaped fields are never longer than their raw bytes). */
static bool reserve_arena(struct csvb_scan *sc, size_t n)
{
    if (sc->arena_cap >= n)
        return true;
    char *a = realloc(sc->arena, n);
    if (a == NULL)
        return false;
    sc->arena = a;
    sc->arena_cap = n;
    return true;
}

size_t csvb_scan_lines(struct csvb_scan *sc, const char *s, size_t n, bool final)
{
    struct state st = {.base = s, .end = s + n, .sc = sc, .record = s, .field = s};
    st.can_unesc = reserve_arena(sc, n);
    sc->nfields = sc->nlines = 0;
    sc->full = false;
    uint64_t carry = 0, prev_structural = 1, prev_close = 0;
    struct csvb_scan_masks m;
    const char *p = s, *end = s + n;
    bool go = true;
    for (; go && p + 64 <= end; p += 64) {
        sc->kernel(p, sc->delimiter, &carry, &m);
        uint64_t next_ok = 1; /* at the input's end: the record is cut or ends there */
        if (p + 64 < end) {
            char c = p[64];
            next_ok = c == sc->delimiter || c == '\n' || c == '\r' || c == '"';
        }
        go = visit(&st, p,
                   check_block(&m, &carry, ~(uint64_t)0, &prev_structural, &prev_close, next_ok),
                   final);
    }
    if (go && p < end) { /* the tail, padded: masks beyond it cleared */
        char tail[64] = {0};
        memcpy(tail, p, (size_t)(end - p));
        sc->kernel(tail, sc->delimiter, &carry, &m);
        uint64_t valid = ((uint64_t)1 << (end - p)) - 1;
        m.quote &= valid;
        m.structural &= valid;
        m.line_end &= valid;
        m.in_quote &= valid;
        struct block_bits b = check_block(&m, &carry, valid, &prev_structural, &prev_close, 0);
        carry = (uint64_t)0 - (m.in_quote >> (end - p - 1) & 1);
        uint64_t last_close = m.quote & ~m.in_quote & (valid ^ (valid >> 1));
        b.events &= ~last_close; /* a closing quote as the last byte: decided below */
        go = visit(&st, p, b, final);
    }
    if (go && final && st.record < end && carry == 0)
        end_record(&st, end, end);
    sc->nfields = st.record_first;
    return (size_t)(st.record - s);
}
