#!/usr/bin/env python3
"""Summarise a scripts/bench.sh run: prints per-workload tables and writes results.md.

  bench-report.py RUN_DIR MARKDOWN_OUT

RUN_DIR holds (all tab-separated, written by bench.sh):
  meta.tsv       key, value            (repeated keys allowed: "skip", "note")
  workloads.tsv  workload, files, bytes
  tools.tsv      workload, tool id, label       (timed tools in display order; first = baseline)
  raw.tsv        workload, tool id, run, seconds, peak_rss_kib ("-" if unknown), exit status
  verify.tsv     workload, PASS|FAIL|SKIP, label, detail
"""

from __future__ import annotations

import statistics
import sys
from collections import defaultdict
from pathlib import Path

MIB = 1 << 20


def rows(path: Path) -> list[list[str]]:
    if not path.exists():
        return []
    return [line.rstrip("\n").split("\t") for line in path.read_text().splitlines() if line.strip()]


def fmt_table(header: list[str], body: list[list[str]], md: bool) -> list[str]:
    if md:
        out = ["| " + " | ".join(header) + " |",
               "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|"]
        out += ["| " + " | ".join(r) + " |" for r in body]
        return out
    widths = [max(len(r[i]) for r in [header] + body) for i in range(len(header))]
    line = lambda r: "  ".join(c.ljust(w) if i == 0 else c.rjust(w)  # noqa: E731
                               for i, (c, w) in enumerate(zip(r, widths)))
    return [line(header), "  ".join("-" * w for w in widths)] + [line(r) for r in body]


def main() -> int:
    run_dir, md_out = Path(sys.argv[1]), Path(sys.argv[2])
    meta = rows(run_dir / "meta.tsv")
    one = {k: v for k, v, *_ in meta}
    workloads = {w: (int(n), int(b)) for w, n, b in rows(run_dir / "workloads.tsv")}
    tools: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for w, tid, label in rows(run_dir / "tools.tsv"):
        tools[w].append((tid, label))
    secs: dict[tuple[str, str], list[float]] = defaultdict(list)
    rss: dict[tuple[str, str], list[int]] = defaultdict(list)
    failed: dict[tuple[str, str], int] = defaultdict(int)
    for w, tid, _run, s, r, rc in rows(run_dir / "raw.tsv"):
        if rc != "0":
            failed[(w, tid)] += 1
            continue
        secs[(w, tid)].append(float(s))
        if r != "-":
            rss[(w, tid)].append(int(r))
    verify: dict[str, list[list[str]]] = defaultdict(list)
    for w, res, label, *detail in rows(run_dir / "verify.tsv"):
        verify[w].append([res, label, detail[0] if detail else ""])

    text: list[str] = []
    md: list[str] = ["# csvbatch benchmark results", ""]
    machine = (f"{one.get('cpu', '?')}, nproc={one.get('nproc', '?')}, "
               f"{one.get('mem', '?')} RAM, {one.get('kernel', '?')}, data on {one.get('fs', '?')}")
    settings = (f"BENCH_SCALE={one.get('scale')}  BENCH_RUNS={one.get('runs')}  "
                f"timestamp={one.get('stamp')}  date={one.get('date')}")
    text += [f"Machine: {machine}", f"Settings: {settings}"]
    md += [f"- **Machine:** {machine}", f"- **Settings:** `{settings}`"]
    for k, v, *_ in meta:
        if k == "version":
            md.append(f"- {v}")
    md.append("")

    for w in sorted(workloads):
        nfiles, nbytes = workloads[w]
        title = f"{w}: {nfiles} file(s), {nbytes / MIB:.1f} MiB input"
        text += ["", f"== {title}"]
        md += [f"## {title}", ""]
        base = tools[w][0][0] if tools[w] else None
        base_med = statistics.median(secs[(w, base)]) if base and secs[(w, base)] else None
        body = []
        meds: dict[str, float] = {}
        for tid, label in tools[w]:
            s = secs[(w, tid)]
            if not s:
                body.append([label, "failed", "-", "-", "-", "0"])
                continue
            med = statistics.median(s)
            meds[tid] = med
            mibs = f"{nbytes / MIB / med:.1f}" if med > 0 else "inf"
            peak = f"{max(rss[(w, tid)]) / 1024:.1f}" if rss[(w, tid)] else "-"
            ratio = f"{med / base_med:.2f}" if base_med else "-"
            runs = f"{len(s)}" + (f" ({failed[(w, tid)]} failed)" if failed[(w, tid)] else "")
            body.append([label, f"{med:.3f}", mibs, peak, ratio, runs])
        header = ["tool", "median s", "MiB/s", "peak RSS MiB", "ratio (tool/csvbatch)", "runs"]
        text += fmt_table(header, body, md=False)
        md += fmt_table(header, body, md=True)
        if base in meds and "cat" in meds:
            c = meds[base] / meds["cat"]
            line = (f"csvbatch -j2 vs cat floor: csvbatch takes {c:.2f}x the time of cat "
                    f"({meds[base]:.3f}s vs {meds['cat']:.3f}s)")
            text.append(line)
            md += ["", line]
        if base in meds and "cbnf" in meds:
            # The cost of durability: the default (fsync before rename) against --no-fsync.
            d = meds[base] / meds["cbnf"]
            goal = " (goal <= 1.25)" if w == "W3" else ""
            verdict = (" met" if d <= 1.25 else " NOT met") if w == "W3" else ""
            line = (f"durable default vs --no-fsync: {d:.2f}x{goal}{verdict} "
                    f"({meds[base]:.3f}s vs {meds['cbnf']:.3f}s)")
            text.append(line)
            md += ["", line]
        if verify[w]:
            text.append("Verification:")
            md += ["", "Verification:", ""]
            for res, label, detail in verify[w]:
                text.append(f"  {res:4} {label}" + (f": {detail}" if detail else ""))
                md.append(f"- **{res}** {label}" + (f": {detail}" if detail else ""))
        md.append("")

    notes = [v for k, v, *_ in meta if k in ("skip", "note")]
    if notes:
        text += ["", "Notes:"] + [f"  - {n}" for n in notes]
        md += ["## Notes", ""] + [f"- {n}" for n in notes] + [""]
    legend = ("median s = median wall time over the timed runs; MiB/s = input bytes / median; "
              "peak RSS = largest single process (max over runs, GNU time %M); "
              "ratio = tool median / csvbatch -j2 median (>1 means csvbatch is faster). "
              "All csvbatch timed rows use --case-sensitive to match DuckDB/Miller semantics.")
    text += ["", legend]
    md += ["---", "", legend, ""]
    print("\n".join(text))
    md_out.write_text("\n".join(md))
    return 0


if __name__ == "__main__":
    sys.exit(main())
