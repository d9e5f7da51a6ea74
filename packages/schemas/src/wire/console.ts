/**
 * The manager's reads of a project: its overview (progress over time, labelers' output, rates)
 * and its data row browser. Answers of `GET /projects/:projectId/overview` and
 * `GET /projects/:projectId/data-rows`.
 */
import { z } from 'zod';

const statusCounts = z.object({
  TO_LABEL: z.number().int(),
  IN_REVIEW: z.number().int(),
  IN_REWORK: z.number().int(),
  DONE: z.number().int(),
});

export const overviewSchema = z.object({
  /** The calendar days covered, oldest first, as `YYYY-MM-DD` in `timezone`. */
  days: z.array(z.string()),
  timezone: z.string(),
  /** Rows per workflow status now. */
  counts: statusCounts,
  rows_total: z.number().int(),
  /** Rows per workflow status at the end of each day of `days` (the last one: now). */
  series: z.array(statusCounts.extend({ day: z.string() })),
  /** Each labeler's labels (skips left out) per day of `days`, most labels first. */
  labelers: z.array(
    z.object({
      user_id: z.string(),
      email: z.string(),
      name: z.string(),
      labels: z.array(z.number().int()),
      skips: z.number().int(),
      total: z.number().int(),
      median_seconds_to_create: z.number().nullable(),
    }),
  ),
  /** Over the days covered. */
  labels: z.number().int(),
  skips: z.number().int(),
  reviews: z.number().int(),
  rejections: z.number().int(),
  median_seconds_to_create: z.number().nullable(),
  /** skips / (labels + skips); null without either. */
  skip_rate: z.number().nullable(),
  /** rejections / reviews; null without reviews. */
  review_rejection_rate: z.number().nullable(),
  generated_at: z.string(),
});
export type OverviewWire = z.infer<typeof overviewSchema>;

/** One row of the project's data row browser. */
export const projectRowSchema = z.object({
  data_row_id: z.string(),
  global_key: z.string().nullable(),
  external_id: z.string().nullable(),
  dataset_id: z.string(),
  batch_id: z.string(),
  batch_name: z.string(),
  workflow_status: z.enum(['TO_LABEL', 'IN_REVIEW', 'IN_REWORK', 'DONE']),
  /** Labels (skips left out) and their authors' emails. */
  label_count: z.number().int(),
  labelers: z.array(z.string()),
  updated_at: z.string(),
});
export type ProjectRowWire = z.infer<typeof projectRowSchema>;
