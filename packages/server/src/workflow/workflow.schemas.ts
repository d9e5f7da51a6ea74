/**
 * Wire schemas of the labeling workflow routes (snake_case, times in the export v2 form). They
 * validate requests, describe answers in the OpenAPI document, and are what the SDK mirrors.
 */
import { z } from 'zod';
import { pageOf, pageQuery } from '../shared/cursor.ts';
import { MAX_COMMENT_LENGTH } from './comment.service.ts';
import { MAX_MOVE_ROWS } from './move.service.ts';
import { MAX_REASON_LENGTH } from './review.service.ts';

const MAX_SECONDS = 7 * 24 * 3600;
const id = z.string().min(1).max(64);
const seconds = z.number().min(0).max(MAX_SECONDS);
export const workflowStatus = z.enum(['TO_LABEL', 'IN_REVIEW', 'IN_REWORK', 'DONE']);

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
export const leasedRowSchema = z.object({
  data_row: z.object({ id: z.string(), global_key: z.string().nullable(), row_data: z.string() }),
  lease_expires_at: z.string(),
});

export const submitBody = z.strictObject({
  data_row_id: id,
  /** Annotation-import lines without `dataRow`: `{ name | schemaId, answer | answers, messageId? }`. */
  classifications: z.array(z.unknown()).max(1000),
  /** Active seconds the client measured. */
  seconds_to_create: seconds,
});
export const skipBody = z.strictObject({ data_row_id: id, seconds_to_create: seconds });
export const submitResultSchema = z.object({
  label_id: z.string(),
  data_row_id: z.string(),
  workflow_status: workflowStatus,
});

export const reviewBody = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  /** Required to reject. */
  reason: z.string().max(MAX_REASON_LENGTH).optional(),
  seconds_to_review: seconds,
});
export const reviewResultSchema = z.object({
  review_id: z.string(),
  label_id: z.string(),
  data_row_id: z.string(),
  workflow_status: workflowStatus,
});

export const labelsQuery = z.strictObject({
  ...pageQuery,
  data_row_id: id.optional(),
  workflow_status: workflowStatus.optional(),
  /** A labeler's email. */
  created_by: z.string().min(1).max(320).optional(),
  skipped: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export const labelSchema = z.object({
  id: z.string(),
  data_row_id: z.string(),
  global_key: z.string().nullable(),
  created_by: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  annotations: z.looseObject({ classifications: z.array(z.unknown()) }),
  skipped: z.boolean(),
  seconds_to_create: z.number().nullable(),
  seconds_to_review: z.number().nullable(),
  consensus_score: z.number().nullable(),
  workflow_status: workflowStatus.nullable(),
  reviews: z.array(
    z.object({
      id: z.string(),
      decision: z.enum(['approve', 'reject']),
      reason: z.string().nullable(),
      created_at: z.string(),
      created_by: z.string(),
    }),
  ),
});
export const labelPageSchema = pageOf(labelSchema);

export const moveBody = z.strictObject({
  data_row_ids: z.array(id).min(1).max(MAX_MOVE_ROWS),
  /** Move into the project's task with this status... */
  to_status: workflowStatus.optional(),
  /** ...or into this workflow task (by id). Exactly one of the two. */
  to_task: id.optional(),
});
export const moveResultSchema = z.object({ moved: z.number().int(), unchanged: z.number().int() });

export const commentBody = z.strictObject({ text: z.string().max(MAX_COMMENT_LENGTH) });
export const commentsQuery = z.strictObject({ ...pageQuery });
export const commentSchema = z.object({
  id: z.string(),
  data_row_id: z.string(),
  author_id: z.string(),
  author_email: z.string(),
  text: z.string(),
  created_at: z.string(),
});
export const commentPageSchema = pageOf(commentSchema);

export const queueStatsSchema = z.object({
  counts: z.object({
    TO_LABEL: z.number().int(),
    IN_REVIEW: z.number().int(),
    IN_REWORK: z.number().int(),
    DONE: z.number().int(),
  }),
  leased: z.number().int(),
  held: z.object({ data_row_id: z.string(), lease_expires_at: z.string() }).nullable(),
});
