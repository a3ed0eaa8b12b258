/* detect.c — the one door to libuchardet: a sample in, the detector's encoding name out. */
#include "csvbatch/detect.h"

#include <uchardet.h>

bool csvb_detect_guess(const char *data, size_t n, char *name, size_t size)
{
    if (size > 0)
        name[0] = '\0';
    uchardet_t ud = uchardet_new();
    if (ud == NULL)
        return false;
    bool ok = uchardet_handle_data(ud, data, n) == 0;
    uchardet_data_end(ud);
    const char *guess = ok ? uchardet_get_charset(ud) : NULL;
    if (guess != NULL && size > 0) {
        size_t i = 0;
        for (; guess[i] != '\0' && i + 1 < size; i++) {
            char c = guess[i];
            name[i] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
        }
        name[i] = '\0';
    }
    uchardet_delete(ud);
    return ok;
}
