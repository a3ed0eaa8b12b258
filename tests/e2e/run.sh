#!/usr/bin/env bash
# End-to-end golden-file tests for csvbatch.
#
#   bash tests/e2e/run.sh [--update] [CASE...]
#
# Every directory tests/e2e/cases/<name>/ is one case (see tests/e2e/README.md):
#   setup   optional bash snippet that builds the fixture tree in a fresh temp dir (cwd)
#   skip    optional bash snippet; when it exits 0 the case is skipped (its stdout is the reason)
#   cmd     bash snippet that runs "$CSVBATCH ..." in that dir, with relative paths
#   stdout, stderr, exit, tree   the golden files (normalised, see normalise())
#   handwritten  optional: the goldens say what csvbatch SHOULD print (a known bug); a bare
#           --update leaves them alone, `--update NAME` overwrites them
# Snippets see CSVBATCH (the binary), TESTDATA (the repo's testdata/, to copy from, never to
# write into), LC_ALL=C, TZ=UTC, a minimal environment and stdin from /dev/null; cmd runs under
# `timeout 20`.
#
# Prints PASS/FAIL/SKIP per case (a unified diff under each FAIL) and ends with the line
# "N passed, M failed"; exits 1 if any case failed, 2 on a usage error.
# --update rewrites the golden files of the selected cases (all by default, except those with a
# `handwritten` file) from this run;
# review them with `git diff tests/e2e/cases` before committing.
# Environment: CSVBATCH (default build/release/csvbatch), E2E_KEEP=1 keeps the work dir.
set -u
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CASES=$HERE/cases
TESTDATA=$ROOT/testdata
BIN=${CSVBATCH:-$ROOT/build/release/csvbatch}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac

UPDATE=0
SELECTED=()
for arg in "$@"; do
    case $arg in
    --update) UPDATE=1 ;;
    -h | --help)
        sed -n '2,/^set -u/{/^set -u/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
        exit 0
        ;;
    -*) echo "run.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
    *) SELECTED+=("${arg%/}") ;;
    esac
done

[ -x "$BIN" ] || { echo "run.sh: csvbatch binary not found: $BIN (run make, or set CSVBATCH)" >&2; exit 2; }
for tool in timeout sha256sum sed sort find mkfifo diff; do
    command -v "$tool" >/dev/null || { echo "run.sh: $tool is required" >&2; exit 2; }
done

NAMED=${#SELECTED[@]}
if [ ${#SELECTED[@]} -eq 0 ]; then
    while IFS= read -r d; do SELECTED+=("$d"); done < <(cd "$CASES" && find . -mindepth 1 -maxdepth 1 -type d -printf '%P\n' | sort)
fi
for name in "${SELECTED[@]}"; do
    name=${name##*/}
    [ -f "$CASES/$name/cmd" ] || { echo "run.sh: no such case: $name (no $CASES/$name/cmd)" >&2; exit 2; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/csvb-e2e.XXXXXX")
cleanup() {
    if [ "${E2E_KEEP:-0}" = 1 ]; then
        echo "work dir kept: $WORK" >&2
        return
    fi
    chmod -R u+rwX "$WORK" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A manifest of the testdata tree, to prove that no case wrote into the repository.
testdata_manifest() {
    (cd "$TESTDATA" && find . -printf '%y %P\n' | sort && find . -type f -print0 | sort -z | xargs -0r sha256sum)
}
TESTDATA_BEFORE=$(testdata_manifest)

# Runs a snippet file in directory $1 with the fixed environment; stdin is /dev/null.
# Usage: in_env DIR TIMEOUT SNIPPET
in_env() {
    # Sanitizer settings pass through, so that `make asan/ubsan/tsan` can run these cases.
    local san=()
    local v
    for v in ASAN_OPTIONS UBSAN_OPTIONS TSAN_OPTIONS LSAN_OPTIONS; do
        [ -n "${!v:-}" ] && san+=("$v=${!v}")
    done
    (cd "$1" && exec env -i PATH="$PATH" HOME="${HOME:-/}" TMPDIR="$WORK" LC_ALL=C TZ=UTC \
        "${san[@]}" CSVBATCH="$BIN" TESTDATA="$TESTDATA" timeout -k 5 "$2" bash "$3" </dev/null)
}

# Volatile values become fixed ones of the same shape (and width, where columns align):
#   table Time cells  0.004s -> 0.000s          totals  "in 0.012 s (3.1 MB/s)" -> "in 0.000 s (0.0 MB/s)"
#   JSON  "seconds": 1.2e-05 -> "seconds": 0.0  CSV     Seconds column ",0.001234" -> ",0.000000" (last,
#   or before a last RowsRejected count)
#   totals' resource figures ", peak 4.5 MiB, CPU 0.01 s user, 0.00 s sys." -> ", peak 0.0 MiB, CPU 0.00 s
#   user, 0.00 s sys." (only after the time and rate above: the rest of the line is still checked)
#   JSON  "peak_rss_bytes": 4726784 -> 0, "cpu_user_seconds"/"cpu_system_seconds": 0.01 -> 0.0
# and the case's temp dir is shown as <tmp>. Only stdout and stderr are normalised; in the tree
# golden only the temp dir is replaced, so file contents are compared byte for byte.
normalise() {
    sed -E \
        -e "s|$2|<tmp>|g" \
        -e 's/(^| )[0-9]\.[0-9]{3}s( |$)/\10.000s\2/g' \
        -e 's/(^| )[0-9]{2}\.[0-9]{3}s( |$)/\100.000s\2/g' \
        -e 's/ in [0-9]+\.[0-9]{3} s \([0-9]+\.[0-9] MB\/s\)\./ in 0.000 s (0.0 MB\/s)./' \
        -e 's/ in [0-9]+\.[0-9]{3} s \([0-9]+\.[0-9] MB\/s\), peak [0-9]+\.[0-9] MiB, CPU [0-9]+\.[0-9]{2} s user, [0-9]+\.[0-9]{2} s sys\./ in 0.000 s (0.0 MB\/s), peak 0.0 MiB, CPU 0.00 s user, 0.00 s sys./' \
        -e 's/("peak_rss_bytes": )[0-9]+/\10/g' \
        -e 's/("cpu_(user|system)_seconds": )[0-9][0-9.eE+-]*/\10.0/g' \
        -e 's/("seconds": )-?[0-9][0-9.eE+-]*/\10.0/g' \
        -e 's/,[0-9]+\.[0-9]{6}$/,0.000000/' \
        -e 's/,[0-9]+\.[0-9]{6},([0-9]+)$/,0.000000,\1/' \
        "$1"
}

# One line per entry under the current directory (sorted, not following links):
#   file PATH SIZE SHA256-PREFIX | dir PATH/ | link PATH -> TARGET | fifo PATH | other PATH
# Entries the user cannot read (permission cases, never as root) show "unreadable" instead.
listing() {
    find . -mindepth 1 -printf '%P\0' 2>/dev/null | sort -z | while IFS= read -r -d '' p; do
        if [ -L "$p" ]; then
            printf 'link %s -> %s\n' "$p" "$(readlink "$p")"
        elif [ -d "$p" ]; then
            if [ -r "$p" ] && [ -x "$p" ]; then printf 'dir  %s/\n' "$p"; else printf 'dir  %s/ unreadable\n' "$p"; fi
        elif [ -p "$p" ]; then
            printf 'fifo %s\n' "$p"
        elif [ -f "$p" ] && [ ! -r "$p" ]; then
            printf 'file %s %s unreadable\n' "$p" "$(stat -c %s "$p")"
        elif [ -f "$p" ]; then
            printf 'file %s %s %s\n' "$p" "$(stat -c %s "$p")" "$(sha256sum <"$p" | cut -c1-16)"
        else
            printf 'other %s\n' "$p"
        fi
    done
}

# The tree golden: the listing, then the content of every file that is new or changed since the
# setup (shown with `sed -n l`: \r, \t, \\ and non-ASCII bytes escaped, $ at each line end), the
# entries the run removed or replaced, and any temp file (.NAME.tmp-XXXXXX) the run left behind
# (one planted by the setup is listed above but not here).
tree_report() { # BEFORE-LISTING
    local before=$1 now
    now=$(listing)
    echo "== files after the run (type, path, size, sha256 prefix)"
    [ -n "$now" ] && printf '%s\n' "$now"
    echo "== new or changed files"
    local any=0 line p
    while IFS= read -r line; do
        [ -n "$line" ] || continue
        case $line in file\ *) ;; *) continue ;; esac
        grep -qxF -- "$line" <<<"$before" && continue
        p=${line#file }
        p=${p% * *}
        any=1
        if [ ! -r "$p" ]; then
            echo "--- $p (unreadable)"
            continue
        fi
        if [ ! -s "$p" ]; then
            echo "--- $p (empty)"
        elif [ -n "$(tail -c 1 "$p")" ]; then
            echo "--- $p (no newline at end)"
        else
            echo "--- $p"
        fi
        sed -n 'l 0' "$p"
    done <<<"$now"
    [ $any = 1 ] || echo "(none)"
    echo "== removed or replaced entries"
    any=0
    while IFS= read -r line; do
        [ -n "$line" ] || continue
        grep -qxF -- "$line" <<<"$now" && continue
        echo "$line"
        any=1
    done <<<"$before"
    [ $any = 1 ] || echo "(none)"
    echo "== temp files (.NAME.tmp-*) left behind by the run"
    any=0
    while IFS= read -r line; do
        case $line in file\ *) ;; *) continue ;; esac
        p=${line#file }
        p=${p% * *}
        case ${p##*/} in .*.tmp-*) ;; *) continue ;; esac
        grep -qxF -- "$line" <<<"$before" && continue
        echo "$p"
        any=1
    done <<<"$now"
    [ $any = 1 ] || echo "(none)"
}

passed=0
failed=0
skipped=0
for name in "${SELECTED[@]}"; do
    name=${name##*/}
    C=$CASES/$name
    B=$WORK/$name
    T=$B/t
    R=$B/result
    mkdir -p "$T" "$R"
    T=$(cd "$T" && pwd -P)

    if [ -f "$C/skip" ]; then
        if reason=$(in_env "$T" 20 "$C/skip" 2>&1); then
            echo "SKIP $name: ${reason:-skip condition holds}"
            skipped=$((skipped + 1))
            continue
        fi
    fi

    if [ -f "$C/setup" ]; then
        if ! in_env "$T" 60 "$C/setup" >"$B/setup.log" 2>&1; then
            echo "FAIL $name: setup failed:"
            sed 's/^/    /' "$B/setup.log"
            failed=$((failed + 1))
            continue
        fi
    fi
    before=$(cd "$T" && listing)

    in_env "$T" 20 "$C/cmd" >"$B/stdout.raw" 2>"$B/stderr.raw"
    echo $? >"$R/exit"
    normalise "$B/stdout.raw" "$T" >"$R/stdout"
    normalise "$B/stderr.raw" "$T" >"$R/stderr"
    (cd "$T" && tree_report "$before") | sed "s|$T|<tmp>|g" >"$R/tree"
    if [ "${E2E_KEEP:-0}" != 1 ]; then
        chmod -R u+rwX "$T" 2>/dev/null
        rm -rf "$T"
    fi

    if [ $UPDATE = 1 ] && [ -f "$C/handwritten" ] && [ "$NAMED" = 0 ]; then
        echo "KEEP $name: hand-written golden, not updated (name the case to overwrite it)"
    elif [ $UPDATE = 1 ]; then
        for f in stdout stderr exit tree; do cp "$R/$f" "$C/$f"; done
        echo "PASS $name (golden updated)"
        passed=$((passed + 1))
        continue
    fi
    ok=1
    diffs=""
    for f in exit stdout stderr tree; do
        if [ ! -f "$C/$f" ]; then
            ok=0
            diffs+="    missing golden file $f (run with --update, then review it)"$'\n'
        elif ! d=$(diff -u --label "golden/$f" --label "actual/$f" "$C/$f" "$R/$f"); then
            ok=0
            diffs+="    ${d//$'\n'/$'\n'    }"$'\n'
        fi
    done
    if [ $ok = 1 ]; then
        echo "PASS $name"
        passed=$((passed + 1))
    else
        echo "FAIL $name"
        printf '%s' "$diffs"
        failed=$((failed + 1))
    fi
done

if [ "$(testdata_manifest)" != "$TESTDATA_BEFORE" ]; then
    echo "FAIL testdata-untouched: a case wrote into $TESTDATA (copy fixtures into the temp dir)"
    failed=$((failed + 1))
fi
[ $skipped -gt 0 ] && echo "$skipped skipped"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
