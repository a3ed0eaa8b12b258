/* outdir.h — the -o directory checked once, before any work: one configuration error rather
 * than one failure per file (issue 13 item 18).
 *
 * Run layer; touches nothing (stat and access only). */
#ifndef CSVBATCH_OUTDIR_H
#define CSVBATCH_OUTDIR_H

#include "csvbatch/diag.h"

/* Whether outputs can be created under dir (the -o argument), in a dry run as in a real one:
 * dir is a directory the user can write and search, or it does not exist yet and its nearest
 * existing ancestor is one (the run creates the rest). CSVB_E_USAGE otherwise, the message
 * saying which: "-o: 'out' is not a directory", "-o: cannot write in 'ro': Permission denied",
 * "-o: cannot create 'a/b' (its parent 'a' is not a directory)", "-o: cannot create 'x/y':
 * cannot write in 'x': Read-only file system", "-o: cannot access 'd': CAUSE"; CSVB_E_NOMEM. */
enum csvb_err csvb_outdir_check(const char *dir, struct csvb_diag *d);

#endif
