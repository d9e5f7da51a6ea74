/**
 * Export flags to the SDK's request shape. Only the command-line syntax is checked here; the
 * content (names, dates, list sizes) is checked by the server's own parser, so a bad filter gets
 * the same message locally, remotely and from the SDK.
 *
 *   --params a,b | --all-params
 *   --filter last_activity_at=2024-01-01,2024-02-01   (an empty side is open)
 *   --filter data_row_ids=a,b   --filter workflow_status=InReview
 */
import { EXPORT_PARAM_KEYS } from '@prefer/schemas/export-keys';
import { AppError } from '@prefer/server/settings';
import { UsageError } from '../failure.ts';

export interface ExportFlags {
  params?: string;
  allParams?: boolean;
  filter?: string[];
}

const RANGE_FILTERS = new Set(['last_activity_at', 'label_created_at']);
const LIST_FILTERS = new Set(['data_row_ids', 'global_keys', 'batch_ids']);

export function exportParamsOf(flags: ExportFlags): Record<string, boolean> {
  if (flags.params !== undefined && flags.allParams) {
    throw new UsageError('use either --params or --all-params, not both');
  }
  const names = flags.allParams ? [...EXPORT_PARAM_KEYS] : splitList(flags.params ?? '');
  return Object.fromEntries(names.map((n) => [n, true]));
}

export function exportFiltersOf(flags: ExportFlags): Record<string, unknown> {
  const filters: Record<string, unknown> = {};
  for (const raw of flags.filter ?? []) {
    const eq = raw.indexOf('=');
    if (eq <= 0) throw bad(`--filter expects KEY=VALUE, got ${JSON.stringify(raw)}`);
    const key = raw.slice(0, eq).trim();
    const value = raw.slice(eq + 1);
    if (key in filters) throw bad(`the ${key} filter is given twice`);
    if (RANGE_FILTERS.has(key)) filters[key] = dateRange(key, value);
    else if (LIST_FILTERS.has(key)) filters[key] = splitList(value);
    // workflow_status and unknown keys go as they are: the parser names the valid ones.
    else filters[key] = value.trim();
  }
  return filters;
}

/** `START,END`, either side empty for an open range. */
function dateRange(key: string, value: string): [string | null, string | null] {
  const parts = value.split(',');
  if (parts.length !== 2) {
    throw bad(`${key} filter expects START,END (either may be empty), got ${JSON.stringify(value)}`);
  }
  const side = (s: string) => (s.trim() === '' ? null : s.trim());
  return [side(parts[0]!), side(parts[1]!)];
}

const splitList = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

// A filter the parser cannot read is a bad request (exit 1), like the same filter sent over HTTP.
const bad = (message: string) => new AppError('BAD_REQUEST', message);
