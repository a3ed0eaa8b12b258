#!/usr/bin/env bash
# Measures the MPI build's overhead (issue 11's goal: within 15%): `mpirun -n 2 --oversubscribe`
# with one thread per rank against one process with -j 2, on W1-like data
# (scripts/gen-bench-data.py), runs alternated so that a slow spell of the machine hits each
# kind alike. Prints every run and, per kind, the medians of wall seconds and of CPU seconds
# (user+sys of everything the command started), the ratios to one process (also the median of
# each run's ratio to the one-process run just before it: steadier on a busy machine), and where
# the MPI runs' time went (each rank's CSVBATCH_MPI_TRACE lines; medians over the runs):
#   launch    mpirun's start until the first rank's main
#   init      MPI_Init (csvb_mpi_env_pml's ob1 choice applies here)
#   work      rank 0's START sent until its last rank's threads stopped (the jobs)
#   waited    the other ranks' threads idle waiting for a job (sum over threads)
#   serving   CPU seconds of rank 0's MPI thread (its polls share a core with a worker)
#   tail      the last rank's threads stopped until rank 0 has every result
#   report    until rank 0 has printed and sent FIN
#   finalize  MPI_Finalize (its PMIx fence)
#   exit      the last rank's end until mpirun returned
# Kinds: "one" (-j 2), "mpi" (as built), "untuned" (CSVBATCH_MPI_TUNE=0: Open MPI's own choice
# of PML, Nagle on the PMIx socket; skipped with UNTUNED=0), "true" (`mpirun -n 2 true`:
# mpirun's own start and end), "base" (CSVBATCH_MPI_BASE, when set: another MPI build to compare,
# e.g. one from before a change). A measurement, not a test: nothing is asserted. Run it alone on
# a quiet machine.
# Usage: scripts/mpi-overhead.sh [SCALE (default 0.05)] [RUNS (default 7)]
# CSVBATCH (default build/release/csvbatch), CSVBATCH_MPI (default build/mpi/csvbatch),
# DATA: a directory of CSV files to use instead of generating W1 at SCALE under BENCH_ROOT.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scale=${1:-0.05}
runs=${2:-7}
one=${CSVBATCH:-$root/build/release/csvbatch}
mpi=${CSVBATCH_MPI:-$root/build/mpi/csvbatch}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
data=${DATA:-$(python3 "$root/scripts/gen-bench-data.py" --workload W1 --scale "$scale" \
    --root "${BENCH_ROOT:-$root/.bench/data}" -j 2)}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "data: $data ($(du -sh "$data" | cut -f1), $(ls "$data" | wc -l) files)"
python3 - "$out" "$runs" "$one" "$mpi" "$data" "${UNTUNED:-1}" "${CSVBATCH_MPI_BASE:-}" <<'PY'
import os, resource, shutil, statistics, subprocess, sys, time
out, runs, one, mpi, data = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
untuned, base = sys.argv[6] == "1", sys.argv[7]
opts = ["-q", "--no-fsync", "--timestamp", "2026-01-01T00:00:00Z", "-o", os.path.join(out, "o"), data]
mpirun = ["timeout", "300", "mpirun", "--oversubscribe", "--bind-to", "none", "-n", "2"]
kinds = {"one": ([one, "-j", "2"] + opts, {}),
         "mpi": (mpirun + [mpi, "-j", "1"] + opts, {"CSVBATCH_MPI_TRACE": "1"}),
         "untuned": (mpirun + [mpi, "-j", "1"] + opts, {"CSVBATCH_MPI_TRACE": "1", "CSVBATCH_MPI_TUNE": "0"}),
         "true": (mpirun + ["true"], {})}
if not untuned:
    del kinds["untuned"]
if base:
    kinds["base"] = (mpirun + [base, "-j", "1"] + opts, {"CSVBATCH_MPI_TRACE": "1"})

def run(argv, extra):
    """Wall and CPU seconds of argv, and its trace: {(rank, what): [(time, a, b)]}."""
    shutil.rmtree(os.path.join(out, "o"), ignore_errors=True)
    env = dict(os.environ, **extra)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.time()
    p = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    t1 = time.time()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    trace = {}
    for line in p.stderr.splitlines():
        f = line.split()
        if len(f) == 6 and f[0] == "csvbatch-mpi-trace":
            trace.setdefault((int(f[1]), f[3]), []).append((float(f[2]) - t0, float(f[4]), float(f[5])))
    return t1 - t0, cpu, trace, t1 - t0

def phases(trace, total):
    """The breakdown described at the top of the script, or {} without a trace."""
    def t(rank, what, pick=min):
        v = [x[0] for (r, w), xs in trace.items() if w == what and (rank is None or r == rank) for x in xs]
        return pick(v) if v else None
    try:
        main, init = t(-1, "main"), t(None, "init", max)
        start, served = t(0, "start"), t(0, "served")
        stopped = max(t(0, "local-done"), t(None, "bye", max) or 0)
        fin, end = t(None, "finalize", max), t(None, "end", max)
        waited = sum(x[1] for (r, w), xs in trace.items() if w == "waited" for x in xs)
        serving = trace[(0, "served")][0][1]
        return {"launch": main, "init": init - main, "work": stopped - start, "waited": waited,
                "serving": serving,
                "tail": served - stopped, "report": t(0, "finalize") - served,
                "finalize": end - fin, "exit": total - end}
    except (TypeError, ValueError, KeyError):
        return {}

res = {k: [] for k in kinds}
for i in range(1, runs + 1):
    line = []
    for k, (argv, extra) in kinds.items():
        wall, cpu, trace, total = run(argv, extra)
        res[k].append((wall, cpu, phases(trace, total)))
        line.append(f"{k} {wall:.3f} s ({cpu:.2f} s CPU)")
    print(f"run {i}: " + "; ".join(line), flush=True)
med = {k: (statistics.median(w for w, _, _ in v), statistics.median(c for _, c, _ in v)) for k, v in res.items()}
print(f"medians of {runs}:")
for k, (w, c) in med.items():
    pair = statistics.median(a[0] / b[0] for a, b in zip(res[k], res["one"]))
    ratio = (f", ratio to one process: wall {w / med['one'][0]:.3f} (median of each run's: {pair:.3f}),"
             f" CPU {c / med['one'][1]:.3f}") if k not in ("one", "true") else ""
    print(f"  {k:8} wall {w:.3f} s, CPU {c:.3f} s{ratio}")
for k in ("mpi", "untuned", "base"):
    ps = [p for _, _, p in res.get(k, []) if p]
    if ps:
        print(f"  {k} phases (s): " + ", ".join(f"{n} {statistics.median(p[n] for p in ps):.3f}" for n in ps[0]))
PY
