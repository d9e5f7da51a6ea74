/**
 * `npm run bench -- import --kind all --rows N [--db postgres://...]`
 *
 * The three bulk writers on each backend in the same run: SQLite always, and PostgreSQL (a fresh
 * database next to `--db`, dropped after) when given:
 * - migration import (`importLabelboxExport`) of N seed-shaped export rows (the export
 *   benchmark's data set, exported with the seed page's params: ~6.5 KB a line);
 * - data row import (`importDataRows`) of N conversations (the data row benchmark's file);
 * - label import (`importLabels`) of one radio answer on each of the N migrated rows.
 * It prints seconds and rows/s of each, PostgreSQL / SQLite, and the dead tuples PostgreSQL's
 * `project_data_rows` holds after them. Target: PostgreSQL within 2x of SQLite, growth linear.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { importDataRows } from '../packages/server/src/data-rows/data-row.import.ts';
import { createDataset } from '../packages/server/src/datasets/dataset.service.ts';
import { parseExportRequest } from '../packages/server/src/exports/request/export.request.ts';
import { runExportV2 } from '../packages/server/src/exports/v2/export-v2.engine.ts';
import { NdjsonFileWriter } from '../packages/server/src/exports/worker/worker.files.ts';
import { importLabelboxExport } from '../packages/server/src/labelbox-import/labelbox-export.import.ts';
import { importLabels } from '../packages/server/src/labels/label.import.ts';
import type { Actor } from '../packages/server/src/orgs/actor.ts';
import { localActor } from '../packages/server/src/orgs/org.service.ts';
import { openStore, type Store } from '../packages/server/src/store/store.ts';
import { SEED_PARAMS } from '../packages/server/test/support/seed-params.ts';
import { writeBenchFile } from './support/conversations.ts';
import { createPgDatabase } from './support/pg-database.ts';

const BENCH_DIR = resolve('.bench');

interface Timing {
  kind: string;
  backend: string;
  rows: number;
  seconds: number;
  deadTuples?: number;
}

export async function run(args: string[]): Promise<void> {
  const get = (name: string) => {
    const k = args.indexOf(`--${name}`);
    return k === -1 ? undefined : args[k + 1];
  };
  const rows = Number(get('rows') ?? 10_000);
  if (!Number.isInteger(rows) || rows < 100) throw new Error('--rows must be an integer >= 100');
  const pgUrl = get('db') ?? process.env.BENCH_DB;
  mkdirSync(BENCH_DIR, { recursive: true });
  const exportFile = await seedShapedExport(rows);
  const rowsFile = join(BENCH_DIR, `import-${rows}.ndjson`);
  await writeBenchFile(rowsFile, rows);
  const load = loadavg()[0]!;
  const timings: Timing[] = [];
  const tag = randomBytes(4).toString('hex');
  const backends: [string, () => Promise<{ url: string; drop(): Promise<void> }>][] = [
    [
      'SQLite',
      async () => {
        const file = join(BENCH_DIR, `kinds-${tag}.db`);
        return {
          url: file,
          drop: async () => {
            for (const s of ['', '-wal', '-shm']) rmSync(`${file}${s}`, { force: true });
          },
        };
      },
    ],
  ];
  if (pgUrl) backends.push(['PostgreSQL', () => createPgDatabase(pgUrl, `prefer_bench_kinds_${tag}`)]);
  // `--only PostgreSQL` (or SQLite): one backend, e.g. to watch it while it runs.
  const only = get('only');
  for (const [backend, create] of backends) {
    if (only && only !== backend) continue;
    const db = await create();
    const store = await openStore(db.url);
    try {
      const actor = await localActor(store);
      timings.push(await migrationImport(store, actor, exportFile, backend, rows));
      timings.push(await dataRowImport(store, actor, rowsFile, backend, rows));
      timings.push(await labelImport(store, actor, backend));
    } finally {
      await store.close();
      await db.drop();
    }
  }
  report(rows, load, timings);
}

async function timed(kind: string, backend: string, rows: number, fn: () => Promise<{ ok: boolean }>) {
  const t = performance.now();
  const result = await fn();
  const seconds = (performance.now() - t) / 1000;
  if (!result.ok) throw new Error(`${kind} failed: ${JSON.stringify(result).slice(0, 500)}`);
  process.stderr.write(`${backend} ${kind}: ${seconds.toFixed(2)} s\n`);
  return { kind, backend, rows, seconds };
}

async function deadTuples(store: Store): Promise<number | undefined> {
  if (store.backend !== 'postgres') return undefined;
  // Counters reach pg_stat_user_tables with a delay: flush them (PostgreSQL 15+) and wait a little.
  await sql`select pg_stat_force_next_flush()`.execute(store.db).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 1500));
  const { rows } = await sql<{ n: string }>`
    select n_dead_tup as n from pg_stat_user_tables where relname = 'project_data_rows'`.execute(store.db);
  return Number(rows[0]?.n ?? 0);
}

async function migrationImport(store: Store, actor: Actor, file: string, backend: string, rows: number) {
  const t = await timed('migration import', backend, rows, () =>
    importLabelboxExport(store, actor, { input: file }),
  );
  return { ...t, deadTuples: await deadTuples(store) };
}

async function dataRowImport(store: Store, actor: Actor, file: string, backend: string, rows: number) {
  const dataset = await createDataset(store, actor, { name: 'bench rows' });
  return timed('data row import', backend, rows, () =>
    importDataRows(store, actor, { datasetId: dataset.id, input: file }),
  );
}

async function labelImport(store: Store, actor: Actor, backend: string) {
  const project = await store.db.selectFrom('projects').select('id').executeTakeFirstOrThrow();
  const ids = await store.db
    .selectFrom('project_data_rows')
    .where('project_id', '=', project.id)
    .select('data_row_id')
    .orderBy('data_row_id')
    .execute();
  const file = join(tmpdir(), `prefer-labels-${randomBytes(4).toString('hex')}.ndjson`);
  const out = createWriteStream(file);
  for (const [i, r] of ids.entries()) {
    const line = {
      uuid: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
      dataRow: { id: r.data_row_id },
      name: 'Choose the best response',
      answer: { name: i % 2 ? 'Response A' : 'Response B' },
    };
    if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  try {
    const t = await timed('label import', backend, ids.length, () =>
      importLabels(store, actor, { projectId: project.id, asEmail: 'rater@example.com', input: file }),
    );
    return { ...t, deadTuples: await deadTuples(store) };
  } finally {
    rmSync(file, { force: true });
  }
}

/** The export benchmark's project of N rows, exported once with the seed params (kept in .bench/). */
async function seedShapedExport(rows: number): Promise<string> {
  const file = join(BENCH_DIR, `seed-shaped-${rows}.ndjson`);
  if (existsSync(file)) return file;
  const { build, PROJECT } = await import('./export-data.ts');
  const db = join(BENCH_DIR, `seed-shaped-${rows}.db`);
  for (const s of ['', '-wal', '-shm']) rmSync(`${db}${s}`, { force: true });
  process.stderr.write(`building ${rows} seed-shaped rows ...\n`);
  await build(db, rows);
  const store = await openStore(db, { migrate: false });
  const actor: Actor = {
    ...(await localActor(store)),
    orgId: (await store.db.selectFrom('projects').select('org_id').executeTakeFirstOrThrow()).org_id,
  };
  const writer = await NdjsonFileWriter.create(file, { lineIndex: false, sha256: false });
  await runExportV2(store, actor, PROJECT, parseExportRequest({ params: SEED_PARAMS }), {
    result: (chunk, lines) => writer.write(chunk, lines),
    errors: (chunk) => void process.stderr.write(chunk),
  });
  await writer.finish();
  renameSync(writer.temp, file);
  await store.close();
  for (const s of ['', '-wal', '-shm']) rmSync(`${db}${s}`, { force: true });
  return file;
}

function report(rows: number, load: number, timings: Timing[]): void {
  console.log(
    `\nimport kinds: ${rows} rows, load average ${load.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after`,
  );
  console.log('| writer | backend | rows | seconds | rows/s | vs SQLite | project_data_rows dead tuples |');
  console.log('| ------ | ------- | ---- | ------- | ------ | --------- | ----------------------------- |');
  for (const t of timings) {
    const sqlite = timings.find((s) => s.kind === t.kind && s.backend === 'SQLite');
    const ratio = sqlite && t.backend !== 'SQLite' ? `${(t.seconds / sqlite.seconds).toFixed(2)}x` : '';
    console.log(
      `| ${t.kind} | ${t.backend} | ${t.rows} | ${t.seconds.toFixed(2)} | ${Math.round(t.rows / t.seconds)} | ${ratio} | ${t.deadTuples ?? ''} |`,
    );
  }
  const pg = timings.filter((t) => t.backend !== 'SQLite');
  if (pg.length === 0) return;
  // Linear growth is read across runs at two sizes (rows/s above), not within one.
  console.log('\n| target | measured | result |\n| --- | --- | --- |');
  for (const t of pg) {
    const sqlite = timings.find((s) => s.kind === t.kind && s.backend === 'SQLite');
    if (!sqlite) continue;
    const ratio = t.seconds / sqlite.seconds;
    console.log(
      `| ${t.kind}: PostgreSQL <= 2x SQLite | ${ratio.toFixed(2)}x | ${ratio <= 2 ? 'PASS' : 'FAIL'} |`,
    );
    if (t.deadTuples !== undefined) {
      console.log(
        `| ${t.kind}: no dead tuples left in project_data_rows | ${t.deadTuples} | ${t.deadTuples === 0 ? 'PASS' : 'FAIL'} |`,
      );
    }
  }
}
