/**
 * The export worker: polls the task table, claims runnable tasks (new ones, or ones whose
 * worker's heartbeat went stale) and runs them. Any number of workers, in any number of
 * processes, can share one database: ownership lives in the table, never in memory.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { DAY_MS, DEFAULT_RETENTION_DAYS, purgeExpired } from '../../lifecycle/purge.ts';
import type { Store } from '../../store/store.ts';
import type { ExportRunner } from '../tasks/export-task.types.ts';
import { claimNextTask } from './worker.claim.ts';
import { removeTaskDir } from './worker.files.ts';
import { deleteExpiredExportFiles } from './worker.retention.ts';
import { runTask } from './worker.run.ts';

export interface ExportWorkerOptions {
  /** Export files go to `<dataDir>/exports/<taskId>/`. */
  dataDir: string;
  runner: ExportRunner;
  workerId?: string;
  /** How often to look for tasks when idle (default 1 s). */
  pollMs?: number;
  /** How often a running task proves its worker alive (default 5 s, and under staleMs / 3). */
  heartbeatMs?: number;
  /** A heartbeat older than this means the worker died; its task is restarted (default 30 s). */
  staleMs?: number;
  /** Tasks run at once by this worker (default 1). */
  concurrency?: number;
  /** Least time between two progress writes of a task (default 1 s). */
  progressMs?: number;
  /** How often retention runs (default hourly); 0 disables it. */
  retentionEveryMs?: number;
  /**
   * Days a soft-deleted item stays restorable (PREFER_RETENTION_DAYS, default 30): the same
   * hourly pass purges older trash entries (lifecycle/purge.ts).
   */
  trashRetentionDays?: number;
  log?: (message: string, err?: unknown) => void;
}

export interface ExportWorker {
  readonly workerId: string;
  /** Stops claiming, interrupts running tasks (handing them back) and waits for them. */
  stop(): Promise<void>;
}

const HOUR = 60 * 60 * 1000;

export function startExportWorker(store: Store, options: ExportWorkerOptions): ExportWorker {
  const staleMs = options.staleMs ?? 30_000;
  const heartbeatMs = options.heartbeatMs ?? Math.min(5_000, Math.floor(staleMs / 3));
  if (heartbeatMs <= 0 || heartbeatMs * 2 > staleMs) {
    throw new Error(`export worker: heartbeatMs (${heartbeatMs}) must be positive and at most staleMs / 2`);
  }
  const pollMs = options.pollMs ?? 1_000;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const retentionEveryMs = options.retentionEveryMs ?? HOUR;
  const trashRetentionMs = (options.trashRetentionDays ?? DEFAULT_RETENTION_DAYS) * DAY_MS;
  const dataDir = resolve(options.dataDir);
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const log = options.log ?? ((message, err) => console.error(`[export worker] ${message}`, err ?? ''));
  const ctx = {
    dataDir,
    runner: options.runner,
    workerId,
    heartbeatMs,
    progressMs: options.progressMs ?? 1_000,
    stopping: () => stopped,
    log,
  };

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> = Promise.resolve();
  const running = new Set<Promise<void>>();

  const poll = async () => {
    while (!stopped && running.size < concurrency) {
      const { task, abandoned } = await claimNextTask(store, workerId, staleMs);
      for (const id of abandoned) await removeTaskDir(dataDir, id);
      if (!task) break;
      const run = runTask(store, ctx, task)
        .catch((err) => log(`export task ${task.id} could not be settled`, err))
        .finally(() => {
          running.delete(run);
          schedule(0); // a slot is free: look for more at once
        });
      running.add(run);
    }
  };
  const schedule = (delay: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      polling = polling
        .then(poll)
        .catch((err) => log('looking for export tasks failed', err))
        .finally(() => schedule(pollMs));
    }, delay);
  };
  schedule(0);

  let retaining: Promise<unknown> = Promise.resolve();
  const retention = () => {
    retaining = retaining
      .then(() => deleteExpiredExportFiles(store, { dataDir }))
      .catch((err) => log('export retention failed', err))
      .then(() => purgeExpired(store, { retentionMs: trashRetentionMs }))
      .catch((err) => log('purging deleted items failed', err));
  };
  const retentionTimer = retentionEveryMs > 0 ? setInterval(retention, retentionEveryMs) : undefined;
  retentionTimer?.unref();
  if (retentionTimer) retention();

  return {
    workerId,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      clearInterval(retentionTimer);
      await polling;
      await Promise.all([...running, retaining]);
    },
  };
}
