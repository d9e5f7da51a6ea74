/**
 * Routes of the labeling workflow: the queue, label submits and skips (with idempotency keys),
 * reading labels, reviews, bulk moves and comments. Each parses, calls one service, and maps the
 * service's answer to the wire form of `@prefer/schemas` (wire/workflow.ts).
 */
import { leaseSchema, nextRowSchema, queueStatsSchema } from '@prefer/schemas';
import { auditHookOf } from '../audit/audit.record.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { formatV2 } from '../shared/time.ts';
import { renewLease } from './lease.service.ts';
import { myWorkRoutes } from './my-work.routes.ts';
import { nextRow } from './queue.service.ts';
import { queueStats } from './queue.stats.ts';
import { reviewQueueRoutes } from './review-queue.routes.ts';
import { rowRoutes } from './row.routes.ts';
import { labelRoutes } from './submit.routes.ts';
import {
  leasedRowWire,
  leaseMsOf,
  nextBody,
  projectParams,
  queueNextBody,
  rowParams,
} from './workflow.schemas.ts';

export function workflowRoutes(api: ApiRouter): void {
  queueRoutes(api);
  reviewQueueRoutes(api);
  labelRoutes(api);
  rowRoutes(api);
  myWorkRoutes(api);
}

function queueRoutes(api: ApiRouter): void {
  const { store } = api;
  api.route({
    method: 'post',
    path: '/projects/:projectId/queue/next',
    auditInWrite: true,
    summary:
      'Lease the next row to label (batch priority, then age); the same row again while you hold its lease; with ahead: true, the row after it, leased besides it (a prefetch, which becomes your current row once you submit or skip the first); 204 when nothing is left for you',
    tag: 'workflow',
    permission: 'queue.label',
    params: projectParams,
    body: queueNextBody,
    responses: {
      200: { description: 'The leased row, with its newest pre-label (or null)', schema: nextRowSchema },
      204: { description: 'No row is waiting for this labeler' },
    },
    handler: async (c, { actor, access, params, body }) => {
      const row = await nextRow(store, actor, {
        projectId: params.projectId,
        auditHook: auditHookOf(c),
        project: access?.project,
        leaseMs: leaseMsOf(body),
        ahead: body.ahead,
      });
      if (!row) return c.body(null, 204);
      return c.json({ ...leasedRowWire(row), pre_label: row.preLabel });
    },
  });
  api.route({
    method: 'post',
    path: '/projects/:projectId/leases/:dataRowId/renew',
    summary:
      'Renew your lease on a row you are labeling or reviewing (lease_seconds from now, 30 minutes by default), and your row ahead with it; 409 LEASE_LOST when the row is no longer yours',
    tag: 'workflow',
    permission: 'leases.renew',
    params: rowParams,
    body: nextBody,
    responses: {
      200: { description: 'The lease, renewed', schema: leaseSchema },
      404: { description: 'The data row is not in the project' },
      409: {
        description: 'LEASE_LOST: someone else holds the row, or it moved on (submitted, reviewed, moved)',
      },
    },
    handler: async (c, { actor, params, body }) => {
      const lease = await renewLease(store, actor, { ...params, leaseMs: leaseMsOf(body) });
      return c.json({ data_row_id: lease.dataRowId, lease_expires_at: formatV2(lease.leaseExpiresAt) });
    },
  });
  api.route({
    method: 'get',
    path: '/projects/:projectId/queue/stats',
    summary: 'Rows per workflow status, live leases, and the row the caller holds',
    tag: 'workflow',
    permission: 'project.read',
    params: projectParams,
    responses: { 200: { description: 'Queue statistics', schema: queueStatsSchema } },
    handler: async (c, { actor, params }) => {
      const s = await queueStats(store, actor, params.projectId);
      return c.json({
        counts: s.counts,
        leased: s.leased,
        held: s.held && { data_row_id: s.held.dataRowId, lease_expires_at: formatV2(s.held.leaseExpiresAt) },
      });
    },
  });
}
