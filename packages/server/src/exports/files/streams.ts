/**
 * Reading the two NDJSON streams of a COMPLETE export task: whole, from any byte range (HTTP
 * Range, resumed downloads), or by chunk (offset paging). Only final, recorded files are read:
 * a running task has nothing to read yet, a failed one says why.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { Actor } from '../../orgs/actor.ts';
import { AppError } from '../../shared/errors.ts';
import type { ExportTaskTable } from '../../store/schema.ts';
import type { Store } from '../../store/store.ts';
import { findExportTask } from '../tasks/export-task.service.ts';
import type { ExportStreamName } from '../tasks/export-task.types.ts';
import { fileSample } from './file-sample.ts';
import { type Chunk, readChunk } from './streams.chunk.ts';

export interface ExportStreamFile {
  path: string;
  totalBytes: number;
  totalLines: number;
  sha256: string | null;
}

export interface OpenedExportStream {
  totalBytes: number;
  totalLines: number;
  sha256: string | null;
  /** The byte range served, inclusive (end = start - 1 for an empty stream). */
  start: number;
  end: number;
  stream: Readable;
}

/**
 * Opens a stream of a COMPLETE task from byte `start` to byte `end` (both inclusive, as in HTTP
 * Range; an `end` past the file is cut to its last byte).
 */
export async function openExportStream(
  store: Store,
  actor: Actor,
  taskId: string,
  name: ExportStreamName,
  range: { start?: number; end?: number } = {},
): Promise<OpenedExportStream> {
  return openStreamFile(await exportStreamFile(store, actor, taskId, name), name, range);
}

/** `openExportStream` on a stream file already checked (`streamFileOf`). */
export function openStreamFile(
  file: ExportStreamFile,
  name: ExportStreamName,
  range: { start?: number; end?: number } = {},
): OpenedExportStream {
  const last = file.totalBytes - 1;
  const start = range.start ?? 0;
  const end = Math.min(range.end ?? last, last);
  const valid = (n: number) => Number.isSafeInteger(n) && n >= 0;
  if (!valid(start) || (range.end !== undefined && !valid(range.end))) {
    throw new AppError('BAD_REQUEST', 'a byte range needs non-negative integers');
  }
  const empty = file.totalBytes === 0 && start === 0 && range.end === undefined;
  if (!empty && (start > last || start > (range.end ?? last))) {
    throw new AppError(
      'RANGE_NOT_SATISFIABLE',
      `bytes ${start}-${range.end ?? ''} are not within the ${file.totalBytes} bytes of the ${name} stream`,
    );
  }
  const stream = empty ? Readable.from([]) : createReadStream(file.path, { start, end });
  return {
    totalBytes: file.totalBytes,
    totalLines: file.totalLines,
    sha256: file.sha256,
    start,
    end,
    stream,
  };
}

/** A chunk of a stream of a COMPLETE task, starting at `offset` and ending on a line end. */
export async function readExportChunk(
  store: Store,
  actor: Actor,
  taskId: string,
  name: ExportStreamName,
  offset: number,
  maxBytes: number,
): Promise<Chunk & { totalBytes: number; totalLines: number }> {
  const file = await exportStreamFile(store, actor, taskId, name);
  const chunk = await readChunk(file.path, offset, maxBytes);
  return { ...chunk, totalBytes: file.totalBytes, totalLines: file.totalLines };
}

/** The final file of a stream, checked against the task's manifest before anything is read. */
export async function exportStreamFile(
  store: Store,
  actor: Actor,
  taskId: string,
  name: ExportStreamName,
): Promise<ExportStreamFile> {
  return streamFileOf(await findExportTask(store, actor, taskId), name);
}

/** `exportStreamFile` of a task row already read. */
export async function streamFileOf(task: ExportTaskTable, name: ExportStreamName): Promise<ExportStreamFile> {
  if (task.status === 'IN_PROGRESS') throw new AppError('TASK_NOT_READY', 'Task is not ready yet');
  if (task.status === 'FAILED') {
    throw new AppError('TASK_FAILED', `Task failed: ${task.failure_reason ?? 'no reason was recorded'}`);
  }
  const [path, bytes, lines, sha256, sample] =
    name === 'result'
      ? [task.result_path, task.result_bytes, task.result_lines, task.result_sha256, task.result_sample]
      : [task.errors_path, task.errors_bytes, task.errors_lines, task.errors_sha256, task.errors_sample];
  if (task.files_deleted_at !== null || !path) {
    throw new AppError(
      'NOT_FOUND',
      `the files of export task ${task.id} were deleted 7 days after it finished; run the export again`,
    );
  }
  // Never serve a file that does not match its manifest (lost volume, manual deletion, a change
  // on disk): the client would get other bytes under the recorded SHA-256.
  const onDisk = await stat(path).catch((err: NodeJS.ErrnoException) =>
    err.code === 'ENOENT' ? null : undefined,
  );
  if (onDisk === null) {
    throw new AppError('UNAVAILABLE', `the ${name} file of export task ${task.id} is missing on the server`, {
      file: 'missing',
    });
  }
  const size = bytes ?? 0;
  // Tasks completed before fingerprints were recorded (sample null) are checked by size alone.
  // Unreadable (undefined) counts as damaged: the file is there but cannot give its bytes.
  const intact =
    onDisk !== undefined &&
    onDisk.size === size &&
    (sample === null || (await fileSample(path, size).catch(() => undefined)) === sample);
  if (!intact) {
    throw new AppError(
      'UNAVAILABLE',
      `the ${name} file of export task ${task.id} is damaged on the server (it no longer matches what was written); run the export again`,
      { file: 'damaged' },
    );
  }
  return { path, totalBytes: size, totalLines: lines ?? 0, sha256 };
}
