#!/usr/bin/env node
// DuckDB peer for scripts/bench.sh: the csvbatch job expressed as one COPY per input file.
//
//   node scripts/bench-duckdb.mjs LIST OUTDIR [TIMESTAMP]
//   node scripts/bench-duckdb.mjs --version
//
// LIST is a file with one input path per line ("-" = stdin). For each input <dir>/<stem>.csv
// it writes OUTDIR/<stem>_processed.csv with Name,ID,ProcessedDate for rows whose Status is
// exactly 'Active' (case-sensitive). Files are processed one after another; DuckDB itself
// uses BENCH_DUCKDB_THREADS threads (default 2).
//
// @duckdb/node-api is resolved from BENCH_TOOLS_DIR (default <repo>/.bench/tools), where
// bench.sh installs it with `npm install --prefix .bench/tools @duckdb/node-api`.

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const scriptDir = dirname(fileURLToPath(import.meta.url));
const toolsDir = resolve(process.env.BENCH_TOOLS_DIR ?? join(scriptDir, '..', '.bench', 'tools'));
const threads = process.env.BENCH_DUCKDB_THREADS ?? '2';

function die(msg) {
  process.stderr.write(`bench-duckdb: ${msg}\n`);
  process.exit(2);
}

let duckdb;
try {
  duckdb = createRequire(join(toolsDir, 'package.json'))('@duckdb/node-api');
} catch (e) {
  die(`cannot load @duckdb/node-api from ${toolsDir}: ${e.message}`);
}

const sqlString = (s) => `'${String(s).replaceAll("'", "''")}'`;

async function main(argv) {
  const instance = await duckdb.DuckDBInstance.create(':memory:', { threads });
  const conn = await instance.connect();
  try {
    if (argv[0] === '--version') {
      const reader = await conn.runAndReadAll('SELECT version()');
      console.log(`duckdb ${reader.getRows()[0][0]} (@duckdb/node-api)`);
      return;
    }
    if (argv.length < 2 || argv.length > 3) die('usage: bench-duckdb.mjs LIST OUTDIR [TIMESTAMP]');
    const [list, outDir, stamp = '2026-01-01T00:00:00Z'] = argv;
    const inputs = readFileSync(list === '-' ? 0 : list, 'utf8').split('\n').filter((l) => l !== '');
    for (const input of inputs) {
      const out = join(outDir, `${basename(input, '.csv')}_processed.csv`);
      await conn.run(
        `COPY (SELECT Name, ID, ${sqlString(stamp)} AS ProcessedDate ` +
          `FROM read_csv(${sqlString(input)}, header=true, all_varchar=true) ` +
          `WHERE Status = 'Active') TO ${sqlString(out)} (HEADER, DELIMITER ',')`,
      );
    }
  } finally {
    conn.closeSync();
    instance.closeSync?.();
  }
}

main(process.argv.slice(2)).catch((e) => die(e.message));
