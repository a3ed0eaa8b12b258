/* omp_env.h — OMP_NUM_THREADS checked before libgomp reads it (issue 13 item 23).
 *
 * Run layer. Linking omp_env.o (main does, by calling csvb_omp_env_ignored) puts a function in
 * the executable's .preinit_array: it runs before any shared library's constructors, so before
 * libgomp's, and takes out of the environment an OMP_NUM_THREADS that csvb_plan_omp_env_ok
 * refuses (libgomp would warn "Invalid value for environment variable", or size its teams past
 * the cap of -j). Only the environment array's entry changes. */
#ifndef CSVBATCH_OMP_ENV_H
#define CSVBATCH_OMP_ENV_H

/* The value of OMP_NUM_THREADS that was taken out (borrowed from the process's environment
 * strings), or NULL when it was unset or fine. main says so in its own words. */
const char *csvb_omp_env_ignored(void);

#endif
