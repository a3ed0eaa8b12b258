#!/usr/bin/env python3
"""corpus-eval.py - how csvbatch reads a directory of real-world CSV/TSV files, against Python's
csv module and DuckDB.

    scripts/corpus-eval.py [--csvbatch BIN] [--duckdb-tools DIR] [--json] [--options ...] DIR

For every *.csv / *.tsv file below DIR (any case; what csvbatch takes by default):
  - csvbatch, in pass-through mode (--all-rows --select '*' --no-stamp), default options
    otherwise (-d auto): accepted or not, and the dialect it reports (delimiter, encoding,
    quotes) in its JSON summary;
  - Python's csv.reader with strict=True and the dialect csvbatch reports (its delimiter and
    escape character, its comment lines skipped; the
    encoding it names, UTF-8 with an optional BOM by default; the lines it skipped before the
    header), no csv.Sniffer: accepted when it
    raises nothing; where both accept, csvbatch's output records are compared with Python's
    records of the input (blank lines dropped), field by field;
  - DuckDB's read_csv with auto-detection (all_varchar), through @duckdb/node-api loaded from
    --duckdb-tools (as scripts/bench-duckdb.mjs does; `npm install --prefix DIR
    @duckdb/node-api`): accepted when it raises nothing; where csvbatch accepts too, its column
    and row counts are compared with csvbatch's (header width, rows read). Each file DuckDB
    accepts is also given a reading kind, from sniff_csv's dialect, the first that fits:
    one_column (one column, yet the first non-blank line holds , TAB ; or | outside quotes),
    rows_dropped (fewer rows than Python's csv.reader finds under that dialect, less the header
    and the SkipRows records that were preamble; unknown where Python cannot read it so),
    skipped_lines (SkipRows > 0, nothing else lost), no_quote (no quote character, yet the file
    holds '"') or faithful; duckdb_faithful counts faithful and skipped_lines.
Prints the figures (files, accepted by each, differences) and the files that differ. Never writes
into DIR: csvbatch writes under a temporary -o directory.
"""
import argparse
import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile

csv.field_size_limit(1 << 30)

DUCKDB_JS = r"""
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
const duckdb = createRequire(join(process.argv[2], 'package.json'))('@duckdb/node-api');
const files = JSON.parse(readFileSync(process.argv[3], 'utf8'));
const q = (s) => `'${String(s).replaceAll("'", "''")}'`;
const inst = await duckdb.DuckDBInstance.create(':memory:', { threads: '1' });
const conn = await inst.connect();
const out = {};
for (const f of files) {
  try {
    const r = await conn.runAndReadAll(
      `SELECT * FROM read_csv(${q(f)}, all_varchar=true, header=true)`);
    out[f] = { ok: true, columns: r.columnCount, rows: r.getRows().length };
  } catch (e) {
    out[f] = { ok: false, error: String(e.message).split('\n')[0] };
  }
  try {
    // What the read above auto-detected (sniff_csv sniffs as read_csv does): SkipRows is a
    // BigInt, Columns a list value with .items; '(empty)' stands for no quote/escape/comment.
    const s = await conn.runAndReadAll(`SELECT Delimiter, Quote, Escape, HasHeader, SkipRows,
      Columns, Comment FROM sniff_csv(${q(f)})`);
    const [delimiter, quote, escape, hasHeader, skipRows, cols, comment] = s.getRows()[0];
    Object.assign(out[f], { delimiter, quote, escape, has_header: hasHeader,
      skip_rows: Number(skipRows), sniffed_columns: cols && cols.items ? cols.items.length : null,
      comment });
  } catch (e) {
    out[f].sniff_error = String(e.message).split('\n')[0];
  }
}
process.stdout.write(JSON.stringify(out));
"""


def list_files(root):
    found = []
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith('.'))
        for f in sorted(files):
            low = f.lower()
            if f.startswith('.') or not (low.endswith('.csv') or low.endswith('.tsv')):
                continue
            if low.endswith('_processed.csv') or low.endswith('_processed.tsv'):
                continue
            found.append(os.path.join(d, f))
    return found


def run_csvbatch(binary, root, out, extra):
    cmd = [binary, '-r', '--all-rows', '--select', '*', '--no-stamp', '-o', out,
           '--format', 'json', '--color', 'never'] + extra + [root]
    p = subprocess.run(cmd, capture_output=True)
    summary = json.loads(p.stdout)
    return {os.path.normpath(f['path']): f for f in summary['files']}


def read_records(path, delimiter, encoding, skip=0, escape=None, comment=None):
    """Python's records of path (strict, no sniffing, escapechar=escape), blank lines dropped,
    after its first `skip` lines (each through its line feed, as --skip-lines counts them);
    raises on error."""
    enc = 'utf-8-sig' if encoding in (None, '', 'utf-8') else encoding
    with open(path, newline='', encoding=enc, errors='strict') as fh:
        text = fh.read()
    # A byte-order mark says what the file is, and is not text: Python's utf-16le/-be and
    # utf-32le/-be codecs keep it as U+FEFF, csvbatch (as utf-8-sig) drops it.
    if text.startswith('\ufeff') and enc.lower().replace('_', '-') in (
            'utf-16le', 'utf-16be', 'utf-32le', 'utf-32be', 'utf-16-le', 'utf-16-be',
            'utf-32-le', 'utf-32-be'):
        text = text[1:]
    for _ in range(skip):
        nl = text.find('\n')
        text = text[nl + 1:] if nl >= 0 else ''
    # comment (csvbatch's --comment): a line that starts with it where a record would start is
    # skipped; csv.reader asks for the next line only within a record or after yielding one.
    at_start = [True]

    def lines():
        for line in io.StringIO(text, newline=''):
            if comment and at_start[0] and line.startswith(comment):
                continue
            at_start[0] = False
            yield line
    rows = []
    for r in csv.reader(lines(), delimiter=delimiter, escapechar=escape, strict=True):
        at_start[0] = True
        if r != []:
            rows.append(r)
    return rows


DUCKDB_KINDS = ('one_column', 'rows_dropped', 'unknown', 'skipped_lines', 'no_quote',
                'faithful')
EMPTY = '(empty)'  # how sniff_csv names no quote, escape or comment character


def first_nonblank_line(text):
    for m in re.finditer(r'[^\r\n]+', text):
        if m.group().strip():
            return m.group()
    return ''


def splits_outside_quotes(line):
    """Whether line holds , TAB ; or | outside '"' quotes."""
    inq = False
    for ch in line:
        if ch == '"':
            inq = not inq
        elif not inq and ch in ',\t;|':
            return True
    return False


def classify_duckdb(path, d):
    """How DuckDB read path, d its read_csv and sniff_csv answers: (kind, expected rows)."""
    try:
        with open(path, 'rb') as fh:
            raw = fh.read()
    except OSError:
        return 'unknown', None
    text = raw.decode('utf-8', errors='replace')
    if text.startswith('\ufeff'):
        text = text[1:]
    if d['columns'] == 1:
        if splits_outside_quotes(first_nonblank_line(text)):
            return 'one_column', None
    delim, quote = d.get('delimiter'), d.get('quote')
    escape, comment = d.get('escape'), d.get('comment') or EMPTY
    skip = d.get('skip_rows') or 0
    if not isinstance(delim, str) or len(delim) != 1 or not isinstance(quote, str):
        return 'unknown', None
    # DuckDB allows spaces between a delimiter and a quote: skipinitialspace.
    opts = {'delimiter': delim, 'strict': True, 'doublequote': True, 'skipinitialspace': True}
    if quote == EMPTY:
        opts['quoting'] = csv.QUOTE_NONE
    elif len(quote) == 1:
        opts['quotechar'] = quote
    else:
        return 'unknown', None
    if isinstance(escape, str) and escape not in (EMPTY, quote):
        if len(escape) != 1:
            return 'unknown', None
        opts['escapechar'] = escape
    # DuckDB skips SkipRows records (quote-aware; blank lines count, comment lines do not when
    # it found a comment character). A skipped record of two fields or more, or one spanning
    # lines, was data (lost); a blank, '#' or one-line one-field record (a title, a note) was
    # a preamble.
    mark = '#' if comment == EMPTY else comment
    lost, records = 0, 0
    try:
        for r in csv.reader(io.StringIO(text, newline=''), **opts):
            if comment != EMPTY and r and r[0].lstrip().startswith(comment):
                continue
            if skip > 0:
                skip -= 1
                if ((len(r) >= 2 and not r[0].lstrip().startswith(mark))
                        or any('\n' in x or '\r' in x for x in r)):
                    lost += 1
            elif r != []:
                records += 1
    except (csv.Error, ValueError, TypeError):
        return 'unknown', None
    # read_csv(header=true) takes the first record after the skipped lines as its header.
    expected = max(records - 1, 0) + lost
    if d['rows'] < expected:
        return 'rows_dropped', expected
    if d.get('skip_rows'):
        return 'skipped_lines', expected
    if quote == EMPTY and b'"' in raw:
        return 'no_quote', expected
    return 'faithful', expected


def run_duckdb(tools, files):
    if tools is None or not os.path.isdir(os.path.join(tools, 'node_modules', '@duckdb')):
        return None
    with tempfile.TemporaryDirectory() as t:
        js, lst = os.path.join(t, 'duck.mjs'), os.path.join(t, 'files.json')
        with open(js, 'w') as f:
            f.write(DUCKDB_JS)
        with open(lst, 'w') as f:
            json.dump(files, f)
        p = subprocess.run(['node', js, os.path.abspath(tools), lst], capture_output=True)
        if p.returncode != 0:
            sys.stderr.write(p.stderr.decode(errors='replace'))
            return None
        return {os.path.normpath(k): v for k, v in json.loads(p.stdout).items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('dir')
    ap.add_argument('--csvbatch', default='build/release/csvbatch')
    ap.add_argument('--duckdb-tools', default=os.environ.get('BENCH_TOOLS_DIR', '.bench/tools'))
    ap.add_argument('--json', action='store_true', help='print the figures as JSON')
    ap.add_argument('--show', type=int, default=20, help='files listed per category')
    ap.add_argument('--option', action='append', default=[],
                    help='an extra csvbatch argument (repeatable), e.g. --option=-d,')
    a = ap.parse_args()
    root = os.path.normpath(a.dir)
    files = [os.path.normpath(f) for f in list_files(root)]
    fig = {'files': len(files), 'csvbatch_accepted': 0, 'python_accepted': 0,
           'duckdb_accepted': None, 'duckdb_faithful': None, 'duckdb_kinds': None,
           'duckdb_only_kinds': None, 'both_accepted': 0, 'record_differences': 0,
           'records_compared': 0, 'duckdb_shape_differences': 0, 'delimiters': {},
           'csvbatch_failed_with_hint': 0}
    lists = {'record_differences': [], 'python_only': [], 'duckdb_only': [],
             'duckdb_only_kind': [], 'duckdb_shape': [], 'csvbatch_failed': []}
    with tempfile.TemporaryDirectory() as out:
        cb = run_csvbatch(a.csvbatch, root, out, a.option)
        duck = run_duckdb(a.duckdb_tools, files)
        if duck is not None:
            fig['duckdb_accepted'] = sum(1 for f in files if duck.get(f, {}).get('ok'))
            fig['duckdb_faithful'] = 0
            fig['duckdb_kinds'], fig['duckdb_only_kinds'] = {}, {}
        kinds = {}
        for f in files if duck is not None else []:
            d = duck.get(f, {})
            if not d.get('ok'):
                continue
            try:
                kind, expected = classify_duckdb(f, d)
            except Exception as x:  # a reading kind is a note: never let it stop the run
                kind, expected = 'unknown', None
                sys.stderr.write(f"corpus-eval: {f}: classifying DuckDB's reading: {x!r}\n")
            kinds[f] = (kind, expected)
            fig['duckdb_kinds'][kind] = fig['duckdb_kinds'].get(kind, 0) + 1
            fig['duckdb_faithful'] += kind in ('faithful', 'skipped_lines')
        for f in files:
            e = cb.get(f)
            ok = e is not None and e['status'] == 'success'
            delim = (e or {}).get('delimiter') or ','
            encoding = (e or {}).get('encoding')
            fig['csvbatch_accepted'] += ok
            if ok:
                name = {'\t': 'tab'}.get(delim, delim)
                fig['delimiters'][name] = fig['delimiters'].get(name, 0) + 1
            elif e is not None:
                fig['csvbatch_failed_with_hint'] += e.get('hint') is not None
                lists['csvbatch_failed'].append(f"{f}: {e.get('error')}")
            try:
                py = read_records(f, delim, encoding, (e or {}).get('skip_lines') or 0,
                                  (e or {}).get('escape'), (e or {}).get('comment'))
                py_ok = True
            except (csv.Error, UnicodeError, ValueError, LookupError):  # LookupError: an encoding Python does not know
                py_ok = False
            fig['python_accepted'] += py_ok
            if py_ok and not ok:
                lists['python_only'].append(f)
            if duck is not None and duck.get(f, {}).get('ok') and not ok:
                lists['duckdb_only'].append(f"{f}: {(e or {}).get('error')}")
                d, (kind, expected) = duck[f], kinds[f]
                fig['duckdb_only_kinds'][kind] = fig['duckdb_only_kinds'].get(kind, 0) + 1
                lists['duckdb_only_kind'].append(
                    f"{f}: {kind} (delimiter {d.get('delimiter')!r}, quote {d.get('quote')!r}, "
                    f"skip {d.get('skip_rows')}, cols {d['columns']}, rows {d['rows']} vs "
                    f"{'?' if expected is None else expected} expected)")
            if not ok:
                continue
            if duck is not None and duck.get(f, {}).get('ok'):
                d = duck[f]
                width = len(py[0]) if py_ok and py else 0
                if d['columns'] != width or d['rows'] != e['rows_read']:
                    fig['duckdb_shape_differences'] += 1
                    lists['duckdb_shape'].append(
                        f"{f}: duckdb {d['columns']} cols {d['rows']} rows, csvbatch "
                        f"{width} cols {e['rows_read']} rows ({name})")
            if not py_ok:
                continue
            fig['both_accepted'] += 1
            out_delim = delim
            got = read_records(e['output'], out_delim, 'utf-8')
            fig['records_compared'] += len(py)
            if got != py:
                fig['record_differences'] += 1
                first = next((i for i, (x, y) in enumerate(zip(got, py)) if x != y),
                             min(len(got), len(py)))
                lists['record_differences'].append(f"{f}: first difference at record {first}")
    for k in ('duckdb_kinds', 'duckdb_only_kinds'):
        if fig[k] is not None:
            fig[k] = {x: fig[k][x] for x in DUCKDB_KINDS if x in fig[k]}
    if a.json:
        print(json.dumps({'figures': fig, 'lists': lists}, indent=2))
        return
    print(f"files: {fig['files']}")
    pct = lambda n: f"{n} ({100.0 * n / fig['files']:.1f}%)" if fig['files'] else str(n)
    print(f"csvbatch accepted (default options, pass-through): {pct(fig['csvbatch_accepted'])}")
    print(f"  by delimiter: {fig['delimiters']}")
    print(f"  failed with a hint: {fig['csvbatch_failed_with_hint']}")
    print(f"python csv (strict, csvbatch's dialect) accepted: {pct(fig['python_accepted'])}")
    if fig['duckdb_accepted'] is not None:
        print(f"duckdb (auto-detection) accepted: {pct(fig['duckdb_accepted'])}")
        print(f"  read faithfully (faithful or skipped_lines): {pct(fig['duckdb_faithful'])}")
        print(f"  by reading kind: {fig['duckdb_kinds']}")
        print(f"  by reading kind, of those csvbatch rejects: {fig['duckdb_only_kinds']}")
    else:
        print('duckdb: not run (no @duckdb/node-api in --duckdb-tools)')
    print(f"accepted by csvbatch and python: {fig['both_accepted']}, "
          f"{fig['records_compared']} records compared, "
          f"{fig['record_differences']} files with record differences")
    if fig['duckdb_accepted'] is not None:
        print(f"accepted by csvbatch and duckdb with another shape (columns, rows): "
              f"{fig['duckdb_shape_differences']}")
    for k, v in lists.items():
        if v:
            print(f"\n{k} ({len(v)}):")
            for line in v[:a.show]:
                print(f"  {line}")


if __name__ == '__main__':
    main()
