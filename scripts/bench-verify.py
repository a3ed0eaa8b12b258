#!/usr/bin/env python3
"""Cross-check benchmark outputs (used by scripts/bench.sh).

  bench-verify.py --input DIR --stamp TS --ref LABEL=OUTDIR
                  [--peer LABEL=OUTDIR ...] [--python-ref LABEL=OUTDIR:MODE ...] [-j N]

For every <stem>.csv in DIR (non-recursive), each OUTDIR must hold <stem>_processed.csv
somewhere below it (found by name, so csvbatch's -o mirroring layout does not matter).
Both files are parsed with Python's csv module and compared record by record, header
included; quoting style is irrelevant. A peer output that is completely empty (Miller writes
nothing, not even a header, when no row matches) counts as "no header, no rows" and passes
when the reference has no data rows.

--python-ref LABEL=OUTDIR:MODE checks OUTDIR against a reference computed here from the
inputs with the csv module: header Name,ID,ProcessedDate, then [Name, ID, TS] for every row
whose Status equals "Active" (MODE=cs) or equals it ignoring ASCII case (MODE=ci).

Prints one "PASS <label>" / "FAIL <label>: <why>" line per label; exit status 1 if any FAIL.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import multiprocessing as mp
import os
import sys
from collections import Counter
from pathlib import Path

HEADER = ["Name", "ID", "ProcessedDate"]
MAX_DETAIL = 3
csv.field_size_limit(1 << 30)


def _open(path: str):
    return open(path, newline="", encoding="utf-8", errors="surrogateescape")


def _records(path: str):
    with _open(path) as f:
        yield from csv.reader(f)


def _expected(input_path: str, stamp: str, mode: str):
    with _open(input_path) as f:
        rd = csv.reader(f)
        header = next(rd)
        i_name, i_id, i_status = (header.index(c) for c in ("Name", "ID", "Status"))
        yield list(HEADER)
        for row in rd:
            st = row[i_status]
            if st == "Active" or (mode == "ci" and st.isascii() and st.lower() == "active"):
                yield [row[i_name], row[i_id], stamp]


def _compare(expected, actual, allow_empty: bool) -> str | None:
    """None if equal, else a short description of the first differences."""
    exp_it, act_it = iter(expected), iter(actual)
    first_act = next(act_it, None)
    first_exp = next(exp_it, None)
    if first_act is None and allow_empty:
        extra = sum(1 for _ in exp_it)
        return None if extra == 0 else f"peer output is empty, reference has {extra} rows"
    shown: list[str] = []
    n_diff = n_exp = n_act = 0
    rows = itertools.zip_longest(itertools.chain([first_exp], exp_it),
                                 itertools.chain([first_act], act_it))
    for idx, (e, a) in enumerate(rows):
        n_exp += e is not None
        n_act += a is not None
        if e != a:
            n_diff += 1
            if len(shown) < MAX_DETAIL:
                shown.append(f"record {idx}: expected {e!r} got {a!r}")
    if not n_diff:
        return None
    return (f"{n_diff} differing records ({n_exp} expected incl. header, {n_act} got); "
            + "; ".join(shown))


def _multiset_hint(expected, actual) -> str:
    exp, act = Counter(map(tuple, expected)), Counter(map(tuple, actual))
    if exp == act:
        return " [same records, different order]"
    missing, extra = exp - act, act - exp
    parts = []
    for what, c in (("missing", missing), ("extra", extra)):
        if c:
            eg = ", ".join(repr(list(k)) for k in itertools.islice(c, 2))
            parts.append(f"{sum(c.values())} {what}, e.g. {eg}")
    return " [as multisets: " + "; ".join(parts) + "]"


def _task(t: tuple) -> tuple[str, str, str | None]:
    kind, label, stem, a, b, extra = t
    if b is None:
        return label, stem, "output file missing"
    try:
        if kind == "peer":
            err = _compare(_records(a), _records(b), allow_empty=True)
            if err:
                err += _multiset_hint(_records(a), _records(b))
        else:
            stamp, mode = extra
            err = _compare(_expected(a, stamp, mode), _records(b), allow_empty=False)
            if err:
                err += _multiset_hint(_expected(a, stamp, mode), _records(b))
    except (OSError, csv.Error, ValueError, StopIteration) as e:
        err = f"{type(e).__name__}: {e}"
    return label, stem, err


def _index(outdir: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for dirpath, _, files in os.walk(outdir):
        for fn in files:
            if fn.endswith("_processed.csv"):
                found.setdefault(fn, os.path.join(dirpath, fn))
    return found


def _labelled(spec: str) -> tuple[str, str]:
    label, sep, path = spec.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"expected LABEL=DIR, got {spec!r}")
    return label, path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", required=True)
    ap.add_argument("--stamp", required=True)
    ap.add_argument("--ref", required=True, type=_labelled)
    ap.add_argument("--peer", action="append", default=[], type=_labelled)
    ap.add_argument("--python-ref", action="append", default=[], type=_labelled)
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    a = ap.parse_args()

    inputs = sorted(p for p in Path(a.input).iterdir() if p.suffix == ".csv" and p.is_file())
    if not inputs:
        print(f"FAIL verify: no *.csv inputs in {a.input}")
        return 1
    ref_label, ref_dir = a.ref
    ref_idx = _index(ref_dir)

    tasks, labels, missing_ref = [], [], []
    for label, spec in a.python_ref:
        outdir, _, mode = spec.rpartition(":")
        labels.append(label)
        idx = _index(outdir)
        for p in inputs:
            name = p.stem + "_processed.csv"
            tasks.append(("pyref", label, p.name, str(p), idx.get(name), (a.stamp, mode)))
    for label, outdir in a.peer:
        labels.append(label)
        idx = _index(outdir)
        for p in inputs:
            name = p.stem + "_processed.csv"
            if name not in ref_idx:
                missing_ref.append(p.name)
                continue
            tasks.append(("peer", label, p.name, ref_idx[name], idx.get(name), None))

    failures: dict[str, list[str]] = {label: [] for label in labels}
    # Biggest files first so one huge file does not end up last on a single core.
    tasks.sort(key=lambda t: -os.path.getsize(t[3]))
    with mp.get_context("fork").Pool(max(1, a.jobs)) as pool:
        for label, stem, err in pool.imap_unordered(_task, tasks, chunksize=16):
            if err:
                failures[label].append(f"{stem}: {err}")

    rc = 0
    if missing_ref:
        print(f"FAIL {ref_label}: no output for {len(set(missing_ref))} input(s), e.g. {sorted(set(missing_ref))[0]}")
        rc = 1
    for label in labels:
        errs = sorted(failures[label])
        if errs:
            rc = 1
            print(f"FAIL {label}: {len(errs)}/{len(inputs)} files differ; first: {errs[0]}")
        else:
            print(f"PASS {label}: {len(inputs)} files agree")
    return rc


if __name__ == "__main__":
    sys.exit(main())
