#!/usr/bin/env bash
# A one-node Slurm cluster for the test suite: `slurm-cluster.sh start DIR` starts munged (as
# the munge user, with its own key), slurmctld and slurmd (as root), everything under DIR (key,
# socket, state, spool, logs, slurm.conf), and waits until the node is idle; `stop DIR` ends
# exactly the processes start recorded (and their children), by pid. Every wait is bounded.
# Client commands then need SLURM_CONF=DIR/slurm.conf (start prints the line to export).
# Debian: slurmctld slurmd slurm-client munge. Ports: CSVB_SLURM_PORT (default 16817, and +1).
set -euo pipefail

usage() {
    echo "usage: $0 start|stop DIR" >&2
    exit 2
}
[ $# -eq 2 ] || usage
cmd=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd)
port=${CSVB_SLURM_PORT:-16817}
node=$(hostname -s)

# Waits up to $1 tenths of a second for the command after it to succeed.
wait_for() {
    local tenths=$1
    shift
    for _ in $(seq 1 "$tenths"); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}

# The pid in file $1 and every descendant, deepest first.
tree() {
    local pid=$1 child
    for child in $(pgrep -P "$pid" 2>/dev/null); do tree "$child"; done
    echo "$pid"
}

stop_one() { # $1 = pid file
    [ -s "$1" ] || return 0
    local pid pids
    pid=$(cat "$1")
    if kill -0 "$pid" 2>/dev/null; then
        pids=$(tree "$pid")
        kill -TERM $pids 2>/dev/null || true
        wait_for 50 bash -c "! kill -0 $pid" || kill -KILL $pids 2>/dev/null || true
    fi
    rm -f "$1"
}

fail() {
    echo "slurm-cluster: $*" >&2
    for log in "$dir"/log/*.log; do
        [ -s "$log" ] && { echo "== $log" >&2; tail -n 20 "$log" >&2; }
    done
    "$0" stop "$dir" || true
    exit 1
}

start_munge() {
    runuser -u munge -- test -x "$dir" ||
        fail "$dir: the munge user cannot reach it (make it and its parents 0755)"
    mkdir -p "$dir/munge" "$dir/log"
    chown munge:munge "$dir/munge"
    chmod 0700 "$dir/munge"
    # Its own key, readable by munge alone; the system's key and socket are never touched.
    dd if=/dev/urandom bs=1 count=1024 of="$dir/munge/munge.key" status=none
    chown munge:munge "$dir/munge/munge.key"
    chmod 0400 "$dir/munge/munge.key"
    touch "$dir/log/munged.log"
    chown munge:munge "$dir/log/munged.log"
    runuser -u munge -- munged --force --key-file="$dir/munge/munge.key" \
        --socket="$dir/munge/munge.socket" --pid-file="$dir/munge/munged.pid" \
        --seed-file="$dir/munge/munged.seed" --log-file="$dir/log/munged.log" ||
        fail "munged did not start"
    wait_for 50 test -S "$dir/munge/munge.socket" || fail "munged: no socket after 5 s"
    wait_for 50 test -s "$dir/munge/munged.pid" || fail "munged: no pid file after 5 s"
    cp "$dir/munge/munged.pid" "$dir/munged.pid"
    munge -S "$dir/munge/munge.socket" -n | unmunge -S "$dir/munge/munge.socket" >/dev/null ||
        fail "munge: a credential does not round-trip"
}

write_conf() {
    mkdir -p "$dir/state" "$dir/spool" "$dir/log"
    cat >"$dir/slurm.conf" <<EOF
ClusterName=csvb
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pidfile
SlurmdPidFile=$dir/slurmd.pidfile
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
MaxArraySize=1001
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
}

case $cmd in
start)
    for p in munged.pid slurmctld.pid slurmd.pid; do
        [ -s "$dir/$p" ] && kill -0 "$(cat "$dir/$p")" 2>/dev/null && fail "already running ($dir/$p)"
    done
    rm -rf "$dir/state" "$dir/spool" "$dir/log" "$dir/munge"
    start_munge
    write_conf
    export SLURM_CONF=$dir/slurm.conf
    setsid slurmctld -D -f "$SLURM_CONF" >"$dir/log/slurmctld.out" 2>&1 </dev/null &
    echo $! >"$dir/slurmctld.pid"
    wait_for 150 scontrol ping || fail "slurmctld does not answer after 15 s"
    setsid slurmd -D -f "$SLURM_CONF" >"$dir/log/slurmd.out" 2>&1 </dev/null &
    echo $! >"$dir/slurmd.pid"
    wait_for 300 bash -c "sinfo -h -n $node -o %T | grep -qx idle" ||
        fail "node $node not idle after 30 s: $(sinfo -h -o '%T %E' 2>&1)"
    echo "export SLURM_CONF=$SLURM_CONF"
    ;;
stop)
    stop_one "$dir/slurmd.pid"
    stop_one "$dir/slurmctld.pid"
    stop_one "$dir/munged.pid"
    ;;
*) usage ;;
esac
