/**
 * The task-table side of the worker. Ownership is the pair (worker_id, fresh heartbeat_at):
 * every update a worker makes is conditioned on still owning the task, so a worker that was
 * presumed dead and replaced can never overwrite its successor's outcome.
 */
import type { ExpressionBuilder } from 'kysely';
import type { Database, ExportTaskTable } from '../../store/schema.ts';
import type { Store } from '../../store/store.ts';
import { MAX_ATTEMPTS } from '../tasks/export-task.types.ts';
import type { StreamStats } from './worker.files.ts';

export const CRASHED_TOO_OFTEN = `the server stopped while exporting ${MAX_ATTEMPTS} times`;

export interface ClaimOutcome {
  task: ExportTaskTable | null;
  /** Tasks given up on (too many attempts) while looking: their leftover files should go. */
  abandoned: string[];
}

/**
 * Claims the oldest runnable task: IN_PROGRESS with no worker, or whose worker's heartbeat is
 * older than `staleMs` (it died). PostgreSQL: FOR UPDATE SKIP LOCKED, so concurrent workers
 * take different tasks without waiting. SQLite: the write transaction (BEGIN IMMEDIATE) already
 * excludes every other writer.
 */
export async function claimNextTask(
  store: Store,
  workerId: string,
  staleMs: number,
  now = Date.now(),
): Promise<ClaimOutcome> {
  const abandoned: string[] = [];
  const runnable = () =>
    store.db
      .selectFrom('export_tasks')
      .where('status', '=', 'IN_PROGRESS')
      .where(runnableBy(workerId, now - staleMs));
  // A plain read first: an idle worker polling every second takes no write lock.
  if (!(await runnable().select('id').limit(1).executeTakeFirst())) return { task: null, abandoned };
  const task = await store.write(async (tx) => {
    for (;;) {
      const candidate = await tx
        .selectFrom('export_tasks')
        .where('status', '=', 'IN_PROGRESS')
        .where(runnableBy(workerId, now - staleMs))
        .orderBy('created_at')
        .orderBy('id')
        .limit(1)
        .selectAll()
        .$if(store.backend === 'postgres', (qb) => qb.forUpdate().skipLocked())
        .executeTakeFirst();
      if (!candidate) return null;
      if (candidate.attempts >= MAX_ATTEMPTS) {
        await tx
          .updateTable('export_tasks')
          .set({ status: 'FAILED', failure_reason: CRASHED_TOO_OFTEN, worker_id: null, updated_at: now })
          .where('id', '=', candidate.id)
          .execute();
        abandoned.push(candidate.id);
        continue;
      }
      const claimed = { worker_id: workerId, heartbeat_at: now, attempts: candidate.attempts + 1 };
      await tx
        .updateTable('export_tasks')
        .set({ ...claimed, completion_percentage: 0, updated_at: now })
        .where('id', '=', candidate.id)
        .execute();
      return { ...candidate, ...claimed, completion_percentage: 0, updated_at: now };
    }
  });
  return { task, abandoned };
}

/**
 * No worker, or a worker silent since `staleBefore`. Never this worker's own tasks: it knows they
 * are alive, even when its heartbeats were held up (e.g. SQLite's connection busy with a long import).
 */
const runnableBy =
  (workerId: string, staleBefore: number) => (eb: ExpressionBuilder<Database, 'export_tasks'>) =>
    eb.or([
      eb('worker_id', 'is', null),
      eb.and([eb('heartbeat_at', '<', staleBefore), eb('worker_id', '<>', workerId)]),
    ]);

/** Refreshes the heartbeat; false when the task is no longer this worker's (it was reclaimed). */
export async function heartbeat(store: Store, taskId: string, workerId: string): Promise<boolean> {
  return owned(
    await store.db
      .updateTable('export_tasks')
      .set({ heartbeat_at: Date.now() })
      .where('id', '=', taskId)
      .where('worker_id', '=', workerId)
      .where('status', '=', 'IN_PROGRESS')
      .executeTakeFirst(),
  );
}

export async function setProgress(
  store: Store,
  taskId: string,
  workerId: string,
  pct: number,
): Promise<void> {
  await store.db
    .updateTable('export_tasks')
    .set({ completion_percentage: pct, updated_at: Date.now() })
    .where('id', '=', taskId)
    .where('worker_id', '=', workerId)
    .where('status', '=', 'IN_PROGRESS')
    .execute();
}

/** One transaction: COMPLETE with the manifest of both files. False when no longer owned. */
export async function completeTask(
  store: Store,
  taskId: string,
  workerId: string,
  files: { result: StreamStats; errors: StreamStats },
): Promise<boolean> {
  const now = Date.now();
  return owned(
    await store.db
      .updateTable('export_tasks')
      .set({
        status: 'COMPLETE',
        completion_percentage: 100,
        updated_at: now,
        heartbeat_at: now,
        worker_id: null,
        result_path: files.result.path,
        result_bytes: files.result.bytes,
        result_lines: files.result.lines,
        result_sha256: files.result.sha256,
        result_sample: files.result.sample,
        errors_path: files.errors.path,
        errors_bytes: files.errors.bytes,
        errors_lines: files.errors.lines,
        errors_sha256: files.errors.sha256,
        errors_sample: files.errors.sample,
        failure_reason: null,
      })
      .where('id', '=', taskId)
      .where('worker_id', '=', workerId)
      .where('status', '=', 'IN_PROGRESS')
      .executeTakeFirst(),
  );
}

export async function failTask(
  store: Store,
  taskId: string,
  workerId: string,
  reason: string,
): Promise<boolean> {
  return owned(
    await store.db
      .updateTable('export_tasks')
      .set({ status: 'FAILED', failure_reason: reason, worker_id: null, updated_at: Date.now() })
      .where('id', '=', taskId)
      .where('worker_id', '=', workerId)
      .where('status', '=', 'IN_PROGRESS')
      .executeTakeFirst(),
  );
}

/** A graceful stop hands the task back without counting the attempt: it was not a crash. */
export async function releaseTask(store: Store, taskId: string, workerId: string): Promise<void> {
  await store.db
    .updateTable('export_tasks')
    .set((eb) => ({
      worker_id: null,
      heartbeat_at: null,
      completion_percentage: 0,
      attempts: eb('attempts', '-', 1),
      updated_at: Date.now(),
    }))
    .where('id', '=', taskId)
    .where('worker_id', '=', workerId)
    .where('status', '=', 'IN_PROGRESS')
    .execute();
}

const owned = (r: { numUpdatedRows: bigint }) => r.numUpdatedRows > 0n;
