/**
 * Starting an export from a caller's request: validated with the SDK's messages, dates resolved
 * to UTC once, then stored as a task for a worker. Shared by the HTTP routes and the CLI's local
 * mode, so both refuse the same input with the same words.
 */
import type { Actor } from '../../orgs/actor.ts';
import type { Store } from '../../store/store.ts';
import {
  type ExportFilters,
  type ExportRequest,
  parseExportRequest,
  type TimeRange,
} from '../request/export.request.ts';
import {
  type CreatedExportTask,
  type CreateExportTaskInput,
  createExportTask,
} from './export-task.service.ts';

export interface StartExportInput {
  projectId: string;
  /** Export v2 params and filters as the SDK takes them. */
  params?: unknown;
  filters?: unknown;
  /** IANA zone of dates without an offset (default UTC). */
  timezone?: string | null;
  taskName?: string | null;
}

export interface StartLabelExportInput {
  projectId: string;
  /** Bounds of label creation and of data row activity; either side may be missing. */
  start?: string | null;
  end?: string | null;
  lastActivityStart?: string | null;
  lastActivityEnd?: string | null;
  timezone?: string | null;
  /** The origin of the `View Label` links (e.g. the server's public URL); else the worker's. */
  linkBase?: string | null;
}

/** Starts an export v2 (`export-data-rows`). */
export async function startExport(
  store: Store,
  actor: Actor,
  input: StartExportInput,
): Promise<CreatedExportTask> {
  return createExportTask(store, actor, exportJob(input));
}

/** Starts a V1 label export (`export-labels`). */
export async function startLabelExport(
  store: Store,
  actor: Actor,
  input: StartLabelExportInput,
): Promise<CreatedExportTask> {
  return createExportTask(store, actor, labelExportJob(input));
}

/** An export v2 request, validated, as a task stores it (and as `runExportNow` runs it). */
export function exportJob(input: StartExportInput): CreateExportTaskInput {
  const request = parseExportRequest({
    params: input.params,
    filters: input.filters,
    timezone: input.timezone ?? undefined,
  });
  return {
    projectId: input.projectId,
    type: 'export-data-rows',
    name: input.taskName ?? null,
    ...storedRequest(request),
  };
}

/** A V1 label export request, validated, as a task stores it. */
export function labelExportJob(input: StartLabelExportInput): CreateExportTaskInput {
  const request = parseExportRequest({
    timezone: input.timezone ?? undefined,
    filters: {
      label_created_at: [input.start ?? null, input.end ?? null],
      last_activity_at: [input.lastActivityStart ?? null, input.lastActivityEnd ?? null],
    },
  });
  return {
    projectId: input.projectId,
    type: 'export-labels',
    ...storedRequest(request),
    linkBase: input.linkBase ?? null,
  };
}

/**
 * What a task stores: the request in the SDK's own shape (the worker parses it again with
 * `parseExportRequest`), every date already an exact UTC instant, so the caller's timezone is
 * applied once, at creation, and needs no storing.
 */
export function storedRequest(request: ExportRequest): { params: unknown; filters: unknown } {
  const f: ExportFilters = request.filters;
  const filters: Record<string, unknown> = {};
  if (f.lastActivityAt) filters.last_activity_at = isoRange(f.lastActivityAt);
  if (f.labelCreatedAt) filters.label_created_at = isoRange(f.labelCreatedAt);
  if (f.dataRowIds) filters.data_row_ids = f.dataRowIds;
  if (f.globalKeys) filters.global_keys = f.globalKeys;
  if (f.batchIds) filters.batch_ids = f.batchIds;
  if (f.workflowStatus) filters.workflow_status = WORKFLOW_FILTER[f.workflowStatus];
  return { params: request.params, filters };
}

const isoRange = ([start, end]: TimeRange) => [iso(start), iso(end)];
// With milliseconds and `Z`, a bound parses back to exactly this instant (no whole-day widening).
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const WORKFLOW_FILTER = {
  TO_LABEL: 'ToLabel',
  IN_REVIEW: 'InReview',
  IN_REWORK: 'InRework',
  DONE: 'Done',
} as const;
