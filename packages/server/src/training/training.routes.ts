/**
 * Training data and analytics of a project: `POST /projects/:projectId/conversions` starts a
 * conversion task and `POST /projects/:projectId/stats` a stats task (each read, downloaded and
 * retained like any export task, at /export-tasks/:id); `GET /projects/:projectId/stats` answers
 * the analytics `prefer stats --json` prints in the request, for projects up to a row limit.
 */
import { createdTaskSchema, statsReportSchema } from '@prefer/schemas';
import { z } from 'zod';
import { withRetryAfter } from '../exports/tasks/export.routes.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { projectParams } from '../projects/project.routes.ts';
import { conversionOptionsSchema } from './conversion.options.ts';
import { startConversion } from './conversion.service.ts';
import { MAX_BOOTSTRAP, statsOptionsSchema } from './stats.options.ts';
import { projectStats, startStats } from './stats.service.ts';

const conversionBody = conversionOptionsSchema.extend({
  /** Export filters (as for `POST /projects/:projectId/exports`): which data rows are converted. */
  filters: z.unknown().optional(),
  timezone: z.string().nullable().optional(),
  task_name: z.string().max(256).nullable().optional(),
});

const statsBody = statsOptionsSchema.extend({
  /** Export filters (as for `POST /projects/:projectId/exports`): which data rows count. */
  filters: z.unknown().optional(),
});

const whole = (min: number, max?: number) => {
  const n = z.coerce.number().int().min(min);
  return max === undefined ? n : n.max(max);
};
const statsQuery = z.strictObject({
  anchor: z.string().min(1).max(512).optional(),
  bootstrap: whole(0, MAX_BOOTSTRAP).default(200),
  seed: whole(0, 2 ** 31 - 1).optional(),
  min_comparisons: whole(0).default(5),
  /** A mapping file's content as JSON text (URL-encoded). */
  mapping: z.string().max(65_536).optional(),
});

export interface TrainingRouteOptions {
  /** Labelled rows up to which GET /projects/:projectId/stats computes in the request. */
  statsSyncMaxRows?: number | undefined;
}

export function trainingRoutes(api: ApiRouter, options: TrainingRouteOptions = {}): void {
  const { store } = api;
  api.route({
    method: 'post',
    path: '/projects/:projectId/conversions',
    summary: 'Start a training-data conversion task (format, policies, mapping, filters, output)',
    tag: 'training',
    permission: 'export',
    params: projectParams,
    body: conversionBody,
    responses: {
      202: {
        description:
          'The task, IN_PROGRESS; poll GET /export-tasks/{id}, then read /export-tasks/{id}/result',
        schema: createdTaskSchema,
      },
    },
    handler: async (c, { actor, params, body }) => {
      const { filters, timezone, task_name, ...options } = body;
      const task = await withRetryAfter(c, () =>
        startConversion(store, actor, {
          projectId: params.projectId,
          options,
          filters,
          timezone,
          taskName: task_name,
        }),
      );
      return c.json(task, 202);
    },
  });
  api.route({
    method: 'post',
    path: '/projects/:projectId/stats',
    summary:
      'Start a stats task: preference analytics (as prefer stats --json) computed by a worker, the report as its result',
    tag: 'training',
    permission: 'analytics',
    params: projectParams,
    body: statsBody,
    responses: {
      202: {
        description:
          'The task (training-stats), IN_PROGRESS; poll GET /export-tasks/{id}, then read the report at /export-tasks/{id}/result',
        schema: createdTaskSchema,
      },
    },
    handler: async (c, { actor, params, body }) => {
      const { filters, ...rest } = body;
      const task = await withRetryAfter(c, () =>
        // The body is parsed again there (as the worker parses the stored task), defaults included.
        startStats(store, actor, { projectId: params.projectId, options: rest, filters }),
      );
      return c.json(task, 202);
    },
  });
  api.route({
    method: 'get',
    path: '/projects/:projectId/stats',
    summary:
      'Preference analytics computed in the request (as prefer stats --json); refused above PREFER_STATS_SYNC_MAX_ROWS labelled rows: POST starts a task',
    tag: 'training',
    permission: 'analytics',
    params: projectParams,
    query: statsQuery,
    responses: {
      200: { description: 'The report', schema: statsReportSchema },
      409: { description: 'The project has more labelled rows than the limit: use POST (a task)' },
    },
    handler: async (c, { actor, params, query }) =>
      c.json(
        await projectStats(store, actor, params.projectId, {
          anchor: query.anchor,
          bootstrap: query.bootstrap,
          seed: query.seed,
          minComparisons: query.min_comparisons,
          mapping: query.mapping,
          maxRows: options.statsSyncMaxRows,
        }),
      ),
  });
}
