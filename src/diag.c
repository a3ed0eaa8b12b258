/* diag.c — the error model: first error wins, messages in a fixed buffer. */
#include "csvbatch/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void csvb_diag_init(struct csvb_diag *d)
{
    if (d == NULL)
        return;
    d->code = CSVB_OK;
    d->sys_errno = 0;
    d->line = 0;
    d->message[0] = '\0';
    d->hint[0] = '\0';
}

void csvb_diag_hint(struct csvb_diag *d, const char *fmt, ...)
{
    if (d == NULL || d->code == CSVB_OK || d->hint[0] != '\0')
        return;
    va_list ap;
    va_start(ap, fmt);
    // NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): va_start is on the line above
    vsnprintf(d->hint, sizeof d->hint, fmt, ap);
    va_end(ap);
    size_t n = strlen(d->message);
    if (n < sizeof d->message)
        snprintf(d->message + n, sizeof d->message - n, " (%s)", d->hint);
}

static enum csvb_err diag_vset(struct csvb_diag *d, enum csvb_err code, unsigned long line, int err,
                               const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
static enum csvb_err diag_vset(struct csvb_diag *d, enum csvb_err code, unsigned long line, int err,
                               const char *fmt, va_list ap)
{
    if (d->code != CSVB_OK)
        return d->code;
    d->code = code;
    d->line = line;
    d->sys_errno = err;
    // NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): va_start is in every caller
    vsnprintf(d->message, sizeof d->message, fmt, ap);
    if (err != 0) {
        size_t used = strlen(d->message);
        snprintf(d->message + used, sizeof d->message - used, ": %s", strerror(err));
    }
    return code;
}

enum csvb_err csvb_diag_set(struct csvb_diag *d, enum csvb_err code, unsigned long line,
                            const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum csvb_err r = diag_vset(d, code, line, 0, fmt, ap);
    va_end(ap);
    return r;
}

enum csvb_err csvb_diag_errno(struct csvb_diag *d, enum csvb_err code, int err, const char *fmt,
                              ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum csvb_err r = diag_vset(d, code, 0, err, fmt, ap);
    va_end(ap);
    return r;
}

const char *csvb_diag_format(const struct csvb_diag *d, const char *path, char *buf, size_t size)
{
    if (d->line > 0)
        snprintf(buf, size, "%s:%lu: %s", path, d->line, d->message);
    else
        snprintf(buf, size, "%s: %s", path, d->message);
    return buf;
}

const char *csvb_diag_byte(unsigned char c, char *buf, size_t size)
{
    if (c == '\t')
        snprintf(buf, size, "a tab");
    else if (c == '\r')
        snprintf(buf, size, "a carriage return");
    else if (c == '\n')
        snprintf(buf, size, "a line feed");
    else if (c >= 0x20 && c < 0x7f)
        snprintf(buf, size, "'%c'", c);
    else
        snprintf(buf, size, "byte 0x%02X", c);
    return buf;
}
