/** Answers of the export routes (`/projects/:id/exports`, `/export-tasks/:id`), shared by the server and the SDK. */
import { z } from 'zod';

/**
 * `export-data-rows` is export v2 (NDJSON rows); `export-labels` is the legacy V1 JSON array;
 * `training-conversion` is a training dataset (JSONL records, or a tar of a dataset directory);
 * `training-stats` is a project's analytics (one line: the `prefer stats --json` report).
 */
export const EXPORT_TASK_TYPES = [
  'export-data-rows',
  'export-labels',
  'training-conversion',
  'training-stats',
] as const;
export type ExportTaskType = (typeof EXPORT_TASK_TYPES)[number];

export const EXPORT_TASK_STATUSES = ['IN_PROGRESS', 'COMPLETE', 'FAILED'] as const;
export type ExportTaskStatus = (typeof EXPORT_TASK_STATUSES)[number];

/** A finished stream (result or errors) of a task. */
export const streamInfoSchema = z.object({
  total_bytes: z.number().int(),
  total_lines: z.number().int(),
  sha256: z.string().nullable(),
});
export type StreamInfoWire = z.infer<typeof streamInfoSchema>;

/** `GET /export-tasks/:id`. */
export const exportTaskSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  type: z.enum(EXPORT_TASK_TYPES),
  project_id: z.string(),
  status: z.enum(EXPORT_TASK_STATUSES),
  completion_percentage: z.number(),
  created_at: z.string(),
  updated_at: z.string(),
  failure_reason: z.string().nullable(),
  result: streamInfoSchema.nullable(),
  errors: streamInfoSchema.nullable(),
  files_deleted: z.boolean(),
});
export type ExportTaskWire = z.infer<typeof exportTaskSchema>;

/** The 202 answer of a started export: poll `GET /export-tasks/:id`. */
export const createdTaskSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.literal('IN_PROGRESS'),
  created_at: z.string(),
});
export type CreatedTaskWire = z.infer<typeof createdTaskSchema>;
