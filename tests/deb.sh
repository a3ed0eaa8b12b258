#!/usr/bin/env bash
# tests/deb.sh — the Debian package, for real: `make deb` builds it (leaving nothing in the tree
# but build/), lintian finds no error in it, apt-get installs it, the installed /usr/bin/csvbatch
# reports the VERSION file's version and runs the sample job, man finds its page, and
# `apt-get remove` takes it all away again. Needs root (or sudo) and what
# `CSVB_WITH_DEB=1 bash scripts/install-deps.sh` installs. Run by `make test-deb`, not `make test`:
# it installs a package on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
sudo=
[ "$(id -u)" -ne 0 ] && sudo=sudo
export DEBIAN_FRONTEND=noninteractive
pass=0 fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
ko() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
installed() { dpkg-query -W -f='${Status}' csvbatch 2>/dev/null | grep -q "install ok installed"; }

for tool in dpkg-buildpackage dh lintian man apt-get; do
    command -v "$tool" >/dev/null || { echo "deb: $tool missing (CSVB_WITH_DEB=1 bash scripts/install-deps.sh)" >&2; exit 1; }
done
if installed; then
    echo "deb: a csvbatch package is already installed; not replacing it (apt-get remove csvbatch)" >&2
    exit 1
fi
tmp=$(mktemp -d /tmp/csvbatch-deb-XXXXXX)
cleanup() {
    installed && $sudo apt-get remove -y -qq csvbatch >/dev/null 2>&1
    rm -rf "$tmp"
}
trap cleanup EXIT

version=$(cat VERSION)
arch=$(dpkg --print-architecture)
deb=build/deb/csvbatch_${version}_${arch}.deb

# 1. Build. The tree must look the same afterwards: dpkg-buildpackage works on a copy.
git status --porcelain --ignored=no >"$tmp/tree-before" 2>/dev/null || true
if make deb >"$tmp/build.log" 2>&1; then ok build; else tail -40 "$tmp/build.log"; ko build "make deb failed"; fi
git status --porcelain --ignored=no >"$tmp/tree-after" 2>/dev/null || true
cmp -s "$tmp/tree-before" "$tmp/tree-after" && ok tree-untouched ||
    ko tree-untouched "$(diff "$tmp/tree-before" "$tmp/tree-after")"
[ ! -e build/deb-src ] && [ ! -e ../csvbatch_"${version}"_"${arch}".deb ] && ok no-stray-files ||
    ko no-stray-files "build/deb-src or ../*.deb left behind"
[ -f "$deb" ] && ok "artifact-$(basename "$deb")" || ko artifact "no $deb: $(ls build/deb 2>&1)"
changelog=$(dpkg-parsechangelog -l debian/changelog -S Version)
[ "$changelog" = "$version" ] && ok changelog-version ||
    ko changelog-version "debian/changelog says $changelog, VERSION says $version"
[ -f "$deb" ] || { echo "$pass passed, $fail failed"; exit 1; }
depends=$(dpkg-deb -f "$deb" Depends)
case "$depends" in
*libcsv3*libjansson4* | *libjansson4*libcsv3*) ok "shlibs-depends ($depends)" ;;
*) ko shlibs-depends "Depends: $depends" ;;
esac

# 2. Lintian: no errors (warnings are listed, not fatal).
if lintian --fail-on error "$deb" >"$tmp/lintian" 2>&1; then ok lintian; else ko lintian "$(cat "$tmp/lintian")"; fi
grep -E '^[EWIP]: ' "$tmp/lintian" || true

# 3. Install it as a user would.
if $sudo apt-get install -y -qq "./$deb" >"$tmp/apt.log" 2>&1 && installed; then
    ok install
else
    cat "$tmp/apt.log"
    ko install "apt-get install ./$deb failed"
fi
got=$(/usr/bin/csvbatch --version 2>&1 || true)
[ "$got" = "csvbatch $version" ] && ok version || ko version "got '$got'"

# 4. The sample job from the installed path, on a copy of testdata/sample (every file succeeds),
# then with testdata/sample-broken beside it (broken.csv fails alone).
cp -r testdata/sample testdata/sample-broken "$tmp/"
rc=0
(cd "$tmp" && SOURCE_DATE_EPOCH=0 /usr/bin/csvbatch -r -o out0 sample >stdout 2>stderr) || rc=$?
[ "$rc" -eq 0 ] && ok sample-exit-0 || ko sample-exit-0 "exit $rc: $(cat "$tmp/stderr")"
rc=0
(cd "$tmp" && SOURCE_DATE_EPOCH=0 /usr/bin/csvbatch -r -o out sample sample-broken >stdout 2>stderr) || rc=$?
[ "$rc" -eq 1 ] && ok sample-exit-1 || ko sample-exit-1 "exit $rc: $(cat "$tmp/stderr")"
for f in Q3_processed.csv north_processed.csv south_processed.csv archive/2024_processed.csv; do
    [ -s "$tmp/out/$f" ] && ok "sample-output-$f" || ko "sample-output-$f" "missing"
done
[ ! -e "$tmp/out/broken_processed.csv" ] && ok sample-no-broken-output || ko sample-no-broken-output "written"
printf 'Name,ID,ProcessedDate\nAlice Johnson,1001,1970-01-01T00:00:00Z\n"O'"'"'Brien, Carol",1003,1970-01-01T00:00:00Z\nDavid Lee,1004,1970-01-01T00:00:00Z\n' >"$tmp/north.want"
cmp -s "$tmp/north.want" "$tmp/out/north_processed.csv" && ok sample-north-content ||
    ko sample-north-content "$(diff "$tmp/north.want" "$tmp/out/north_processed.csv")"
[ "$(cat "$tmp/stderr")" = "csvbatch: sample-broken/broken.csv:3: expected 4 fields, found 5" ] &&
    ok sample-stderr || ko sample-stderr "$(cat "$tmp/stderr")"
grep -q '^5 files: 4 succeeded, 1 failed, 0 skipped\.' "$tmp/stdout" && ok sample-summary ||
    ko sample-summary "$(cat "$tmp/stdout")"

# 5. The man page.
page=$(man -w csvbatch 2>&1 || true)
[ "$page" = /usr/share/man/man1/csvbatch.1.gz ] && ok man-w || ko man-w "man -w: $page"
MANWIDTH=80 man -P cat csvbatch 2>/dev/null | grep -q '^SYNOPSIS' && ok man-renders ||
    ko man-renders "man csvbatch shows no SYNOPSIS"

# The completions, generated from the installed binary's option table at build time.
files=$(dpkg -L csvbatch)
for f in /usr/share/bash-completion/completions/csvbatch /usr/share/zsh/site-functions/_csvbatch \
    /usr/share/fish/vendor_completions.d/csvbatch.fish; do
    grep -qx "$f" <<<"$files" && [ -s "$f" ] && ok "ships-$(basename "$f")" || ko "ships-$f" "not in dpkg -L"
done
grep -q -- '--format' /usr/share/bash-completion/completions/csvbatch && ok completion-content ||
    ko completion-content "no --format in the bash completion"

# 6. Remove it: nothing of it stays.
$sudo apt-get remove -y -qq csvbatch >"$tmp/apt.log" 2>&1 || cat "$tmp/apt.log"
! installed && ok remove || ko remove "still installed"
[ ! -e /usr/bin/csvbatch ] && ok binary-gone || ko binary-gone "/usr/bin/csvbatch still there"
[ ! -e /usr/share/man/man1/csvbatch.1.gz ] && ok man-gone || ko man-gone "man page still there"
[ ! -e /usr/share/bash-completion/completions/csvbatch ] && ok completion-gone ||
    ko completion-gone "bash completion still there"

echo "$pass passed, $fail failed ($(($(date +%s) - started)) s)"
[ "$fail" -eq 0 ]
