import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openExportStream } from '../src/exports/files/streams.ts';
import { createExportTask, getExportTask } from '../src/exports/tasks/export-task.service.ts';
import type { ExportRunner } from '../src/exports/tasks/export-task.types.ts';
import { type ExportWorker, startExportWorker } from '../src/exports/worker/worker.ts';
import type { Actor } from '../src/orgs/actor.ts';
import { AppError } from '../src/shared/errors.ts';
import { describeBackends } from './support/backends.ts';
import {
  expectedStreams,
  seedOrg,
  seedProject,
  standInRunner,
  waitFor,
} from './support/export-child-fixtures.ts';

describeBackends('export tasks: worker', (ctx) => {
  const workers: ExportWorker[] = [];
  const logs: string[] = [];
  const dataDir = () => join(ctx.dir, 'data');
  const start = (runner: ExportRunner, extra: { staleMs?: number; concurrency?: number } = {}) => {
    const w = startExportWorker(ctx.store, {
      dataDir: dataDir(),
      runner,
      pollMs: 20,
      heartbeatMs: 50,
      staleMs: 30_000,
      retentionEveryMs: 0,
      log: (m, err) => logs.push(`${m} ${err instanceof Error ? err.message : ''}`),
      ...extra,
    });
    workers.push(w);
    return w;
  };
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
  });

  let actor: Actor;
  let projectId: string;
  const newTask = async () => {
    actor ??= await seedOrg(ctx.store);
    projectId ??= await seedProject(ctx.store, actor);
    return createExportTask(ctx.store, actor, {
      projectId,
      type: 'export-data-rows',
      params: {},
      filters: {},
    });
  };
  const settled = (id: string) =>
    waitFor(async () => {
      const view = await getExportTask(ctx.store, actor, id);
      return view.status === 'IN_PROGRESS' ? undefined : view;
    }, `task ${id} to finish`);
  const taskFiles = (id: string) => {
    const dir = join(dataDir(), 'exports', id);
    return existsSync(dir) ? readdirSync(dir).sort() : null;
  };

  it('completes a task: files renamed, counts and SHA-256 match the bytes on disk', async () => {
    const task = await newTask();
    start(standInRunner({ rows: 2500 }));
    const view = await settled(task.id);
    expect(view).toMatchObject({ status: 'COMPLETE', completion_percentage: 100, failure_reason: null });
    const expected = expectedStreams(task.id, 2500);
    for (const name of ['result', 'errors'] as const) {
      const bytes = readFileSync(join(dataDir(), 'exports', task.id, `${name}.ndjson`));
      expect(bytes.toString('utf8')).toBe(expected[name]);
      expect(view[name]).toEqual({
        total_bytes: bytes.length,
        total_lines: expected[name].split('\n').length - 1,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      });
    }
    expect(view.result!.total_lines).toBe(2250);
    expect(taskFiles(task.id)).toEqual([
      'errors.ndjson',
      'errors.ndjson.idx',
      'result.ndjson',
      'result.ndjson.idx',
    ]);
    const row = await ctx.store.db
      .selectFrom('export_tasks')
      .where('id', '=', task.id)
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ attempts: 1, worker_id: null });
  });

  it('reports progress while running, serves nothing before COMPLETE, then completes', async () => {
    const task = await newTask();
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    start(standInRunner({ rows: 100, afterRow: (i) => (i === 49 ? gate : undefined) }));
    const running = await waitFor(async () => {
      const v = await getExportTask(ctx.store, actor, task.id);
      return v.completion_percentage > 0 ? v : undefined;
    }, 'progress');
    expect(running.status).toBe('IN_PROGRESS');
    expect(running.completion_percentage).toBeGreaterThan(0);
    expect(running.completion_percentage).toBeLessThan(100);
    await expect(openExportStream(ctx.store, actor, task.id, 'result')).rejects.toMatchObject({
      code: 'TASK_NOT_READY',
      message: 'Task is not ready yet',
    });
    expect(taskFiles(task.id)).toEqual([
      'errors.ndjson.idx.tmp',
      'errors.ndjson.tmp',
      'result.ndjson.idx.tmp',
      'result.ndjson.tmp',
    ]);
    release();
    expect((await settled(task.id)).status).toBe('COMPLETE');
  });

  it('fails a task whose engine throws, with the reason and no file left', async () => {
    const task = await newTask();
    const message = 'filter batch_ids names batches that were deleted; pick other batches';
    start(standInRunner({ rows: 50, failAfter: 20, failWith: new AppError('BAD_REQUEST', message) }));
    const view = await settled(task.id);
    expect(view).toMatchObject({ status: 'FAILED', failure_reason: message, result: null });
    expect(taskFiles(task.id)).toBeNull();
    await expect(openExportStream(ctx.store, actor, task.id, 'errors')).rejects.toMatchObject({
      code: 'TASK_FAILED',
      message: `Task failed: ${message}`,
    });
  });

  it('gives a failure reason without internals when the engine breaks', async () => {
    const task = await newTask();
    start(standInRunner({ rows: 50, failAfter: 3, failWith: new Error('syntax error at or near "selec"') }));
    const view = await settled(task.id);
    expect(view.status).toBe('FAILED');
    expect(view.failure_reason).toContain(`task id ${task.id}`);
    expect(view.failure_reason).not.toMatch(/selec|syntax|at .*\.ts/);
    expect(logs.some((l) => l.includes('syntax error'))).toBe(true); // operators still see it
    expect(taskFiles(task.id)).toBeNull();
  });

  it('restarts from scratch a task whose worker went silent, and leaves live ones alone', async () => {
    const dead = await newTask();
    const alive = await newTask();
    const old = Date.now() - 60_000;
    await ctx.store.db
      .updateTable('export_tasks')
      .set({ worker_id: 'dead-worker', heartbeat_at: old, attempts: 1 })
      .where('id', '=', dead.id)
      .execute();
    await ctx.store.db
      .updateTable('export_tasks')
      .set({ worker_id: 'live-worker', heartbeat_at: Date.now() + 3_600_000, attempts: 1 })
      .where('id', '=', alive.id)
      .execute();
    mkdirSync(join(dataDir(), 'exports', dead.id), { recursive: true });
    writeFileSync(join(dataDir(), 'exports', dead.id, 'result.ndjson.tmp'), '{"half a row');
    start(standInRunner({ rows: 30 }), { staleMs: 1_000 });
    expect((await settled(dead.id)).status).toBe('COMPLETE');
    const text = readFileSync(join(dataDir(), 'exports', dead.id, 'result.ndjson'), 'utf8');
    expect(text).toBe(expectedStreams(dead.id, 30).result);
    const rows = await ctx.store.db
      .selectFrom('export_tasks')
      .where('id', 'in', [dead.id, alive.id])
      .select(['id', 'status', 'attempts', 'worker_id'])
      .orderBy('id')
      .execute();
    expect(rows.find((r) => r.id === dead.id)).toMatchObject({ attempts: 2, worker_id: null });
    expect(rows.find((r) => r.id === alive.id)).toMatchObject({
      status: 'IN_PROGRESS',
      attempts: 1,
      worker_id: 'live-worker',
    });
    await ctx.store.db
      .updateTable('export_tasks')
      .set({ status: 'FAILED' })
      .where('id', '=', alive.id)
      .execute();
  });

  it('fails a task after its worker died three times', async () => {
    const task = await newTask();
    await ctx.store.db
      .updateTable('export_tasks')
      .set({ worker_id: 'dead-worker', heartbeat_at: Date.now() - 60_000, attempts: 3 })
      .where('id', '=', task.id)
      .execute();
    mkdirSync(join(dataDir(), 'exports', task.id), { recursive: true });
    writeFileSync(join(dataDir(), 'exports', task.id, 'result.ndjson.tmp'), '{"half');
    let runs = 0;
    start(async (...args) => {
      runs++;
      return standInRunner({ rows: 1 })(...args);
    });
    const view = await settled(task.id);
    expect(view).toMatchObject({
      status: 'FAILED',
      failure_reason: 'the server stopped while exporting 3 times',
    });
    expect(runs).toBe(0);
    await waitFor(async () => (taskFiles(task.id) === null ? true : undefined), 'leftover files removed');
  });

  it('hands a running task back on stop without counting an attempt', async () => {
    const task = await newTask();
    let stopping!: () => void;
    const stopped = new Promise<void>((r) => {
      stopping = r;
    });
    let reached!: () => void;
    const atRow5 = new Promise<void>((r) => {
      reached = r;
    });
    const w = start(
      standInRunner({
        rows: 100,
        afterRow: (i) => {
          if (i !== 5) return;
          reached();
          return stopped;
        },
      }),
    );
    await atRow5;
    const stopDone = w.stop();
    stopping();
    await stopDone;
    const row = await ctx.store.db
      .selectFrom('export_tasks')
      .where('id', '=', task.id)
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'IN_PROGRESS', worker_id: null, attempts: 0, heartbeat_at: null });
    expect(taskFiles(task.id)).toBeNull();
    // The next worker runs it from the start.
    start(standInRunner({ rows: 100 }));
    expect((await settled(task.id)).status).toBe('COMPLETE');
  });

  it('lets a worker whose task was taken over neither publish nor settle it', async () => {
    const task = await newTask();
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let reached!: () => void;
    const atRow10 = new Promise<void>((r) => {
      reached = r;
    });
    start(
      standInRunner({
        rows: 20,
        afterRow: (i) => {
          if (i !== 10) return;
          reached();
          return gate;
        },
      }),
    );
    await atRow10;
    // As if this worker had been presumed dead and another had claimed the task.
    await ctx.store.db
      .updateTable('export_tasks')
      .set({ worker_id: 'successor', heartbeat_at: Date.now() + 3_600_000 })
      .where('id', '=', task.id)
      .execute();
    release();
    await waitFor(
      async () => (logs.some((l) => l.includes('reclaimed')) ? true : undefined),
      'the worker to notice',
    );
    const row = await ctx.store.db
      .selectFrom('export_tasks')
      .where('id', '=', task.id)
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'IN_PROGRESS', worker_id: 'successor', result_path: null });
    expect(taskFiles(task.id)?.some((f) => !f.endsWith('.tmp'))).toBe(false);
    await ctx.store.db
      .updateTable('export_tasks')
      .set({ status: 'FAILED' })
      .where('id', '=', task.id)
      .execute();
  });

  it('never reclaims its own running task, even when its heartbeat looks stale', async () => {
    const first = await newTask();
    const runs = new Map<string, number>();
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let reached!: () => void;
    const atRow3 = new Promise<void>((r) => {
      reached = r;
    });
    const slow = standInRunner({
      rows: 10,
      afterRow: (i, task) => {
        if (task.id !== first.id || i !== 3) return;
        reached();
        return gate;
      },
    });
    const w = startExportWorker(ctx.store, {
      dataDir: dataDir(),
      pollMs: 20,
      heartbeatMs: 50_000, // no beat during the test: only the stamp below counts
      staleMs: 100_000,
      concurrency: 2,
      retentionEveryMs: 0,
      runner: (store, a, task, sink) => {
        runs.set(task.id, (runs.get(task.id) ?? 0) + 1);
        return slow(store, a, task, sink);
      },
    });
    workers.push(w);
    await atRow3;
    await ctx.store.db
      .updateTable('export_tasks')
      .set({ heartbeat_at: Date.now() - 200_000 })
      .where('id', '=', first.id)
      .execute();
    // Claims go oldest first: had the stale-looking task been claimable, it would be taken before this one.
    const second = await newTask();
    expect((await settled(second.id)).status).toBe('COMPLETE');
    release();
    expect((await settled(first.id)).status).toBe('COMPLETE');
    expect(runs.get(first.id)).toBe(1);
  });

  it('runs each task once when two workers share the database', async () => {
    const tasks = await Promise.all([newTask(), newTask(), newTask(), newTask(), newTask()]);
    const runs = new Map<string, number>();
    const runner: ExportRunner = async (store, a, task, sink) => {
      runs.set(task.id, (runs.get(task.id) ?? 0) + 1);
      return standInRunner({ rows: 20, delayMs: 2 })(store, a, task, sink);
    };
    start(runner, { concurrency: 2 });
    start(runner, { concurrency: 2 });
    for (const t of tasks) expect((await settled(t.id)).status).toBe('COMPLETE');
    expect([...runs.values()]).toEqual([1, 1, 1, 1, 1]);
    for (const t of tasks) {
      const text = readFileSync(join(dataDir(), 'exports', t.id, 'result.ndjson'), 'utf8');
      expect(text).toBe(expectedStreams(t.id, 20).result);
    }
  });
});
