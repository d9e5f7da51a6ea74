/**
 * `npm run bench -- import --rows N [--db postgres://...]`
 *
 * Generates N deterministic conversations into `.bench/`, imports them through `importDataRows`
 * into a fresh SQLite file (or a fresh database on the given PostgreSQL server, dropped after),
 * then measures a bare better-sqlite3 loop inserting the same rows into another fresh file.
 * Targets (SQLite): importer >= 0.5 x the bare insert rate; peak RSS < 300 MB.
 * With `--kind all`, the three bulk writers on both backends instead (bench/import-kinds.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importDataRows } from '../packages/server/src/data-rows/data-row.import.ts';
import { createDataset } from '../packages/server/src/datasets/dataset.service.ts';
import { localActor } from '../packages/server/src/orgs/org.service.ts';
import { isPostgresUrl, openStore } from '../packages/server/src/store/store.ts';
import { bareSqliteLoop } from './support/bare-sqlite.ts';
import { writeBenchFile } from './support/conversations.ts';
import { mb, RssSampler, resetVmHwm, vmHwm } from './support/memory.ts';
import { createPgDatabase } from './support/pg-database.ts';

const BENCH_DIR = resolve('.bench');
const RSS_TARGET = 300 * 2 ** 20;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

export async function run(args: string[]): Promise<void> {
  // `--kind all`: the migration, data row and label imports on SQLite and PostgreSQL side by side.
  if (option(args, 'kind') !== undefined) return (await import('./import-kinds.ts')).run(args);
  const rows = Number(option(args, 'rows') ?? process.env.BENCH_ROWS ?? 100_000);
  const pgUrl = option(args, 'db') ?? process.env.BENCH_DB;
  if (!Number.isSafeInteger(rows) || rows < 1) throw new Error('--rows must be a positive integer');
  if (pgUrl !== undefined && !isPostgresUrl(pgUrl)) throw new Error('--db must be a postgres:// URL');
  mkdirSync(BENCH_DIR, { recursive: true });

  const file = join(BENCH_DIR, `import-${rows}.ndjson`);
  process.stderr.write(`generating ${file} ...\n`);
  await writeBenchFile(file, rows);
  const bytes = statSync(file).size;
  const tag = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

  // 1. The importer.
  const target = pgUrl ? await createPgDatabase(pgUrl, `prefer_bench_${tag.replace(/-/g, '_')}`) : undefined;
  const dbFile = join(BENCH_DIR, `import-${tag}.db`);
  const store = await openStore(target?.url ?? dbFile);
  const actor = await localActor(store);
  const dataset = await createDataset(store, actor, { name: `bench ${rows}` });
  resetVmHwm();
  const sampler = new RssSampler().start();
  const t0 = performance.now();
  const result = await importDataRows(store, actor, {
    datasetId: dataset.id,
    input: file,
    onProgress: ({ records }) => {
      if (process.stderr.isTTY && records % 50_000 === 0)
        process.stderr.write(`\r  imported ${records} records`);
    },
  });
  const importSeconds = (performance.now() - t0) / 1000;
  const importRss = sampler.stop();
  const importHwm = vmHwm();
  if (process.stderr.isTTY) process.stderr.write('\n');
  await store.close();
  if (target) await target.drop();
  else removeSqlite(dbFile);
  if (!result.ok) throw new Error(`import failed: ${JSON.stringify(result.errors.slice(0, 3))}`);

  // 2. The bare loop, always on SQLite.
  const bareFile = join(BENCH_DIR, `bare-${tag}.db`);
  resetVmHwm();
  const bareSampler = new RssSampler().start();
  const bare = await bareSqliteLoop(bareFile, file);
  const bareRss = bareSampler.stop();
  const bareHwm = vmHwm();
  removeSqlite(bareFile);

  const importRate = rows / importSeconds;
  const bareInsertRate = bare.rows / bare.insertSeconds;
  const table = [
    {
      phase: `importDataRows (${target ? 'postgres' : 'sqlite'})`,
      rows,
      seconds: importSeconds,
      rate: importRate,
      rss: importRss,
      hwm: importHwm,
    },
    {
      phase: 'bare better-sqlite3 loop, whole',
      rows: bare.rows,
      seconds: bare.totalSeconds,
      rate: bare.rows / bare.totalSeconds,
      rss: bareRss,
      hwm: bareHwm,
    },
    {
      phase: 'bare better-sqlite3, stmt.run only',
      rows: bare.rows,
      seconds: bare.insertSeconds,
      rate: bareInsertRate,
      rss: undefined,
      hwm: undefined,
    },
  ];
  console.log(`\nimport benchmark: ${rows} rows, file ${mb(bytes)} (${(bytes / rows).toFixed(0)} B/row)\n`);
  console.log(
    `${'phase'.padEnd(40)}${'rows'.padStart(10)}${'seconds'.padStart(10)}${'rows/s'.padStart(10)}${'peak RSS'.padStart(11)}${'VmHWM'.padStart(10)}`,
  );
  for (const r of table) {
    console.log(
      `${r.phase.padEnd(40)}${String(r.rows).padStart(10)}${r.seconds.toFixed(2).padStart(10)}${r.rate.toFixed(0).padStart(10)}${(r.rss === undefined ? '' : mb(r.rss)).padStart(11)}${(r.hwm === undefined ? '' : mb(r.hwm)).padStart(10)}`,
    );
  }
  const ratio = importRate / bareInsertRate;
  console.log(
    `\nimporter / bare insert rate: ${ratio.toFixed(2)} (target >= 0.50${target ? ', applies to SQLite' : ''}) ${ratio >= 0.5 ? 'PASS' : 'MISS'}`,
  );
  const peak = Math.max(importRss, importHwm ?? 0);
  console.log(`importer peak RSS: ${mb(peak)} (target < 300 MB) ${peak < RSS_TARGET ? 'PASS' : 'MISS'}`);
}

function removeSqlite(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
}
