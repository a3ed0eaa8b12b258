/* mpi_env.h — what the MPI build sets around MPI_Init for its few, tiny messages (README "MPI
 * build"). No MPI here (driver_mpi.c calls these): plain POSIX, unit-tested in the default build.
 *
 * csvbatch sends one short message per file: Open MPI's fast transports buy nothing, and their
 * start-up is most of a short run's overhead. Measured with Open MPI 4.1 (Debian 12) under
 * `mpirun -n 2` on one machine: choosing the PML probes the PSM and PSM2 MTLs (pml cm), about
 * 0.2 s of each rank's MPI_Init; and each PMIx fence (MPI_Finalize has one) waits about 40 ms
 * for a delayed TCP ACK, because the PMIx client writes small messages to its server over
 * loopback TCP with Nagle's algorithm on. */
#ifndef CSVBATCH_MPI_ENV_H
#define CSVBATCH_MPI_ENV_H

#include <stdbool.h>

/* Before MPI_Init: sets OMPI_MCA_pml=ob1 (Open MPI's own point-to-point layer over shared
 * memory and TCP) unless OMPI_MCA_pml is in the environment at all: `mpirun --mca pml X` and
 * `OMPI_MCA_pml=X` choose another, and an empty OMPI_MCA_pml leaves the choice to Open MPI.
 * CSVBATCH_MPI_TUNE=0 in the environment turns this off (and csvb_mpi_env_nodelay). Returns
 * true when it set it. Not thread-safe (setenv): call before any thread starts. */
bool csvb_mpi_env_pml(void);

/* After MPI_Init: sets TCP_NODELAY on every connected TCP socket this process holds (the PMIx
 * client's to its server; Open MPI's own TCP connections have it already). Only the latency of
 * small writes changes. Returns how many sockets it set; 0 when CSVBATCH_MPI_TUNE=0 or
 * /proc/self/fd cannot be read. */
int csvb_mpi_env_nodelay(void);

/* With CSVBATCH_MPI_TRACE in the environment: one line on stderr, "csvbatch-mpi-trace RANK
 * SECONDS WHAT A B" (SECONDS since the epoch, microseconds; A and B what the caller measured),
 * for scripts/mpi-overhead.sh's breakdown of a run into phases. Nothing otherwise. */
void csvb_mpi_env_trace(int rank, const char *what, double a, double b);

#endif
