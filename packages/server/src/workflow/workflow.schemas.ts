/**
 * Request schemas of the labeling workflow routes (snake_case). The answers' schemas are shared
 * with the SDK in `@prefer/schemas` (wire/workflow.ts); the pages of them are built here.
 */
import { commentSchema, labelSchema, workflowStatusSchema } from '@prefer/schemas';
import { z } from 'zod';
import { pageOf, pageQuery } from '../shared/cursor.ts';
import { formatV2 } from '../shared/time.ts';
import { MAX_COMMENT_LENGTH } from './comment.service.ts';
import { MAX_MOVE_ROWS } from './move.service.ts';
import type { LeasedRow } from './queue.service.ts';
import { MAX_REASON_LENGTH } from './review.service.ts';
import { MAX_TOOL_ANSWERS } from './submit.tools.ts';
import { workRowWire } from './work-row.ts';

const MAX_SECONDS = 7 * 24 * 3600;
const id = z.string().min(1).max(64);
const seconds = z.number().min(0).max(MAX_SECONDS);

export const projectParams = z.object({ projectId: id });
export const labelParams = z.object({ projectId: id, labelId: id });
export const rowParams = z.object({ projectId: id, dataRowId: id });

export const nextBody = z.strictObject({
  /** How long the row stays reserved (default 1,800 s = 30 min; at most 24 h). */
  lease_seconds: z
    .number()
    .int()
    .min(1)
    .max(24 * 3600)
    .optional(),
});

export const queueNextBody = z.strictObject({
  ...nextBody.shape,
  /**
   * Lease the row after the one you hold (at most one ahead; asking again answers the same
   * one): fetch the next row while still labeling this one. It becomes your current row when
   * you submit or skip that one.
   */
  ahead: z
    .boolean()
    .optional()
    .describe(
      'Lease the row after the one you hold, besides it (at most one ahead): it becomes your current row once you submit or skip that one',
    ),
});

/** A row a queue leased, as the queue routes answer it. */
export const leasedRowWire = (r: LeasedRow) => ({
  data_row: workRowWire(r),
  lease_expires_at: formatV2(r.leaseExpiresAt),
});

/** A `lease_seconds` body field in milliseconds, as the services take it. */
export const leaseMsOf = (body: { lease_seconds?: number | undefined }) =>
  body.lease_seconds === undefined ? undefined : body.lease_seconds * 1000;

export const submitBody = z.strictObject({
  data_row_id: id,
  /** Annotation-import lines without `dataRow`: `{ name | schemaId, answer | answers, messageId? }`. */
  classifications: z.array(z.unknown()).max(1000),
  /** Active seconds the client measured. */
  seconds_to_create: seconds,
  /**
   * The order the row's responses were shown in, left to right. v1: a permutation of
   * `modelOutputs[].title` (e.g. `["Response B", "Response A"]`). v2 (multimodal chat): a
   * permutation of the compared model reply ids (replies of each human prompt with two or more),
   * prompt by prompt, left to right. Kept with the label, not exported.
   */
  displayed_order: z
    .array(z.string().max(1000))
    .max(MAX_TOOL_ANSWERS)
    .optional()
    .describe(
      'The responses in the order shown, left to right. Conversation v1: a permutation of the row’s modelOutputs titles. Conversation v2 (multimodal chat): a permutation of the ids of the compared model replies (the model replies of each human prompt with two or more), prompt by prompt in thread order, left to right within a prompt',
    ),
  /**
   * Message tool answers of a multimodal chat (conversation v2) row, as label-import lines without
   * `dataRow`: `{ name | schemaId, messageEvaluationTask: { format, data } }`.
   */
  annotations: z
    .array(z.unknown())
    .max(MAX_TOOL_ANSWERS)
    .optional()
    .describe(
      'Message tool answers (multimodal chat rows): { name | schemaId, messageEvaluationTask: { format, data } } as in label imports, without dataRow',
    ),
});
export const skipBody = z.strictObject({ data_row_id: id, seconds_to_create: seconds });

export const reviewBody = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  /** Required to reject. */
  reason: z.string().max(MAX_REASON_LENGTH).optional(),
  seconds_to_review: seconds,
});

export const labelsQuery = z.strictObject({
  ...pageQuery,
  data_row_id: id.optional(),
  workflow_status: workflowStatusSchema.optional(),
  /** A labeler's email. */
  created_by: z.string().min(1).max(320).optional(),
  skipped: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export const labelPageSchema = pageOf(labelSchema);

export const moveBody = z.strictObject({
  data_row_ids: z.array(id).min(1).max(MAX_MOVE_ROWS),
  /** Move into the project's task with this status... */
  to_status: workflowStatusSchema.optional(),
  /** ...or into this workflow task (by id). Exactly one of the two. */
  to_task: id.optional(),
});

export const commentBody = z.strictObject({ text: z.string().max(MAX_COMMENT_LENGTH) });
export const commentsQuery = z.strictObject({ ...pageQuery });
export const commentPageSchema = pageOf(commentSchema);
