/* test_csvfeed.c — pins every libcsv behaviour that csvfeed relies on, then csvfeed itself.
 *
 * csvfeed reads none of libcsv's state fields: what it knows of libcsv comes from the behaviours
 * below. Each test that starts with "libcsv_" talks to libcsv directly, through its public API
 * only (this file and src/csvfeed.c are the only ones to include <csv.h>); when one fails, a
 * different libcsv behaves differently, and the message says which behaviour changed. */
#include <criterion/criterion.h>
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvbatch/csvfeed.h"

#define CHANGED "libcsv behaviour changed: "

/* "[f1][f2]|" per record; "<f>" for fields delivered by libcsv directly. */
struct out {
    char text[4096];
    size_t len;
    int records, fields;
};

static void out_put(struct out *o, const char *s, size_t n)
{
    cr_assert_lt(o->len + n, sizeof o->text);
    memcpy(o->text + o->len, s, n);
    o->len += n;
    o->text[o->len] = '\0';
}

static void feed_field(void *ctx, const char *data, size_t len)
{
    struct out *o = ctx;
    out_put(o, "[", 1);
    out_put(o, data, len);
    out_put(o, "]", 1);
    o->fields++;
}

static void feed_record(void *ctx)
{
    struct out *o = ctx;
    out_put(o, "|", 1);
    o->records++;
}

static void raw_field(void *data, size_t len, void *ctx)
{
    feed_field(ctx, data, len);
}

static void raw_record(int c, void *ctx)
{
    (void)c;
    feed_record(ctx);
}

static int no_blank(unsigned char c)
{
    (void)c;
    return 0;
}

/* A raw libcsv parser set up as csvfeed sets it up: never CSV_STRICT, blanks kept unless
 * lenient (PowerShell). */
static void raw_init(struct csv_parser *p, bool lenient, char delim)
{
    cr_assert_eq(csv_init(p, 0), 0);
    csv_set_delim(p, (unsigned char)delim);
    if (!lenient)
        csv_set_space_func(p, no_blank);
}

static struct csvb_csvfeed *feed_new(bool lenient, char delim, struct out *o)
{
    memset(o, 0, sizeof *o);
    struct csvb_csvfeed *f =
        csvb_csvfeed_new(delim, lenient, (struct csvb_csvfeed_calls){feed_field, feed_record, o});
    cr_assert_not_null(f);
    return f;
}

/* Feeds s as csvfeed's callers must: one piece per line terminator. Returns the bytes accepted. */
static size_t feed_lines(struct csvb_csvfeed *f, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && s[j] != '\n' && s[j] != '\r')
            j++;
        size_t end = j < n ? j + 1 : n;
        size_t done = csvb_csvfeed_piece(f, s + i, end - i);
        if (done < end - i)
            return i + done;
        i = end;
    }
    return n;
}

Test(csvfeed, libcsv_without_strict_reads_a_quote_inside_an_unquoted_field_as_text)
{
    static const struct {
        const char *in, *out;
    } cases[] = {{"x\"\n", "[x\"]|"},
                 {"ab\"c,d\n", "[ab\"c][d]|"},
                 {"1,x\"y\"\n", "[1][x\"y\"]|"},
                 {" \"a\",b\n", "[ \"a\"][b]|"},
                 {"5' 6\",\"q\"\n", "[5' 6\"][q]|"}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct csv_parser p;
        struct out o = {0};
        raw_init(&p, false, ',');
        size_t n = strlen(cases[k].in);
        cr_assert_eq(csv_parse(&p, cases[k].in, n, raw_field, raw_record, &o), n,
                     CHANGED "libcsv refused '%s'", cases[k].in);
        cr_assert_str_eq(o.text, cases[k].out, CHANGED "libcsv read '%s' as '%s'", cases[k].in,
                         o.text);
        csv_free(&p);
    }
}

Test(csvfeed, strict_after_a_closing_quote_takes_only_delimiter_quote_and_line_ends)
{
    static const char delims[] = {',', ';', '\t'};
    for (size_t k = 0; k < sizeof delims; k++) {
        for (int c = 0; c < 256; c++) {
            char in[4] = {'"', 'a', '"', (char)c};
            struct out o;
            struct csvb_csvfeed *f = feed_new(false, delims[k], &o);
            size_t done = csvb_csvfeed_piece(f, in, 4);
            bool allowed = c == delims[k] || c == '"' || c == '\r' || c == '\n';
            cr_assert_eq(done, allowed ? 4u : 3u,
                         "strict, delimiter 0x%02X: byte 0x%02X after a closing quote was %s",
                         (unsigned)delims[k], (unsigned)c, allowed ? "refused" : "accepted");
            cr_assert_eq(csvb_csvfeed_refused(f),
                         allowed ? CSVB_CSVFEED_ACCEPTED : CSVB_CSVFEED_AFTER_QUOTE);
            csvb_csvfeed_free(f);
        }
    }
}

Test(csvfeed, libcsv_strict_takes_every_other_byte_as_content_blanks_kept)
{
    for (int c = 0; c < 256; c++) {
        if (c == '"')
            continue;
        bool structural = c == ',' || c == '\r' || c == '\n';
        struct csv_parser p;
        struct out o = {0};
        raw_init(&p, false, ',');
        char quoted[] = {'"', ' ', (char)c, ' ', '"', '\n'};
        cr_assert_eq(csv_parse(&p, quoted, sizeof quoted, raw_field, raw_record, &o), 6u);
        char want[8] = {'[', ' ', (char)c, ' ', ']', '|'};
        cr_assert(o.len == 6 && memcmp(o.text, want, 6) == 0,
                  CHANGED "quoted byte 0x%02X (blanks around it) is not content", (unsigned)c);
        if (!structural) {
            char plain[] = {' ', 'a', (char)c, ' ', '\n'};
            o.len = 0;
            cr_assert_eq(csv_parse(&p, plain, sizeof plain, raw_field, raw_record, &o), 5u);
            char want2[] = {'[', ' ', 'a', (char)c, ' ', ']', '|'};
            cr_assert(o.len == 7 && memcmp(o.text, want2, 7) == 0,
                      CHANGED "unquoted byte 0x%02X (blanks around it) is not content",
                      (unsigned)c);
        }
        csv_free(&p);
    }
}

Test(csvfeed, libcsv_records_end_only_at_a_line_end_outside_quotes_during_that_byte)
{
    /* csvfeed feeds one line piece per call and infers "no record open" from a record call. */
    const char *in = "a,\"b\nc\"\r\n\n\"d\"\re,\n";
    struct csv_parser p;
    struct out o = {0};
    raw_init(&p, false, ',');
    char seen[64] = "";
    for (size_t i = 0; in[i] != '\0'; i++) {
        int before = o.records;
        cr_assert_eq(csv_parse(&p, in + i, 1, raw_field, raw_record, &o), 1u);
        if (o.records != before) {
            cr_assert(in[i] == '\n' || in[i] == '\r',
                      CHANGED "a record ended on byte %zu, not a line end", i);
            snprintf(seen + strlen(seen), sizeof seen - strlen(seen), "%zu ", i);
        }
    }
    cr_assert_str_eq(o.text, "[a][b\nc]|[d]|[e][]|",
                     CHANGED "records, blank lines or quoted line ends read differently");
    cr_assert_str_eq(seen, "7 13 16 ", CHANGED "records ended on other bytes than expected");
    csv_free(&p);
}

Test(csvfeed, libcsv_fields_quotes_and_empty_fields)
{
    const char *in = "\"he said \"\"hi\"\"\",,\"\",x\n";
    struct csv_parser p;
    struct out o = {0};
    raw_init(&p, false, ',');
    csv_parse(&p, in, strlen(in), raw_field, raw_record, &o);
    cr_assert_str_eq(o.text, "[he said \"hi\"][][][x]|", CHANGED "quoted or empty fields");
    csv_free(&p);
}

Test(csvfeed, libcsv_fini_delivers_the_open_record_and_returns_to_record_start)
{
    static const struct {
        const char *in;
        bool lenient;
        int ret;
        const char *out;
    } cases[] = {
        {"a,b", false, 0, "[a][b]|"},
        {"a,", false, 0, "[a][]|"},
        {"\"ab\"", false, 0, "[ab]|"},
        {"\"ab", false, 0, "[ab]|"},
        {"\"ab", true, 0, "[ab]|"},
        {"\"ab\"  ", true, 0, "[ab]|"},
        {"x  ", true, 0, "[x]|"},
        {"a\n", false, 0, "[a]|"},
        {"", false, 0, ""},
        {"  ", true, 0, ""},
        {"\"a\nb", false, 0, "[a\nb]|"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct csv_parser p;
        struct out o = {0};
        raw_init(&p, cases[k].lenient, ',');
        csv_parse(&p, cases[k].in, strlen(cases[k].in), raw_field, raw_record, &o);
        int ret = csv_fini(&p, raw_field, raw_record, &o);
        cr_assert_eq(ret, cases[k].ret, CHANGED "csv_fini after '%s' returned %d", cases[k].in,
                     ret);
        cr_assert_str_eq(o.text, cases[k].out, CHANGED "csv_fini after '%s' delivered '%s'",
                         cases[k].in, o.text);
        if (ret == 0) {
            o.len = 0;
            csv_parse(&p, "x\n", 2, raw_field, raw_record, &o);
            cr_assert_str_eq(o.text, "[x]|",
                             CHANGED "after csv_fini the parser is not at record "
                                     "start");
        }
        csv_free(&p);
    }
}

Test(csvfeed, libcsv_fini_without_callbacks_drops_an_open_quoted_field)
{
    /* csvb_csvfeed_reset */
    struct csv_parser p;
    struct out o = {0};
    raw_init(&p, false, ',');
    csv_parse(&p, "a,\"open", 7, raw_field, raw_record, &o);
    cr_assert_eq(csv_fini(&p, NULL, NULL, NULL), 0, CHANGED "csv_fini refused an open field");
    o.len = 0;
    csv_parse(&p, "x\n", 2, raw_field, raw_record, &o);
    cr_assert_str_eq(o.text, "[x]|", CHANGED "csv_fini without callbacks did not reset");
    csv_free(&p);
}

Test(csvfeed, libcsv_lenient_blanks_and_a_delimiter_after_a_closing_quote)
{
    /* Lenient csvfeed ends a field with a delimiter after a closing quote and its blanks: libcsv
     * must drop the quote and the blanks, and start the next field plainly. */
    static const struct {
        const char *in;
        char delim;
        const char *out;
    } cases[] = {
        {"  a  ,  b  \n", ',', "[a][b]|"},          {"\" a \" , b\n", ',', "[ a ][b]|"},
        {"\"a\" \t,x\n", ',', "[a][x]|"},           {"\"a\"\tb\n", '\t', "[a][b]|"},
        {"\"a\" \"b\" ,c\n", ',', "[a\" \"b][c]|"}, {"a \" b,c\n", ',', "[a \" b][c]|"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct csv_parser p;
        struct out o = {0};
        raw_init(&p, true, cases[k].delim);
        csv_parse(&p, cases[k].in, strlen(cases[k].in), raw_field, raw_record, &o);
        cr_assert_str_eq(o.text, cases[k].out, CHANGED "lenient mode read '%s' as '%s'",
                         cases[k].in, o.text);
        csv_free(&p);
    }
}

/* A deterministic stream of short inputs full of quotes, blanks and line ends. */
static size_t random_input(unsigned *seed, char *buf, size_t cap)
{
    static const char *const atoms[] = {"a",       "bc",    ",",        ",", "\"", "\"\"",
                                        "\n",      "\r",    "\r\n",     " ", "\t", "\"q\"",
                                        "\"x,y\"", "\" \"", "\xC3\xA9", ";"};
    size_t n = 0, count = (size_t)(rand_r(seed) % 24);
    for (size_t i = 0; i < count; i++) {
        const char *a = atoms[(size_t)rand_r(seed) % (sizeof atoms / sizeof atoms[0])];
        size_t len = strlen(a);
        if (n + len >= cap)
            break;
        memcpy(buf + n, a, len);
        n += len;
    }
    return n;
}

/* libcsv on s[0..n) then csv_fini: did a record stay open (fini delivered one, or refused)? */
static bool raw_open_after(const char *s, size_t n, bool lenient, char delim)
{
    struct csv_parser p;
    struct out o = {0};
    raw_init(&p, lenient, delim);
    csv_parse(&p, s, n, raw_field, raw_record, &o);
    int before = o.records;
    bool open = csv_fini(&p, raw_field, raw_record, &o) != 0 || o.records > before;
    csv_free(&p);
    return open;
}

/* The most bytes libcsv held for a field while reading s[0..n): with 1-byte growth, libcsv grows
 * its field buffer just before a byte finds it full, so one byte more shows the high water. */
static size_t raw_high_water(const char *s, size_t n, bool lenient, char delim)
{
    char *t = malloc(n + 1);
    memcpy(t, s, n);
    t[n] = 'x';
    struct csv_parser p;
    struct out o = {0};
    raw_init(&p, lenient, delim);
    csv_set_blk_size(&p, 1);
    csv_parse(&p, t, n + 1, raw_field, raw_record, &o);
    size_t size = csv_get_buffer_size(&p);
    csv_free(&p);
    free(t);
    return size;
}

/* The same input in pieces of random length (each ending at or before a line end): pending and
 * in_record at each piece end must be what they were, fed byte by byte, at that byte. */
static void check_pieces(const char *s, size_t n, bool lenient, char delim, const size_t *held,
                         const bool *open, size_t upto, unsigned *seed)
{
    struct out o;
    struct csvb_csvfeed *f = feed_new(lenient, delim, &o);
    size_t i = 0;
    while (i < upto) {
        size_t end = i + 1 + (size_t)rand_r(seed) % 9;
        for (size_t j = i; j < end && j < n; j++)
            if (s[j] == '\n' || s[j] == '\r')
                end = j + 1;
        end = end < upto ? end : upto;
        cr_assert_eq(csvb_csvfeed_piece(f, s + i, end - i), end - i);
        cr_assert_eq(csvb_csvfeed_pending(f), held[end - 1], "pending after %zu bytes of '%.*s'",
                     end, (int)n, s);
        cr_assert_eq(csvb_csvfeed_in_record(f), open[end - 1]);
        i = end;
    }
    csvb_csvfeed_free(f);
}

/* csvfeed's in_record and pending, after every byte, against libcsv's public behaviour. */
static void check_model(const char *s, size_t n, bool lenient, char delim, unsigned *seed)
{
    struct out o;
    struct csvb_csvfeed *f = feed_new(lenient, delim, &o);
    size_t high = 0, held_at[128], accepted = 0;
    bool open_at[128];
    cr_assert_leq(n, 128);
    for (size_t i = 0; i < n; i++) {
        if (csvb_csvfeed_piece(f, s + i, 1) != 1)
            break; /* refused: text after a closing quote (checked by the caller) */
        size_t held = csvb_csvfeed_pending(f);
        held_at[i] = held;
        open_at[i] = csvb_csvfeed_in_record(f);
        accepted = i + 1;
        high = held > high ? held : high;
        cr_assert_eq(csvb_csvfeed_in_record(f), raw_open_after(s, i + 1, lenient, delim),
                     CHANGED "'record open' after %zu bytes of '%.*s' (lenient %d)", i + 1, (int)n,
                     s, lenient);
        size_t raw = raw_high_water(s, i + 1, lenient, delim);
        cr_assert_eq(high + 1, raw,
                     CHANGED "bytes held for a field after %zu bytes of '%.*s' (lenient %d): "
                             "libcsv %zu, csvfeed %zu",
                     i + 1, (int)n, s, lenient, raw - 1, high);
    }
    csvb_csvfeed_free(f);
    for (int k = 0; k < 3; k++)
        check_pieces(s, n, lenient, delim, held_at, open_at, accepted, seed);
}

Test(csvfeed, libcsv_record_open_and_held_bytes_match_csvfeeds_model)
{
    unsigned seed = 7;
    char buf[128];
    int lenient_checked = 0, rfc_checked = 0;
    for (int iter = 0; iter < 3000; iter++) {
        size_t n = random_input(&seed, buf, sizeof buf);
        char delim = iter % 5 == 4 ? ';' : ',';
        /* strict: csvfeed must deliver what libcsv delivers up to where it stops, and stop only
         * at text after a closing quote */
        struct out o, raw = {0};
        struct csvb_csvfeed *f = feed_new(false, delim, &o);
        size_t done = feed_lines(f, buf, n);
        struct csv_parser p;
        raw_init(&p, false, delim);
        cr_assert_eq(csv_parse(&p, buf, done, raw_field, raw_record, &raw), done);
        if (done < n)
            cr_assert(done > 0 && buf[done - 1] == '"' && buf[done] != '"' && buf[done] != delim &&
                          buf[done] != '\r' && buf[done] != '\n',
                      "strict csvfeed stopped at %zu of '%.*s'", done, (int)n, buf);
        bool finished = done == n && csvb_csvfeed_finish(f);
        if (finished)
            cr_assert_eq(csv_fini(&p, raw_field, raw_record, &raw), 0);
        cr_assert_str_eq(o.text, raw.text, "strict csvfeed is not libcsv on '%.*s'", (int)n, buf);
        csv_free(&p);
        csvb_csvfeed_free(f);
        /* RFC 4180 input, all that libcsv's CSV_STRICT takes: csvfeed takes it and reads it so */
        memset(&raw, 0, sizeof raw);
        cr_assert_eq(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI), 0);
        csv_set_delim(&p, (unsigned char)delim);
        csv_set_space_func(&p, no_blank);
        if (csv_parse(&p, buf, n, raw_field, raw_record, &raw) == n &&
            csv_fini(&p, raw_field, raw_record, &raw) == 0) {
            cr_assert(finished, "strict csvfeed refused RFC 4180 input '%.*s'", (int)n, buf);
            cr_assert_str_eq(o.text, raw.text, "strict csvfeed is not CSV_STRICT on '%.*s'", (int)n,
                             buf);
            rfc_checked++;
        }
        csv_free(&p);
        check_model(buf, n, false, delim, &seed);
        /* lenient: where no text follows a closing quote, csvfeed is libcsv too */
        f = feed_new(true, delim, &o);
        feed_lines(f, buf, n);
        csvb_csvfeed_finish(f);
        csvb_csvfeed_free(f);
        memset(&raw, 0, sizeof raw);
        raw_init(&p, true, delim);
        csv_parse(&p, buf, n, raw_field, raw_record, &raw);
        csv_fini(&p, raw_field, raw_record, &raw);
        csv_free(&p);
        if (strcmp(o.text, raw.text) == 0) {
            check_model(buf, n, true, delim, &seed);
            lenient_checked++;
        }
    }
    cr_assert_gt(lenient_checked, 1000, "only %d lenient inputs checked", lenient_checked);
    cr_assert_gt(rfc_checked, 300, "only %d RFC 4180 inputs checked", rfc_checked);
}

Test(csvfeed, strict_reads_a_quote_inside_a_field_and_names_its_refusal)
{
    struct out o;
    struct csvb_csvfeed *f = feed_new(false, ',', &o);
    cr_assert_eq(csvb_csvfeed_piece(f, "a,b\"c\n", 6), 6u); /* a quote inside a field is text */
    cr_assert_eq(csvb_csvfeed_refused(f), CSVB_CSVFEED_ACCEPTED);
    cr_assert_str_eq(o.text, "[a][b\"c]|");
    csvb_csvfeed_free(f);
    f = feed_new(false, ',', &o);
    cr_assert_eq(csvb_csvfeed_piece(f, "\"a\" ,b\n", 7), 3u);
    cr_assert_eq(csvb_csvfeed_refused(f), CSVB_CSVFEED_AFTER_QUOTE);
    csvb_csvfeed_free(f);
}

Test(csvfeed, lenient_text_after_a_closing_quote_goes_on_unquoted)
{
    /* Expected values: those of the reader before csvfeed (which edited libcsv's buffer). */
    static const struct {
        const char *in, *out;
        char delim;
    } cases[] = {
        {"\"Text\"after,1\n", "[Textafter][1]|", ','},
        {"\"a\"  b ,c\n", "[a  b][c]|", ','},
        {"\"a\" \"b\"x\n", "[a\" b\"x]|", ','},
        {"\"a\"b\"c\",d\n", "[ab\"c\"][d]|", ','},
        {"\"a\"\"b\"c\n", "[a\"bc]|", ','},
        {"\"a\"x", "[ax]|", ','},
        {"\"x\"y\n\"z\"w\n", "[xy]|[zw]|", ','},
        {"\"a\" \t x \n", "[a \t x]|", ','},
        {"\"a\"b\r\nc\n", "[ab]|[c]|", ','},
        {"\"a\" \" b\n", "[a\"  b]|", ','},
        {"\"a\nb\"c,d\n", "[a\nbc][d]|", ','},
        {"x\"y\",z\n", "[x\"y\"][z]|", ','},
        {"\"a\" b\tc\n", "[a b][c]|", '\t'},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        size_t n = strlen(cases[k].in);
        for (int bytewise = 0; bytewise < 2; bytewise++) {
            struct out o;
            struct csvb_csvfeed *f = feed_new(true, cases[k].delim, &o);
            if (bytewise) {
                for (size_t i = 0; i < n; i++)
                    cr_assert_eq(csvb_csvfeed_piece(f, cases[k].in + i, 1), 1u);
            } else {
                cr_assert_eq(feed_lines(f, cases[k].in, n), n);
            }
            cr_assert(csvb_csvfeed_finish(f));
            cr_assert_str_eq(o.text, cases[k].out, "'%s' (bytewise %d)", cases[k].in, bytewise);
            cr_assert(!csvb_csvfeed_in_record(f));
            csvb_csvfeed_free(f);
        }
    }
}

Test(csvfeed, lenient_pending_counts_as_libcsv_did_before_the_field_went_on)
{
    /* "a" then two blanks then b: libcsv held a, the quote, the blanks; after b the field is
     * a, the blanks and b (the quote dropped). */
    struct out o;
    struct csvb_csvfeed *f = feed_new(true, ',', &o);
    cr_assert_eq(csvb_csvfeed_piece(f, "\"a\"  ", 5), 5u);
    cr_assert_eq(csvb_csvfeed_pending(f), 4u);
    cr_assert_eq(csvb_csvfeed_piece(f, "bc", 2), 2u);
    cr_assert_eq(csvb_csvfeed_pending(f), 5u);
    cr_assert(csvb_csvfeed_in_record(f));
    cr_assert_eq(csvb_csvfeed_piece(f, "\n", 1), 1u);
    cr_assert_eq(csvb_csvfeed_pending(f), 0u);
    cr_assert_str_eq(o.text, "[a  bc]|");
    csvb_csvfeed_free(f);
}

Test(csvfeed, finish_and_reset)
{
    struct out o;
    struct csvb_csvfeed *f = feed_new(false, ',', &o);
    cr_assert_eq(feed_lines(f, "a,\"b\nc", 6), 6u);
    cr_assert(csvb_csvfeed_in_record(f));
    cr_assert_eq(csvb_csvfeed_pending(f), 3u); /* b, LF, c */
    cr_assert(!csvb_csvfeed_finish(f), "an open quoted field at the end is refused");
    csvb_csvfeed_reset(f);
    cr_assert(!csvb_csvfeed_in_record(f));
    cr_assert_eq(csvb_csvfeed_pending(f), 0u);
    cr_assert_eq(feed_lines(f, "x,y", 3), 3u);
    cr_assert(csvb_csvfeed_finish(f));
    cr_assert_str_eq(o.text, "[a][x][y]|"); /* [a] was delivered before the open quote */
    csvb_csvfeed_reset(f);                  /* at record start: nothing to drop */
    cr_assert_eq(feed_lines(f, "z\n", 2), 2u);
    cr_assert_str_eq(o.text, "[a][x][y]|[z]|");
    csvb_csvfeed_free(f);
    csvb_csvfeed_free(NULL);
}

Test(csvfeed, blank_lines_and_blanks_alone_open_no_record)
{
    struct out o;
    struct csvb_csvfeed *f = feed_new(true, ',', &o);
    cr_assert_eq(feed_lines(f, "\r\n\n  \t", 6), 6u);
    cr_assert(!csvb_csvfeed_in_record(f), "lenient: blanks alone begin no record");
    csvb_csvfeed_free(f);
    f = feed_new(false, ',', &o);
    cr_assert_eq(feed_lines(f, "\r\n\n ", 4), 4u);
    cr_assert(csvb_csvfeed_in_record(f), "strict: a blank is content");
    cr_assert_eq(csvb_csvfeed_pending(f), 1u);
    csvb_csvfeed_free(f);
}
