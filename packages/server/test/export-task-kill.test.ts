/**
 * docs/reliability.md no. 33, kill -9 during export: a worker in another process is SIGKILLed while it
 * writes; the task must not be COMPLETE and no final file may exist. A worker started later
 * reclaims the task once the dead one's heartbeat is stale and completes it from scratch.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { createExportTask, getExportTask } from '../src/exports/tasks/export-task.service.ts';
import { type ExportWorker, startExportWorker } from '../src/exports/worker/worker.ts';
import { describeBackends } from './support/backends.ts';
import {
  expectedStreams,
  seedOrg,
  seedProject,
  standInRunner,
  waitFor,
} from './support/export-child-fixtures.ts';

const CHILD = fileURLToPath(new URL('./support/export-child.ts', import.meta.url));
const ROWS = 100_000;
const MID_ROW = 30_000;

/** Starts the child worker and resolves once it reports being in the middle of the export. */
function startChild(url: string, dataDir: string) {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', CHILD, url, dataDir, String(ROWS), String(MID_ROW)],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => {
    child.on('exit', (code, signal) => resolve(signal ?? code));
  });
  const mid = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /MID (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    exited.then((how) => reject(new Error(`export child exited (${how}) before mid-export: ${stderr}`)));
  });
  return { child, mid, exited };
}

describeBackends('export tasks: kill -9 during export', (ctx) => {
  const workers: ExportWorker[] = [];
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
  });

  it('never reports a killed export COMPLETE and finishes it after a restart', async () => {
    const actor = await seedOrg(ctx.store);
    const projectId = await seedProject(ctx.store, actor);
    const task = await createExportTask(ctx.store, actor, {
      projectId,
      type: 'export-data-rows',
      params: {},
      filters: {},
    });
    const dataDir = join(ctx.dir, 'data');
    const dir = join(dataDir, 'exports', task.id);

    const { child, mid, exited } = startChild(ctx.url, dataDir);
    expect(await mid).toBe(task.id);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    // Killed mid-write: the temp file holds part of the export, nothing has a final name.
    const row = await ctx.store.db
      .selectFrom('export_tasks')
      .where('id', '=', task.id)
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      status: 'IN_PROGRESS',
      worker_id: `child-${child.pid}`,
      attempts: 1,
      result_path: null,
    });
    expect(readdirSync(dir).every((f) => f.endsWith('.tmp'))).toBe(true);
    expect(existsSync(join(dir, 'result.ndjson'))).toBe(false);
    const partial = statSync(join(dir, 'result.ndjson.tmp')).size;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(Buffer.byteLength(expectedStreams(task.id, ROWS).result));
    const view = await getExportTask(ctx.store, actor, task.id);
    expect(view.status).toBe('IN_PROGRESS');
    expect(view.result).toBeNull();
    if (ctx.backend === 'sqlite') {
      const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(ctx.store.db);
      expect(check.rows).toEqual([{ integrity_check: 'ok' }]);
    }

    // A new worker takes over once the heartbeat is older than its staleMs.
    workers.push(
      startExportWorker(ctx.store, {
        dataDir,
        runner: standInRunner({ rows: ROWS }),
        pollMs: 50,
        heartbeatMs: 100,
        staleMs: 1_000,
        retentionEveryMs: 0,
      }),
    );
    const done = await waitFor(async () => {
      const v = await getExportTask(ctx.store, actor, task.id);
      return v.status === 'IN_PROGRESS' ? undefined : v;
    }, 'the reclaimed export to finish');
    expect(done.status).toBe('COMPLETE');
    const expected = expectedStreams(task.id, ROWS);
    const result = readFileSync(join(dir, 'result.ndjson'), 'utf8');
    expect(result === expected.result).toBe(true); // not toBe: a 7 MB diff helps no one
    expect(readFileSync(join(dir, 'errors.ndjson'), 'utf8') === expected.errors).toBe(true);
    expect(done.result).toMatchObject({
      total_bytes: Buffer.byteLength(result),
      total_lines: ROWS - ROWS / 10,
    });
    expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).toBe(false);
    const after = await ctx.store.db
      .selectFrom('export_tasks')
      .where('id', '=', task.id)
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(after.attempts).toBe(2);
  });
});
