/**
 * Starting exports: `POST /projects/:id/exports` (export v2) and `POST /projects/:id/label-exports`
 * (V1). Both answer 202 with the task at once; a worker runs it. `POST /projects/:id/exports/stream`
 * answers the export v2 rows themselves, streamed as they are assembled.
 */
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { type AuthEnv, requireActor } from '../auth/require-actor.ts';
import { jsonBodyLimit, readJsonBody } from '../http/json-body.ts';
import { AppError } from '../shared/errors.ts';
import type { Store } from '../store/store.ts';
import { parseExportRequest } from './export.request.ts';
import { startExport, startLabelExport } from './export-start.service.ts';
import { streamExportV2 } from './export-stream.ts';

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

export function exportRoutes(store: Store) {
  const auth = requireActor(store);
  return new Hono<AuthEnv>()
    .post('/projects/:id/exports', auth, jsonBodyLimit, async (c) => {
      const body = await readJsonBody(c, exportBody);
      const task = await withRetryAfter(c, () =>
        startExport(store, c.get('actor'), {
          projectId: c.req.param('id'),
          params: body.params,
          filters: body.filters,
          timezone: body.timezone,
          taskName: body.task_name,
        }),
      );
      return c.json(task, 202);
    })
    .post('/projects/:id/exports/stream', auth, jsonBodyLimit, async (c) => {
      const body = await readJsonBody(c, streamBody);
      const request = parseExportRequest({
        params: body.params,
        filters: body.filters,
        timezone: body.timezone ?? undefined,
      });
      const rows = await streamExportV2(store, c.get('actor'), c.req.param('id'), request);
      return c.body(rows, 200, { 'Content-Type': 'application/x-ndjson; charset=utf-8' });
    })
    .post('/projects/:id/label-exports', auth, jsonBodyLimit, async (c) => {
      const body = await readJsonBody(c, labelExportBody);
      const task = await withRetryAfter(c, () =>
        startLabelExport(store, c.get('actor'), {
          projectId: c.req.param('id'),
          start: body.start,
          end: body.end,
          lastActivityStart: body.last_activity_start,
          lastActivityEnd: body.last_activity_end,
          timezone: body.timezone,
        }),
      );
      return c.json(task, 202);
    });
}

/** A 429 carries Retry-After, which the SDK honours; the error handler keeps headers set here. */
async function withRetryAfter<T>(c: Context<AuthEnv>, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError && err.code === 'RATE_LIMITED')
      c.header('Retry-After', String(RETRY_AFTER_SECONDS));
    throw err;
  }
}
