/* diag.h — the error model: one code, the errno, the line, and a message, first error wins. */
#ifndef CSVBATCH_DIAG_H
#define CSVBATCH_DIAG_H

#include <stddef.h>

enum csvb_err {
    CSVB_OK = 0,
    CSVB_E_USAGE,     /* bad option or configuration: exit 2 */
    CSVB_E_IO,        /* open/read/write/fsync/rename failed */
    CSVB_E_PARSE,     /* malformed CSV, bad encoding, wrong field count */
    CSVB_E_SCHEMA,    /* missing or ambiguous column */
    CSVB_E_LIMIT,     /* a field or record over --max-field-size */
    CSVB_E_NOMEM,     /* allocation failed */
    CSVB_E_CONFLICT,  /* output collides with another output or an input */
    CSVB_E_CANCELLED, /* interrupted by a signal */
    CSVB_E_TIMEOUT,   /* a file ran past --timeout */
};

#define CSVB_DIAG_MESSAGE_MAX 768

struct csvb_diag {
    enum csvb_err code;
    int sys_errno;      /* errno of the failing call, 0 if none */
    unsigned long line; /* 1-based physical line, 0 when the error has no line */
    char message[CSVB_DIAG_MESSAGE_MAX];
    char hint[160]; /* which option would read the input ("-d tab, or -d auto"), "" when none */
};

/* Attaches a hint (what would read the input: computed, never guessed) to the error d holds: the
 * hint is kept apart in hint (JSON prints it as "hint") and also appended to message as
 * " (HINT)", so every place that shows the message shows it. The first hint wins; a no-op when d
 * holds no error or d is NULL. */
void csvb_diag_hint(struct csvb_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Clears d to "no error". NULL-safe. */
void csvb_diag_init(struct csvb_diag *d);

/* Records an error unless d already holds one (the first error wins). Returns the code now held
 * in d, so callers can write `return csvb_diag_set(d, ...)`. */
enum csvb_err csvb_diag_set(struct csvb_diag *d, enum csvb_err code, unsigned long line,
                            const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Like csvb_diag_set, appending ": strerror(err)" and storing err in sys_errno. */
enum csvb_err csvb_diag_errno(struct csvb_diag *d, enum csvb_err code, int err, const char *fmt,
                              ...) __attribute__((format(printf, 4, 5)));

/* Formats "PATH:LINE: message" (or "PATH: message" when line is 0) into buf; returns buf. */
const char *csvb_diag_format(const struct csvb_diag *d, const char *path, char *buf, size_t size);

/* Room csvb_diag_byte needs: the longest rendering is "a carriage return" (17 bytes). */
#define CSVB_DIAG_BYTE_MAX 24

/* Writes a printable rendering of byte c into buf and returns buf: "a tab", "a carriage
 * return", "a line feed", 'x' (quoted) for printable ASCII, else "byte 0x1F" (other controls,
 * DEL, bytes >= 0x80). size >= CSVB_DIAG_BYTE_MAX holds every rendering whole. */
const char *csvb_diag_byte(unsigned char c, char *buf, size_t size);

#endif
