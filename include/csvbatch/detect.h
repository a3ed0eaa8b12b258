/* detect.h — libuchardet behind one door: the only module that includes <uchardet.h>. The
 * detector's guess of a sample's encoding, nothing more: whether the guess is good enough to
 * act on is transcode.h's question (csvb_transcode_guess). */
#ifndef CSVBATCH_DETECT_H
#define CSVBATCH_DETECT_H

#include <stdbool.h>
#include <stddef.h>

/* Writes uchardet's guess for data[0..n) into name (lower case, as iconv spells it: "shift_jis",
 * "windows-1252"), "" when it has none (uchardet 0.0.7 answers only a name, no confidence).
 * Returns false, name "", when the detector could not be created or refused the data. */
bool csvb_detect_guess(const char *data, size_t n, char *name, size_t size);

#endif
