/**
 * The manager's reads of a project: `GET /projects/:projectId/overview` (progress over time,
 * labelers, rates) and `GET /projects/:projectId/data-rows` (the data row browser).
 */
import { overviewSchema, projectRowSchema } from '@prefer/schemas';
import { z } from 'zod';
import { checkTimezone } from '../exports/request/export-dates.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { pageOf, pageQuery } from '../shared/cursor.ts';
import { formatV2 } from '../shared/time.ts';
import { projectOverview } from './overview.service.ts';
import { projectParams } from './project.routes.ts';
import { listProjectRows } from './project-rows.service.ts';

const overviewQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(90).default(14).describe('Calendar days covered, today included'),
  timezone: z
    .string()
    .max(64)
    .default('UTC')
    .describe('IANA time zone the days are counted in, e.g. Europe/Paris (default UTC)'),
});

const rowsQuery = z.strictObject({
  ...pageQuery,
  global_key: z.string().max(256).optional().describe('Part of the global key, any case'),
  status: z.enum(['TO_LABEL', 'IN_REVIEW', 'IN_REWORK', 'DONE']).optional(),
  batch_id: z.string().max(64).optional(),
  labeler: z.string().max(320).optional().describe('The email of a user with a label on the row'),
});

export function consoleRoutes(api: ApiRouter): void {
  const { store } = api;
  api.route({
    method: 'get',
    path: '/projects/:projectId/overview',
    summary:
      "The project's progress: rows per workflow status at the end of each day, labels per labeler per day, median active time, skip and review rejection rates",
    tag: 'projects',
    permission: 'project.monitor',
    params: projectParams,
    query: overviewQuery,
    responses: { 200: { description: 'The overview', schema: overviewSchema } },
    handler: async (c, { actor, params, query }) => {
      checkTimezone(query.timezone);
      const o = await projectOverview(store, actor, {
        projectId: params.projectId,
        days: query.days,
        timezone: query.timezone,
      });
      return c.json({
        days: o.days,
        timezone: o.timezone,
        counts: o.counts,
        rows_total: o.rowsTotal,
        series: o.series,
        labelers: o.labelers.map((l) => ({
          user_id: l.userId,
          email: l.email,
          name: l.name,
          labels: l.labels,
          skips: l.skips,
          total: l.total,
          median_seconds_to_create: l.medianSecondsToCreate,
        })),
        labels: o.labels,
        skips: o.skips,
        reviews: o.reviews,
        rejections: o.rejections,
        median_seconds_to_create: o.medianSecondsToCreate,
        skip_rate: o.skipRate,
        review_rejection_rate: o.reviewRejectionRate,
        generated_at: formatV2(o.generatedAt),
      });
    },
  });
  api.route({
    method: 'get',
    path: '/projects/:projectId/data-rows',
    summary:
      "Browse the project's data rows in id order with batch, workflow status and labelers; search by global key, filter by status, batch or labeler",
    tag: 'projects',
    permission: 'project.monitor',
    params: projectParams,
    query: rowsQuery,
    responses: { 200: { description: 'A page of rows', schema: pageOf(projectRowSchema) } },
    handler: async (c, { actor, params, query }) =>
      c.json(
        await listProjectRows(
          store,
          actor,
          params.projectId,
          {
            globalKey: query.global_key,
            status: query.status,
            batchId: query.batch_id,
            labeler: query.labeler,
          },
          query,
        ),
      ),
  });
}
