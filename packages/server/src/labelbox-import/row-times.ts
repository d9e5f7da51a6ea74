/**
 * Times of a row the export did not state. Without `details` the row was created no later than
 * the oldest event it carries (history, labels, reviews); without `last_activity_at` its activity
 * is its newest time. Only a row with no time at all falls back to the import's time.
 */
import type { ParsedProject, ParsedRow } from './export-row.types.ts';

/** Every event time the row carries besides its details. */
function eventTimes(row: ParsedRow): number[] {
  const times: number[] = [];
  for (const p of row.projects) {
    for (const h of p.details?.history ?? []) times.push(h.createdAt);
    for (const l of p.labels) {
      const d = l.details;
      if (!d) continue;
      times.push(d.createdAt, d.updatedAt, d.contentLastUpdatedAt, ...d.reviews.map((v) => v.createdAt));
    }
  }
  return times;
}

export function rowCreatedAt(row: ParsedRow, now: number): number {
  if (row.details) return row.details.createdAt;
  const times = eventTimes(row);
  return times.length > 0 ? Math.min(...times) : now;
}

export function rowLastActivityAt(row: ParsedRow, now: number): number {
  if (row.details?.lastActivityAt != null) return row.details.lastActivityAt;
  return Math.max(rowCreatedAt(row, now), row.details?.updatedAt ?? 0, ...eventTimes(row));
}

/** When a row entered a project: its oldest history entry, else the row's creation. */
export function rowAddedAt(row: ParsedRow, p: ParsedProject, now: number): number {
  return p.details?.history[0]?.createdAt ?? rowCreatedAt(row, now);
}
