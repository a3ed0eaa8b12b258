#!/usr/bin/env bash
# Installs what csvbatch needs to build and test, if it is missing. Debian/Ubuntu: apt-get
# (as root, or through sudo). Elsewhere: prints what to install and fails.
set -euo pipefail
# Debian package names: build (gcc make pkg-config libcsv-dev libjansson-dev libxml2-dev
# libxxhash-dev; libuchardet-dev for --encoding auto; the compression libraries zlib1g-dev libzstd-dev libbz2-dev liblzma-dev), tests
# (gzip zstd bzip2 xz-utils make and check the compressed inputs; libcriterion-dev; xmllint from
# libxml2-utils for the JUnit schema; python3, jq, GNU time, groff
# and script(1) for the shell suites; bash-completion, zsh and fish for tests/completion.sh; GNU
# parallel for tests/scale.sh; Open MPI for `make mpi` and make test-scale-mpi, libopenmpi-dev
# openmpi-bin; a one-node Slurm for make test-scale-slurm, slurmctld slurmd slurm-client munge),
# sanitizers and fuzzing (clang, libomp-dev, libclang-rt-dev; with CSVB_WITH_CLANG=1), the Debian
# package and its test (debhelper, dpkg-dev, lintian, man-db; with CSVB_WITH_DEB=1: `make deb`,
# `make test-deb`).
pkgs=(gcc make pkg-config libc6-dev libcsv-dev libjansson-dev libxml2-dev libxxhash-dev libuchardet-dev libcriterion-dev libxml2-utils
      zlib1g-dev libzstd-dev libbz2-dev liblzma-dev gzip zstd bzip2 xz-utils
      python3 jq time groff-base bsdutils bash-completion zsh fish parallel
      libopenmpi-dev openmpi-bin slurmctld slurmd slurm-client munge)
[ "${CSVB_WITH_CLANG:-0}" = 1 ] && pkgs+=(clang clang-format clang-tidy cppcheck libomp-dev libclang-rt-dev)
[ "${CSVB_WITH_DEB:-0}" = 1 ] && pkgs+=(debhelper dpkg-dev lintian man-db)
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
    for p in "${pkgs[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
else
    echo "install-deps: not a Debian-like system. Install: a C11 compiler with OpenMP (gcc)," >&2
    echo "  make, libcsv (headers: csv.h, link -lcsv), jansson, Criterion, python3." >&2
    exit 1
fi
[ ${#missing[@]} -eq 0 ] && exit 0
echo "install-deps: installing ${missing[*]}" >&2
sudo=
[ "$(id -u)" -ne 0 ] && sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
