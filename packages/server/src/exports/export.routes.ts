/**
 * Starting exports: `POST /projects/:id/exports` (export v2) and `POST /projects/:id/label-exports`
 * (V1). Both answer 202 with the task at once; a worker runs it.
 */
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { type AuthEnv, requireActor } from '../auth/require-actor.ts';
import { jsonBodyLimit, readJsonBody } from '../http/json-body.ts';
import { AppError } from '../shared/errors.ts';
import type { Store } from '../store/store.ts';
import {
  type ExportFilters,
  type ExportRequest,
  parseExportRequest,
  type TimeRange,
} from './export.request.ts';
import { createExportTask } from './export-task.service.ts';

const exportBody = z.strictObject({
  params: z.unknown().optional(),
  filters: z.unknown().optional(),
  task_name: z.string().max(256).nullable().optional(),
  timezone: z.string().nullable().optional(),
});

const date = z.string().nullable().optional();
const labelExportBody = z.strictObject({
  start: date,
  end: date,
  last_activity_start: date,
  last_activity_end: date,
  timezone: z.string().nullable().optional(),
});

export function exportRoutes(store: Store) {
  const auth = requireActor(store);
  return new Hono<AuthEnv>()
    .post('/projects/:id/exports', auth, jsonBodyLimit, async (c) => {
      const body = await readJsonBody(c, exportBody);
      const request = parseExportRequest(body);
      const task = await withRetryAfter(c, () =>
        createExportTask(store, c.get('actor'), {
          projectId: c.req.param('id'),
          type: 'export-data-rows',
          name: body.task_name ?? null,
          ...storedRequest(request),
        }),
      );
      return c.json(task, 202);
    })
    .post('/projects/:id/label-exports', auth, jsonBodyLimit, async (c) => {
      const body = await readJsonBody(c, labelExportBody);
      const request = parseExportRequest({
        timezone: body.timezone,
        filters: {
          label_created_at: [body.start ?? null, body.end ?? null],
          last_activity_at: [body.last_activity_start ?? null, body.last_activity_end ?? null],
        },
      });
      const task = await withRetryAfter(c, () =>
        createExportTask(store, c.get('actor'), {
          projectId: c.req.param('id'),
          type: 'export-labels',
          ...storedRequest(request),
        }),
      );
      return c.json(task, 202);
    });
}

/** Seconds a refused client should wait: exports of a few thousand rows take about this long. */
const RETRY_AFTER_SECONDS = 10;

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

/**
 * What a task stores: the request in the SDK's own shape (so whoever runs it can parse it again
 * with `parseExportRequest`), with every date already resolved to an exact UTC instant. The
 * caller's timezone is thus applied once, at creation, and needs no storing.
 */
export function storedRequest(request: ExportRequest): { params: unknown; filters: unknown } {
  const f: ExportFilters = request.filters;
  const filters: Record<string, unknown> = {};
  if (f.lastActivityAt) filters.last_activity_at = isoRange(f.lastActivityAt);
  if (f.labelCreatedAt) filters.label_created_at = isoRange(f.labelCreatedAt);
  if (f.dataRowIds) filters.data_row_ids = f.dataRowIds;
  if (f.globalKeys) filters.global_keys = f.globalKeys;
  if (f.batchIds) filters.batch_ids = f.batchIds;
  if (f.workflowStatus) filters.workflow_status = WORKFLOW_FILTER[f.workflowStatus];
  return { params: request.params, filters };
}

const isoRange = ([start, end]: TimeRange) => [iso(start), iso(end)];
// With milliseconds and `Z`, a bound parses back to exactly this instant (no whole-day widening).
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const WORKFLOW_FILTER = {
  TO_LABEL: 'ToLabel',
  IN_REVIEW: 'InReview',
  IN_REWORK: 'InRework',
  DONE: 'Done',
} as const;
