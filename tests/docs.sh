#!/usr/bin/env bash
# The man page is valid (groff -man -ww) and lists exactly the options --help lists.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${CSVBATCH:-$root/build/release/csvbatch}
case $bin in /*) ;; *) bin=$root/$bin ;; esac
man=$root/man/csvbatch.1
passed=0 failed=0
check() { if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi; }
groff_ok() {
    if ! command -v groff >/dev/null; then echo "SKIP groff: not installed"; return 0; fi
    local warn; warn=$(groff -man -ww -z "$man" 2>&1)
    [ -z "$warn" ] && echo "PASS man page renders without warnings" && return 0
    echo "FAIL man page: $warn"; return 1
}
# Hidden from --help on purpose (a script's business), documented in the man page's SHELL
# COMPLETION section: the man page must list these too.
hidden_options="--completion"
same_options() {
    local help mano
    help=$({ "$bin" --help; echo "$hidden_options"; } | grep -oE -- '--[a-z][a-z-]+' | sort -u)
    mano=$(sed 's/\\-/-/g' "$man" | grep -oE -- '--[a-z][a-z-]+' | sort -u)
    if [ "$help" = "$mano" ]; then echo "PASS --help and man page list the same $(echo "$help" | wc -l) options"; return 0; fi
    echo "FAIL options differ (< --help, > man):"; diff <(echo "$help") <(echo "$mano") || true; return 1
}
readme_options() {
    local help missing=
    help=$("$bin" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u)
    for o in $help; do grep -q -- "$o" "$root/README.md" || missing="$missing $o"; done
    [ -z "$missing" ] && echo "PASS README documents every option" && return 0
    echo "FAIL README lacks:$missing"; return 1
}
# --help fits an 80-column terminal (issue 13 item 23): no line wider than 80 columns.
help_width() {
    local wide
    wide=$("$bin" --help | awk 'length($0) > 80 { print NR ": " $0 }')
    [ -z "$wide" ] && echo "PASS --help fits 80 columns" && return 0
    echo "FAIL --help lines wider than 80 columns:"; echo "$wide"; return 1
}
check groff_ok
check help_width
check same_options
check readme_options
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
