/** The caller's own work in a project (rework list, home figures): `Project` exposes them as methods. */
import { myStatsSchema, type ReworkLabelWire, reworkLabelSchema } from '@prefer/schemas';
import type { Client } from './client.ts';
import { type PageOptions, paginate } from './paging.ts';
import { type Label, labelOf } from './workflow.ts';

/** Your label of a row in rework, with the rejection that sent the row there. */
export interface ReworkLabel extends Label {
  /** The row's latest rejection (with consensus, possibly of another labeler's label); null if moved by hand. */
  rejection: { labelId: string; reason: string | null; createdBy: string; createdAt: Date } | null;
  /** The label's data row, to open in an editor (labelers cannot read data rows otherwise). */
  dataRow: WorkRow;
}

/** A data row as the rework list hands it out. */
export interface WorkRow {
  id: string;
  globalKey: string | null;
  /** The conversation serialized as JSON (or an https URL), as in exports' `row_data`. */
  rowData: string;
}

export interface MyStats {
  /** Where the `*Since` counts start. */
  since: Date;
  labelsSince: number;
  labelsTotal: number;
  skipsSince: number;
  skipsTotal: number;
  reviewsSince: number;
  reviewsTotal: number;
  /** Data rows in the project. */
  rowsTotal: number;
  /** Median active seconds of your labels (skips left out); null without any. */
  medianSecondsToCreate: number | null;
}

export interface MyStatsOptions {
  /** Where the `*Since` counts start, e.g. the start of the local day (default: the start of the UTC day). */
  since?: Date;
}

export function reworkLabels(
  client: Client,
  base: string,
  options: PageOptions,
): AsyncGenerator<ReworkLabel> {
  return paginate(client, `${base}/rework`, reworkLabelSchema, reworkOf, options);
}

export async function myStats(client: Client, base: string, options: MyStatsOptions): Promise<MyStats> {
  const query =
    options.since === undefined ? '' : `?since=${encodeURIComponent(options.since.toISOString())}`;
  const w = await client.requestJson('GET', `${base}/me/stats${query}`, myStatsSchema);
  return {
    since: new Date(w.since),
    labelsSince: w.labels_since,
    labelsTotal: w.labels_total,
    skipsSince: w.skips_since,
    skipsTotal: w.skips_total,
    reviewsSince: w.reviews_since,
    reviewsTotal: w.reviews_total,
    rowsTotal: w.rows_total,
    medianSecondsToCreate: w.median_seconds_to_create,
  };
}

const reworkOf = (w: ReworkLabelWire): ReworkLabel => ({
  ...labelOf(w),
  rejection: w.rejection && {
    labelId: w.rejection.label_id,
    reason: w.rejection.reason,
    createdBy: w.rejection.created_by,
    createdAt: new Date(w.rejection.created_at),
  },
  dataRow: { id: w.data_row.id, globalKey: w.data_row.global_key, rowData: w.data_row.row_data },
});
