/**
 * The review queue over HTTP: `POST review-queue/next` leases the next row in review to the
 * caller with its labels, comments and consensus. Decisions go through `labels/:labelId/review`.
 */
import { reviewRowSchema } from '@prefer/schemas';
import type { ApiRouter } from '../http/api-router.ts';
import { nextReview } from './review-queue.service.ts';
import { commentWire } from './row.routes.ts';
import { leasedRowWire, leaseMsOf, nextBody, projectParams } from './workflow.schemas.ts';

export function reviewQueueRoutes(api: ApiRouter): void {
  const { store } = api;
  api.route({
    method: 'post',
    path: '/projects/:projectId/review-queue/next',
    summary:
      'Lease the next row in review (batch priority, then age), never one you labeled, with its labels, comments and consensus; the same row again while you hold it; 204 when nothing is waiting for you',
    tag: 'workflow',
    permission: 'reviews.write',
    params: projectParams,
    body: nextBody,
    responses: {
      200: { description: 'The leased row with what a decision needs', schema: reviewRowSchema },
      204: { description: 'No row in review is waiting for this reviewer' },
    },
    handler: async (c, { actor, access, params, body }) => {
      const row = await nextReview(store, actor, {
        projectId: params.projectId,
        role: access!.role,
        leaseMs: leaseMsOf(body),
      });
      if (!row) return c.body(null, 204);
      return c.json({
        ...leasedRowWire(row),
        labels: row.labels,
        comments: row.comments.map(commentWire),
        consensus: row.consensus && {
          labels_wanted: row.consensus.labelsWanted,
          agreement: row.consensus.agreement,
        },
      });
    },
  });
}
