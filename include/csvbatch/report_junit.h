/* report_junit.h — the run as a JUnit XML report (one testsuite, one testcase per input), written
 * through libxml2's xmlwriter and atomically. The only module that includes libxml2. */
#ifndef CSVBATCH_REPORT_JUNIT_H
#define CSVBATCH_REPORT_JUNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "csvbatch/diag.h"
#include "csvbatch/report.h"
#include "csvbatch/result.h"
#include "csvbatch/results.h"

/* One <property name= value=> of the testsuite (an option, the stamp). Strings borrowed. */
struct csvb_junit_property {
    const char *name, *value;
};

/* The run. Strings and arrays borrowed. */
struct csvb_junit_run {
    time_t started;       /* timestamp=, UTC "YYYY-MM-DDTHH:MM:SS" (no zone: Ant's schema) */
    double seconds;       /* time= of the suite: the run's wall time */
    const char *hostname; /* hostname=; NULL: gethostname(), "localhost" when that fails */
    const struct csvb_junit_property *properties;
    size_t nproperties;
    bool fsync; /* fsync the report before the rename (--fsync) */
};

/* One input. All borrowed. */
struct csvb_junit_case {
    const char *path;                 /* classname= its directory ("." for none), name= its base */
    const char *output;               /* the output written, NULL when none (into system-out) */
    const struct csvb_result *result; /* status, seconds, rows, the diagnostic */
};

/* Writes path atomically (temp file beside it, fsync when run->fsync, rename; nothing is left
 * on error) as:
 *   <testsuites name="csvbatch" tests= failures= errors="0" skipped= time=>
 *     <testsuite name="csvbatch" tests= failures= errors="0" skipped= time= timestamp=
 *                hostname=> <properties><property name= value=/>...</properties>
 *       <testcase classname= name= time=> one per case, in the order given, holding
 *         <failure message="line N: MESSAGE" type="parse">PATH:N: MESSAGE</failure> (failed;
 *           type names the error: usage io parse schema limit nomem conflict cancelled timeout),
 *         <skipped message="MESSAGE"/> (skipped, and any status added later but success),
 *         <system-out>N rows read, M written[ to OUTPUT]</system-out> (unless skipped).
 * The counts come from the cases, so they always agree with them. Every string goes through
 * xmlTextWriter (escaped there, never by hand); what XML 1.0 cannot carry at all (control
 * characters but tab, LF and CR; DEL; bytes that are not UTF-8; U+FFFE, U+FFFF) is rendered as
 * the text \xNN per byte, as csvbatch's diagnostics render control characters.
 * Errors: CSVB_E_IO naming path (create, write, fsync, rename), CSVB_E_NOMEM. */
enum csvb_err csvb_report_junit_write(const char *path, const struct csvb_junit_run *run,
                                      const struct csvb_junit_case *cases, size_t n,
                                      struct csvb_diag *d);

/* --junit: the run (list, results, totals, info) as csvb_report_junit_write writes it, to path:
 * one case per job in input order (output: the one written, as the summary shows it), the
 * suite's time the run's wall time, its timestamp started, fsync as opt->fsync, and the
 * properties the options in effect as csvb_options_describe lists them (jobs = info->threads;
 * a boolean as true/false, a list comma-joined, an unset value as the empty string), then
 * "stamp" (info->stamp). Errors as csvb_report_junit_write's. */
enum csvb_err csvb_report_junit_run(const char *path, const struct csvb_options *opt,
                                    const struct csvb_joblist *list,
                                    const struct csvb_results *results, const struct csvb_totals *t,
                                    const struct csvb_run_info *info, time_t started,
                                    struct csvb_diag *d);

#endif
