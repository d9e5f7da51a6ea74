/**
 * Validates and normalizes an export v2 request: params with defaults, filters with dates in
 * UTC milliseconds. Faults are `AppError('BAD_REQUEST')` carrying the SDK's own message.
 */
import {
  type ExportParams,
  exportFiltersSchema,
  exportParamsSchema,
  type WorkflowStatusFilter,
} from '@prefer/schemas';
import type { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import type { WorkflowStatus } from '../../store/schema.ts';
import { checkTimezone, dateToMs } from './export-dates.ts';

/** Inclusive bounds in ms UTC; null is an open side. */
export type TimeRange = [number | null, number | null];

export interface ExportFilters {
  lastActivityAt?: TimeRange;
  labelCreatedAt?: TimeRange;
  dataRowIds?: string[];
  globalKeys?: string[];
  batchIds?: string[];
  workflowStatus?: WorkflowStatus;
}

export interface ExportRequest {
  params: ExportParams;
  filters: ExportFilters;
}

const STATUS: Record<WorkflowStatusFilter, WorkflowStatus> = {
  ToLabel: 'TO_LABEL',
  InReview: 'IN_REVIEW',
  InRework: 'IN_REWORK',
  Done: 'DONE',
};

export function parseExportRequest(input: {
  params?: unknown;
  filters?: unknown;
  timezone?: unknown;
}): ExportRequest {
  const timezone = input.timezone ?? undefined;
  if (timezone !== undefined) {
    if (typeof timezone !== 'string') throw bad('timezone must be an IANA zone name such as Europe/Paris');
    checkTimezone(timezone);
  }
  const params = parse(exportParamsSchema, input.params ?? {}, 'params');
  const raw = input.filters ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw bad('filters must be an object');
  // As in the SDK, a key set to null is no filter at all.
  const present = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== null && v !== undefined));
  if (present.data_row_ids !== undefined && present.global_keys !== undefined) {
    throw bad('data_rows and global_keys cannot both be present in export filters');
  }
  const f = parse(exportFiltersSchema, present, 'filters');

  const filters: ExportFilters = {};
  const lastActivityAt = f.last_activity_at && toRange(f.last_activity_at, timezone);
  if (lastActivityAt) filters.lastActivityAt = lastActivityAt;
  const labelCreatedAt = f.label_created_at && toRange(f.label_created_at, timezone);
  if (labelCreatedAt) filters.labelCreatedAt = labelCreatedAt;
  if (f.data_row_ids) filters.dataRowIds = [...new Set(f.data_row_ids)];
  if (f.global_keys) filters.globalKeys = [...new Set(f.global_keys)];
  if (f.batch_ids) filters.batchIds = [...new Set(f.batch_ids)];
  // An empty string is no filter, as in the SDK (`if workflow_status:`).
  if (f.workflow_status) filters.workflowStatus = STATUS[f.workflow_status as WorkflowStatusFilter];
  return { params, filters };
}

/** `[start, end]` of SDK dates to an inclusive ms range; [null, null] is no filter (undefined). */
export function toRange(
  [start, end]: readonly [string | null, string | null],
  timezone?: string,
): TimeRange | undefined {
  if (start === null && end === null) return undefined;
  const from = start === null ? null : dateToMs(start, 'start', timezone);
  const to = end === null ? null : dateToMs(end, 'end', timezone);
  if (from !== null && to !== null && from > to) {
    throw bad(`the range starts after it ends: [${JSON.stringify(start)}, ${JSON.stringify(end)}]`);
  }
  return [from, to];
}

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw bad(`${what} must be an object`);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // Unknown keys first: a typo explains every other complaint.
  const issues = result.error.issues;
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];
  throw bad(issue?.message ?? `invalid ${what}`);
}

const bad = (message: string) => new AppError('BAD_REQUEST', message);
