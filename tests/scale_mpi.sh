#!/usr/bin/env bash
# The MPI build under the real mpirun (Open MPI), 1 to 4 ranks on this machine: outputs byte
# for byte, the summary, the diagnostics, --report and --junit (times and resource figures
# aside) and the exit code all equal one process's (the default build's) on a mixed corpus
# (good files, failing ones, big ones split into chunks); --fail-fast, --max-failures,
# --deadline and --timeout across ranks; a signal to rank 0, to another rank, and to mpirun
# itself; the start-up settings for tiny messages (mpi_env.h). Every mpirun is bounded by
# timeout(1).
# CSVBATCH: the one-process binary; CSVBATCH_MPI: build/mpi/csvbatch (make mpi).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
one=${CSVBATCH:-$root/build/release/csvbatch}
mpi=${CSVBATCH_MPI:-$root/build/mpi/csvbatch}
case $one in /*) ;; *) one=$root/$one ;; esac
case $mpi in /*) ;; *) mpi=$root/$mpi ;; esac
command -v mpirun >/dev/null || { echo "scale_mpi: mpirun not found (openmpi-bin)"; exit 1; }
[ -x "$mpi" ] || { echo "scale_mpi: $mpi not built (make mpi)"; exit 1; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
export LC_ALL=C
W=$(mktemp -d /tmp/csvb-scale-mpi.XXXXXX)
writers=()
cleanup() {
    for p in "${writers[@]}"; do kill "$p" 2>/dev/null; done
    rm -rf "$W"
}
trap cleanup EXIT
passed=0 failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
temps() { find "$1" -name '.*.tmp-*' 2>/dev/null; }

# mpirun with $1 ranks of the MPI build; the rest are csvbatch's arguments.
run_mpi() {
    local n=$1
    shift
    timeout -k 5 60 mpirun --oversubscribe --bind-to none -n "$n" "$mpi" "$@"
}

# The corpus: 40 files from 40 bytes to ~1.5 MB (CRLF, BOMs, quoted line feeds, UTF-8), four
# that fail (a bad row late in a big file, a missing column, an unterminated quote, bad UTF-8),
# in a tree of two levels.
python3 - "$W/in" <<'PY'
import os, random, sys
random.seed(11)
root = sys.argv[1]
os.makedirs(os.path.join(root, "sub", "deep"))
statuses = ["Active", "active", "Inactive", "Pending", "ACTIVE"]
for i in range(40):
    n = random.choice([0, 3, 40, 400, 4000]) if i % 10 else 12000 + 3000 * i
    eol = "\r\n" if i % 4 == 0 else "\n"
    rows = ["ID,Name,Status,Notes"]
    for r in range(n):
        name = random.choice(["Ann", '"Bo, Jr."', '"Q ""x"""', '"multi\nline"', "Jos\u00e9"])
        rows.append(f"{r},{name},{random.choice(statuses)},{'n' * random.randint(0, 60)}")
    if i == 10:
        rows.insert(len(rows) - 5, "bad,row")
    if i == 7:
        rows[0] = "ID,Name,State,Notes"
    if i == 13:
        rows.append('x,"unterminated')
    text = ("\ufeff" if i % 5 == 0 else "") + eol.join(rows) + eol
    data = text.encode("utf-8")
    if i == 17:
        data += b"9,Ren\xe9,Active,x\n"
    d = [root, os.path.join(root, "sub"), os.path.join(root, "sub", "deep")][i % 3]
    with open(os.path.join(d, f"f{i:02d}.csv"), "wb") as f:
        f.write(data)
PY

# Summaries, reports and JUnit files with what differs between any two runs taken out: times,
# throughput, CPU and memory figures, the clock.
cat >"$W/norm.py" <<'PY'
import json, re, sys
kind, path = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8", errors="surrogateescape").read()
TIMEY = re.compile(r"seconds|_at$|rss|cpu|usage|throughput", re.I)
def strip(v):
    if isinstance(v, dict):
        return {k: strip(x) for k, x in v.items() if not TIMEY.search(k)}
    if isinstance(v, list):
        return [strip(x) for x in v]
    return v
if kind == "json":
    print(json.dumps(strip(json.loads(text)), indent=1, sort_keys=True))
elif kind == "xml":
    text = re.sub(r'(time|timestamp)="[^"]*"', r'\1=""', text)
    print(re.sub(r'<property name="[^"]*(cpu|rss|seconds)[^"]*" value="[^"]*"/>', "", text))
elif kind == "csv":  # the last column is Seconds
    print(re.sub(r",[0-9.]+$", ",", text, flags=re.M))
else:  # the table: the Time column and the summary's " in ... s (... MB/s), peak ..." tail
    text = re.sub(r" +[0-9]+\.[0-9]+s( |$)", r" T\1", text, flags=re.M)
    text = re.sub(r" in [0-9.]+ s \(.*$", " in T", text, flags=re.M)
    print(re.sub(r" +", " ", text))
PY
norm() { python3 "$W/norm.py" "$1" "$2"; }
# csvbatch's own diagnostics (mpirun adds its notice of a non-zero exit on stderr).
diags() { grep '^csvbatch: ' "$1"; }

# Runs one configuration in $W/$1 by one process and by mpirun -n
# $2 (each rank with the -j in the options), and compares everything.
same_as_one() {
    local name=$1 n=$2
    shift 2
    local a=$W/$name/one b=$W/$name/mpi
    mkdir -p "$a" "$b"
    (cd "$a" && "$one" "$@" --report r.json --junit j.xml >stdout 2>stderr; echo $? >rc)
    (cd "$b" && run_mpi "$n" "$@" --report r.json --junit j.xml >stdout 2>stderr; echo $? >rc)
    local why=
    if [ "$(cat "$a/rc")" != "$(cat "$b/rc")" ]; then
        why="exit $(cat "$b/rc"), one process $(cat "$a/rc")"
    elif [ -e "$a/out" ] || [ -e "$b/out" ] && ! diff -r "$a/out" "$b/out" >"$W/$name/diff" 2>&1; then
        why="outputs differ: $(head -c 300 "$W/$name/diff")"
    elif [ -n "$(temps "$b")" ]; then
        why="temp files left: $(temps "$b")"
    fi
    local fmt=table
    case " $* " in *" --format csv "*) fmt=csv ;; esac
    for f in stdout:$fmt r.json:json j.xml:xml; do
        [ -z "$why" ] || break
        diff <(norm "${f#*:}" "$a/${f%%:*}") <(norm "${f#*:}" "$b/${f%%:*}") >"$W/$name/diff" ||
            why="${f%%:*} differs: $(head -c 600 "$W/$name/diff")"
    done
    [ -n "$why" ] || diff <(diags "$a/stderr") <(diags "$b/stderr") >"$W/$name/diff" ||
        why="diagnostics differ: $(head -c 600 "$W/$name/diff")"
    if [ -n "$why" ]; then fail "$name" "$why"; else pass "$name"; fi
}

base=(-r --no-fsync --timestamp 2026-01-01T00:00:00Z -o out "$W/in")
same_as_one np1-j2 1 -j 2 --format csv "${base[@]}"
same_as_one np2-j1 2 -j 1 --format csv "${base[@]}"
same_as_one np3-j2-chunks 3 -j 2 --chunk-size 64K --format csv "${base[@]}"
same_as_one np4-j1 4 -j 1 "${base[@]}"
same_as_one np2-preview 2 -j 2 --preview 2 --select Name,Status --where Status=Pending "${base[@]}"
same_as_one np3-deadline 3 -j 1 --deadline 0.000001 "${base[@]}"
same_as_one np2-dry-run 2 -j 1 --dry-run "${base[@]}"

# Open MPI's start-up for tiny messages (mpi_env.h): each rank picks the ob1 PML only when the
# environment names none, and sets TCP_NODELAY on its PMIx socket; CSVBATCH_MPI_TUNE=0 does
# neither. Each rank's trace line "init PML NODELAY" says what it did; the run is unchanged.
tune_case() { # $1 = name, $2 = the PML figure expected, $3 = sockets expected (0 or +), $4... = env
    local name=$1 pml=$2 nodelay=$3 t=$W/$1
    shift 3
    mkdir -p "$t"
    (cd "$t" && env -u OMPI_MCA_pml CSVBATCH_MPI_TRACE=1 "$@" timeout -k 5 60 mpirun --oversubscribe \
        --bind-to none -n 2 "$mpi" -j 1 -r --no-fsync -o out "$W/in" >stdout 2>stderr; echo $? >rc)
    local inits why=
    inits=$(awk '$1 == "csvbatch-mpi-trace" && $4 == "init" { print $2, $5, $6 }' "$t/stderr" | sort)
    [ "$(cat "$t/rc")" = 1 ] || why="exit $(cat "$t/rc"), expected 1 (four files fail)"
    [ "$(echo "$inits" | wc -l)" = 2 ] || why="$why; init lines: $inits"
    while read -r rank p n; do
        [ "$p" = "$pml.000000" ] || why="$why; rank $rank: PML figure $p, expected $pml"
        case $nodelay/$n in 0/0.000000 | +/[1-9]*) ;; *) why="$why; rank $rank: $n sockets" ;; esac
    done <<<"$inits"
    if [ -n "$why" ]; then fail "$name" "$why"; else pass "$name"; fi
}
tune_case tune-default 1 +
tune_case tune-user-pml 0 + OMPI_MCA_pml=ob1
tune_case tune-off 0 0 CSVBATCH_MPI_TUNE=0

# The stamp is rank 0's: rank 1 is started with another SOURCE_DATE_EPOCH (MPMD), and every
# output still carries rank 0's ProcessedDate, as one process started like rank 0 writes it.
t=$W/stamp
mkdir -p "$t/one" "$t/mpi"
(cd "$t/one" && SOURCE_DATE_EPOCH=1000000000 "$one" -j 1 -r --no-fsync -o out "$W/in" >/dev/null 2>&1)
(cd "$t/mpi" && timeout -k 5 60 mpirun --oversubscribe --bind-to none \
    -n 1 env SOURCE_DATE_EPOCH=1000000000 "$mpi" -j 1 -r --no-fsync -o out "$W/in" : \
    -n 1 env SOURCE_DATE_EPOCH=1500000000 "$mpi" -j 1 -r --no-fsync -o out "$W/in" >/dev/null 2>&1)
if ! diff -r "$t/one/out" "$t/mpi/out" >"$t/diff" 2>&1; then
    fail stamp-from-rank0 "outputs differ: $(head -c 300 "$t/diff")"
elif ! grep -rq 2001-09-09 "$t/mpi/out"; then
    fail stamp-from-rank0 "no output carries rank 0's stamp"
else
    pass stamp-from-rank0
fi

# A slow FIFO (a row every 0.2 s for 4 s) that has been opened, then run_mpi's pid: $1 = FIFO.
slow_writer() {
    mkfifo "$1"
    (exec >"$1" && touch "$1.open" && printf 'Name,ID,Status\n' &&
        for i in $(seq 1 20); do sleep 0.2; echo "r$i,$i,Active" || exit 0; done) &
    writers+=($!)
}
# Waits (5 s at most) for the files named to exist.
await() { for _ in $(seq 50); do ls "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }

# --timeout on another rank: two slow FIFOs, one per rank (-j 1 each), both run past 0.5 s and
# fail with the one-process message; the other files are done as usual.
t=$W/timeout
mkdir -p "$t/one" "$t/mpi"
for d in one mpi; do
    slow_writer "$t/$d/a.csv"
    slow_writer "$t/$d/b.csv"
done
(cd "$t/one" && "$one" -j 2 --timeout 0.5 --format csv --no-fsync -o out a.csv b.csv >stdout 2>stderr; echo $? >rc)
(cd "$t/mpi" && run_mpi 2 -j 1 --timeout 0.5 --format csv --no-fsync -o out a.csv b.csv >stdout 2>stderr; echo $? >rc)
if [ "$(cat "$t/one/rc")/$(cat "$t/mpi/rc")" != 1/1 ]; then
    fail timeout "exit $(cat "$t/mpi/rc"), one process $(cat "$t/one/rc"), expected 1"
elif ! diff <(norm csv "$t/one/stdout" | cut -d, -f1,2,6) <(norm csv "$t/mpi/stdout" | cut -d, -f1,2,6) >"$t/diff"; then
    fail timeout "summary differs: $(cat "$t/diff")"
elif [ "$(grep -c ',timed out after 0.5 s,' "$t/mpi/stdout")" != 2 ]; then
    fail timeout "expected both files to fail by --timeout: $(cat "$t/mpi/stdout")"
else
    pass timeout
fi

# --fail-fast and --max-failures across ranks: the largest file fails on its header, so the
# ranks' first jobs include it; after it (or the third failure) no rank starts a file. Each
# file is done (output = one process's), failed (no output) or not started with the message.
python3 - "$W/ff" <<'PY'
import os, sys
root = sys.argv[1]
os.makedirs(root)
for i in range(30):
    head = "ID,Name,State" if i in (0, 1, 2, 3, 4) else "ID,Name,Status"
    n = 20000 if i < 5 else 300 + i  # the failing ones are the largest: handed out first
    with open(os.path.join(root, f"g{i:02d}.csv"), "w") as f:
        f.write(head + "\n" + "".join(f"{r},N{r},Active\n" for r in range(n)))
PY
limits_case() { # $1 = name, $2 = ranks, $3 = the message, $4 = the least failures, $5... = options
    local name=$1 n=$2 msg=$3 least=$4
    shift 4
    local t=$W/$name
    mkdir -p "$t"
    (cd "$t" && "$one" -j 1 "$@" --no-fsync --timestamp T -o ref "$W/ff" >/dev/null 2>&1)
    (cd "$t" && run_mpi "$n" -j 1 "$@" --no-fsync --timestamp T -o out --report r.json "$W/ff" >stdout 2>stderr; echo $? >rc)
    local why
    why=$(python3 - "$t" "$msg" "$least" <<'PY'
import json, os, sys, filecmp
t, msg, least = sys.argv[1], sys.argv[2], int(sys.argv[3])
d = json.load(open(os.path.join(t, "r.json")))
if d["exit_code"] != 1:
    sys.exit("exit_code %r, expected 1" % d["exit_code"])
fails = skips = 0
for f in d["files"]:
    out = os.path.join(t, "out", os.path.basename(f["path"])[:-4] + "_processed.csv")
    ref = os.path.join(t, "ref", os.path.basename(out))
    if f["status"] == "success":
        if not filecmp.cmp(out, ref, shallow=False):
            sys.exit("%s: output differs from one process's" % f["path"])
    elif os.path.exists(out):
        sys.exit("%s is %s but has an output" % (f["path"], f["status"]))
    elif f["status"] == "failed":
        fails += 1
    elif f["status"] == "skipped" and f["error"] == msg:
        skips += 1
    else:
        sys.exit("%s: %s %r" % (f["path"], f["status"], f["error"]))
if fails < least or skips < 30 - 5 - 4:  # at most 4 ranks' files were running
    sys.exit("%d failed, %d not started: the limit did not stop the ranks" % (fails, skips))
PY
)
    if [ "$(cat "$t/rc")" != 1 ]; then fail "$name" "exit $(cat "$t/rc"), expected 1";
    elif [ -n "$why" ]; then fail "$name" "$why";
    elif [ -n "$(temps "$t")" ]; then fail "$name" "temp files left";
    else pass "$name"; fi
}
limits_case fail-fast-np2 2 "not started: --fail-fast after a failure" 1 --fail-fast
limits_case fail-fast-np4 4 "not started: --fail-fast after a failure" 1 --fail-fast
limits_case max-failures-np3 3 "not started: --max-failures reached" 3 --max-failures 3

# Signals. Big files first (largest first), then two slow FIFOs that the two ranks (-j 1) open;
# once both are open the signal goes to one process; $1 = name, $2 = signal, $3 = whom (0 or 1:
# that rank; mpirun: mpirun itself).
signal_case() {
    local name=$1 sig=$2 whom=$3 t=$W/$1
    mkdir -p "$t/data"
    for i in 1 2 3 4 5 6; do cp "$W/in/f$(printf %02d $((i * 3)))".csv "$t/data/d$i.csv"; done
    (cd "$t" && "$one" -j 1 --no-fsync --timestamp T -o ref data >/dev/null 2>&1)
    slow_writer "$t/s1.csv"
    slow_writer "$t/s2.csv"
    (cd "$t" && exec timeout -k 5 60 mpirun --oversubscribe --bind-to none -n 2 "$mpi" -j 1 \
        --no-fsync --timestamp T -o out --report r.json data s1.csv s2.csv >stdout 2>stderr) &
    local run=$!
    if ! await "$t/s1.csv.open" "$t/s2.csv.open"; then
        kill "$run"
        wait "$run"
        fail "$name" "the ranks did not open both FIFOs"
        return
    fi
    local target=
    if [ "$whom" = mpirun ]; then
        target=$(pgrep -P "$run" -x mpirun)
    else
        for p in $(pgrep -P "$(pgrep -P "$run" -x mpirun)"); do
            [ "$(tr '\0' '\n' <"/proc/$p/environ" | sed -n 's/^OMPI_COMM_WORLD_RANK=//p')" = "$whom" ] && target=$p
        done
    fi
    kill "-$sig" "$target"
    wait "$run"
    local rc=$? why=
    for f in "$t"/out/*; do
        [ -e "$f" ] || continue
        case $f in
        */s1_processed.csv | */s2_processed.csv) why="$why ${f##*/} written though interrupted" ;;
        *) cmp -s "$f" "$t/ref/${f##*/}" || why="$why ${f##*/} incomplete" ;;
        esac
    done
    [ -z "$(temps "$t")" ] || why="$why temp files left: $(temps "$t")"
    if [ "$whom" != mpirun ]; then # the rank signalled tells rank 0: the run ends as one would
        local code=$((128 + $(kill -l "$sig")))
        [ "$rc" = "$code" ] || why="$why exit $rc, expected $code"
        why="$why$(python3 - "$t/r.json" "SIG$sig" "$code" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
if d["interrupted_by"] != sys.argv[2] or d["exit_code"] != int(sys.argv[3]):
    print(" report: interrupted_by %r exit_code %r" % (d["interrupted_by"], d["exit_code"]))
for f in d["files"]:
    if f["path"].startswith("s") and (f["status"], f["error"]) != ("failed", "interrupted"):
        print(" %s: %s %r, expected failed 'interrupted'" % (f["path"], f["status"], f["error"]))
PY
)"
    elif [ "$rc" = 0 ]; then
        why="$why mpirun exited 0 after $sig"
    fi
    if [ -n "$why" ]; then fail "$name" "$why"; else pass "$name"; fi
}
signal_case sigint-rank0 INT 0
signal_case sigterm-rank1 TERM 1
signal_case sigint-mpirun INT mpirun

# --shard in the MPI build under several ranks would split only rank 0's share: a usage error.
t=$W/shard
mkdir -p "$t"
(cd "$t" && run_mpi 2 --shard auto -o out "$W/in" >stdout 2>stderr; echo $? >rc)
if [ "$(cat "$t/rc")" != 2 ] || ! grep -q '^csvbatch: --shard: the MPI build shares the files out' "$t/stderr"; then
    fail shard-refused "exit $(cat "$t/rc"): $(head -2 "$t/stderr")"
elif [ -e "$t/out" ]; then
    fail shard-refused "outputs were written"
else
    pass shard-refused
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
