/**
 * Analytics as a background task (`POST /projects/:projectId/stats`, type `training-stats`): run
 * by the real export worker in the same process as the real HTTP server, on both backends. The
 * report equals the GET answer and `computeStats` over the same rows with the same seed; bad
 * bodies are refused at the POST and start nothing; what only the rows can tell fails the task
 * with the clear message; roles and organizations are kept apart; the GET refuses above its row
 * limit; and the server keeps answering while a task's bootstrap runs.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FIXTURE_ROWS } from '../../training/test/fixtures/build-export.ts';
import { exportRow, label, ndjson, type RowSpec } from '../../training/test/support/export-rows.ts';
import { createApiKey } from '../src/auth/api-key.service.ts';
import { exportRunner } from '../src/exports/worker/worker.runners.ts';
import { type ExportWorker, startExportWorker } from '../src/exports/worker/worker.ts';
import { createApp } from '../src/http/app.ts';
import { type RunningServer, startServer } from '../src/http/server.ts';
import { importLabelboxExport } from '../src/labelbox-import/labelbox-export.import.ts';
import type { Actor } from '../src/orgs/actor.ts';
import { loadTraining, withProjectTrainingSource } from '../src/training/training-source.ts';
import { roleMember } from './security-world.ts';
import { describeBackends } from './support/backends.ts';
import { seedActor } from './support/seed-rows.ts';

const cuid = (s: string) =>
  `c${BigInt(`0x${createHash('sha256').update(s).digest('hex')}`)
    .toString(36)
    .slice(0, 24)
    .padStart(24, '0')}`;
const IDS = new Set(['id', 'feature_id', 'feature_schema_id', 'task_id', 'ontology_id']);
/** The fixture's batch id, made one of each project's own (ids are unique across projects). */
const uuidOf = (s: string) =>
  createHash('sha256')
    .update(s)
    .digest('hex')
    .slice(0, 32)
    .replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
const exportOf = (project: string, rows: RowSpec[]) =>
  ndjson(
    rows.map((spec) =>
      JSON.parse(
        JSON.stringify(exportRow({ ...spec, project }), (k, v) =>
          typeof v !== 'string'
            ? v
            : IDS.has(k)
              ? cuid(`${project}:${v}`)
              : k === 'batch_id'
                ? uuidOf(`${project}:${v}`)
                : v,
        ),
      ),
    ),
  );

const PROJECT = cuid('stats-project');
/** A project large enough that 2,000 resamples take many slices of the event loop. */
const BIG = cuid('stats-big-project');
const BIG_ROWS = 600;
const bigRows = (): RowSpec[] =>
  Array.from({ length: BIG_ROWS }, (_, i) => ({
    id: `big-${i}`,
    labels: [
      label(i % 3 ? 'Response A' : 'Response B', { by: 'ann1@example.com', seconds: 20 }),
      label(i % 5 ? 'Response A' : 'Tie', { by: 'ann2@example.com', seconds: 30 }),
      label(i % 7 ? 'Response B' : 'Response A', { by: 'ann3@example.com', seconds: 25 }),
    ],
  }));

interface Json {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers are JSON, checked key by key by the tests
  body: any;
  text: string;
  headers: Headers;
}

describeBackends('analytics as a background task', (ctx) => {
  let server: RunningServer;
  let worker: ExportWorker;
  let owner: Actor;
  let key: string;
  let strangerKey: string;
  let labelerKey: string;
  let reviewerKey: string;

  const api = async (path: string, init: { method?: string; body?: unknown; key?: string } = {}) => {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${init.key ?? key}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: res.status, body, text, headers: res.headers } as Json;
  };
  const done = async (id: string) => {
    for (;;) {
      const task = await api(`/export-tasks/${id}`);
      expect(task.status).toBe(200);
      if (task.body.status !== 'IN_PROGRESS') return task.body;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const taskCount = async () => (await ctx.store.db.selectFrom('export_tasks').select('id').execute()).length;

  beforeAll(async () => {
    owner = await seedActor(ctx.store);
    const stranger = await seedActor(ctx.store);
    for (const [project, rows] of [
      [PROJECT, FIXTURE_ROWS],
      [BIG, bigRows()],
    ] as const) {
      const imported = await importLabelboxExport(ctx.store, owner, {
        input: Readable.from([exportOf(project, rows)]),
      });
      expect(imported.ok, JSON.stringify(imported).slice(0, 2000)).toBe(true);
    }
    key = (await createApiKey(ctx.store, owner, { name: 'owner' })).key;
    strangerKey = (await createApiKey(ctx.store, stranger, { name: 'stranger' })).key;
    labelerKey = (await roleMember(ctx.store, owner, 'labeler', PROJECT)).key;
    reviewerKey = (await roleMember(ctx.store, owner, 'reviewer', PROJECT)).key;
    worker = startExportWorker(ctx.store, {
      dataDir: join(ctx.dir, 'server-data'),
      runner: exportRunner,
      pollMs: 20,
      progressMs: 0,
      log: () => {},
    });
    server = await startServer({ store: ctx.store, port: 0, host: '127.0.0.1', logError: () => {} });
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await worker?.stop();
  });

  it('the task report equals the GET answer and computeStats over the same rows, same seed', async () => {
    const options = { seed: 7, bootstrap: 50, min_comparisons: 1, anchor: 'model-b' };
    const started = await api(`/projects/${PROJECT}/stats`, { method: 'POST', body: options });
    expect(started.status).toBe(202);
    expect(started.body.status).toBe('IN_PROGRESS');
    const task = await done(started.body.id);
    expect([task.status, task.type, task.completion_percentage, task.result.total_lines]).toEqual([
      'COMPLETE',
      'training-stats',
      100,
      1,
    ]);
    expect(task.name).toMatch(/^Analytics: /);
    const result = await api(`/export-tasks/${task.id}/result`);
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(result.headers.get('content-disposition')).toContain(`stats-${task.id}-result.json`);
    const report = result.body;
    expect(report.seed).toBe(7);
    expect(report.models.find((m: { model: string }) => m.model === 'model-b').rating).toBe(1000);
    expect(report.comparisons).toBeGreaterThan(0);

    const query = 'seed=7&bootstrap=50&min_comparisons=1&anchor=model-b';
    const sync = await api(`/projects/${PROJECT}/stats?${query}`);
    expect(sync.status).toBe(200);
    expect(report).toEqual(sync.body);

    const training = await loadTraining();
    const direct = await withProjectTrainingSource(ctx.store, owner, PROJECT, {}, (src) =>
      training.computeStats(src.rows(), src.mapping, {
        seed: 7,
        bootstrap: 50,
        minComparisons: 1,
        anchor: 'model-b',
      }),
    );
    expect(report).toEqual(JSON.parse(JSON.stringify(direct)));
  }, 60_000);

  it('without a seed, the task draws one and says which; filters narrow the rows', async () => {
    const started = await api(`/projects/${PROJECT}/stats`, {
      method: 'POST',
      body: { bootstrap: 10, filters: { data_row_ids: [cuid(`${PROJECT}:row-majority-a`)] } },
    });
    expect(started.status).toBe(202);
    const task = await done(started.body.id);
    expect([task.status, task.failure_reason]).toEqual(['COMPLETE', null]);
    const report = (await api(`/export-tasks/${task.id}/result`)).body;
    expect(Number.isInteger(report.seed)).toBe(true);
    // The row's three votes, A, A and B: one item.
    expect([report.items, report.comparisons, report.bootstrap]).toEqual([1, 3, 10]);
  }, 60_000);

  it('bad bodies are refused at the POST, naming the field or the valid keys, and start nothing', async () => {
    const before = await taskCount();
    const post = (body: unknown) => api(`/projects/${PROJECT}/stats`, { method: 'POST', body });
    const unknown = await post({ seed: 1, bootsrap: 10 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(
      /bootsrap.*valid keys are: anchor, bootstrap, seed, min_comparisons, mapping, filters/,
    );
    const big = await post({ bootstrap: 5000 });
    expect([big.status, big.body.error.message]).toEqual([400, expect.stringMatching(/bootstrap/)]);
    const seed = await post({ seed: -1 });
    expect([seed.status, seed.body.error.message]).toEqual([400, expect.stringMatching(/seed/)]);
    const mapping = await post({ mapping: { preferense: 'x' } });
    expect([mapping.status, mapping.body.error.message]).toEqual([
      400,
      expect.stringMatching(/preferense.*valid keys/),
    ]);
    const filters = await post({ filters: { workflow_status: 'Finished' } });
    expect([filters.status, filters.body.error.message]).toEqual([
      400,
      expect.stringMatching(/workflow_status/),
    ]);
    expect(await taskCount()).toBe(before);
  }, 60_000);

  it('an anchor that is no model fails the task with the clear message', async () => {
    const started = await api(`/projects/${PROJECT}/stats`, {
      method: 'POST',
      body: { anchor: 'no-such-model', bootstrap: 5, min_comparisons: 1 },
    });
    expect(started.status).toBe(202);
    const task = await done(started.body.id);
    expect(task.status).toBe('FAILED');
    expect(task.failure_reason).toMatch(/"no-such-model" is not a model of these comparisons/);
    expect(task.failure_reason).not.toMatch(/at .*\.ts|SELECT/);
  }, 60_000);

  it('a labeler and a reviewer are refused; another organization sees no project', async () => {
    const before = await taskCount();
    for (const who of [labelerKey, reviewerKey]) {
      const refused = await api(`/projects/${PROJECT}/stats`, { method: 'POST', body: {}, key: who });
      expect([refused.status, refused.body.error.code]).toEqual([403, 'FORBIDDEN']);
    }
    const stranger = await api(`/projects/${PROJECT}/stats`, { method: 'POST', body: {}, key: strangerKey });
    expect([stranger.status, stranger.body.error.code]).toEqual([404, 'NOT_FOUND']);
    expect(await taskCount()).toBe(before);
    // Nor do they read a stats task of the project.
    const started = await api(`/projects/${PROJECT}/stats`, { method: 'POST', body: { bootstrap: 5 } });
    await done(started.body.id);
    expect((await api(`/export-tasks/${started.body.id}/result`, { key: labelerKey })).status).toBe(403);
    expect((await api(`/export-tasks/${started.body.id}/result`, { key: strangerKey })).status).toBe(404);
  }, 60_000);

  it('GET refuses a project above its row limit, naming the POST route', async () => {
    const labelled = FIXTURE_ROWS.filter((r) => r.labels.length > 0).length;
    const call = (limit: number) =>
      createApp({ store: ctx.store, statsSyncMaxRows: limit, logError: () => {} }).request(
        `/api/v1/projects/${PROJECT}/stats?seed=1&bootstrap=5`,
        { headers: { authorization: `Bearer ${key}` } },
      );
    const over = await call(labelled - 1);
    expect(over.status).toBe(409);
    const error = ((await over.json()) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain(`has ${labelled} labelled rows, more than the ${labelled - 1}`);
    expect(error.message).toContain(`POST /api/v1/projects/${PROJECT}/stats`);
    expect((await call(labelled)).status).toBe(200);
    // The default (20,000) lets this project through.
    expect((await api(`/projects/${PROJECT}/stats?seed=1&bootstrap=5`)).status).toBe(200);
  }, 60_000);

  it('other requests are answered while a stats task runs its bootstrap', async () => {
    const started = await api(`/projects/${BIG}/stats`, {
      method: 'POST',
      body: { seed: 3, bootstrap: 2000, min_comparisons: 1 },
    });
    expect(started.status).toBe(202);
    // The bootstrap is the last half of the progress: answers seen while the task stays below 100
    // and at 50 or more were given between its resamples, on the event loop the task runs on.
    const during = new Set<number>();
    let projectAnswered = false;
    for (;;) {
      const task = await api(`/export-tasks/${started.body.id}`);
      if (task.body.status !== 'IN_PROGRESS') {
        expect(task.body.status).toBe('COMPLETE');
        break;
      }
      const pct = task.body.completion_percentage as number;
      if (pct >= 50) {
        during.add(pct);
        // Until one answer is seen to come mid-bootstrap; then only the task is polled.
        if (!projectAnswered) {
          const project = await api(`/projects/${BIG}`);
          expect(project.status).toBe(200);
          const after = await api(`/export-tasks/${started.body.id}`);
          if (after.body.status === 'IN_PROGRESS') projectAnswered = true;
        }
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(projectAnswered).toBe(true);
    // The bootstrap seen past its start while it ran: its progress is written as it goes. (On
    // PostgreSQL each poll waits for several resamples, one per round trip: a bootstrap of 2,000
    // was sometimes seen at one point only, so no count of points is asked for.)
    expect(Math.max(...during)).toBeGreaterThan(50);
    const report = (await api(`/export-tasks/${started.body.id}/result`)).body;
    expect([report.items, report.bootstrap, report.seed]).toEqual([BIG_ROWS, 2000, 3]);
  }, 300_000);
});
