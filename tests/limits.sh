#!/usr/bin/env bash
# Issue 13's limits: nothing is lost to a system limit or left unchecked.
#   item 4   a tree deeper than PATH_MAX is walked by descriptor to the bottom; a file whose path
#            cannot be opened by name is a Failed row naming it and the cause (exit 1), never
#            left out.
#   item 12  -j 1024 under `ulimit -n 64`: every file succeeds (the soft limit is raised to the
#            hard one, the threads lowered to what the descriptors allow, with a notice).
#   item 1   the --incremental manifest, journal and lock go through the one conflict check:
#            a journal that is a link to an input, or --report naming the manifest, is a usage
#            error (exit 2) before any work, and the input is untouched.
#
#   bash tests/limits.sh            (CSVBATCH=path picks another binary)
set -u
export LC_ALL=C TZ=UTC
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${CSVBATCH:-$ROOT/build/release/csvbatch}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
[ -x "$BIN" ] || { echo "limits.sh: csvbatch binary not found: $BIN" >&2; exit 2; }
W=$(mktemp -d "${TMPDIR:-/tmp}/csvb-limits.XXXXXX")
NAME=$(printf 'd%.0s' $(seq 200)) # a 200-byte directory name
# A tree deeper than PATH_MAX cannot be removed by rm -rf's path: climb down, then up, by name.
rm_deep() {
    local top=$1 depth=0
    [ -d "$top/deep" ] || return 0
    (
        cd "$top/deep" || exit
        while [ -d "$NAME" ]; do cd "$NAME" || exit; depth=$((depth + 1)); done
        while [ $depth -gt 0 ]; do
            find . -mindepth 1 -maxdepth 1 ! -name "$NAME" -exec rm -rf {} +
            cd .. || exit
            rm -rf "$NAME"
            depth=$((depth - 1))
        done
    )
}
cleanup() { rm_deep "$W"; rm -rf "$W"; }
trap cleanup EXIT; [ -n "${LIMITS_KEEP:-}" ] && trap "" EXIT
passed=0 failed=0
pass() { echo "PASS $1${2:+ ($2)}"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
CSV='Name,ID,Status\nAnn,1,Active\nBob,2,Inactive\n'

# ---- item 4: deeper than PATH_MAX (4096): 30 levels of 200 bytes ---------------------------
mkdir -p "$W/deep"
(
    cd "$W/deep" || exit 1
    printf "$CSV" >top.csv
    for i in $(seq 30); do
        mkdir "$NAME" && cd "$NAME" || exit 1
        [ "$i" = 5 ] && printf "$CSV" >middle.csv
    done
    printf "$CSV" >bottom.csv
) || fail deep_tree "cannot build the tree"
(cd "$W" && timeout 60 "$BIN" -r --format csv --timestamp T deep) >"$W/deep.out" 2>"$W/deep.err"
rc=$?
rows=$(grep -c ',Success,\|,Failed,\|,Skipped,' "$W/deep.out")
bottom=$(grep 'bottom.csv' "$W/deep.out")
if [ $rc -eq 1 ] && [ "$rows" -eq 3 ] && grep -q '^deep/top.csv,Success,' "$W/deep.out" &&
    grep -q "^deep/$NAME/.*/middle.csv,Success," "$W/deep.out" &&
    [[ $bottom == *",Failed,"*"PATH_MAX"* ]] && grep -q 'bottom.csv: .*PATH_MAX' "$W/deep.err"; then
    pass deep_tree "exit 1, 3 rows; bottom.csv (6 KB path): Failed, $(cut -d, -f6 <<<"$bottom")"
else
    fail deep_tree "exit $rc, $rows rows: $(cut -c1-60 "$W/deep.out" | tr '\n' '|'); $(cut -c1-40 "$W/deep.err")"
fi
(cd "$W" && timeout 60 "$BIN" -r -n -q deep) 2>"$W/deepn.err"
rc=$?
[ $rc -eq 1 ] && grep -q 'bottom.csv: .*PATH_MAX' "$W/deepn.err" &&
    pass deep_tree_dry_run "a dry run says it too, exit 1" ||
    fail deep_tree_dry_run "exit $rc: $(cut -c1-80 "$W/deepn.err")"
rm_deep "$W"

# ---- item 12: -j 1024 with 64 descriptors ------------------------------------------------
mkdir "$W/many"
for i in $(seq -w 300); do printf "$CSV" >"$W/many/f$i.csv"; done
(ulimit -n 64 && cd "$W" && timeout 120 "$BIN" -j 1024 --format csv many) >"$W/many.out" \
    2>"$W/many.err"
rc=$?
ok=$(grep -c ',Success,' "$W/many.out")
if [ $rc -eq 0 ] && [ "$ok" -eq 300 ] && grep -q 'open-file limit is 64' "$W/many.err"; then
    pass fd_limit "300 of 300 succeed at -j 1024, ulimit -n 64; $(head -1 "$W/many.err")"
else
    fail fd_limit "exit $rc, $ok succeeded: $(sort "$W/many.err" | uniq -c | sort -rn | head -2)"
fi
# A soft limit under the hard one is raised first: no notice, all succeed.
(ulimit -Sn 64 && ulimit -Hn 4096 2>/dev/null; cd "$W" && timeout 120 "$BIN" -j 64 -q many) \
    2>"$W/soft.err"
rc=$?
[ $rc -eq 0 ] && ! grep -q 'open-file limit' "$W/soft.err" &&
    pass fd_soft_limit_raised "ulimit -Sn 64: raised, -j 64 kept" ||
    fail fd_soft_limit_raised "exit $rc: $(head -2 "$W/soft.err")"

# ---- item 1: the incremental files against inputs and run files ---------------------------
mkdir "$W/inc"
printf "$CSV" >"$W/inc/a.csv"
cp "$W/inc/a.csv" "$W/a.orig"
ln -s a.csv "$W/inc/.csvbatch-manifest.journal"
(cd "$W" && timeout 30 "$BIN" --incremental -q inc) 2>"$W/inc.err"
rc=$?
if [ $rc -eq 2 ] && cmp -s "$W/a.orig" "$W/inc/a.csv" && [ ! -e "$W/inc/a_processed.csv" ] &&
    grep -q "journal.*is an input file" "$W/inc.err"; then
    pass incremental_journal_is_input "exit 2: $(head -1 "$W/inc.err")"
else
    fail incremental_journal_is_input "exit $rc, input $(cmp -s "$W/a.orig" "$W/inc/a.csv" && echo kept || echo CHANGED): $(head -1 "$W/inc.err")"
fi
rm -f "$W/inc/.csvbatch-manifest.journal"
(cd "$W" && timeout 30 "$BIN" --incremental -q --report inc/.csvbatch-manifest.json inc) \
    2>"$W/rep.err"
rc=$?
if [ $rc -eq 2 ] && [ ! -e "$W/inc/a_processed.csv" ] && [ ! -e "$W/inc/.csvbatch-manifest.json" ] &&
    grep -q -- "--report and --incremental manifest name the same file" "$W/rep.err"; then
    pass incremental_manifest_is_report "exit 2: $(head -1 "$W/rep.err")"
else
    fail incremental_manifest_is_report "exit $rc: $(head -1 "$W/rep.err")"
fi
# A named input that is the lock file: refused (it would be truncated by no one, but the
# manifest beside it is written over by rename: the same rule for every written path).
printf "$CSV" >"$W/inc/.csvbatch-manifest.json"
cp "$W/inc/.csvbatch-manifest.json" "$W/m.orig"
(cd "$W" && timeout 30 "$BIN" --incremental -q inc/.csvbatch-manifest.json) 2>"$W/named.err"
rc=$?
if [ $rc -eq 2 ] && cmp -s "$W/m.orig" "$W/inc/.csvbatch-manifest.json" &&
    grep -q "manifest.*is an input file" "$W/named.err"; then
    pass incremental_manifest_is_input "exit 2: $(head -1 "$W/named.err")"
else
    fail incremental_manifest_is_input "exit $rc: $(head -1 "$W/named.err")"
fi
rm "$W/inc/.csvbatch-manifest.json"
# And the normal case still works: two runs, the second Unchanged.
(cd "$W" && timeout 30 "$BIN" --incremental -q inc && timeout 30 "$BIN" --incremental --format csv inc) \
    >"$W/inc2.out" 2>&1
rc=$?
[ $rc -eq 0 ] && grep -q '^inc/a.csv,Unchanged,' "$W/inc2.out" &&
    pass incremental_still_works "second run Unchanged" ||
    fail incremental_still_works "exit $rc: $(head -3 "$W/inc2.out")"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
