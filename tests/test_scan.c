/* test_scan.c — the fast-path scanner, with each kernel forced (scalar, SSE2, AVX2), against a
 * byte-at-a-time reference of its contract: quoted fields, doubled quotes, quoted line breaks,
 * LF / CRLF / lone CR, quotes inside unquoted fields (text), quotes and structural bytes at
 * 64-byte block edges and as the last byte
 * of the input, every prefix of every case (a record cut by the buffer's end), full tables and
 * over-long records; and the kernels' masks against each other. That the records are libcsv's
 * is checked in tests/test_reader.c and by the fuzz target. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/scan.h"

struct out {
    char *text;
    size_t len;
};

static void put(struct out *o, const char *s, size_t n)
{
    memcpy(o->text + o->len, s, n);
    o->len += n;
    o->text[o->len] = '\0';
}

static void putf(struct out *o, size_t a, size_t b, size_t c, size_t d)
{
    char head[96];
    int k = snprintf(head, sizeof head, "%zu/%zu/%zu/%zu:", a, b, c, d);
    put(o, head, (size_t)k);
}

/* One field of the reference at s[*i]: appends "[content]" to o. Returns 0 when taken (then
 * *i is at the byte after it), 1 when n cuts it, 2 when libcsv must see it. */
static int ref_field(const char *s, size_t n, size_t *i, char delim, size_t *breaks,
                     size_t *last_break, struct out *o)
{
    size_t k = *i;
    put(o, "[", 1);
    if (k < n && s[k] == '"') {
        for (k++;; k++) {
            if (k >= n)
                return 1;
            if (s[k] == '"') {
                if (k + 1 < n && s[k + 1] == '"') {
                    put(o, "\"", 1);
                    k++;
                    continue;
                }
                k++;
                break;
            }
            if (s[k] == '\r' || (s[k] == '\n' && s[k - 1] != '\r'))
                ++*breaks;
            if (s[k] == '\r' || s[k] == '\n')
                *last_break = k + 1;
            put(o, s + k, 1);
        }
        if (k < n && s[k] != delim && s[k] != '\n' && s[k] != '\r')
            return 2;
    } else {
        size_t from = k; /* a quote inside an unquoted field is text */
        while (k < n && s[k] != delim && s[k] != '\n' && s[k] != '\r')
            k++;
        put(o, s + from, k - from);
    }
    put(o, "]", 1);
    *i = k;
    return 0;
}

/* The reference: "LEN/END/BREAKS/TAIL:[f][f]..\n" per record taken, then "=CONSUMED" and "+"
 * when a table was full. */
static char *reference(const char *s, size_t n, char delim, bool final, size_t max_len,
                       size_t fields_cap)
{
    struct out o = {calloc(1, 64 * n + 64), 0};
    size_t pos = 0, nfields = 0, nlines = 0;
    bool full = false;
    while (pos < n) {
        struct out rec = {calloc(1, 8 * n + 64), 0};
        size_t i = pos, breaks = 0, last = pos, count = 0;
        int r = 0;
        bool blank = s[pos] == '\n' || s[pos] == '\r';
        while (!blank) {
            r = ref_field(s, n, &i, delim, &breaks, &last, &rec);
            count++;
            if (r != 0 || i == n || s[i] != delim)
                break;
            i++;
        }
        size_t next = i + 1;
        if (r == 0 && i == n)
            r = final ? 0 : 1, next = n;
        else if (r == 0 && s[i] == '\r')
            r = i + 1 == n && !final ? 1 : 0, next = i + 1 < n && s[i + 1] == '\n' ? i + 2 : i + 1;
        bool stop = r != 0 || i - pos > max_len;
        if (!stop && (nlines == CSVB_SCAN_LINES || nfields + count > fields_cap))
            stop = full = true;
        if (!stop) {
            putf(&o, i - pos, next, breaks, i - last);
            put(&o, rec.text, rec.len);
            put(&o, "\n", 1);
            nfields += count;
            nlines++;
            pos = next;
        }
        free(rec.text);
        if (stop)
            break;
    }
    char tail[32];
    put(&o, tail, (size_t)snprintf(tail, sizeof tail, "=%zu%s", pos, full ? "+" : ""));
    return o.text;
}

/* The same rendering of what the scanner recorded. */
static char *render(const struct csvb_scan *sc, const char *s, size_t n, size_t used)
{
    struct out o = {calloc(1, 64 * n + 64), 0};
    size_t f = 0;
    for (size_t k = 0; k < sc->nlines; k++) {
        const struct csvb_scan_line *l = &sc->lines[k];
        putf(&o, l->len, l->end, l->breaks, l->tail);
        for (size_t i = 0; i < l->nfields; i++, f++) {
            const struct csvb_field *fd = &sc->fields[f];
            bool in_input = fd->ptr >= s && fd->ptr + fd->len <= s + l->end;
            bool in_arena = fd->ptr >= sc->arena && fd->ptr + fd->len <= sc->arena + sc->arena_cap;
            cr_assert(in_input || in_arena, "field outside the input and the arena");
            put(&o, "[", 1);
            put(&o, fd->ptr, fd->len);
            put(&o, "]", 1);
        }
        put(&o, "\n", 1);
    }
    cr_assert_eq(f, sc->nfields);
    char tail[32];
    put(&o, tail, (size_t)snprintf(tail, sizeof tail, "=%zu%s", used, sc->full ? "+" : ""));
    return o.text;
}

static const enum csvb_scan_isa levels[] = {CSVB_SCAN_SCALAR, CSVB_SCAN_SSE2, CSVB_SCAN_AVX2};

static void check(const char *s, size_t n, char delim, bool final, size_t max_len,
                  size_t fields_cap, const char *what)
{
    char *want = reference(s, n, delim, final, max_len, fields_cap);
    for (size_t k = 0; k < 3; k++) {
        struct csvb_scan sc;
        struct csvb_diag d;
        csvb_diag_init(&d);
        cr_assert_eq(csvb_scan_init(&sc, delim, max_len, fields_cap, fields_cap, &d), CSVB_OK);
        csvb_scan_force(&sc, levels[k]);
        /* an unaligned copy with guard bytes that must not be read as part of the input */
        char *copy = malloc(n + 3);
        memcpy(copy + 1, s, n);
        copy[n + 1] = '\n';
        copy[n + 2] = '"';
        size_t used = csvb_scan_lines(&sc, copy + 1, n, final);
        char *got = render(&sc, copy + 1, n, used);
        cr_assert_str_eq(got, want, "%s (%s, delimiter 0x%02X, final %d, max %zu, cap %zu, n %zu)",
                         what, csvb_scan_isa_name(sc.isa), (unsigned char)delim, final, max_len,
                         fields_cap, n);
        free(got);
        free(copy);
        csvb_scan_fini(&sc);
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

/* The quoting cases of tests/conformance (RFC 4180 and its usual breaches), and line ends. */
static const struct scan_case cases[] = {
    {"lf", "a,b\n1,2\n"},
    {"crlf", "a,b\r\n1,2\r\n"},
    {"lone cr", "a,b\r1,2\r3\r"},
    {"mixed line ends", "a,b\n1\r2\r\n3\n"},
    {"cr at the end", "a,b\n1,2\r"},
    {"cr cr lf", "a\r\r\nb\n"},
    {"export-csv", "\"Name\",\"ID\",\"Status\"\r\n\"Ann\",\"1\",\"Active\"\r\n"},
    {"quoted empty", "\"\",\"\"\n\"\"\n"},
    {"doubled quotes", "\"a\"\"b\",\"\"\"\"\n\"x\"\"\"\n"},
    {"quoted delimiters", "\"a,b\",\"c;d\",\"e\tf\"\n"},
    {"quoted lf", "\"l1\nl2\",b\nc\n"},
    {"quoted crlf", "\"l1\r\nl2\",b\r\nc\r\n"},
    {"quoted cr", "\"l1\rl2\",b\n\"\r\r\n\"\n"},
    {"quoted blank lines", "\"\n\n\",x\n"},
    {"quote in unquoted", "a,b\nx\"y\nz\n"},
    {"text after closing quote", "a\n\"x\"y,z\n"},
    {"space after closing quote", "a\n\"x\" ,z\n"},
    {"space before opening quote", "a\n \"x\",z\n"},
    {"unterminated", "a\n\"open,b\nc\n"},
    {"stray closing", "a\nb\"\n"},
    {"quotes inside fields, then quoted", "x\"y\"z,\"a,b\"\nw\",\"q\"\"\"\n5' 6\"\n"},
    {"three quotes", "\"\"\"\n"},
    {"blank lines", "\n\r\n\na\n\n"},
    {"empty fields", ",,\n,\n;;\t\t\n"},
    {"no final newline", "a,b\nc,\"d\""},
    {"high bytes", "\xC3\xA9,\"\xE6\x97\xA5\"\n\x80\xFF,\xAC\xBB\n"},
    {"tabs and semicolons", "a\tb;c,d\n\"a\tb\";\"c,d\"\n"},
    {"only a cr", "\r"},
    {"only a quote", "\""},
    {"empty", ""},
};

Test(scan, table)
{
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        size_t n = strlen(cases[k].in);
        for (size_t cut = 0; cut <= n; cut++) /* every prefix: records cut by the buffer */
            check_all(cases[k].in, cut, cases[k].name);
    }
}

/* A record with a structural byte or a quote at offset `at`, around the 64-byte block edges. */
Test(scan, bytes_at_block_edges)
{
    static const char *const atoms[] = {",", "\n", "\r", "\"", "\"\"", "\r\n", "\",\"", "\"\n\""};
    char buf[400];
    for (size_t len = 2; len <= 200; len++) {
        for (size_t at = 1; at < len; at++) {
            size_t m = (at + 1) % 64;
            if (!(m <= 2 || m >= 62 || at < 2 || at + 3 > len))
                continue; /* near 64-byte edges, and the record's ends */
            for (size_t k = 0; k < sizeof atoms / sizeof atoms[0]; k++) {
                for (int quoted = 0; quoted < 2; quoted++) {
                    size_t n = 0, alen = strlen(atoms[k]);
                    for (size_t i = 0; i < at; i++)
                        buf[n++] = i == 0 && quoted ? '"' : (char)('a' + i % 26);
                    memcpy(buf + n, atoms[k], alen);
                    n += alen;
                    for (size_t i = at + 1; i < len; i++)
                        buf[n++] = (char)('a' + i % 26);
                    const char *rest = quoted ? "\",x\n\"y\"\n" : ",x\n\"y\"\n";
                    memcpy(buf + n, rest, strlen(rest));
                    n += strlen(rest);
                    check_all(buf, n, quoted ? "inside quotes" : "unquoted");
                }
            }
        }
    }
}

/* A quote as the last byte of a 64-byte block and of the input, opening, closing or doubled. */
Test(scan, quote_last_in_block_and_input)
{
    char buf[300];
    for (size_t start = 0; start < 70; start++) {
        for (size_t end = start + 1; end <= 130; end++) {
            if (end != 64 && end != 128 && end != 63 && end != 65 && end != 127)
                continue;
            memset(buf, 'a', sizeof buf);
            for (size_t i = 0; i + 1 < start; i += 8)
                buf[i + 7] = '\n';
            if (start > 0)
                buf[start - 1] = ',';
            buf[start] = '"';
            buf[end - 1] = '"'; /* closes at end - 1 */
            check_all(buf, end, "closing quote last");
            buf[end] = '"'; /* a doubled quote across the edge */
            buf[end + 1] = '"';
            buf[end + 2] = '\n';
            check_all(buf, end + 3, "doubled quote across the edge");
            check_all(buf, end + 1, "doubled quote cut by the input");
        }
    }
}

Test(scan, many_short_records_and_delimiters)
{
    char buf[1200];
    for (size_t n = 0; n < 200; n++)
        buf[n] = n % 7 == 6 ? '\n' : ',';
    check_all(buf, 200, "delimiters only");
    size_t n = 0;
    for (int i = 0; i < 300; i++)
        n += (size_t)sprintf(buf + n, "%s", i % 3 == 0 ? "\n" : "\"\"");
    check_all(buf, n, "more records than one call takes"); /* CSVB_SCAN_LINES */
}

Test(scan, full_tables_and_long_records)
{
    const char *in = "a,\"b\",c\n\"d\ne\",e\nf\n";
    size_t n = strlen(in);
    for (size_t cap = 1; cap <= 7; cap++)
        for (int final = 0; final < 2; final++)
            check(in, n, ',', final, (size_t)-1, cap, "small field table");
    for (size_t max = 0; max <= 9; max++)
        check(in, n, ',', true, max, 64, "max_len");
}

Test(scan, random_against_reference)
{
    static const char *const atoms[] = {"a",
                                        "bc",
                                        ",",
                                        ",",
                                        ";",
                                        "\t",
                                        "\n",
                                        "\n",
                                        "\"",
                                        "\"",
                                        "\r\n",
                                        "\r",
                                        "\"\"",
                                        "\xC3\xA9",
                                        " ",
                                        "\",\"",
                                        "0123456789abcdef0123456789abcdef"};
    unsigned seed = 99;
    char buf[600];
    for (int iter = 0; iter < 3000; iter++) {
        size_t n = 0, count = (size_t)(rand_r(&seed) % 80);
        for (size_t i = 0; i < count; i++) {
            const char *a = atoms[(size_t)rand_r(&seed) % (sizeof atoms / sizeof atoms[0])];
            size_t len = strlen(a);
            if (n + len >= sizeof buf)
                break;
            memcpy(buf + n, a, len);
            n += len;
        }
        check_all(buf, n, "random");
    }
}

/* The kernels agree on every mask, whatever the carry, on random blocks rich in structure. */
Test(scan, kernels_agree)
{
    static const char alphabet[] = "\"\",;\t\n\rab\xC3\xA9 ";
    unsigned seed = 7;
    char block[64];
    for (int iter = 0; iter < 20000; iter++) {
        for (size_t i = 0; i < 64; i++)
            block[i] = alphabet[(size_t)rand_r(&seed) % (sizeof alphabet - 1)];
        char delim = iter % 3 == 0 ? ',' : iter % 3 == 1 ? ';' : '\t';
        uint64_t carry_in = iter % 2 ? ~(uint64_t)0 : 0;
        struct csvb_scan_masks m[3];
        uint64_t carry[3];
        for (size_t k = 0; k < 3; k++) {
            carry[k] = carry_in;
            csvb_scan_kernel(levels[k], NULL)(block, delim, &carry[k], &m[k]);
        }
        uint64_t want = 0, in = carry_in & 1;
        for (size_t i = 0; i < 64; i++) {
            in ^= block[i] == '"';
            want |= in << i;
        }
        cr_assert_eq(m[0].in_quote, want);
        cr_assert_eq(carry[0], (uint64_t)0 - (want >> 63));
        for (size_t k = 1; k < 3; k++) {
            cr_assert_eq(memcmp(&m[k], &m[0], sizeof m[0]), 0, "%s", csvb_scan_isa_name(levels[k]));
            cr_assert_eq(carry[k], carry[0]);
        }
    }
}

Test(scan, levels_and_names)
{
    enum csvb_scan_isa got;
    cr_assert_not_null(csvb_scan_kernel(CSVB_SCAN_SCALAR, &got));
    cr_assert_eq(got, CSVB_SCAN_SCALAR);
#if defined(__x86_64__)
    csvb_scan_kernel(CSVB_SCAN_SSE2, &got);
    cr_assert_eq(got, CSVB_SCAN_SSE2);
#endif
    cr_assert_str_eq(csvb_scan_isa_name(CSVB_SCAN_AVX2), "avx2");
    setenv("CSVB_SCAN_ISA", "scalar", 1);
    csvb_scan_kernel(CSVB_SCAN_AUTO, &got);
    cr_assert_eq(got, CSVB_SCAN_SCALAR);
    unsetenv("CSVB_SCAN_ISA");
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
