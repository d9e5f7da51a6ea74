/**
 * The caller's own work in a project: their labels sent back to rework (with the reviewer's
 * reason) and their home figures.
 */
import { myStatsSchema, reworkLabelSchema } from '@prefer/schemas';
import { z } from 'zod';
import type { ApiRouter } from '../http/api-router.ts';
import { pageOf, pageQuery } from '../shared/cursor.ts';
import { formatV2, parseIsoWithOffset } from '../shared/time.ts';
import { myStats } from './my-stats.service.ts';
import { listRework } from './rework.service.ts';
import { projectParams } from './workflow.schemas.ts';

const statsQuery = z.strictObject({
  since: z
    .string()
    .max(64)
    .refine(
      (v) => parseIsoWithOffset(v) !== undefined,
      'must be an ISO 8601 time with an offset, e.g. 2026-12-02T00:00:00+01:00',
    )
    .optional()
    .describe(
      'Where the *_since counts start: the start of your local day (default: the start of the UTC day)',
    ),
});

export function myWorkRoutes(api: ApiRouter): void {
  const { store } = api;
  api.route({
    method: 'get',
    path: '/projects/:projectId/rework',
    summary:
      "Your labels of rows sent back to rework, oldest first, each with the row's latest rejection (reason, reviewer); resubmit with POST labels",
    tag: 'labels',
    permission: 'queue.label',
    params: projectParams,
    query: z.strictObject(pageQuery),
    responses: { 200: { description: 'A page of your labels in rework', schema: pageOf(reworkLabelSchema) } },
    handler: async (c, { actor, access, params, query }) =>
      c.json(await listRework(store, actor, { projectId: params.projectId, role: access!.role, ...query })),
  });
  api.route({
    method: 'get',
    path: '/projects/:projectId/me/stats',
    summary:
      'Your figures in the project: labels, skips and reviews since a time and in all, rows in the project, your median seconds per label',
    tag: 'workflow',
    permission: 'project.read',
    params: projectParams,
    query: statsQuery,
    responses: { 200: { description: 'Your figures', schema: myStatsSchema } },
    handler: async (c, { actor, params, query }) => {
      const since = query.since === undefined ? undefined : parseIsoWithOffset(query.since);
      const s = await myStats(store, actor, { projectId: params.projectId, since });
      return c.json({
        since: formatV2(s.since),
        labels_since: s.labelsSince,
        labels_total: s.labelsTotal,
        skips_since: s.skipsSince,
        skips_total: s.skipsTotal,
        reviews_since: s.reviewsSince,
        reviews_total: s.reviewsTotal,
        rows_total: s.rowsTotal,
        median_seconds_to_create: s.medianSecondsToCreate,
      });
    },
  });
}
