/**
 * `npm run bench -- api [--rows 100000] [--requests 20000] [--connections 50] [--rate 500]
 *   [--mode both|closed|open] [--db postgres://...] [--pool N] [--cpu-prof DIR]`
 *
 * A bounded load on the labeling workflow over loopback HTTP: a project of N conversations, a
 * real server in its own process (so the load generator does not share its event loop), and
 * autocannon driving C connections, each a labeler of its own with a reviewer beside it, that
 * cycle `POST queue/next` → `POST labels` (unique body and Idempotency-Key) → `POST
 * labels/:id/review` (9 approvals for each rejection). Afterwards the stored labels and reviews
 * must equal the acknowledged submits and reviews (PASS/FAIL).
 * Two runs on the same server (`--mode both`, the default): a closed loop (each connection sends
 * its next request when the last one answered: the throughput) and an open loop at a fixed
 * `--rate` of requests per second over the same connections (`openLoop`: request k is due at
 * k / rate, and a late request counts from when it was due). The closed loop is autocannon's.
 * Targets (issue 13): SQLite closed loop of 50 connections >= 1,500 req/s with 0 errors, open loop
 * at 500 req/s p99 < 50 ms; PostgreSQL closed loop >= 800 req/s, p99 < 150 ms; every acknowledged
 * label stored. The last table lists each with PASS/FAIL.
 * `--pool N`: the server's PostgreSQL request pool (default the server's own, 10 connections).
 * `--cpu-prof DIR`: the server process records a V8 CPU profile of each run (the load only, not
 * its start) into DIR as `server-<backend>-<mode>-<time>.cpuprofile`; `npm run bench --
 * cpu-profile <file> --requests N` sums one by category (routing, auth, zod, kysely, driver, ...).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { Session } from 'node:inspector/promises';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createApiKey } from '../packages/server/src/auth/api-key.service.ts';
import { createBatch } from '../packages/server/src/batches/batch.service.ts';
import { importDataRows } from '../packages/server/src/data-rows/data-row.import.ts';
import { createDataset } from '../packages/server/src/datasets/dataset.service.ts';
import { startServer } from '../packages/server/src/http/server.ts';
import { createOntology } from '../packages/server/src/ontologies/ontology.service.ts';
import { ensureUser, localActor } from '../packages/server/src/orgs/org.service.ts';
import { createProject } from '../packages/server/src/projects/project.service.ts';
import type { ProjectRole } from '../packages/server/src/store/schema.ts';
import { isPostgresUrl, openStore, type Store } from '../packages/server/src/store/store.ts';
import { writeBenchFile } from './support/conversations.ts';
import { createPgDatabase } from './support/pg-database.ts';

const BENCH_DIR = resolve('.bench');
const REVIEWERS = 5;
// Labelers beyond one per connection, so a cycle that never finished does not starve the pool.
const SPARE_LABELERS = 10;
/** The targets; `null`: none set for that backend and run. */
const TARGETS = {
  sqlite: { closed: { rps: 1500, p99Ms: null }, open: { p99Ms: 50 } },
  postgres: { closed: { rps: 800, p99Ms: 150 }, open: { p99Ms: null } },
} as const;

type Mode = 'closed' | 'open';

interface Options {
  rows: number;
  requests: number;
  connections: number;
  /** Requests per second of the open loop. */
  rate: number;
  modes: Mode[];
  db?: string | undefined;
  serve?: string | undefined;
  cpuProf?: string | undefined;
  pool?: number | undefined;
}

function options(args: string[]): Options {
  const get = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const int = (name: string, fallback: number) => {
    const v = Number(get(name) ?? fallback);
    if (!Number.isSafeInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
    return v;
  };
  const db = get('db') ?? process.env.BENCH_DB;
  if (db !== undefined && !isPostgresUrl(db)) throw new Error('--db must be a postgres:// URL');
  const mode = get('mode') ?? 'both';
  if (!['both', 'closed', 'open'].includes(mode)) throw new Error('--mode must be both, closed or open');
  return {
    rows: int('rows', 100_000),
    requests: int('requests', 20_000),
    connections: int('connections', 50),
    rate: int('rate', 500),
    modes: mode === 'both' ? ['closed', 'open'] : [mode as Mode],
    db,
    serve: get('serve'),
    cpuProf: get('cpu-prof'),
    pool: get('pool') === undefined ? undefined : int('pool', 10),
  };
}

export async function run(args: string[]): Promise<void> {
  const opt = options(args);
  if (opt.serve) return serve(opt.serve, opt.cpuProf, opt.pool);
  mkdirSync(BENCH_DIR, { recursive: true });
  const tag = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const pg = opt.db ? await createPgDatabase(opt.db, `prefer_bench_api_${tag}`) : undefined;
  const dbFile = join(BENCH_DIR, `api-${tag}.db`);
  const url = pg?.url ?? dbFile;
  const logFile = join(BENCH_DIR, `api-${tag}.log`);
  let server: ChildProcess | undefined;
  try {
    const seeded = await seed(url, opt);
    server = await startServerProcess(url, logFile, opt.cpuProf, opt.pool);
    const { url: base } = (await once(server, 'message'))[0] as { url: string };
    const loads: RunLoad[] = [];
    for (const mode of opt.modes) {
      server.send({ start: mode });
      await once(server, 'message');
      const load = await runLoad(base, seeded, opt, mode);
      server.send('cpu');
      const { cpuMs } = (await once(server, 'message'))[0] as { cpuMs: number };
      loads.push({ ...load, mode, serverCpuMs: cpuMs });
    }
    server.send('stop');
    await once(server, 'exit');
    server = undefined;
    await report(url, seeded, loads, opt);
  } finally {
    server?.kill();
    rmSync(logFile, { force: true });
    if (pg) await pg.drop();
    else for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbFile}${suffix}`, { force: true });
  }
}

interface Seeded {
  projectId: string;
  labelerKeys: string[];
  reviewerKeys: string[];
}

/** The project: N imported conversations in one batch, C labelers and 5 reviewers with keys. */
async function seed(url: string, opt: Options): Promise<Seeded> {
  const file = join(BENCH_DIR, `import-${opt.rows}.ndjson`);
  process.stderr.write(`seeding ${opt.rows} rows from ${file} ...\n`);
  await writeBenchFile(file, opt.rows);
  const store = await openStore(url);
  try {
    const owner = await localActor(store);
    const dataset = await createDataset(store, owner, { name: 'api bench' });
    const imported = await importDataRows(store, owner, { datasetId: dataset.id, input: file });
    if (!imported.ok) throw new Error(`import failed: ${JSON.stringify(imported.errors.slice(0, 3))}`);
    const ontologyJson = JSON.parse(readFileSync(resolve('examples/ontology.json'), 'utf8'));
    const ontology = await createOntology(store, owner, { name: 'preference', ontology: ontologyJson });
    const project = await createProject(store, owner, { name: 'api bench', ontologyId: ontology.id });
    await createBatch(store, owner, { projectId: project.id, name: 'all', datasetId: dataset.id });
    const people = async (role: ProjectRole, n: number) => {
      const keys: string[] = [];
      for (let i = 0; i < n; i++) keys.push(await member(store, owner, project.id, role, `${role}-${i}`));
      return keys;
    };
    return {
      projectId: project.id,
      labelerKeys: await people('labeler', opt.connections + SPARE_LABELERS),
      reviewerKeys: await people('reviewer', REVIEWERS),
    };
  } finally {
    await store.close();
  }
}

async function member(
  store: Store,
  owner: Awaited<ReturnType<typeof localActor>>,
  projectId: string,
  role: ProjectRole,
  name: string,
): Promise<string> {
  const user = await store.write((tx) => ensureUser(tx, owner.orgId, `${name}@bench.example`));
  await store.db
    .insertInto('project_members')
    .values({ project_id: projectId, user_id: user.id, org_id: owner.orgId, role, created_at: Date.now() })
    .execute();
  const actor = { orgId: owner.orgId, userId: user.id, email: user.email, role: 'member' as const };
  return (await createApiKey(store, actor, { name })).key;
}

/** The server in a child process; its request log goes to a file, as in production. */
function startServerProcess(
  url: string,
  logFile: string,
  cpuProf?: string,
  pool?: number,
): Promise<ChildProcess> {
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  const log = openSync(logFile, 'w');
  const args = [
    'api',
    '--serve',
    url,
    ...(cpuProf ? ['--cpu-prof', resolve(cpuProf)] : []),
    ...(pool ? ['--pool', String(pool)] : []),
  ];
  const child = fork(main, args, { stdio: ['ignore', log, 'inherit', 'ipc'] });
  closeSync(log);
  return Promise.resolve(child);
}

async function serve(url: string, cpuProf: string | undefined, pool: number | undefined): Promise<void> {
  const store = await openStore(url, pool === undefined ? {} : { poolSize: pool });
  const server = await startServer({ store, port: 0, host: '127.0.0.1' });
  process.send?.({ url: server.url });
  let cpu = process.cpuUsage();
  // The profiler runs in this process (inspector session), only while a load runs: the server's
  // start (module loading, tsx) stays out of the profile.
  const profiler = cpuProf ? new Session() : undefined;
  let profiled = '';
  if (profiler) {
    mkdirSync(cpuProf!, { recursive: true });
    profiler.connect();
    await profiler.post('Profiler.enable');
  }
  process.on('message', async (msg) => {
    if (typeof msg === 'object' && msg !== null && 'start' in msg) {
      if (profiler) {
        await profiler.post('Profiler.start');
        profiled = `server-${store.backend}-${String(msg.start)}-${Date.now()}.cpuprofile`;
      }
      cpu = process.cpuUsage();
      process.send?.({ started: true });
    }
    if (msg === 'cpu') {
      const used = process.cpuUsage(cpu);
      if (profiler) {
        const { profile } = await profiler.post('Profiler.stop');
        writeFileSync(join(cpuProf!, profiled), JSON.stringify(profile));
        process.stderr.write(`cpu profile: ${join(cpuProf!, profiled)}\n`);
      }
      process.send?.({ cpuMs: (used.user + used.system) / 1000 });
    }
    if (msg !== 'stop') return;
    await server.close();
    await store.close();
    process.exit(0);
  });
}

/** What a run's report reads: autocannon's result, or the open loop's own (`openLoop`). */
interface Outcome {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number; max: number };
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

interface Load {
  result: Outcome;
  /** From the first request to the last answer. */
  seconds: number;
  /** From the first request until the load generator returned. */
  runSeconds: number;
  ackedSubmits: number;
  ackedReviews: number;
  /** Sent, answered or not (a timed-out request may still have been stored). */
  sentSubmits: number;
  sentReviews: number;
  ackedLabels: Set<string>;
  emptyNexts: number;
  byStatus: Map<string, number>;
  /** CPU of this process (autocannon) during the load. */
  clientCpuMs: number;
  /** The machine's 1-minute load average before and after: the figures' context. */
  loadavg: [number, number];
  /** The first error answer of each kind, to say why. */
  samples: Map<string, string>;
}

type RunLoad = Load & { mode: Mode; serverCpuMs: number };

/** Cycle numbers, unique across the runs on one server: each names its submit's Idempotency-Key. */
let seqs = 0;

/** One cycle's state; autocannon gives each connection a fresh context every round of `requests`. */
interface Cycle {
  labeler?: string;
  reviewer?: string;
  seq?: number;
  rowId?: string | undefined;
  labelId?: string | undefined;
}

async function runLoad(base: string, s: Seeded, opt: Options, mode: Mode): Promise<Load> {
  const project = `/projects/${s.projectId}`;
  let ackedSubmits = 0;
  let ackedReviews = 0;
  let sentSubmits = 0;
  let sentReviews = 0;
  const ackedLabels = new Set<string>();
  let emptyNexts = 0;
  const byStatus = new Map<string, number>();
  const samples = new Map<string, string>();
  let lastAnswer: number | undefined;
  const count = (what: string, status: number, body?: string) => {
    lastAnswer = performance.now();
    const k = `${what} ${status}`;
    byStatus.set(k, (byStatus.get(k) ?? 0) + 1);
    if (status >= 400 && body !== undefined && !samples.has(k)) samples.set(k, body.slice(0, 300));
  };
  // A labeler works one cycle at a time: checked out when a cycle starts, back when it ends, so
  // two connections never act as the same labeler (which would share one lease).
  const free = [...s.labelerKeys];
  const who = (ctx: Cycle) => {
    if (ctx.labeler === undefined) {
      ctx.seq = seqs++;
      ctx.labeler = free.pop() ?? s.labelerKeys[ctx.seq % s.labelerKeys.length]!;
      ctx.reviewer = s.reviewerKeys[ctx.seq % s.reviewerKeys.length];
    }
    return ctx;
  };
  const json = (key: string, extra: Record<string, string> = {}) => ({
    authorization: `Bearer ${key}`,
    'content-type': 'application/json',
    ...extra,
  });
  const next = (ctx: Cycle) => ({
    method: 'POST' as const,
    path: `/api/v1${project}/queue/next`,
    headers: json(ctx.labeler!),
    body: '{}',
  });
  const requests: autocannon.Request[] = [
    {
      setupRequest: (req, context) => ({ ...req, ...next(who(context as Cycle)) }),
      onResponse: (status, body, context) => {
        const ctx = context as Cycle;
        count('next', status, body);
        if (status === 204) emptyNexts++;
        ctx.rowId =
          status === 200 ? (JSON.parse(body) as { data_row: { id: string } }).data_row.id : undefined;
      },
    },
    {
      setupRequest: (req, context) => {
        const ctx = who(context as Cycle);
        if (!ctx.rowId) return { ...req, ...next(ctx) };
        const seq = ctx.seq!;
        sentSubmits++;
        const choice = ['Response A', 'Response B', 'Tie'][seq % 3];
        return {
          ...req,
          method: 'POST',
          path: `/api/v1${project}/labels`,
          headers: json(ctx.labeler!, { 'idempotency-key': `bench-${seq}` }),
          body: JSON.stringify({
            data_row_id: ctx.rowId,
            classifications: [
              { name: 'Choose the best response', answer: { name: choice } },
              { name: 'Provide a reason for your choice', answer: `bench label ${seq}` },
              { name: 'Evaluations done', answers: [{ name: 'Relevance' }] },
            ],
            seconds_to_create: 5 + (seq % 50),
          }),
        };
      },
      onResponse: (status, body, context) => {
        const ctx = context as Cycle;
        const wasSubmit = ctx.rowId !== undefined;
        count(wasSubmit ? 'submit' : 'next', status, body);
        ctx.labelId = undefined;
        if (wasSubmit && status === 201) {
          ackedSubmits++;
          ctx.labelId = (JSON.parse(body) as { label_id: string }).label_id;
          ackedLabels.add(ctx.labelId);
        }
        ctx.rowId = undefined;
      },
    },
    {
      setupRequest: (req, context) => {
        const ctx = who(context as Cycle);
        if (!ctx.labelId) return { ...req, ...next(ctx) };
        const reject = ctx.seq! % 10 === 0;
        sentReviews++;
        return {
          ...req,
          method: 'POST',
          path: `/api/v1${project}/labels/${ctx.labelId}/review`,
          headers: json(ctx.reviewer!),
          body: JSON.stringify(
            reject
              ? { decision: 'reject', reason: `bench rejection ${ctx.seq}`, seconds_to_review: 3 }
              : { decision: 'approve', seconds_to_review: 2 },
          ),
        };
      },
      onResponse: (status, body, context) => {
        const ctx = context as Cycle;
        count(ctx.labelId ? 'review' : 'next', status, body);
        if (ctx.labelId && status === 201) ackedReviews++;
        ctx.labelId = undefined;
        free.push(ctx.labeler!);
      },
    },
  ];
  const rate = mode === 'open' ? ` at ${opt.rate} req/s` : '';
  process.stderr.write(
    `${mode} loop: ${opt.requests} requests over ${opt.connections} connections${rate} on ${base} ...\n`,
  );
  const loadBefore = loadavg()[0]!;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result: Outcome =
    mode === 'open'
      ? await openLoop(base, requests, opt)
      : await autocannon({
          url: base,
          connections: opt.connections,
          amount: opt.requests,
          timeout: 10,
          requests,
        });
  const cpu = process.cpuUsage(cpu0);
  const end = performance.now();
  return {
    result,
    // To the last answer: autocannon notices that it has sent `amount` requests on its next
    // one-second tick only, which put up to a second more into the run and rounded the figure
    // to 20,000 / whole seconds (666, 740, 769, 800, 833 req/s).
    seconds: ((lastAnswer ?? end) - t0) / 1000,
    runSeconds: (end - t0) / 1000,
    clientCpuMs: (cpu.user + cpu.system) / 1000,
    loadavg: [loadBefore, loadavg()[0]!],
    ackedSubmits,
    ackedReviews,
    sentSubmits,
    sentReviews,
    ackedLabels,
    emptyNexts,
    byStatus,
    samples,
  };
}

/**
 * The open loop: request k is due at start + k / rate, whatever the answers before it, and its
 * latency counts from when it was due (a request that waited for a free connection counts that
 * wait: no coordinated omission). Each of the C connections is a lane working its cycle's steps
 * (`requests`, autocannon's hooks) in order; a due request goes to the first free lane, or waits
 * for one. autocannon's `overallRate` was no open loop: each connection sends its share of a
 * second back to back as fast as answers come and then pauses until the next second, so every
 * second began with a burst of 50 connections in a closed loop.
 */
async function openLoop(base: string, requests: autocannon.Request[], opt: Options): Promise<Outcome> {
  const { hostname, port } = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opt.connections });
  const interval = 1000 / opt.rate;
  const latencies: number[] = [];
  const out = { ok: 0, non2xx: 0, errors: 0, timeouts: 0 };
  type Lane = { context: Record<string, unknown>; step: number };
  const idle: Lane[] = Array.from({ length: opt.connections }, () => ({ context: {}, step: 0 }));
  const waiting: number[] = [];
  const t0 = performance.now();
  let issued = 0;
  let settled = 0;
  await new Promise<void>((resolve) => {
    const release = (lane: Lane) => {
      settled++;
      if (settled === opt.requests) resolve();
      const due = waiting.shift();
      if (due === undefined) idle.push(lane);
      else send(lane, due);
    };
    const send = (lane: Lane, due: number) => {
      const hooks = requests[lane.step]!;
      const setup = hooks.setupRequest as (req: object, context: object) => autocannon.Request;
      const answered = hooks.onResponse as (status: number, body: string, context: object) => void;
      const spec = setup({}, lane.context);
      let timedOut = false;
      const body = String(spec.body ?? '');
      const req = http.request(
        {
          agent,
          host: hostname,
          port,
          method: spec.method,
          path: spec.path,
          headers: { ...spec.headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            latencies.push(performance.now() - due);
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) out.ok++;
            else out.non2xx++;
            answered(status, Buffer.concat(chunks).toString('utf8'), lane.context);
            lane.step = (lane.step + 1) % requests.length;
            // A new cycle starts with a new context, as autocannon's does.
            if (lane.step === 0) lane.context = {};
            release(lane);
          });
        },
      );
      req.setTimeout(10_000, () => {
        timedOut = true;
        out.timeouts++;
        req.destroy(new Error('timeout'));
      });
      req.on('error', () => {
        if (!timedOut) out.errors++;
        // The cycle is abandoned: the lane starts a new one with a labeler of its own.
        lane.context = {};
        lane.step = 0;
        release(lane);
      });
      req.end(body);
    };
    const tick = () => {
      const now = performance.now();
      while (issued < opt.requests && t0 + issued * interval <= now) {
        const due = t0 + issued * interval;
        issued++;
        const lane = idle.shift();
        if (lane) send(lane, due);
        else waiting.push(due);
      }
      if (issued < opt.requests) setTimeout(tick, Math.max(0, t0 + issued * interval - performance.now()));
    };
    tick();
  });
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  const seconds = (performance.now() - t0) / 1000;
  return {
    requests: { total: settled, average: settled / seconds },
    latency: { p50: at(0.5), p99: at(0.99), max: Math.round(latencies.at(-1) ?? 0) },
    '2xx': out.ok,
    non2xx: out.non2xx,
    errors: out.errors,
    timeouts: out.timeouts,
  };
}

async function report(url: string, s: Seeded, loads: RunLoad[], opt: Options): Promise<void> {
  const store = await openStore(url);
  let labels: number;
  let reviews: number;
  let duplicates: number;
  let ackedStored = 0;
  const acked = loads.flatMap((l) => [...l.ackedLabels]);
  const sum = (f: (l: RunLoad) => number) => loads.reduce((n, l) => n + f(l), 0);
  const ackedSubmits = sum((l) => l.ackedSubmits);
  const ackedReviews = sum((l) => l.ackedReviews);
  const sentSubmits = sum((l) => l.sentSubmits);
  const sentReviews = sum((l) => l.sentReviews);
  try {
    const count = async (table: 'labels' | 'reviews') =>
      Number(
        (
          await store.db
            .selectFrom(table)
            .where('project_id', '=', s.projectId)
            .select((e) => e.fn.countAll<number | string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    labels = await count('labels');
    reviews = await count('reviews');
    const twice = await store.db
      .selectFrom('labels')
      .where('project_id', '=', s.projectId)
      .select(['data_row_id', 'created_by'])
      .groupBy(['data_row_id', 'created_by'])
      .having((e) => e.fn.countAll(), '>', 1)
      .execute();
    duplicates = twice.length;
    for (let i = 0; i < acked.length; i += 500) {
      const found = await store.db
        .selectFrom('labels')
        .where('id', 'in', acked.slice(i, i + 500))
        .select((e) => e.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      ackedStored += Number(found.n);
    }
  } finally {
    await store.close();
  }
  const backend = opt.db ? 'postgres' : 'sqlite';
  for (const load of loads) {
    const r = load.result;
    const how = load.mode === 'open' ? `open loop at ${opt.rate} req/s` : 'closed loop';
    console.log(
      `\napi benchmark (${backend}, ${how}): ${opt.rows} rows, ${opt.connections} connections (${s.labelerKeys.length} labelers, ${REVIEWERS} reviewers), ${r.requests.total} requests\n`,
    );
    const rows: [string, string][] = [
      [
        'throughput',
        `${(r.requests.total / load.seconds).toFixed(0)} req/s (${load.seconds.toFixed(2)} s to the last answer, ${load.runSeconds.toFixed(2)} s until the load generator returned; client mean ${r.requests.average.toFixed(0)})`,
      ],
      [
        'server CPU',
        `${(load.serverCpuMs / r.requests.total).toFixed(2)} ms per request (${(load.serverCpuMs / 1000 / load.seconds).toFixed(2)} cores busy)`,
      ],
      [
        'load generator CPU',
        `${(load.clientCpuMs / r.requests.total).toFixed(2)} ms per request (${(load.clientCpuMs / 1000 / load.seconds).toFixed(2)} cores busy)`,
      ],
      [
        'machine load avg',
        `${load.loadavg[0].toFixed(1)} before, ${load.loadavg[1].toFixed(1)} after (${cpus().length} cores)`,
      ],
      ['latency p50', `${r.latency.p50} ms`],
      ['latency p99', `${r.latency.p99} ms (max ${r.latency.max} ms)`],
      ['2xx', String(r['2xx'])],
      ['non-2xx', String(r.non2xx)],
      ['errors', String(r.errors)],
      ['timeouts', String(r.timeouts)],
      ['by request', [...load.byStatus].map(([k, v]) => `${k}: ${v}`).join(', ')],
      ['empty queue (204)', String(load.emptyNexts)],
    ];
    for (const [k, v] of rows) console.log(`${k.padEnd(20)}${v}`);
    for (const [k, v] of load.samples) console.log(`${'  first '.padEnd(20)}${k}: ${v}`);
  }
  // Every acknowledged write is stored, nothing twice; a request that timed out may or may not
  // have been stored (its answer was lost), so beyond the acknowledged ones only those count.
  const labelsOk =
    ackedStored === ackedSubmits && duplicates === 0 && labels >= ackedSubmits && labels <= sentSubmits;
  const reviewsOk = reviews >= ackedReviews && reviews <= sentReviews;
  const exact = labels === ackedSubmits && reviews === ackedReviews;
  console.log(
    `\nstored labels ${labels} (acknowledged ${ackedSubmits}, all of them stored: ${ackedStored}; sent ${sentSubmits}), no labeler twice on a row (${duplicates}): ${labelsOk ? 'PASS' : 'FAIL'}`,
  );
  console.log(
    `stored reviews ${reviews} (acknowledged ${ackedReviews}; sent ${sentReviews}): ${reviewsOk ? 'PASS' : 'FAIL'}`,
  );
  console.log(
    `stored = acknowledged exactly: ${exact ? 'yes' : 'no: requests timed out, their writes may have landed'}`,
  );

  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  const table: string[][] = [];
  for (const load of loads) {
    const r = load.result;
    const rps = r.requests.total / load.seconds;
    const failures = r.errors + r.timeouts + r.non2xx;
    const name =
      load.mode === 'open' ? `open loop, ${opt.rate} req/s` : `closed loop, ${opt.connections} connections`;
    const target = TARGETS[backend][load.mode];
    if ('rps' in target)
      table.push([name, `>= ${target.rps} req/s`, `${rps.toFixed(0)} req/s`, verdict(rps >= target.rps)]);
    table.push([name, '0 errors, timeouts, non-2xx', String(failures), verdict(failures === 0)]);
    table.push([
      name,
      target.p99Ms === null ? 'p99 (no target)' : `p99 < ${target.p99Ms} ms`,
      `${r.latency.p99} ms`,
      target.p99Ms === null ? '-' : verdict(r.latency.p99 < target.p99Ms),
    ]);
  }
  table.push([
    'all runs',
    'every acknowledged label stored, none twice',
    `${ackedStored} of ${ackedSubmits}`,
    verdict(labelsOk),
  ]);
  table.push(['all runs', 'stored reviews within acknowledged..sent', String(reviews), verdict(reviewsOk)]);
  console.log(`\n| ${backend} run | target | measured | result |\n| --- | --- | --- | --- |`);
  for (const row of table) console.log(`| ${row.join(' | ')} |`);
  if (!labelsOk || !reviewsOk) process.exitCode = 1;
}
