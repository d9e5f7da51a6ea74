/**
 * The stream fields of a GraphQL `Task` that the SDK reads a finished export through: a size
 * header, then chunks by byte offset or by line, each a signed link. Reading goes through
 * exports/files/streams.ts: only final files matching their manifest.
 */

import { readChunkRange } from '../exports/files/streams.chunk.ts';
import { offsetOfLine } from '../exports/files/streams.line-index.ts';
import { streamFileOf } from '../exports/files/streams.ts';
import type { ExportStreamName } from '../exports/tasks/export-task.types.ts';
import { AppError } from '../shared/errors.ts';
import type { ExportTaskTable } from '../store/schema.ts';
import type { GraphqlContext } from './graphql.context.ts';

export type TaskStreamType = 'RESULT' | 'ERRORS';

const STREAM: Record<TaskStreamType, ExportStreamName> = { RESULT: 'result', ERRORS: 'errors' };

/** Sizes of a stream; null when it is empty (never `totalSize: 0`, which the SDK would misread). */
export async function metadataHeader(row: ExportTaskTable, type: TaskStreamType) {
  const name = STREAM[type];
  const bytes = name === 'result' ? row.result_bytes : row.errors_bytes;
  if (row.status === 'COMPLETE' && !bytes) return null;
  const file = await streamFileOf(row, name);
  return { totalSize: file.totalBytes, totalLines: file.totalLines };
}

export async function fileFromOffset(
  ctx: GraphqlContext,
  row: ExportTaskTable,
  type: TaskStreamType,
  offset: number,
) {
  const name = STREAM[type];
  const file = await streamFileOf(row, name);
  if (offset >= file.totalBytes) {
    throw new AppError(
      'RANGE_NOT_SATISFIABLE',
      `offset ${offset} is at or past the end of the ${name} stream (${file.totalBytes} bytes)`,
    );
  }
  return chunkAt(ctx, row.id, name, file.path, offset);
}

/** The chunk that starts at the first byte of `line`, with the same size and link rules. */
export async function fileFromLine(
  ctx: GraphqlContext,
  row: ExportTaskTable,
  type: TaskStreamType,
  line: number,
) {
  const name = STREAM[type];
  const file = await streamFileOf(row, name);
  const offset = line < file.totalLines ? await offsetOfLine(file.path, line) : undefined;
  if (offset === undefined || offset >= file.totalBytes) {
    throw new AppError(
      'RANGE_NOT_SATISFIABLE',
      `line ${line} is at or past the end of the ${name} stream (${file.totalLines} lines)`,
    );
  }
  return chunkAt(ctx, row.id, name, file.path, offset);
}

async function chunkAt(
  ctx: GraphqlContext,
  taskId: string,
  name: ExportStreamName,
  path: string,
  offset: number,
) {
  ctx.budget.take(ctx.links.chunkBytes);
  const chunk = await readChunkRange(path, offset, ctx.links.chunkBytes);
  return {
    offsets: chunk.offsets,
    lines: chunk.lines,
    file: ctx.links.fileUrl({ taskId, stream: name, ...chunk.offsets }),
  };
}
