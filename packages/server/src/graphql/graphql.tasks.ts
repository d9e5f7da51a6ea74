/**
 * Export tasks as GraphQL `Task` objects: state for the SDK's polling, its creator and
 * organization, and the stream fields it reads a finished export through (a size header, then
 * chunks by byte offset or by line, each a signed link). Reading goes through
 * exports/streams.ts: only final files matching their manifest.
 */
import { authorizeProject } from '../auth/permissions.ts';
import { findExportTask } from '../exports/export-task.service.ts';
import type { ExportStreamName } from '../exports/export-task.types.ts';
import { readChunkRange } from '../exports/streams.chunk.ts';
import { offsetOfLine } from '../exports/streams.line-index.ts';
import { streamFileOf } from '../exports/streams.ts';
import { AppError } from '../shared/errors.ts';
import type { ExportTaskTable } from '../store/schema.ts';
import type { GraphqlContext } from './graphql.context.ts';
import { organizationObject, userObject } from './graphql.users.ts';

export type TaskStreamType = 'RESULT' | 'ERRORS';

const STREAM: Record<TaskStreamType, ExportStreamName> = { RESULT: 'result', ERRORS: 'errors' };

/** Tasks are read by people who may export from their project (as `GET /export-tasks/:id`). */
export async function readableTask(ctx: GraphqlContext, id: string): Promise<ExportTaskTable> {
  const row = await findExportTask(ctx.store, ctx.actor, id);
  await authorizeProject(ctx.store.db, ctx.actor, row.project_id, 'export');
  return row;
}

export function taskObject(row: ExportTaskTable) {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    status: row.status,
    completionPercentage: row.completion_percentage,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    // Export files are read by offset (below), never through URLs in these fields.
    result: null,
    errors: null,
    metadata: null,
    exportMetadataHeader: (args: { streamType: TaskStreamType }) => metadataHeader(row, args.streamType),
    exportFileFromOffset: (args: { streamType: TaskStreamType; offset: number }, ctx: GraphqlContext) =>
      fileFromOffset(ctx, row, args.streamType, args.offset),
    exportFileFromLine: (args: { streamType: TaskStreamType; line: number }, ctx: GraphqlContext) =>
      fileFromLine(ctx, row, args.streamType, args.line),
    // The creator is a user of the task's organization, which is the caller's.
    createdBy: (_args: unknown, ctx: GraphqlContext) => userObject(ctx, row.created_by),
    organization: (_args: unknown, ctx: GraphqlContext) => organizationObject(ctx.store, row.org_id),
  };
}

/** Sizes of a stream; null when it is empty (never `totalSize: 0`, which the SDK would misread). */
async function metadataHeader(row: ExportTaskTable, type: TaskStreamType) {
  const name = STREAM[type];
  const bytes = name === 'result' ? row.result_bytes : row.errors_bytes;
  if (row.status === 'COMPLETE' && !bytes) return null;
  const file = await streamFileOf(row, name);
  return { totalSize: file.totalBytes, totalLines: file.totalLines };
}

async function fileFromOffset(
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
async function fileFromLine(ctx: GraphqlContext, row: ExportTaskTable, type: TaskStreamType, line: number) {
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
