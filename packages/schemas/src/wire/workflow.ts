/**
 * Answers of the labeling workflow routes (queue, labels, reviews, moves, comments) as JSON:
 * snake_case, times in the export v2 form. The server validates and documents them with these
 * schemas (OpenAPI), the SDK checks what it receives against the same ones.
 */
import { z } from 'zod';

export const workflowStatusSchema = z.enum(['TO_LABEL', 'IN_REVIEW', 'IN_REWORK', 'DONE']);

/** A data row as the queues and the rework list answer it; `row_data` is the export's (the conversation as JSON, or an https URL). */
export const workRowSchema = z.object({
  id: z.string(),
  global_key: z.string().nullable(),
  row_data: z.string(),
});
export type WorkRowWire = z.infer<typeof workRowSchema>;

/** `POST /projects/:projectId/queue/next`: the row leased to the caller. */
export const leasedRowSchema = z.object({
  data_row: workRowSchema,
  lease_expires_at: z.string(),
});
export type LeasedRowWire = z.infer<typeof leasedRowSchema>;

/** A model-assisted pre-label of a row: the editor starts from its answers when there is no draft. */
export const preLabelSchema = z.object({
  id: z.string(),
  created_at: z.string(),
  annotations: z.looseObject({ classifications: z.array(z.unknown()) }),
});
export type PreLabelWire = z.infer<typeof preLabelSchema>;

/** `POST /projects/:projectId/queue/next`: the leased row, with its latest pre-label if any. */
export const nextRowSchema = leasedRowSchema.extend({ pre_label: preLabelSchema.nullable() });
export type NextRowWire = z.infer<typeof nextRowSchema>;

/** A label submit or skip. */
export const submitResultSchema = z.object({
  label_id: z.string(),
  data_row_id: z.string(),
  workflow_status: workflowStatusSchema,
});
export type SubmitResultWire = z.infer<typeof submitResultSchema>;

export const reviewResultSchema = z.object({ review_id: z.string(), ...submitResultSchema.shape });
export type ReviewResultWire = z.infer<typeof reviewResultSchema>;

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
  /** The model output titles in the order the labeler saw them, left to right; null when unknown. */
  displayed_order: z.array(z.string()).nullable(),
  workflow_status: workflowStatusSchema.nullable(),
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
export type LabelWire = z.infer<typeof labelSchema>;

export const moveResultSchema = z.object({ moved: z.number().int(), unchanged: z.number().int() });

export const commentSchema = z.object({
  id: z.string(),
  data_row_id: z.string(),
  author_id: z.string(),
  author_email: z.string(),
  text: z.string(),
  created_at: z.string(),
});
export type CommentWire = z.infer<typeof commentSchema>;

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
export type QueueStatsWire = z.infer<typeof queueStatsSchema>;

/** `POST /projects/:projectId/review-queue/next`: the row in review leased to the caller, with what a decision needs. */
export const reviewRowSchema = z.object({
  ...leasedRowSchema.shape,
  /** Every label of the row, oldest first, skips included. */
  labels: z.array(labelSchema),
  /** The row's first 100 comments, oldest first (the rest through the comments route). */
  comments: z.array(commentSchema),
  /** When the row wanted more than one label (consensus): how many, and their agreement (0 to 1). */
  consensus: z.object({ labels_wanted: z.number().int(), agreement: z.number().nullable() }).nullable(),
});
export type ReviewRowWire = z.infer<typeof reviewRowSchema>;

/** `POST /projects/:projectId/leases/:dataRowId/renew`. */
export const leaseSchema = z.object({ data_row_id: z.string(), lease_expires_at: z.string() });
export type LeaseWire = z.infer<typeof leaseSchema>;

/** `GET /projects/:projectId/rework`: a page item, the caller's label of a row in rework. */
export const reworkLabelSchema = labelSchema.extend({
  /** The row's latest rejection (with consensus, possibly of another labeler's label); null if moved by hand. */
  rejection: z
    .object({
      label_id: z.string(),
      reason: z.string().nullable(),
      created_by: z.string(),
      created_at: z.string(),
    })
    .nullable(),
  /** The label's data row, so the labeler can open it in an editor. */
  data_row: workRowSchema,
});
export type ReworkLabelWire = z.infer<typeof reworkLabelSchema>;

/** `GET /projects/:projectId/me/stats`: the caller's figures in the project. */
export const myStatsSchema = z.object({
  /** The moment the `*_since` counts start from. */
  since: z.string(),
  labels_since: z.number().int(),
  labels_total: z.number().int(),
  skips_since: z.number().int(),
  skips_total: z.number().int(),
  reviews_since: z.number().int(),
  reviews_total: z.number().int(),
  /** Data rows in the project. */
  rows_total: z.number().int(),
  /** Median active seconds of the caller's labels (skips left out); null without any. */
  median_seconds_to_create: z.number().nullable(),
});
export type MyStatsWire = z.infer<typeof myStatsSchema>;
