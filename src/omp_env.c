/* omp_env.c — an OMP_NUM_THREADS that libgomp would warn about, hidden from it before it starts. */
#include "csvbatch/omp_env.h"

#include <stddef.h>
#include <string.h>

#include "csvbatch/plan.h"

static const char *ignored;

/* Called by the loader with main's arguments and environment, before libgomp's constructor. */
static void hide_bad_omp_env(int argc, char **argv, char **envp)
{
    static char hidden[] = "CSVBATCH_IGNORED_OMP_NUM_THREADS=1";
    (void)argc;
    (void)argv;
    for (char **e = envp; e != NULL && *e != NULL; e++) {
        if (strncmp(*e, "OMP_NUM_THREADS=", 16) == 0 && !csvb_plan_omp_env_ok(*e + 16)) {
            ignored = *e + 16;
            *e = hidden;
        }
    }
}

__attribute__((section(".preinit_array"),
               used)) static void (*const preinit)(int, char **, char **) = hide_bad_omp_env;

const char *csvb_omp_env_ignored(void)
{
    return ignored;
}
