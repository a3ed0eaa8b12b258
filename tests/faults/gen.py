#!/usr/bin/env python3
"""Input generators and an independent output checker for tests/faults/run.sh.

  gen.py small FILE [SEED]        small valid CSV (~40 rows) exercising quoting and UTF-8
  gen.py big FILE BYTES [SEED]    valid CSV of about BYTES bytes, every other row Active
  gen.py field FILE BYTES         one data row whose quoted Name field is BYTES long and holds
                                  commas, quotes and newlines
  gen.py corpus DIR N SEED        N files (flat and in subdirectories) with BOMs, CRLF, quoted
                                  newlines, multibyte text, varied column order, a few malformed
  gen.py check OUT IN STAMP       exit 0 iff OUT holds exactly Name,ID,ProcessedDate for the rows
                                  of IN whose Status is Active (ASCII case-insensitive)
All output is deterministic for a given seed.
"""
import csv
import io
import os
import random
import sys

WORDS = ["alpha", "Bravo", "charlie, jr.", 'say "hi"', "multi\nline", "é café", "日本語", "naïve",
         "emoji 🎉", "tab\there", "  padded  ", "x", ""]
STATUSES = ["Active", "active", "ACTIVE", "AcTiVe", "Inactive", "Pending", "", "Active ", "inactive"]


def q(field):
    """Quote a field the RFC 4180 way when needed."""
    if any(c in field for c in ',"\r\n') or field != field.strip():
        return '"' + field.replace('"', '""') + '"'
    return field


def row(fields, eol="\n"):
    return ",".join(q(f) for f in fields) + eol


def small(path, seed=1):
    rnd = random.Random(seed)
    out = [row(["Name", "ID", "Status"])]
    for i in range(40):
        name = rnd.choice(WORDS) + " " + str(i) if i % 7 else rnd.choice(WORDS)
        out.append(row([name, str(1000 + i), STATUSES[i % len(STATUSES)]]))
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("".join(out))


def big(path, size, seed=1):
    rnd = random.Random(seed)
    lines = [row(["Name", "ID", "Status"])]
    for i in range(2000):  # a block of distinct rows, repeated to reach the size
        lines.append(row([rnd.choice(WORDS) + " %d" % i, str(i), "Active" if i % 2 == 0 else "Inactive"]))
    block = "".join(lines[1:]).encode()
    with open(path, "wb") as f:
        f.write(lines[0].encode())
        written = len(lines[0])
        while written < size:
            f.write(block)
            written += len(block)


def field(path, size):
    unit = 'abc, def "quoted"\nnext line, ' * 4
    text = (unit * (size // len(unit) + 1))[:size]
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(row(["Name", "ID", "Status"]))
        f.write(row([text, "1", "Active"]))
        f.write(row(["after", "2", "Active"]))


def corpus(d, n, seed):
    rnd = random.Random(seed)
    subdirs = ["", "sub1", "sub2", os.path.join("sub2", "deep"), "Ünï"]
    for s in subdirs:
        os.makedirs(os.path.join(d, s), exist_ok=True)
    for i in range(n):
        cols = ["Name", "ID", "Status"]
        extra = rnd.random() < 0.3
        if extra:
            cols.append("Note")
        if rnd.random() < 0.3:
            rnd.shuffle(cols)
        eol = "\r\n" if rnd.random() < 0.35 else "\n"
        text = "\ufeff" if rnd.random() < 0.2 else ""
        text += row(cols, eol)
        for j in range(rnd.randint(0, 300)):
            vals = {"Name": rnd.choice(WORDS) + ("" if rnd.random() < 0.5 else " " + rnd.choice(WORDS)),
                    "ID": str(rnd.randint(0, 10**9)), "Status": rnd.choice(STATUSES), "Note": rnd.choice(WORDS)}
            text += row([vals[c] for c in cols], eol)
        if rnd.random() < 0.3 and text.endswith(eol):
            text = text[: -len(eol)]  # no final newline
        if i % 37 == 5:
            text += 'bad "quote",1,Active' + eol  # unquoted field containing a quote
        if i % 41 == 7:
            text += '"closed"junk,2,Active' + eol  # junk after a closing quote (strict mode error)
        ext = ".CSV" if i % 13 == 0 else ".csv"
        name = os.path.join(d, subdirs[i % len(subdirs)], "f%03d_%s%s" % (i, rnd.choice(["a", "b", "é", "z"]), ext))
        with open(name, "w", encoding="utf-8", newline="") as f:
            f.write(text)


def check(out, inp, stamp):
    csv.field_size_limit(sys.maxsize)
    with open(inp, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, strict=True))
    hdr = rows[0]
    ni, ii, si = hdr.index("Name"), hdr.index("ID"), hdr.index("Status")
    want = [["Name", "ID", "ProcessedDate"]]
    want += [[r[ni], r[ii], stamp] for r in rows[1:] if r[si].encode().lower() == b"active"]
    with open(out, encoding="utf-8", newline="") as f:
        got = list(csv.reader(f, strict=True))
    if got != want:
        for k, (g, w) in enumerate(zip(got, want)):
            if g != w:
                sys.exit("row %d: got %r, want %r" % (k, g, w))
        sys.exit("got %d rows, want %d" % (len(got), len(want)))


def main(a):
    cmd = a[0]
    if cmd == "small":
        small(a[1], int(a[2]) if len(a) > 2 else 1)
    elif cmd == "big":
        big(a[1], int(a[2]), int(a[3]) if len(a) > 3 else 1)
    elif cmd == "field":
        field(a[1], int(a[2]))
    elif cmd == "corpus":
        corpus(a[1], int(a[2]), int(a[3]))
    elif cmd == "check":
        check(a[1], a[2], a[3])
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv[1:])
