#!/usr/bin/env python3
"""Deterministic benchmark data for csvbatch (scripts/bench.sh).

Usage: gen-bench-data.py --workload W1|W2|W3|W4|W5 [--scale S] [--root DIR] [--seed N] [-j N]

Writes the workload into DIR/<W>-s<scale>/ (only *.csv files in it) and a stamp file
DIR/<W>-s<scale>.stamp beside it. If the stamp matches (same generator source, seed and
parameters), nothing is regenerated. Prints the workload directory on stdout.

Workloads at scale 1:
  W1  32 files x 32 MiB (1 GiB total) in one directory
  W2  1 file of 1 GiB
  W3  5,000 files x ~2 KB
  W4  1 file of 256 MiB, every field quoted, CRLF, as PowerShell's Export-Csv writes it:
      "Name","ID","Status","Email","Department","Salary","StartDate","Notes" (header quoted too)
  W5  1 file of 256 MiB, text fields quoted (ID and Salary bare), LF; ~10% of the records hold
      doubled quotes and ~6% a quoted line break in Notes (Excel / database exports)
BENCH_SCALE scales byte sizes (W1, W2, W4, W5) and the file count (W3; files stay ~2 KB).

Columns (W1-W3, W5): ID,Name,Email,Status,Department,Salary,StartDate,Notes, UTF-8; W1-W3: LF.
Status: Active/Inactive/Pending plus some "active"/"ACTIVE". Realistic CSV features:
~5% of Notes quoted with embedded commas, some with doubled quotes, ~0.3% with an embedded
LF inside quotes, some quoted "Last, First" names, UTF-8 multibyte names.

Speed: rows are assembled from deterministic pools of pre-rendered fragments
(name+email, status, department..notes), picked with a seeded RNG per file/segment, and
written in multi-MiB chunks; files/segments are generated on all cores. Output is
byte-identical regardless of the number of worker processes.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing as mp
import os
import random
import shutil
import sys
from pathlib import Path

HEADER = "ID,Name,Email,Status,Department,Salary,StartDate,Notes\n"
MIB = 1 << 20

# Status mix: ~44% exact "Active" (what the case-sensitive comparison keeps), plus 3% "active"
# and 2% "ACTIVE" that only the case-insensitive default keeps.
STATUSES = ["Active", "Inactive", "Pending", "active", "ACTIVE"]
STATUS_WEIGHTS = [44, 31, 20, 3, 2]

FIRST = [
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
    "Sarah", "Charles", "Karen", "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty",
    "Mark", "Sandra", "Priya", "Wei", "Ahmed", "Fatima", "Olga", "Igor", "Aisha", "Kenji",
]
FIRST_INTL = [
    "José", "Zoë", "Jürgen", "Françoise", "Søren", "Łukasz", "Renée", "Björn", "Chloé",
    "Ágnes", "Håkon", "Inés", "Nuño", "Ýrr",
]
LAST = [
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Taylor", "Moore",
    "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker",
    "O'Brien", "Nguyen", "Patel", "Kim", "Kowalczyk", "Dubois",
]
LAST_INTL = [
    "Müller", "Schröder", "Gößmann", "Lefèvre",
    "Østergaard", "Núñez", "Çelik", "Öztürk", "Dvořák",
]
# Whole names written in CJK / other scripts (given as "Family Given").
CJK_NAMES = ["山田 太郎", "佐藤 花子", "鈴木 一郎", "日本 太郎", "高橋 美咲", "田中 健", "王 伟", "李 娜",
             "김 민준", "Иван Петров"]
ASCII_FOLD = str.maketrans({
    "é": "e", "ë": "e", "è": "e", "ü": "u", "ö": "o", "ø": "o", "Ø": "O", "ç": "c", "Ç": "C",
    "å": "a", "Å": "A", "á": "a", "Á": "A", "í": "i", "ñ": "n", "ß": "ss", "ł": "l", "Ł": "L",
    "ř": "r", "ú": "u", "Ö": "O", "Ý": "Y", "á": "a", "Ú": "U", "'": "", " ": ".",
})
DOMAINS = ["example.com", "corp.example.org", "mail.example.net", "example.co.uk"]
DEPARTMENTS = ["Engineering", "Sales", "Marketing", "Finance", "Human Resources", "Legal",
               "Operations", "Support", "Research", "IT", "Procurement", "Facilities"]
PLAIN_NOTES = [
    "Remote", "On leave", "Part-time", "Contractor", "Needs badge renewal", "Team lead",
    "Transferred from Sales", "Probation period", "Mentor program", "Relocating next quarter",
    "Awaiting background check", "Visa sponsorship", "Certified trainer", "Night shift",
    "Prefers email contact", "Laptop refresh due",
]
COMMA_NOTES = [
    "Relocated to Berlin, Germany", "Skills: C, SQL, Python", "Reports to CTO, dotted line to CFO",
    "Mon, Wed, Fri in office", "Knows French, German, and Japanese", "Equipment: laptop, phone",
    "Office moved, see ticket 4411", "Zürich, Genève, or Lausanne", "Review due Q3, 2026",
    "東京, 大阪 offices",
]
QUOTE_NOTES = [
    'Nickname ""Bobby""', 'Said ""ready to start"" on call', 'Title changed to ""Principal""',
    'Prefers ""they/them""', 'Flagged ""urgent"", escalate', 'Ticket ""#8812"" closed',
]
NEWLINE_NOTES = [
    "Line one of the note\nline two of the note", "Address:\n12 Main St, Springfield",
    "Multi-line comment,\nsecond line with \"\"quotes\"\"", "Ref:\n日本 office",
]

POOL_SIZE = 40_000
POOL_SEED_SALT = 0x5EED_C5B


def _quote(s: str) -> str:
    return '"' + s + '"'


def build_pools(seed: int) -> tuple[list[str], list[str]]:
    """Return (name_email_pool, tail_pool) of pre-rendered CSV fragments."""
    rng = random.Random(seed ^ POOL_SEED_SALT)
    names: list[str] = []
    for _ in range(POOL_SIZE):
        r = rng.random()
        if r < 0.03:
            name = rng.choice(CJK_NAMES)
            local = f"user{rng.randrange(100000)}"
            field = name
        else:
            # ~8% of Latin-script names carry accented letters (é, ü, ø, ł, ...).
            intl = rng.random() < 0.08
            first = rng.choice(FIRST_INTL if intl and rng.random() < 0.6 else FIRST)
            last = rng.choice(LAST_INTL if intl and rng.random() < 0.6 else LAST)
            local = f"{first}.{last}".translate(ASCII_FOLD).lower()
            if r < 0.035:  # "Last, First" needs quoting on input and output
                field = _quote(f"{last}, {first}")
            else:
                field = f"{first} {last}"
        email = f"{local}{rng.randrange(1000)}@{rng.choice(DOMAINS)}"
        names.append(f"{field},{email}")

    tails: list[str] = []
    for _ in range(POOL_SIZE):
        dept = rng.choice(DEPARTMENTS)
        salary = rng.randrange(35_000, 250_001, 50)
        date = f"{rng.randrange(2000, 2026)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        r = rng.random()
        if r < 0.30:
            notes = ""
        elif r < 0.003 + 0.30:
            notes = _quote(rng.choice(NEWLINE_NOTES))
        elif r < 0.30 + 0.003 + 0.04:
            notes = _quote(rng.choice(COMMA_NOTES))
        elif r < 0.30 + 0.003 + 0.05:
            notes = _quote(rng.choice(QUOTE_NOTES))
        else:
            notes = rng.choice(PLAIN_NOTES)
        tails.append(f"{dept},{salary},{date},{notes}\n")
    return names, tails


def _esc(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


W4_HEADER = '"Name","ID","Status","Email","Department","Salary","StartDate","Notes"\r\n'
W5_NOTES_QUOTED = [
    'Nickname "Bobby"', 'Said "ready to start" on call', 'Title changed to "Principal"',
    'Prefers "they/them"', 'Flagged "urgent", escalate', 'Ticket "#8812" closed',
]
W5_NOTES_NEWLINE = [
    "Line one of the note\nline two of the note", "Address:\n12 Main St, Springfield",
    'Multi-line comment,\nsecond line with "quotes"', "Ref:\n日本 office",
]


def build_quoted_pools(seed: int, workload: str) -> tuple[list[str], list[str]]:
    """W4 / W5: (name pool, tail pool) of pre-rendered fragments, every text field quoted."""
    rng = random.Random(seed ^ POOL_SEED_SALT ^ int(workload[1:]))
    names: list[str] = []
    for _ in range(POOL_SIZE):
        if rng.random() < 0.03:
            name, local = rng.choice(CJK_NAMES), f"user{rng.randrange(100000)}"
        else:
            first, last = rng.choice(FIRST + FIRST_INTL[:4]), rng.choice(LAST + LAST_INTL[:3])
            local = f"{first}.{last}".translate(ASCII_FOLD).lower()
            name = f"{last}, {first}" if rng.random() < 0.035 else f"{first} {last}"
        email = f"{local}{rng.randrange(1000)}@{rng.choice(DOMAINS)}"
        names.append(_esc(name) if workload == "W4" else f"{_esc(name)},{_esc(email)}")
    tails: list[str] = []
    for _ in range(POOL_SIZE):
        dept = rng.choice(DEPARTMENTS)
        salary = rng.randrange(35_000, 250_001, 50)
        date = f"{rng.randrange(2000, 2026)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        r = rng.random()
        if workload == "W4":
            email = f"user{rng.randrange(1_000_000)}@{rng.choice(DOMAINS)}"
            notes = "" if r < 0.3 else rng.choice(COMMA_NOTES if r < 0.35 else PLAIN_NOTES)
            tails.append(",".join(map(_esc, [email, dept, str(salary), date, notes])) + "\r\n")
        else:
            notes = (rng.choice(W5_NOTES_QUOTED) if r < 0.10 else
                     rng.choice(W5_NOTES_NEWLINE) if r < 0.16 else
                     "" if r < 0.40 else rng.choice(PLAIN_NOTES + COMMA_NOTES))
            tails.append(f"{_esc(dept)},{salary},{_esc(date)},{_esc(notes)}\n")
    return names, tails


# Filled in the parent before forking workers (fork start method shares them for free).
NAMES: list[str] = []
TAILS: list[str] = []
ROW_FMT = "{},{},{},{}".format
STATUS_CELLS = STATUSES
ROW_FORMATS = {"W4": '{1},"{0}",{2},{3}'.format, "W5": "{},{},{},{}".format}
CHUNK_ROWS = 65_536


def render_rows(rng: random.Random, first_id: int, target_bytes: int) -> bytes:
    """Rows (no header) starting at first_id until at least target_bytes have been produced."""
    parts: list[bytes] = []
    produced = 0
    next_id = first_id
    while produced < target_bytes:
        # Estimate rows needed (~125 B/row) so small files do not render 64k rows.
        n = max(1, min(CHUNK_ROWS, (target_bytes - produced) // 100 + 1))
        names = rng.choices(NAMES, k=n)
        statuses = rng.choices(STATUS_CELLS, weights=STATUS_WEIGHTS, k=n)
        tails = rng.choices(TAILS, k=n)
        lines = list(map(ROW_FMT, range(next_id, next_id + n), names, statuses, tails))
        chunk = "".join(lines).encode()
        if produced + len(chunk) > target_bytes:
            # Trim to whole rows: stop at the first row that reaches the target.
            need = target_bytes - produced
            acc = 0
            for i, line in enumerate(lines):
                acc += len(line.encode())
                if acc >= need:
                    chunk = "".join(lines[: i + 1]).encode()
                    break
        parts.append(chunk)
        produced += len(chunk)
        next_id += n
    return b"".join(parts)


def _job_file(args: tuple[str, int, int, int]) -> int:
    """Write one complete CSV file (header + rows). Returns bytes written."""
    path, seed, first_id, target = args
    rng = random.Random(seed)
    data = HEADER.encode() + render_rows(rng, first_id, max(1, target - len(HEADER)))
    with open(path, "wb") as f:
        f.write(data)
    return len(data)


def _job_segment(args: tuple[int, int, int]) -> bytes:
    seed, first_id, target = args
    return render_rows(random.Random(seed), first_id, target)


def workload_params(workload: str, scale: float) -> dict:
    if workload == "W1":
        return {"files": 32, "file_bytes": max(4096, int(32 * MIB * scale))}
    if workload == "W2":
        return {"files": 1, "file_bytes": max(4096, int(1024 * MIB * scale))}
    if workload == "W3":
        return {"files": max(10, int(round(5000 * scale))), "file_bytes": 2048}
    if workload in ("W4", "W5"):
        return {"files": 1, "file_bytes": max(4096, int(256 * MIB * scale))}
    raise SystemExit(f"gen-bench-data: unknown workload {workload!r} (W1, W2, W3, W4, W5)")


def generate(workload: str, params: dict, seed: int, dest: Path, jobs: int) -> None:
    ctx = mp.get_context("fork")
    wseed = seed * 1000 + int(workload[1:])
    with ctx.Pool(jobs) as pool:
        if workload == "W1":
            tasks = [(str(dest / f"employees_{i:03d}.csv"), wseed * 100_003 + i, i * 1_000_000 + 1,
                      params["file_bytes"]) for i in range(params["files"])]
            for _ in pool.imap_unordered(_job_file, tasks):
                pass
        elif workload in ("W2", "W4", "W5"):
            # One big file, built from independently seeded 32 MiB segments (parallel,
            # deterministic); IDs are segment*1e6 + row, so they stay unique.
            total, seg = params["file_bytes"], 32 * MIB  # W4, W5: the same, quoted
            segs, off = [], len(HEADER)
            i = 0
            while off < total:
                size = min(seg, total - off)
                segs.append((wseed * 100_003 + i, i * 1_000_000 + 1, size))
                off += size
                i += 1
            name = {"W2": "employees_all.csv", "W4": "export_csv.csv", "W5": "quoted_text.csv"}
            with open(dest / name[workload], "wb") as f:
                f.write(HEADER.encode())
                for chunk in pool.imap(_job_segment, segs):
                    f.write(chunk)
        else:  # W3: many small files, ~1.5-2.5 KB each
            rng = random.Random(wseed)
            tasks = [(str(dest / f"batch_{i:05d}.csv"), wseed * 100_003 + i, i * 1000 + 1,
                      rng.randrange(1536, 2560)) for i in range(params["files"])]
            for _ in pool.imap_unordered(_job_file, tasks, chunksize=64):
                pass


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workload", required=True, choices=["W1", "W2", "W3", "W4", "W5"])
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--root", default=".bench/data")
    ap.add_argument("--seed", type=int, default=20260101)
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    a = ap.parse_args()
    if not (0 < a.scale <= 64):
        ap.error("--scale must be in (0, 64]")

    params = workload_params(a.workload, a.scale)
    root = Path(a.root)
    name = f"{a.workload}-s{a.scale:g}"
    dest, stamp = root / name, root / f"{name}.stamp"
    src_hash = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    stamp_text = f"generator={src_hash} seed={a.seed} workload={a.workload} " + \
        " ".join(f"{k}={v}" for k, v in sorted(params.items())) + "\n"

    if dest.is_dir() and stamp.is_file() and stamp.read_text() == stamp_text:
        print(dest)
        return 0

    root.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)
    tmp = root / f".{name}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(dest, ignore_errors=True)
    tmp.mkdir()
    global NAMES, TAILS, HEADER, ROW_FMT, STATUS_CELLS
    if a.workload in ("W4", "W5"):
        NAMES, TAILS = build_quoted_pools(a.seed, a.workload)
        HEADER = W4_HEADER if a.workload == "W4" else HEADER
        ROW_FMT = ROW_FORMATS[a.workload]
        STATUS_CELLS = [_esc(st) for st in STATUSES]
    else:
        NAMES, TAILS = build_pools(a.seed)
    generate(a.workload, params, a.seed, tmp, max(1, a.jobs))
    tmp.rename(dest)
    stamp.write_text(stamp_text)
    print(dest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
