/** The manager's reads of a project (overview, data row browser, export tasks): `Project` exposes them. */
import { type OverviewWire, overviewSchema, type ProjectRowWire, projectRowSchema } from '@prefer/schemas';
import type { Client } from './client.ts';
import { type PageOptions, paginate } from './paging.ts';
import type { WorkflowStatus } from './workflow.ts';

type StatusCounts = Record<WorkflowStatus, number>;

export interface ProjectOverview {
  /** The days covered, oldest first, as `YYYY-MM-DD` in `timezone`. */
  days: string[];
  timezone: string;
  /** Rows per workflow status now. */
  counts: StatusCounts;
  rowsTotal: number;
  /** Rows per status at the end of each day (the last one: now). */
  series: (StatusCounts & { day: string })[];
  /** Labels per day of `days` for each labeler, most labels first. */
  labelers: {
    userId: string;
    email: string;
    name: string;
    labels: number[];
    skips: number;
    total: number;
    medianSecondsToCreate: number | null;
  }[];
  labels: number;
  skips: number;
  reviews: number;
  rejections: number;
  medianSecondsToCreate: number | null;
  skipRate: number | null;
  reviewRejectionRate: number | null;
  generatedAt: Date;
}

export interface OverviewOptions {
  /** Calendar days covered, today included, 1 to 90 (default 14). */
  days?: number;
  /** IANA zone the days are counted in (default UTC). */
  timezone?: string;
}

export interface ProjectRowFilters extends PageOptions {
  /** Part of the global key, any case. */
  globalKey?: string;
  status?: WorkflowStatus;
  batchId?: string;
  /** A labeler's email: rows they labeled. */
  labeler?: string;
}

export interface ProjectRow {
  dataRowId: string;
  globalKey: string | null;
  externalId: string | null;
  datasetId: string;
  batchId: string;
  batchName: string;
  workflowStatus: WorkflowStatus;
  labelCount: number;
  /** Emails of the row's labelers. */
  labelers: string[];
  updatedAt: Date;
}

export async function overview(
  client: Client,
  base: string,
  options: OverviewOptions,
): Promise<ProjectOverview> {
  const q = new URLSearchParams();
  if (options.days !== undefined) q.set('days', String(options.days));
  if (options.timezone !== undefined) q.set('timezone', options.timezone);
  const query = q.size ? `?${q}` : '';
  return overviewOf(await client.requestJson('GET', `${base}/overview${query}`, overviewSchema));
}

const overviewOf = (w: OverviewWire): ProjectOverview => ({
  days: w.days,
  timezone: w.timezone,
  counts: w.counts,
  rowsTotal: w.rows_total,
  series: w.series,
  labelers: w.labelers.map((l) => ({
    userId: l.user_id,
    email: l.email,
    name: l.name,
    labels: l.labels,
    skips: l.skips,
    total: l.total,
    medianSecondsToCreate: l.median_seconds_to_create,
  })),
  labels: w.labels,
  skips: w.skips,
  reviews: w.reviews,
  rejections: w.rejections,
  medianSecondsToCreate: w.median_seconds_to_create,
  skipRate: w.skip_rate,
  reviewRejectionRate: w.review_rejection_rate,
  generatedAt: new Date(w.generated_at),
});

export function projectRows(
  client: Client,
  base: string,
  filters: ProjectRowFilters,
): AsyncGenerator<ProjectRow> {
  const q = new URLSearchParams();
  if (filters.globalKey) q.set('global_key', filters.globalKey);
  if (filters.status) q.set('status', filters.status);
  if (filters.batchId) q.set('batch_id', filters.batchId);
  if (filters.labeler) q.set('labeler', filters.labeler);
  const path = q.size ? `${base}/data-rows?${q}` : `${base}/data-rows`;
  return paginate(client, path, projectRowSchema, rowOf, filters);
}

const rowOf = (w: ProjectRowWire): ProjectRow => ({
  dataRowId: w.data_row_id,
  globalKey: w.global_key,
  externalId: w.external_id,
  datasetId: w.dataset_id,
  batchId: w.batch_id,
  batchName: w.batch_name,
  workflowStatus: w.workflow_status,
  labelCount: w.label_count,
  labelers: w.labelers,
  updatedAt: new Date(w.updated_at),
});
