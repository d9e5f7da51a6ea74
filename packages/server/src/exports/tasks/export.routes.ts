/**
 * Starting exports: `POST /projects/:projectId/exports` (export v2) and `POST /projects/:projectId/label-exports`
 * (V1). Both answer 202 with the task at once; a worker runs it. `POST /projects/:projectId/exports/stream`
 * answers the export v2 rows themselves, streamed as they are assembled.
 */
import type { ServerResponse } from 'node:http';
import { createdTaskSchema } from '@prefer/schemas';
import type { Context } from 'hono';
import { z } from 'zod';
import type { AuthEnv } from '../../auth/require-actor.ts';
import type { ApiRouter } from '../../http/api-router.ts';
import { projectParams } from '../../projects/project.routes.ts';
import { AppError } from '../../shared/errors.ts';
import { parseExportRequest } from '../request/export.request.ts';
import { startExport, startLabelExport } from './export-start.service.ts';
import { streamExportV2 } from './export-stream.ts';
import type { StreamGate } from './stream-gate.ts';

const exportBody = z.strictObject({
  params: z.unknown().optional(),
  filters: z.unknown().optional(),
  task_name: z.string().max(256).nullable().optional(),
  timezone: z.string().nullable().optional(),
});
const streamBody = exportBody.omit({ task_name: true });

const date = z.string().nullable().optional();
const labelExportBody = z.strictObject({
  start: date,
  end: date,
  last_activity_start: date,
  last_activity_end: date,
  timezone: z.string().nullable().optional(),
});

/** Seconds a refused client should wait: exports of a few thousand rows take about this long. */
const RETRY_AFTER_SECONDS = 10;

export function exportRoutes(api: ApiRouter, streams: StreamGate): void {
  const { store } = api;
  api.route({
    method: 'post',
    path: '/projects/:projectId/exports',
    summary: 'Start an export v2 task (params, filters, task name)',
    tag: 'exports',
    permission: 'export',
    params: projectParams,
    body: exportBody,
    responses: {
      202: { description: 'The task, IN_PROGRESS; poll GET /export-tasks/{id}', schema: createdTaskSchema },
    },
    handler: async (c, { actor, params, body }) => {
      const task = await withRetryAfter(c, () =>
        startExport(store, actor, {
          projectId: params.projectId,
          params: body.params,
          filters: body.filters,
          timezone: body.timezone,
          taskName: body.task_name,
        }),
      );
      return c.json(task, 202);
    },
  });
  api.route({
    method: 'post',
    path: '/projects/:projectId/exports/stream',
    summary: 'Export v2 rows streamed in the response, without a task',
    tag: 'exports',
    permission: 'export',
    params: projectParams,
    body: streamBody,
    responses: { 200: { description: 'One export v2 row per line', contentType: 'application/x-ndjson' } },
    handler: async (c, { actor, params, body }) => {
      const request = parseExportRequest({
        params: body.params,
        filters: body.filters,
        timezone: body.timezone ?? undefined,
      });
      const rows = await withRetryAfter(c, () =>
        streamExportV2(store, actor, params.projectId, request, streams, () => hangUp(c)),
      );
      return c.body(rows, 200, { 'Content-Type': 'application/x-ndjson; charset=utf-8' });
    },
  });
  api.route({
    method: 'post',
    path: '/projects/:projectId/label-exports',
    summary: 'Start a legacy V1 label export task',
    tag: 'exports',
    permission: 'export',
    params: projectParams,
    body: labelExportBody,
    responses: { 202: { description: 'The task, IN_PROGRESS', schema: createdTaskSchema } },
    handler: async (c, { actor, params, body }) => {
      const task = await withRetryAfter(c, () =>
        startLabelExport(store, actor, {
          projectId: params.projectId,
          start: body.start,
          end: body.end,
          lastActivityStart: body.last_activity_start,
          lastActivityEnd: body.last_activity_end,
          timezone: body.timezone,
        }),
      );
      return c.json(task, 202);
    },
  });
}

/** Drops the connection under a response (served by @hono/node-server); false in-process. */
function hangUp(c: Context<AuthEnv>): boolean {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (!outgoing || outgoing.destroyed) return false;
  outgoing.destroy();
  return true;
}

/** A 429 carries Retry-After, which the SDK honours; the error handler keeps headers set here. */
export async function withRetryAfter<T>(c: Context<AuthEnv>, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError && err.code === 'RATE_LIMITED')
      c.header('Retry-After', String(RETRY_AFTER_SECONDS));
    throw err;
  }
}
