/**
 * Export v2 params and filters as callers send them (Labelbox's Python SDK names and shapes).
 * Messages are the SDK's own client-side messages where it has one, so users find them when
 * they search; the server turns dates into milliseconds (see `exports/request/export.request.ts`).
 */
import { z } from 'zod';

import {
  EXPORT_DATE_FORMS,
  EXPORT_FILTER_KEYS,
  EXPORT_PARAM_KEYS,
  WORKFLOW_STATUS_FILTERS,
} from './export-keys.ts';

export { EXPORT_DATE_FORMS, EXPORT_FILTER_KEYS, EXPORT_PARAM_KEYS, WORKFLOW_STATUS_FILTERS };
export type WorkflowStatusFilter = (typeof WORKFLOW_STATUS_FILTERS)[number];

export const MAX_FILTER_IDS = 2000;

export const DATE_FORMAT_HINT =
  'Format must be "YYYY-MM-DD" or "YYYY-MM-DD hh:mm:ss" or ISO 8061 format "YYYY-MM-DDThh:mm:ss±hhmm" (that is ISO 8601; prefer also accepts Z, ±hh:mm and fractions of a second)';

/** `YYYY-MM-DD`, `YYYY-MM-DD hh:mm:ss`, or ISO with `Z` / `±hh:mm` / `±hhmm` (fraction allowed). */
export const EXPORT_DATE_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:( |T)(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?)?$/;

const unknownKeys = (what: string, valid: readonly string[]) => (iss: { code?: string; keys?: string[] }) =>
  iss.code === 'unrecognized_keys'
    ? `unknown export ${what} ${(iss.keys ?? []).map((k) => JSON.stringify(k)).join(', ')}; valid ${what}s are: ${valid.join(', ')}`
    : undefined;

const flag = (name: string) => z.boolean({ error: `param ${name} must be true or false` }).default(false);

export const exportParamsSchema = z.strictObject(
  {
    attachments: flag('attachments'),
    metadata_fields: flag('metadata_fields'),
    data_row_details: flag('data_row_details'),
    project_details: flag('project_details'),
    label_details: flag('label_details'),
    performance_details: flag('performance_details'),
    embeddings: flag('embeddings'),
  },
  { error: unknownKeys('param', EXPORT_PARAM_KEYS) },
);
export type ExportParams = z.output<typeof exportParamsSchema>;

/** A date as the SDK takes it; the shape check only (calendar validity is checked on conversion). */
export const exportDateSchema = z
  .string({ error: (iss) => incorrectDate(iss.input) })
  .regex(EXPORT_DATE_PATTERN, {
    error: (iss) => incorrectDate(iss.input),
  });

export const incorrectDate = (value: unknown) =>
  `Incorrect format for: ${typeof value === 'string' ? value : JSON.stringify(value)}. ${DATE_FORMAT_HINT}`;

const range = (name: string) =>
  z.tuple([exportDateSchema.nullable(), exportDateSchema.nullable()], {
    error: `${name} filter expects a list of two dates [start, end]; either may be null`,
  });

/** `typeName` is the SDK's word for the list in its messages (`data_row_id`, `global_key`, `batch`). */
const idList = (typeName: string) =>
  z
    .array(z.string({ error: `${typeName} filter expects a list of strings.` }), {
      error: `${typeName} filter expects a list.`,
    })
    .min(1, { error: `${typeName} filter expects a non-empty list.` })
    .max(MAX_FILTER_IDS, { error: `${typeName} filter only supports a max of ${MAX_FILTER_IDS} items.` });

export const exportFiltersSchema = z.strictObject(
  {
    last_activity_at: range('last_activity_at').optional(),
    label_created_at: range('label_created_at').optional(),
    data_row_ids: idList('data_row_id').optional(),
    global_keys: idList('global_key').optional(),
    batch_ids: idList('batch').optional(),
    workflow_status: z
      .string({ error: '`workflow_status` filter expects a string.' })
      .refine((s) => (WORKFLOW_STATUS_FILTERS as readonly string[]).includes(s), {
        error:
          "`workflow_status` filter expects one of 'InReview', 'InRework', or 'Done'. prefer also accepts 'ToLabel'.",
      })
      .optional(),
  },
  { error: unknownKeys('filter', EXPORT_FILTER_KEYS) },
);
export type ExportFiltersInput = z.input<typeof exportFiltersSchema>;
