/**
 * Retention of export files. Decision: files are kept 7 days after the task finished
 * (`updated_at` of a COMPLETE or FAILED task, which nothing moves after it finishes), then
 * deleted; the task row stays, with `files_deleted_at` set, so the task still answers (its
 * counts, and "files deleted" instead of a broken download). Labelbox keeps results for a
 * limited time too; 7 days bounds disk use while leaving a week to download.
 */
import { rm } from 'node:fs/promises';
import type { Store } from '../../store/store.ts';
import { lineIndexPath } from '../files/streams.line-index.ts';
import { removeTaskDir } from './worker.files.ts';

export const EXPORT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/** Deletes the files of tasks finished more than `keepMs` ago; returns how many tasks it cleaned. */
export async function deleteExpiredExportFiles(
  store: Store,
  options: { dataDir: string; now?: number; keepMs?: number },
): Promise<number> {
  const now = options.now ?? Date.now();
  const expired = await store.db
    .selectFrom('export_tasks')
    .where('status', 'in', ['COMPLETE', 'FAILED'])
    .where('files_deleted_at', 'is', null)
    .where('updated_at', '<', now - (options.keepMs ?? EXPORT_RETENTION_MS))
    .select(['id', 'result_path', 'errors_path'])
    .limit(1000)
    .execute();
  for (const task of expired) {
    // The recorded paths first (another process may have had another data directory).
    for (const path of [task.result_path, task.errors_path]) {
      if (path) await Promise.all([rm(path, { force: true }), rm(lineIndexPath(path), { force: true })]);
    }
    await removeTaskDir(options.dataDir, task.id);
    await store.db
      .updateTable('export_tasks')
      .set({ files_deleted_at: now, result_path: null, errors_path: null })
      .where('id', '=', task.id)
      .execute();
  }
  return expired.length;
}
