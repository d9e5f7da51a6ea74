/**
 * Runs one claimed task: engine -> temp files -> fsync -> rename -> COMPLETE, with a heartbeat
 * proving the worker alive and throttled progress. The order matters: the task is marked
 * COMPLETE only after the final files are renamed and their directory synced.
 */
import type { Actor } from '../../orgs/actor.ts';
import { AppError } from '../../shared/errors.ts';
import type { ExportTaskTable } from '../../store/schema.ts';
import type { Store } from '../../store/store.ts';
import { CONVERSION_TASK_TYPE, isArchiveOutput } from '../../training/conversion.options.ts';
import type {
  ExportRunner,
  ExportTaskRecord,
  ExportTaskSink,
  ExportTaskType,
} from '../tasks/export-task.types.ts';
import { completeTask, failTask, heartbeat, releaseTask, setProgress } from './worker.claim.ts';
import { NdjsonFileWriter, publishFiles, removeTaskDir, resetTaskDir, streamPath } from './worker.files.ts';

export interface RunContext {
  dataDir: string;
  runner: ExportRunner;
  workerId: string;
  heartbeatMs: number;
  progressMs: number;
  /** True once the worker is stopping: the run gives its task back. */
  stopping(): boolean;
  log(message: string, err?: unknown): void;
}

/** Thrown into the engine (through the sink) to end a run the worker must abandon. */
class Interrupted extends Error {
  constructor(readonly why: 'stopping' | 'lost') {
    super(`export interrupted (${why})`);
  }
}

export async function runTask(store: Store, ctx: RunContext, row: ExportTaskTable): Promise<void> {
  const { workerId } = ctx;
  let lost = false;
  const beat = setInterval(() => {
    heartbeat(store, row.id, workerId).then(
      (ok) => {
        if (!ok) lost = true;
      },
      // A failed heartbeat (database briefly away) is only a missed beat; staleness decides.
      (err) => ctx.log(`heartbeat of export task ${row.id} failed`, err),
    );
  }, ctx.heartbeatMs);
  const check = () => {
    if (lost) throw new Interrupted('lost');
    if (ctx.stopping()) throw new Interrupted('stopping');
  };
  const writers: NdjsonFileWriter[] = [];
  let published = false;
  try {
    await resetTaskDir(ctx.dataDir, row.id);
    // A conversion to a dataset directory answers one tar archive: bytes, not lines.
    const binary = row.type === CONVERSION_TASK_TYPE && isArchiveOutput(JSON.parse(row.params));
    const result = await NdjsonFileWriter.create(streamPath(ctx.dataDir, row.id, 'result'), { binary });
    writers.push(result);
    const errors = await NdjsonFileWriter.create(streamPath(ctx.dataDir, row.id, 'errors'));
    writers.push(errors);
    const progress = progressReporter(store, ctx, row.id);
    const sink: ExportTaskSink = {
      result: (chunk, lines) => {
        check();
        return result.write(chunk, lines);
      },
      errors: (chunk, lines) => {
        check();
        return errors.write(chunk, lines);
      },
      progress: progress.report,
    };
    await ctx.runner(store, await actorOf(store, row), toRecord(row), sink);
    check();
    const files = { result: await result.finish(), errors: await errors.finish() };
    await progress.settled();
    // Renew ownership just before the rename: a worker presumed dead must not publish files.
    if (!(await heartbeat(store, row.id, workerId))) throw new Interrupted('lost');
    await publishFiles(ctx.dataDir, row.id, [files.result.path, files.errors.path]);
    published = true;
    if (!(await completeTask(store, row.id, workerId, files))) {
      ctx.log(`export task ${row.id} was taken over before it could complete`);
    }
  } catch (err) {
    await Promise.all(writers.map((w) => w.close()));
    // Once published, the files stay: the COMPLETE update may have committed even if its answer
    // was lost. If it did not, the next attempt starts by clearing the directory anyway.
    // Judged by the flags, not the error: an engine may wrap what the sink threw.
    const why =
      lost || (err instanceof Interrupted && err.why === 'lost')
        ? 'lost'
        : ctx.stopping()
          ? 'stopping'
          : 'failed';
    await settle(store, ctx, row, err, why, !published);
  } finally {
    clearInterval(beat);
  }
}

async function settle(
  store: Store,
  ctx: RunContext,
  row: ExportTaskTable,
  err: unknown,
  why: 'lost' | 'stopping' | 'failed',
  removeFiles: boolean,
): Promise<void> {
  // Another worker owns the task now: its files are not ours to remove.
  if (why === 'lost') {
    ctx.log(`export task ${row.id} was reclaimed by another worker; this attempt stops`);
    return;
  }
  if (removeFiles) {
    await removeTaskDir(ctx.dataDir, row.id).catch((e) => ctx.log(`cannot remove files of ${row.id}`, e));
  }
  if (why === 'stopping') {
    await releaseTask(store, row.id, ctx.workerId);
    return;
  }
  if (!(err instanceof AppError)) ctx.log(`export task ${row.id} failed`, err);
  await failTask(store, row.id, ctx.workerId, failureReason(err, row.id));
}

/** What a user reads on a FAILED task: what happened and what to do, never a stack or SQL. */
export function failureReason(err: unknown, taskId: string): string {
  if (err instanceof AppError && err.code !== 'INTERNAL') return err.message;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return 'the server ran out of disk space while writing the export file; free some space and export again';
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return 'the server is not allowed to write export files in its data directory; ask an administrator to fix its permissions';
  }
  return `the export stopped because of an unexpected server error; try again, and if it happens again give the administrator the task id ${taskId}`;
}

/** Writes completion_percentage at most every `progressMs`, one update in flight at a time. */
function progressReporter(store: Store, ctx: RunContext, taskId: string) {
  let last = 0;
  let inFlight: Promise<void> = Promise.resolve();
  let busy = false;
  return {
    report(done: number, total: number): void {
      const now = Date.now();
      if (busy || now - last < ctx.progressMs || total <= 0) return;
      last = now;
      busy = true;
      // 99 at most: 100 means the files are final, which only the COMPLETE update says.
      const pct = Math.min(99, Math.floor((done * 100) / total));
      inFlight = setProgress(store, taskId, ctx.workerId, pct)
        .catch((err) => ctx.log(`progress of export task ${taskId} not saved`, err))
        .finally(() => {
          busy = false;
        });
    },
    settled: () => inFlight,
  };
}

async function actorOf(store: Store, row: ExportTaskTable): Promise<Actor> {
  const user = await store.db
    .selectFrom('users')
    .where('id', '=', row.created_by)
    .where('org_id', '=', row.org_id)
    .select(['email', 'role'])
    .executeTakeFirst();
  return {
    orgId: row.org_id,
    userId: row.created_by,
    email: user?.email ?? '',
    role: user?.role ?? 'member',
  };
}

function toRecord(row: ExportTaskTable): ExportTaskRecord {
  return {
    id: row.id,
    orgId: row.org_id,
    projectId: row.project_id,
    type: row.type as ExportTaskType,
    name: row.name,
    params: JSON.parse(row.params),
    filters: JSON.parse(row.filters),
    attempt: row.attempts,
    linkBase: row.link_base,
  };
}
