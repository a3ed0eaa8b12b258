/* tempname.h — names of our temp files that say who owns them, and the removal of the ones
 * whose owner died (kill -9, a crash, a power cut) without removing them.
 *
 * A temp file of output DIR/NAME is DIR/.NAME.tmp-OWNER-XXXXXX, where OWNER is
 * HHHHHHHHNNNNNNNN-PID-START: H the hash of the host name, N the process's PID namespace (its
 * inode number: two containers with one host name do not share PIDs), PID, and START the
 * process's start time (clock ticks after boot, /proc/PID/stat; 0 when unknown), and XXXXXX six
 * random characters. When that name would be longer than NAME_MAX, NAME is cut (at a UTF-8
 * boundary) and followed by "~" and 16 hex digits of its hash, so any output name that fits
 * NAME_MAX has a temp name that does too. Core layer; no state but the owner string, made once
 * (thread-safe). */
#ifndef CSVBATCH_TEMPNAME_H
#define CSVBATCH_TEMPNAME_H

#include <stdbool.h>
#include <stddef.h>

/* The temp path template for final_path: its directory part, then the hidden name above ending
 * in "XXXXXX" for the caller to fill. Caller frees. NULL when out of memory. */
char *csvb_tempname_template(const char *final_path);

enum csvb_tempname_owner {
    CSVB_TEMPNAME_UNKNOWN, /* not one of ours, an older name without owner, another host or PID
                              namespace: never touched */
    CSVB_TEMPNAME_LIVE,    /* its owner runs (this process included) */
    CSVB_TEMPNAME_DEAD,    /* same host and namespace, and the PID is gone or is another process
                              (its start time differs) */
};

/* Whose temp file the base name `name` is. Reads /proc/PID/stat; never blocks. */
enum csvb_tempname_owner csvb_tempname_owner(const char *name);

/* Removes the regular files in directory dir whose names are temp names of dead owners (never a
 * directory, a link's target, or a live owner's file). Returns how many were removed; 0 also when
 * dir cannot be listed (it may not exist yet). */
size_t csvb_tempname_sweep(const char *dir);

#endif
