/**
 * Labels over the API: submit and skip (idempotent by the `Idempotency-Key` header), list and
 * read (a labeler only their own), review. Rework is a submit on a row in rework: it edits the
 * labeler's label in place and sends the row back to review.
 */
import { labelSchema, reviewResultSchema, submitResultSchema } from '@prefer/schemas';
import { z } from 'zod';
import { auditHookOf } from '../audit/audit.record.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { withFieldNames } from '../http/field-names.ts';
import { getLabel, listLabels } from './label-read.service.ts';
import { reviewLabel } from './review.service.ts';
import { MAX_KEY_LENGTH } from './submit.input.ts';
import { type SubmitResult, skipRow, submitLabel } from './submit.service.ts';
import {
  labelPageSchema,
  labelParams,
  labelsQuery,
  projectParams,
  reviewBody,
  skipBody,
  submitBody,
} from './workflow.schemas.ts';

const KEY_PATTERN = new RegExp(`^[\\x21-\\x7e]{1,${MAX_KEY_LENGTH}}$`);

const KEY_NOTE =
  'Needs an Idempotency-Key header (1-200 characters): a retry with the same key and body answers the first result and writes nothing; the same key with another body is a 409.';

/** `Idempotency-Key`: required, 1 to 200 visible ASCII characters, scoped to the caller and project. */
const idempotencyHeaders = z.object({
  'Idempotency-Key': z
    .string({ error: 'is required (a fresh random string per label)' })
    .regex(KEY_PATTERN, `must be 1 to ${MAX_KEY_LENGTH} visible ASCII characters`)
    .describe('A fresh random string per label; a retry with the same key answers the first result'),
});

const CONFLICT = {
  description:
    'CONFLICT: the idempotency key was used with another body, or the row is not waiting for you; LEASE_LOST: your lease on the row ran out (or was never yours)',
};

export function labelRoutes(api: ApiRouter): void {
  const { store } = api;
  api.route({
    method: 'post',
    path: '/projects/:projectId/labels',
    auditInWrite: true,
    summary: `Submit a label for a leased row, or resubmit your label of a row in rework. ${KEY_NOTE}`,
    tag: 'labels',
    permission: 'queue.label',
    params: projectParams,
    body: submitBody,
    headers: idempotencyHeaders,
    responses: {
      201: { description: 'The label and the row status', schema: submitResultSchema },
      409: CONFLICT,
      422: {
        description:
          'An answer does not fit the ontology, a required question is unanswered, displayed_order is not a permutation of the model output titles (v1) or compared reply ids (v2), or a message tool answer does not fit the row’s conversation',
      },
    },
    handler: async (c, { actor, access, params, body, headers }) => {
      const result = await withFieldNames({ displayedOrder: 'displayed_order' }, () =>
        submitLabel(store, actor, {
          projectId: params.projectId,
          auditHook: auditHookOf(c),
          project: access?.project,
          dataRowId: body.data_row_id,
          idempotencyKey: headers['Idempotency-Key']!,
          secondsToCreate: body.seconds_to_create,
          classifications: body.classifications,
          displayedOrder: body.displayed_order,
          annotations: body.annotations,
        }),
      );
      return c.json(submitWire(result), 201);
    },
  });
  api.route({
    method: 'post',
    path: '/projects/:projectId/skips',
    auditInWrite: true,
    summary: `Skip a leased row: recorded as a skipped label of yours, so the queue never offers it to you again. ${KEY_NOTE}`,
    tag: 'labels',
    permission: 'queue.label',
    params: projectParams,
    body: skipBody,
    headers: idempotencyHeaders,
    responses: {
      201: { description: 'The skipped label and the row status', schema: submitResultSchema },
      409: CONFLICT,
    },
    handler: async (c, { actor, access, params, body, headers }) => {
      const result = await skipRow(store, actor, {
        projectId: params.projectId,
        auditHook: auditHookOf(c),
        project: access?.project,
        dataRowId: body.data_row_id,
        idempotencyKey: headers['Idempotency-Key']!,
        secondsToCreate: body.seconds_to_create,
      });
      return c.json(submitWire(result), 201);
    },
  });
  api.route({
    method: 'get',
    path: '/projects/:projectId/labels',
    summary: "List the project's labels, oldest first (a labeler sees only their own)",
    tag: 'labels',
    permission: 'labels.read',
    params: projectParams,
    query: labelsQuery,
    responses: { 200: { description: 'A page of labels', schema: labelPageSchema } },
    handler: async (c, { actor, access, params, query }) =>
      c.json(
        await listLabels(store, actor, {
          projectId: params.projectId,
          role: access!.role,
          limit: query.limit,
          cursor: query.cursor,
          dataRowId: query.data_row_id,
          workflowStatus: query.workflow_status,
          createdBy: query.created_by,
          skipped: query.skipped,
        }),
      ),
  });
  api.route({
    method: 'get',
    path: '/projects/:projectId/labels/:labelId',
    summary: 'Get a label with its reviews (a labeler: only their own)',
    tag: 'labels',
    permission: 'labels.read',
    params: labelParams,
    responses: { 200: { description: 'The label', schema: labelSchema } },
    handler: async (c, { actor, access, params }) =>
      c.json(await getLabel(store, actor, { ...params, role: access!.role })),
  });
  api.route({
    method: 'post',
    path: '/projects/:projectId/labels/:labelId/review',
    auditInWrite: true,
    summary: 'Approve a label (row to Done) or reject it with a reason (row to Rework); not your own label',
    tag: 'labels',
    permission: 'reviews.write',
    params: labelParams,
    body: reviewBody,
    responses: {
      201: { description: 'The review and the row status', schema: reviewResultSchema },
      403: { description: 'The label is your own' },
      409: {
        description:
          'CONFLICT: the row is not in review; LEASE_LOST: another reviewer holds it from the review queue',
      },
      422: { description: 'A rejection without a reason' },
    },
    handler: async (c, { actor, access, params, body }) => {
      const r = await reviewLabel(store, actor, {
        projectId: params.projectId,
        auditHook: auditHookOf(c),
        project: access?.project,
        labelId: params.labelId,
        decision: body.decision,
        reason: body.reason,
        secondsToReview: body.seconds_to_review,
      });
      return c.json(
        {
          review_id: r.reviewId,
          label_id: r.labelId,
          data_row_id: r.dataRowId,
          workflow_status: r.workflowStatus,
        },
        201,
      );
    },
  });
}

function submitWire(r: SubmitResult) {
  return { label_id: r.labelId, data_row_id: r.dataRowId, workflow_status: r.workflowStatus };
}
