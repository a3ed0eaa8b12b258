/* test_scan.c — the fast-path scanner, SIMD and scalar, against a trivial byte-at-a-time
 * reference: delimiters at 16/32/64-byte block edges, LF, CRLF, lone CRs, quotes, empty fields,
 * bytes >= 0x80, the last line without LF, full tables and over-long lines. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/scan.h"

/* The scalar fallback, built from the same source without SSE2, under other names. */
#undef __SSE2__
#define csvb_scan_init scalar_scan_init
#define csvb_scan_fini scalar_scan_fini
#define csvb_scan_grow scalar_scan_grow
#define csvb_scan_lines scalar_scan_lines
#include "../src/scan.c"
#undef csvb_scan_init
#undef csvb_scan_fini
#undef csvb_scan_grow
#undef csvb_scan_lines

/* The reference: "LEN/END:[f][f]..\n" per line taken, then "=CONSUMED" and "+" when full. */
static char *reference(const char *s, size_t n, char delim, bool final, size_t max_len,
                       size_t fields_cap, size_t lines_cap)
{
    char *out = calloc(1, 64 * n + 64);
    size_t o = 0, pos = 0, nfields = 0, nlines = 0;
    bool full = false;
    while (pos < n) {
        size_t end = pos;
        while (end < n && s[end] != '\n')
            end++;
        if (end == n && !final)
            break;
        size_t len = end - pos;
        if (end < n && len > 0 && s[end - 1] == '\r')
            len--;
        if (memchr(s + pos, '"', end - pos) != NULL || memchr(s + pos, '\r', len) != NULL ||
            (end == n && len > 0 && s[end - 1] == '\r') || len > max_len)
            break;
        size_t count = 0;
        for (size_t i = pos; len > 0 && i <= pos + len; i++)
            count += i == pos + len || s[i] == delim;
        if (nlines == lines_cap || nfields + count > fields_cap) {
            full = true;
            break;
        }
        size_t next = end < n ? end + 1 : n;
        o += (size_t)sprintf(out + o, "%zu/%zu:", len, next);
        size_t start = pos;
        for (size_t i = pos; len > 0 && i <= pos + len; i++) {
            if (i == pos + len || s[i] == delim) {
                out[o++] = '[';
                memcpy(out + o, s + start, i - start);
                o += i - start;
                out[o++] = ']';
                start = i + 1;
            }
        }
        out[o++] = '\n';
        nfields += count;
        nlines++;
        pos = next;
    }
    sprintf(out + o, "=%zu%s", pos, full ? "+" : "");
    return out;
}

/* The same rendering of what a scanner recorded. */
static char *render(const struct csvb_scan *sc, const char *s, size_t used)
{
    size_t total = 64;
    for (size_t i = 0; i < sc->nfields; i++)
        total += sc->fields[i].len + 2;
    char *out = calloc(1, total + 32 * sc->nlines);
    size_t o = 0, f = 0;
    for (size_t k = 0; k < sc->nlines; k++) {
        const struct csvb_scan_line *l = &sc->lines[k];
        o += (size_t)sprintf(out + o, "%zu/%zu:", l->len, l->end);
        for (size_t i = 0; i < l->nfields; i++, f++) {
            const struct csvb_field *fd = &sc->fields[f];
            cr_assert(fd->ptr >= s && fd->ptr + fd->len <= s + l->end, "field outside its line");
            out[o++] = '[';
            memcpy(out + o, fd->ptr, fd->len);
            o += fd->len;
            out[o++] = ']';
        }
        out[o++] = '\n';
    }
    cr_assert_eq(f, sc->nfields);
    sprintf(out + o, "=%zu%s", used, sc->full ? "+" : "");
    return out;
}

static void check(const char *s, size_t n, char delim, bool final, size_t max_len,
                  size_t fields_cap, const char *what)
{
    char *want = reference(s, n, delim, final, max_len, fields_cap, CSVB_SCAN_LINES);
    for (int scalar = 0; scalar < 2; scalar++) {
        struct csvb_scan sc;
        struct csvb_diag d;
        csvb_diag_init(&d);
        cr_assert_eq((scalar ? scalar_scan_init : csvb_scan_init)(&sc, delim, max_len, fields_cap,
                                                                  fields_cap, &d),
                     CSVB_OK);
        /* an unaligned copy with a guard byte that must not be read as part of the input */
        char *copy = malloc(n + 2);
        memcpy(copy + 1, s, n);
        copy[n + 1] = '\n';
        size_t used = (scalar ? scalar_scan_lines : csvb_scan_lines)(&sc, copy + 1, n, final);
        char *got = render(&sc, copy + 1, used);
        cr_assert_str_eq(got, want, "%s (scalar %d, delimiter 0x%02X, final %d, max %zu, cap %zu)",
                         what, scalar, (unsigned char)delim, final, max_len, fields_cap);
        free(got);
        free(copy);
        (scalar ? scalar_scan_fini : csvb_scan_fini)(&sc);
    }
    free(want);
}

static void check_all(const char *s, size_t n, const char *what)
{
    static const char delims[] = {',', ';', '\t'};
    for (size_t k = 0; k < sizeof delims; k++)
        for (int final = 0; final < 2; final++)
            check(s, n, delims[k], final, (size_t)-1, 4096, what);
}

struct scan_case {
    const char *name, *in;
};

static const struct scan_case cases[] = {
    {"lf", "a,b\n1,2\n"},
    {"crlf", "a,b\r\n1,2\r\n"},
    {"lone cr stops", "a,b\n1\r2\n3\n"},
    {"cr at the end", "a,b\n1,2\r"},
    {"cr cr lf", "a\r\r\nb\n"},
    {"quote stops", "a,b\nx\"y\nz\n"},
    {"quoted line", "\"a\",b\nc\n"},
    {"blank lines", "\n\r\n\na\n\n"},
    {"empty fields", ",,\n,\n;;\t\t\n"},
    {"no final newline", "a,b\nc,d"},
    {"high bytes", "\xC3\xA9,\xE6\x97\xA5\n\x80\xFF,\xAC\xBB\n"},
    {"tabs and semicolons", "a\tb;c,d\n"},
    {"nul", "a\0b,c\n"},
    {"only a cr", "\r"},
    {"empty", ""},
};

Test(scan, table)
{
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        size_t n = strlen(cases[k].in);
        if (strcmp(cases[k].name, "nul") == 0)
            n = 6;
        for (size_t cut = 0; cut <= n; cut++) /* every prefix: incomplete last lines */
            check_all(cases[k].in, cut, cases[k].name);
    }
}

/* A line with a structural byte at offset `at`, for every offset around the block edges. */
Test(scan, structural_bytes_at_block_edges)
{
    static const char structural[] = {',', ';', '\t', '\n', '\r', '"'};
    char buf[256];
    for (size_t len = 1; len <= 140; len++) {
        for (size_t at = 0; at < len; at++) {
            if (!(at % 16 <= 1 || at % 16 >= 14 || at < 3 || at + 3 > len))
                continue; /* near 16/32/48/64-byte edges, and the line's ends */
            for (size_t k = 0; k < sizeof structural; k++) {
                for (size_t i = 0; i < len; i++)
                    buf[i] = (char)('a' + i % 26);
                buf[at] = structural[k];
                buf[len] = '\n';
                memcpy(buf + len + 1, "x,y\n", 4);
                check_all(buf, len + 5, "one structural byte");
                buf[len] = '\r'; /* the line ends in CRLF */
                buf[len + 1] = '\n';
                check_all(buf, len + 2, "one structural byte, crlf");
            }
        }
    }
}

Test(scan, delimiter_every_byte_and_many_short_lines)
{
    char buf[700];
    for (size_t n = 0; n < 200; n++)
        buf[n] = n % 7 == 6 ? '\n' : ',';
    check_all(buf, 200, "delimiters only");
    size_t n = 0;
    for (int i = 0; i < 300; i++)
        buf[n++] = i % 3 == 0 ? '\n' : 'a';
    check_all(buf, n, "more lines than one call takes"); /* CSVB_SCAN_LINES */
}

Test(scan, full_tables_and_long_lines)
{
    const char *in = "a,b,c\nd,e\nf\n";
    size_t n = strlen(in);
    for (size_t cap = 1; cap <= 7; cap++)
        for (int final = 0; final < 2; final++)
            check(in, n, ',', final, (size_t)-1, cap, "small field table");
    for (size_t max = 0; max <= 6; max++)
        check(in, n, ',', true, max, 64, "max_len");
}

Test(scan, random_against_reference)
{
    static const char *const atoms[] = {"a",  "bc",       ",",    ",",    ";",
                                        "\t", "\n",       "\n",   "\r\n", "\r",
                                        "\"", "\xC3\xA9", "\xFF", " ",    "0123456789abcdef"};
    unsigned seed = 99;
    char buf[400];
    for (int iter = 0; iter < 3000; iter++) {
        size_t n = 0, count = (size_t)(rand_r(&seed) % 60);
        for (size_t i = 0; i < count; i++) {
            const char *a = atoms[(size_t)rand_r(&seed) % (sizeof atoms / sizeof atoms[0])];
            if (rand_r(&seed) % 4 == 0 && a[0] == '"')
                a = "a"; /* fewer quotes: longer scans */
            size_t len = strlen(a);
            if (n + len >= sizeof buf)
                break;
            memcpy(buf + n, a, len);
            n += len;
        }
        check_all(buf, n, "random");
    }
}

Test(scan, grow_doubles_up_to_the_limit)
{
    struct csvb_scan sc;
    struct csvb_diag d;
    csvb_diag_init(&d);
    cr_assert_eq(csvb_scan_init(&sc, ',', 100, 2, 5, &d), CSVB_OK);
    const char *in = "a,b,c,d,e\nf\n";
    cr_assert_eq(csvb_scan_lines(&sc, in, strlen(in), false), 0u);
    cr_assert(sc.full);
    cr_assert(csvb_scan_grow(&sc));
    cr_assert_eq(sc.fields_cap, 4u);
    cr_assert(csvb_scan_grow(&sc));
    cr_assert_eq(sc.fields_cap, 5u);
    cr_assert(!csvb_scan_grow(&sc));
    cr_assert_eq(csvb_scan_lines(&sc, in, strlen(in), false), 10u); /* "f" no longer fits */
    cr_assert(sc.full);
    cr_assert_eq(sc.nlines, 1u);
    cr_assert_eq(sc.lines[0].nfields, 5u);
    cr_assert_eq(csvb_scan_lines(&sc, in + 10, 2, false), 2u);
    cr_assert(!sc.full);
    csvb_scan_fini(&sc);
    csvb_scan_fini(&sc);
}
