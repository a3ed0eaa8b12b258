/* stamp.c — the run's ProcessedDate: literal, SOURCE_DATE_EPOCH, or now, in UTC ISO 8601. */
#include "csvbatch/stamp.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

static enum csvb_err stamp(char *out, size_t size, const char *literal, const char *sde, time_t now,
                           bool powershell, struct csvb_diag *d)
{
    if (literal != NULL) {
        if (strlen(literal) >= size)
            return csvb_diag_set(d, CSVB_E_USAGE, 0, "--timestamp value is longer than %zu bytes",
                                 size - 1);
        memcpy(out, literal, strlen(literal) + 1);
        return CSVB_OK;
    }
    time_t t = now;
    if (sde != NULL) {
        char *end = NULL;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        if (sde[0] == '\0' || *end != '\0' || errno != 0 || v < 0 || v > 253402300799LL)
            return csvb_diag_set(d, CSVB_E_USAGE, 0,
                                 "SOURCE_DATE_EPOCH: expected seconds since 1970 (0 to "
                                 "253402300799), found '%s'",
                                 sde);
        t = (time_t)v;
    }
    struct tm tm;
    bool local = powershell && sde == NULL;
    if ((local ? localtime_r(&t, &tm) : gmtime_r(&t, &tm)) == NULL ||
        strftime(out, size, powershell ? "%m/%d/%Y %H:%M:%S" : "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return csvb_diag_set(d, CSVB_E_USAGE, 0, "cannot format the time stamp");
    return CSVB_OK;
}

enum csvb_err csvb_stamp_make(char *out, size_t size, const char *literal, const char *sde,
                              time_t now, struct csvb_diag *d)
{
    return stamp(out, size, literal, sde, now, false, d);
}

enum csvb_err csvb_stamp_make_powershell(char *out, size_t size, const char *literal,
                                         const char *sde, time_t now, struct csvb_diag *d)
{
    return stamp(out, size, literal, sde, now, true, d);
}
