/* driver_mpi.h — the MPI build's driver (make mpi): the jobs of one run shared out over ranks.
 *
 * Rank 0 is the run: it parses, lists the inputs (walk, outputs, conflicts), prints the
 * diagnostics, the summary and the reports, and picks the exit code, exactly as one process
 * would. Its driver hands the jobs out one at a time, largest first, to whichever thread of any
 * rank asks next (its own threads included); every rank runs its jobs on its own -j threads and
 * sends each result back. The refusals (--fail-fast, --max-failures, --deadline, an interrupt)
 * are decided on rank 0 as the one-process driver decides them; a signal reaching any rank is
 * passed to every other, where it sets the same flag a local signal would. Only the default
 * build's main includes this header without MPI: the functions exist in the MPI build only. */
#ifndef CSVBATCH_DRIVER_MPI_H
#define CSVBATCH_DRIVER_MPI_H

#include <stdbool.h>

#include "csvbatch/outputs.h"
#include "csvbatch/plan.h"
#include "csvbatch/result.h"
#include "csvbatch/results.h"
#include "csvbatch/supervise.h"

/* The main of the MPI build. Initializes MPI; rank 0 returns one_process(argc, argv,
 * csvb_driver_mpi_run) (the one-process main, its jobs run by the ranks), then releases the
 * other ranks; every other rank parses the same argv, serves rank 0's run (or none, when rank 0
 * stopped before its jobs: --help, a usage error) and returns 0. Finalizes MPI. Returns the
 * rank's exit status; 1 (said on stderr) when MPI cannot be had. */
int csvb_driver_mpi_main(int argc, char **argv,
                         int (*one_process)(int argc, char **argv, csvb_supervise_fn *run_jobs));

/* Rank 0's driver, in csvb_supervise_run's place: sends the job list and the stamp to every
 * other rank, runs the jobs over all ranks and fills results[i] for each job i as
 * csvb_driver_run would. No progress line is drawn (show_progress is ignored). Called at most
 * once per run, from the thread that called csvb_driver_mpi_main. */
void csvb_driver_mpi_run(struct csvb_plan *plan, const struct csvb_joblist *list,
                         struct csvb_results *results, bool show_progress);

#endif
