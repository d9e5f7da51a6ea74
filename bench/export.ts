/**
 * `npm run bench -- export --rows N [--db URL] [--page-size N]`
 *
 * Builds a project of N conversations (~2 KB each; one label with the three canonical
 * classifications, a review, 2 history entries, a metadata value and an attachment per row) in
 * a fresh SQLite file (or a fresh PostgreSQL database next to the `--db` URL), each chunk ending
 * with `renderFragments` as every writer's transaction does (exports/v2/fragments.ts), then measures,
 * each in its own child process so peak RSS (VmHWM) is the export's own:
 * - a full export with every param through `runExportV2` into the export task's file writer
 *   (`NdjsonFileWriter`: line index, SHA-256, fsync);
 * - the same with a `last_activity_at` filter matching 1% of the rows;
 * - a bare Node loop reading the finished NDJSON and writing `JSON.stringify(JSON.parse(line))`.
 * Targets (SQLite, N = 1,000,000): full export <= 0.5x the loop; peak RSS < 200 MB and within
 * +10% of N = 100,000; the 1% filter < 5% of the full export.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Insertable, sql } from 'kysely';
import { parseExportRequest } from '../packages/server/src/exports/request/export.request.ts';
import { runExportV2 } from '../packages/server/src/exports/v2/export-v2.engine.ts';
import { renderFragments } from '../packages/server/src/exports/v2/fragments.ts';
import { NdjsonFileWriter, tempPath } from '../packages/server/src/exports/worker/worker.files.ts';
import type { Actor } from '../packages/server/src/orgs/actor.ts';
import type { Database } from '../packages/server/src/store/schema.ts';
import { isPostgresUrl, openStore, type Tx } from '../packages/server/src/store/store.ts';
import { ALL_PARAMS } from '../packages/server/test/support/seed-params.ts';
import { vmHwm } from './support/memory.ts';
import { parseStringifyLoop } from './support/parse-stringify-loop.ts';
import { createPgDatabase } from './support/pg-database.ts';
import type { Ttfb } from './support/ttfb.ts';

const T0 = Date.parse('2024-01-01T00:00:00Z');
const HOT = Date.parse('2024-06-01T12:00:00Z');
const HOT_FILTERS = {
  last_activity_at: [
    new Date(HOT).toISOString().replace('.000Z', 'Z'),
    new Date(HOT).toISOString().replace('.000Z', 'Z'),
  ],
};
const id = (prefix: string, i: number) => `c${prefix}${i.toString(36).padStart(23, '0')}`;
const ORG = id('o', 1);
export const PROJECT = id('p', 1);
const LABELER = id('u', 1);
const REVIEWER = id('u', 2);
const actor: Actor = { orgId: ORG, userId: LABELER, email: 'labeler@example.com', role: 'admin' };

interface Measure {
  ms: number;
  cpuMs: number;
  rows: number;
  bytes: number;
  peakRssKb: number;
}

export async function run(args: string[]): Promise<void> {
  const opt = options(args);
  if (opt.child) return child(opt);
  const dir = mkdtempSync(join(tmpdir(), 'prefer-bench-'));
  const { url, drop } = await freshDatabase(opt.db, dir);
  try {
    const t = performance.now();
    await build(url, opt.rows);
    settle();
    console.error(`built ${opt.rows} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const fullFile = join(dir, 'full.ndjson');
    const full = await inChild([
      '--child',
      'export',
      '--url',
      url,
      '--out',
      fullFile,
      '--page-size',
      String(opt.pageSize),
    ]);
    settle();
    const filtered = await inChild([
      '--child',
      'export',
      '--url',
      url,
      '--out',
      join(dir, 'hot.ndjson'),
      '--page-size',
      String(opt.pageSize),
      '--hot',
    ]);
    settle();
    const loop = await inChild(['--child', 'loop', '--in', fullFile, '--out', join(dir, 'loop.ndjson')]);
    settle();
    // Imported here: the server it starts has no business in the measuring children's memory.
    const { measureTtfb } = await import('./support/ttfb.ts');
    const ttfb = await measureTtfb(url, actor, PROJECT, { params: ALL_PARAMS });
    const ttfbHot = await measureTtfb(url, actor, PROJECT, { params: ALL_PARAMS, filters: HOT_FILTERS });
    report(opt.rows, url, { full, filtered, loop, ttfb, ttfbHot });
  } finally {
    if (opt.keep) console.error(`kept ${dir} (${url})`);
    else {
      await drop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

function report(
  n: number,
  url: string,
  m: { full: Measure; filtered: Measure; loop: Measure; ttfb: Ttfb; ttfbHot: Ttfb },
) {
  const mb = (b: number) => b / 1024 / 1024;
  const cells = (x: Measure, ttfb: string) => [
    String(x.rows),
    (x.ms / 1000).toFixed(2),
    (x.cpuMs / 1000).toFixed(2),
    String(Math.round(x.rows / (x.ms / 1000))),
    (mb(x.bytes) / (x.ms / 1000)).toFixed(1),
    (x.peakRssKb / 1024).toFixed(0),
    ttfb,
  ];
  const rows: string[][] = [
    ['scenario', 'rows', 'time s', 'CPU s', 'rows/s', 'MB/s', 'peak RSS MB', 'TTFB'],
    ['full export, every param', ...cells(m.full, `${m.ttfb.firstByteMs.toFixed(0)} ms`)],
    ['last_activity_at 1%', ...cells(m.filtered, `${m.ttfbHot.firstByteMs.toFixed(0)} ms`)],
    ['parse+stringify loop', ...cells(m.loop, '-')],
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const fmt = (r: string[]) =>
    `| ${r.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join(' | ')} |`;
  const backend = isPostgresUrl(url) ? 'PostgreSQL' : 'SQLite';
  console.log(`\nexport benchmark: ${n} rows on ${backend}, output ${mb(m.full.bytes).toFixed(0)} MB`);
  console.log(fmt(rows[0]!));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows.slice(1)) console.log(fmt(r));
  const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(2)}%`;
  // PostgreSQL's target is the issue 13 one (<= 0.75x at 1,000,000 rows); SQLite's <= 0.5x.
  const maxRatio = isPostgresUrl(url) ? 0.75 : 0.5;
  const ratio = m.full.ms / m.loop.ms;
  const rssMb = m.full.peakRssKb / 1024;
  const targets: [string, string, boolean][] = [
    [
      `full / loop <= ${maxRatio}`,
      `${ratio.toFixed(2)} (CPU ${(m.full.cpuMs / m.loop.cpuMs).toFixed(2)})`,
      ratio <= maxRatio,
    ],
    [
      '1% filter / full < 5%',
      `${pct(m.filtered.ms, m.full.ms)} (CPU ${pct(m.filtered.cpuMs, m.full.cpuMs)})`,
      m.filtered.ms / m.full.ms < 0.05,
    ],
    ['peak RSS of the full export < 200 MB', `${rssMb.toFixed(0)} MB`, rssMb < 200],
    [
      'first byte over HTTP (POST /exports/stream, every param) < 200 ms',
      `${m.ttfb.firstByteMs.toFixed(0)} ms (whole stream ${(m.ttfb.totalMs / 1000).toFixed(2)} s, ${mb(m.ttfb.bytes).toFixed(0)} MB)`,
      m.ttfb.firstByteMs < 200,
    ],
  ];
  console.log('\n| target | measured | result |\n| --- | --- | --- |');
  for (const [target, measured, ok] of targets)
    console.log(`| ${target} | ${measured} | ${ok ? 'PASS' : 'FAIL'} |`);
}

/**
 * Writes back every dirty page of the machine before a measurement, so none pays for the disk
 * work of the one before (the build leaves gigabytes for the kernel to write back).
 */
export function settle(): void {
  spawnSync('sync');
}

// ---------------------------------------------------------------------------------------------
// Child processes: one measurement each, answering JSON on stdout.

async function inChild(args: string[]): Promise<Measure> {
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  const proc = spawn(process.execPath, [...process.execArgv, main, 'export', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  proc.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  const [code] = await once(proc, 'exit');
  if (code !== 0) throw new Error(`bench child ${args[1]} exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop()!) as Measure;
}

/** CPU time (user + system) since `from`: steadier than wall time on a shared machine. */
function cpuMsSince(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

function peakRssKb(): number {
  return Math.round((vmHwm() ?? process.memoryUsage().rss) / 1024);
}

async function child(opt: Options): Promise<void> {
  if (opt.child === 'loop') {
    const t = performance.now();
    const cpu = process.cpuUsage();
    const rows = await parseStringifyLoop(opt.in!, opt.out!);
    const ms = performance.now() - t;
    const cpuMs = cpuMsSince(cpu);
    console.log(JSON.stringify({ ms, cpuMs, rows, bytes: statSync(opt.out!).size, peakRssKb: peakRssKb() }));
    return;
  }
  const store = await openStore(opt.url!, { migrate: false });
  const request = parseExportRequest({
    params: ALL_PARAMS,
    filters: opt.hot ? HOT_FILTERS : {},
  });
  // The export task's own file writer: line index, SHA-256 and fsync included.
  const writer = await NdjsonFileWriter.create(opt.out!);
  const t = performance.now();
  const cpu = process.cpuUsage();
  const result = await runExportV2(
    store,
    actor,
    PROJECT,
    request,
    {
      result: (chunk, lines) => writer.write(chunk, lines),
      errors: (chunk) => void process.stderr.write(chunk),
    },
    { pageSize: opt.pageSize },
  );
  await writer.finish();
  const ms = performance.now() - t;
  renameSync(tempPath(opt.out!), opt.out!);
  await store.close();
  if (result.errors > 0) console.error(`${result.errors} rows went to the errors stream`);
  const cpuMs = cpuMsSince(cpu);
  console.log(
    JSON.stringify({ ms, cpuMs, rows: result.rows, bytes: statSync(opt.out!).size, peakRssKb: peakRssKb() }),
  );
}

// ---------------------------------------------------------------------------------------------
// The data set

export async function freshDatabase(
  db: string | undefined,
  dir: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!db || !isPostgresUrl(db)) return { url: db ?? join(dir, 'bench.db'), drop: async () => {} };
  return createPgDatabase(db, `prefer_bench_${randomBytes(4).toString('hex')}`);
}

const WORDS =
  'the a laptop battery screen weight price budget travel student gaming light fast quiet warranty ports keyboard'.split(
    ' ',
  );
function text(seed: number, length: number): string {
  let s = '';
  let x = seed;
  while (s.length < length) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    s += `${WORDS[x % WORDS.length]} `;
  }
  return s.slice(0, length);
}

function conversation(i: number): string {
  const messages = [0, 1, 2, 3].map((m) => ({
    messageId: `message-${m}`,
    timestampUsec: 1700000000000000 + m,
    content: text(i * 4 + m, 300),
    user: { userId: m % 2 ? 'assistant' : 'user', name: m % 2 ? 'Assistant' : 'User' },
    align: m % 2 ? 'left' : 'right',
    canLabel: m % 2 === 1,
  }));
  return JSON.stringify({
    type: 'application/vnd.labelbox.conversational',
    version: 1,
    messages,
    modelOutputs: [
      { title: 'Response A', content: text(i + 7, 300), modelConfigName: 'model-a' },
      { title: 'Response B', content: text(i + 11, 300), modelConfigName: 'model-b' },
    ],
  });
}

const FS = {
  radio: id('s', 1),
  a: id('s', 2),
  b: id('s', 3),
  tie: id('s', 4),
  text: id('s', 5),
  check: id('s', 6),
};
const OPTIONS = [id('s', 7), id('s', 8), id('s', 9)];
const ONTOLOGY = {
  tools: [],
  classifications: [
    {
      type: 'radio',
      name: 'Choose the best response',
      featureSchemaId: FS.radio,
      options: [
        { value: 'Response A', featureSchemaId: FS.a, options: [] },
        { value: 'Response B', featureSchemaId: FS.b, options: [] },
        { value: 'Tie', featureSchemaId: FS.tie, options: [] },
      ],
    },
    { type: 'text', name: 'Provide a reason for your choice', featureSchemaId: FS.text, options: [] },
    {
      type: 'checklist',
      name: 'Evaluations done',
      featureSchemaId: FS.check,
      options: ['Relevance', 'Usefulness', 'Toxicity'].map((value, k) => ({
        value,
        featureSchemaId: OPTIONS[k],
        options: [],
      })),
    },
  ],
};

function annotations(i: number): string {
  const f = (k: number) => id('f', i * 8 + k);
  return JSON.stringify({
    objects: [],
    classifications: [
      {
        feature_id: f(0),
        feature_schema_id: FS.radio,
        name: 'Choose the best response',
        radio_answer: {
          feature_id: f(1),
          feature_schema_id: i % 2 ? FS.a : FS.b,
          name: i % 2 ? 'Response A' : 'Response B',
          classifications: [],
        },
      },
      {
        feature_id: f(2),
        feature_schema_id: FS.text,
        name: 'Provide a reason for your choice',
        text_answer: { content: text(i + 3, 80) },
      },
      {
        feature_id: f(3),
        feature_schema_id: FS.check,
        name: 'Evaluations done',
        checklist_answers: [
          { feature_id: f(4), name: 'Relevance', classifications: [] },
          { feature_id: f(5), name: 'Usefulness', classifications: [] },
        ],
      },
    ],
    relationships: [],
  });
}

export async function build(url: string, n: number): Promise<void> {
  const store = await openStore(url);
  const dataset = id('d', 1);
  const ontology = id('n', 1);
  const batch = '00000000-0000-4000-8000-000000000001';
  const tasks = ['Initial labeling task', 'Initial review task', 'Rework', 'Done'].map((name, k) => ({
    id: `00000000-0000-4000-8000-00000000010${k}`,
    name,
  }));
  const schema = id('m', 1);
  await store.write(async (tx) => {
    await tx.insertInto('organizations').values({ id: ORG, name: 'bench', created_at: T0 }).execute();
    await tx
      .insertInto('users')
      .values([
        {
          id: LABELER,
          org_id: ORG,
          email: 'labeler@example.com',
          email_lower: 'labeler@example.com',
          name: 'L',
          created_at: T0,
          // The bench's actor exports over HTTP too: an org admin may read every project.
          role: 'admin',
        },
        {
          id: REVIEWER,
          org_id: ORG,
          email: 'reviewer@example.com',
          email_lower: 'reviewer@example.com',
          name: 'R',
          created_at: T0,
          role: 'member',
        },
      ])
      .execute();
    await tx
      .insertInto('datasets')
      .values({
        id: dataset,
        org_id: ORG,
        name: 'bench',
        description: null,
        created_at: T0,
        updated_at: T0,
        created_by: LABELER,
      })
      .execute();
    await tx
      .insertInto('ontologies')
      .values({
        id: ontology,
        org_id: ORG,
        name: 'pref',
        normalized: JSON.stringify(ONTOLOGY),
        created_at: T0,
        updated_at: T0,
      })
      .execute();
    await tx
      .insertInto('projects')
      .values({
        id: PROJECT,
        org_id: ORG,
        name: 'bench project',
        description: null,
        ontology_id: ontology,
        media_type: 'CONVERSATIONAL',
        consensus_expected_label_count: 1,
        created_at: T0,
        updated_at: T0,
        created_by: LABELER,
      })
      .execute();
    await tx
      .insertInto('workflow_tasks')
      .values(
        tasks.map((t, k) => ({
          id: t.id,
          project_id: PROJECT,
          name: t.name,
          kind: (['LABEL', 'REVIEW', 'REWORK', 'DONE'] as const)[k]!,
          position: k,
        })),
      )
      .execute();
    await tx
      .insertInto('batches')
      .values({
        id: batch,
        org_id: ORG,
        project_id: PROJECT,
        name: 'batch',
        priority: 3,
        consensus_label_count: null,
        created_at: T0,
        created_by: LABELER,
      })
      .execute();
    await tx
      .insertInto('metadata_schemas')
      .values({ id: schema, org_id: ORG, name: 'split', kind: 'string', options: null })
      .execute();
  });

  const CHUNK = 10_000;
  for (let lo = 0; lo < n; lo += CHUNK) {
    const hi = Math.min(n, lo + CHUNK);
    await store.write(async (tx) => {
      const rows: number[] = [];
      for (let i = lo; i < hi; i++) rows.push(i);
      const at = (i: number) => T0 + i * 1000;
      // 1% of rows (every 100th) have a distinct activity time: the filtered export's target.
      const activity = (i: number) => (i % 100 === 42 ? HOT : at(i) + 60_000);
      await insert(tx, 'data_rows', rows, (i) => ({
        id: id('r', i),
        org_id: ORG,
        dataset_id: dataset,
        global_key: `key-${i}`,
        global_key_lower: `key-${i}`,
        external_id: null,
        row_data: conversation(i),
        media_type: 'CONVERSATIONAL',
        mime_type: 'application/vnd.labelbox.conversational',
        labelable_ids: '["message-1","message-3"]',
        message_count: 4,
        created_at: at(i),
        updated_at: at(i),
        last_activity_at: activity(i),
        created_by: LABELER,
      }));
      await insert(tx, 'project_data_rows', rows, (i) => ({
        project_id: PROJECT,
        data_row_id: id('r', i),
        org_id: ORG,
        batch_id: batch,
        task_id: tasks[3]!.id,
        workflow_status: 'DONE' as const,
        priority: 3,
        added_at: at(i),
        updated_at: at(i),
        lease_user_id: null,
        lease_expires_at: null,
      }));
      await insert(tx, 'labels', rows, (i) => ({
        id: id('l', i),
        org_id: ORG,
        project_id: PROJECT,
        data_row_id: id('r', i),
        created_by: LABELER,
        created_at: at(i) + 10_000,
        updated_at: at(i) + 10_000,
        content_last_updated_at: at(i) + 10_000,
        label_kind: 'Default',
        version: '1.0.0',
        annotations: annotations(i),
        seconds_to_create: 31.5,
        seconds_to_review: 4,
        skipped: 0,
        consensus_score: null,
      }));
      await insert(tx, 'reviews', rows, (i) => ({
        id: id('v', i),
        org_id: ORG,
        project_id: PROJECT,
        label_id: id('l', i),
        data_row_id: id('r', i),
        score: 1,
        reason: null,
        created_at: at(i) + 20_000,
        created_by: REVIEWER,
      }));
      const history = rows.flatMap((i) => [i * 2, i * 2 + 1]);
      await insert(tx, 'workflow_history', history, (h) => {
        const i = Math.floor(h / 2);
        const first = h % 2 === 0;
        return {
          id: id('h', h),
          project_id: PROJECT,
          data_row_id: id('r', i),
          action: first ? 'Move' : 'Approve',
          created_at: at(i) + (first ? 0 : 20_000),
          created_by: first ? LABELER : REVIEWER,
          previous_task_id: first ? null : tasks[1]!.id,
          previous_task_name: first ? null : tasks[1]!.name,
          next_task_id: first ? tasks[0]!.id : tasks[3]!.id,
          next_task_name: first ? tasks[0]!.name : tasks[3]!.name,
        };
      });
      await insert(tx, 'metadata_values', rows, (i) => ({
        data_row_id: id('r', i),
        schema_id: schema,
        value: i % 10 === 0 ? 'test' : 'train',
        position: 0,
      }));
      await insert(tx, 'attachments', rows, (i) => ({
        id: id('a', i),
        data_row_id: id('r', i),
        type: 'RAW_TEXT',
        value: text(i + 5, 60),
        name: 'context',
        position: 0,
      }));
      // What every writer does last in its transaction: the rows' export text, ready to splice.
      await renderFragments(
        tx,
        PROJECT,
        rows.map((i) => id('r', i)),
      );
    });
    if (process.stderr.isTTY) process.stderr.write(`\rbuilding ${hi}/${n}`);
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  // PostgreSQL plans from statistics; after a bulk load they are stale until autovacuum runs. The
  // imports vacuum what they wrote (rendering the fragments left a dead tuple per project row, and
  // fresh pages are not yet all-visible): the data set is left as an import leaves it.
  // (SQLite is left without statistics: the export's queries are shaped to plan well without.)
  if (store.backend === 'postgres') await sql`vacuum (analyze)`.execute(store.db);
  await store.close();
}

async function insert<K extends keyof Database>(
  tx: Tx,
  table: K,
  items: number[],
  make: (i: number) => Insertable<Database[K]>,
): Promise<void> {
  for (let k = 0; k < items.length; k += 500) {
    const values = items.slice(k, k + 500).map(make);
    // One generic bulk insert over every table: the row type is checked by `make`.
    await tx
      .insertInto(table)
      .values(values as never)
      .execute();
  }
}

// ---------------------------------------------------------------------------------------------

interface Options {
  rows: number;
  db?: string;
  pageSize: number;
  child?: 'export' | 'loop';
  url?: string;
  out?: string;
  in?: string;
  hot: boolean;
  /** Keep the database and files (and print where) for profiling. */
  keep: boolean;
}

function options(args: string[]): Options {
  const get = (name: string) => {
    const k = args.indexOf(`--${name}`);
    return k === -1 ? undefined : args[k + 1];
  };
  const rows = Number(get('rows') ?? 10_000);
  if (!Number.isInteger(rows) || rows < 100) throw new Error('--rows must be an integer >= 100');
  const db = get('db') ?? process.env.PREFER_BENCH_DB;
  return {
    rows,
    pageSize: Number(get('page-size') ?? 250),
    hot: args.includes('--hot'),
    keep: args.includes('--keep'),
    ...(db ? { db } : {}),
    ...(get('child') ? { child: get('child') as 'export' | 'loop' } : {}),
    ...(get('url') ? { url: get('url')! } : {}),
    ...(get('out') ? { out: get('out')! } : {}),
    ...(get('in') ? { in: get('in')! } : {}),
  };
}
