/**
 * Reading export tasks: `GET /export-tasks/:id` (state) and `GET /export-tasks/:id/result|errors`
 * (the files, streamed, with HTTP Range so clients resume a broken download by byte offset).
 * The same files also answer at `/export-results|export-errors/:id/:orgId`, the URLs the Labelbox
 * SDK builds for `ExportTask.result_url` and `errors_url` from its `rest_endpoint`.
 */

import { exportTaskSchema } from '@prefer/schemas';
import type { Context } from 'hono';
import { z } from 'zod';
import type { AuthEnv } from '../../auth/require-actor.ts';
import type { ApiRouter } from '../../http/api-router.ts';
import type { Actor } from '../../orgs/actor.ts';
import { pageOf, pageQuery } from '../../shared/cursor.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import type { ExportTaskTable } from '../../store/schema.ts';
import type { Store } from '../../store/store.ts';
import { CONVERSION_TASK_TYPE, conversionFileKind } from '../../training/conversion.options.ts';
import { STATS_FILE_KIND, STATS_TASK_TYPE } from '../../training/stats.options.ts';
import { parseRange, streamResponse } from '../files/stream-response.ts';
import { type OpenedExportStream, openStreamFile, streamFileOf } from '../files/streams.ts';
import { findExportTask, getExportTask, listExportTaskPage } from './export-task.service.ts';
import type { ExportStreamName } from './export-task.types.ts';

const taskParams = z.object({ id: z.string().min(1).max(64) });

/** A task's project, for the permission check: another organization's task is NOT_FOUND. */
const projectOfTask = async (store: Store, actor: Actor, params: { id: string }) =>
  (await findExportTask(store, actor, params.id)).project_id;

/** The SDK's URLs name the organization too: another one's answers as a missing task. */
const sdkParams = taskParams.extend({ orgId: z.string().min(1).max(64) });
const projectOfSdkTask = async (store: Store, actor: Actor, params: { id: string; orgId: string }) => {
  if (params.orgId !== actor.orgId) throw notFound('export task', params.id);
  return projectOfTask(store, actor, params);
};

export function exportTaskRoutes(api: ApiRouter): void {
  const { store } = api;
  api.route({
    method: 'get',
    path: '/export-tasks/:id',
    summary: 'Get an export task: status, progress, stream sizes',
    tag: 'exports',
    permission: 'export',
    params: taskParams,
    projectOf: projectOfTask,
    responses: { 200: { description: 'The task', schema: exportTaskSchema } },
    handler: async (c, { actor, params }) => c.json(await getExportTask(store, actor, params.id)),
  });
  api.route({
    method: 'get',
    path: '/projects/:projectId/export-tasks',
    summary: "List the project's export tasks, newest first (cursor pages)",
    tag: 'exports',
    permission: 'export',
    params: z.object({ projectId: z.string().min(1).max(64) }),
    query: z.strictObject(pageQuery),
    responses: { 200: { description: 'A page of tasks', schema: pageOf(exportTaskSchema) } },
    handler: async (c, { actor, params, query }) =>
      c.json(await listExportTaskPage(store, actor, params.projectId, query)),
  });
  for (const name of ['result', 'errors'] as const) {
    // The same file at two addresses: prefer's own, and the one the Labelbox SDK builds.
    const responses = {
      200: { description: `The whole ${name} file`, contentType: 'application/x-ndjson' },
      206: { description: 'The requested byte range', contentType: 'application/x-ndjson' },
    } as const;
    api.route({
      method: 'get',
      path: `/export-tasks/:id/${name}`,
      summary: `Read the task's ${name} stream (HTTP Range supported; X-Total-Bytes and X-Total-Lines headers)`,
      tag: 'exports',
      permission: 'export',
      params: taskParams,
      projectOf: projectOfTask,
      responses,
      handler: (c) => serveStream(store, c, name),
    });
    api.route({
      method: 'get',
      path: `/export-${name === 'result' ? 'results' : 'errors'}/:id/:orgId`,
      summary: `The task's ${name} stream at the Labelbox SDK's ExportTask.${name}_url (as /export-tasks/:id/${name})`,
      tag: 'exports',
      permission: 'export',
      params: sdkParams,
      projectOf: projectOfSdkTask,
      responses,
      handler: (c) => serveStream(store, c, name),
    });
  }
}

async function serveStream(store: Store, c: Context<AuthEnv>, name: ExportStreamName): Promise<Response> {
  const actor = c.get('actor');
  const id = c.req.param('id') ?? '';
  // One read of the task row serves the checks, the file and the headers.
  const task = await findExportTask(store, actor, id);
  const range = parseRange(c.req.header('range'));
  const file = await streamFileOf(task, name);
  let opened: OpenedExportStream;
  try {
    opened = openStreamFile(file, name, range ?? {});
  } catch (err) {
    if (err instanceof AppError && err.code === 'RANGE_NOT_SATISFIABLE') {
      c.header('Content-Range', `bytes */${file.totalBytes}`);
    }
    throw err;
  }
  const kind = fileKind(task, name);
  const length = opened.totalBytes === 0 ? 0 : opened.end - opened.start + 1;
  const headers: Record<string, string> = {
    'Content-Type': kind.contentType,
    'Content-Length': String(length),
    'Content-Disposition': `attachment; filename="${kind.base}-${task.id}-${name}.${kind.ext}"`,
    'Accept-Ranges': 'bytes',
    'X-Total-Bytes': String(opened.totalBytes),
    'X-Total-Lines': String(opened.totalLines),
    'Cache-Control': 'private, no-store',
  };
  if (opened.sha256) headers['X-Content-SHA256'] = opened.sha256;
  if (range) headers['Content-Range'] = `bytes ${opened.start}-${opened.end}/${opened.totalBytes}`;
  return streamResponse(c, opened, range ? 206 : 200, headers);
}

/** What a stream holds: export v2 NDJSON, a V1 JSON array, a conversion's JSONL or tar, a report. */
function fileKind(task: ExportTaskTable, name: ExportStreamName) {
  if (task.type === 'export-labels')
    return { contentType: 'application/json; charset=utf-8', ext: 'json', base: 'export' };
  if (task.type === CONVERSION_TASK_TYPE && name === 'result')
    return { ...conversionFileKind(JSON.parse(task.params)), base: 'training' };
  if (task.type === STATS_TASK_TYPE && name === 'result') return { ...STATS_FILE_KIND, base: 'stats' };
  return { contentType: 'application/x-ndjson; charset=utf-8', ext: 'ndjson', base: 'export' };
}
