import type { Kysely } from 'kysely';
import { type StaleFragment, staleFragmentTrigger } from './stale-fragment-trigger.ts';

const projectRow = (r: 'new' | 'old') => `project_id = ${r}.project_id and data_row_id = ${r}.data_row_id`;

/** Any write to labels, reviews or history clears its project row's fragment (see `up`). */
export const LABELS_STALE: StaleFragment[] = [
  { column: 'x_labels', table: 'labels', on: 'write', rows: projectRow, fn: 'x_labels_stale' },
  { column: 'x_labels', table: 'reviews', on: 'write', rows: projectRow, fn: 'x_labels_stale' },
];
export const HISTORY_STALE: StaleFragment = {
  column: 'x_history',
  table: 'workflow_history',
  on: 'write',
  rows: projectRow,
  fn: 'x_history_stale',
};

export async function up(db: Kysely<unknown>): Promise<void> {
  // Pre-rendered export v2 text per project row (see exports/v2/fragments.ts): the `labels`
  // entries with label_details and performance_details, and the `workflow_history` entries.
  // NULL means "not rendered": the exporter renders such a row from the tables themselves.
  await db.schema.alterTable('project_data_rows').addColumn('x_labels', 'text').execute();
  await db.schema.alterTable('project_data_rows').addColumn('x_history', 'text').execute();
  // Any write to labels, reviews or history sets its row's fragment back to NULL, so a writer
  // that does not re-render (or re-renders too early) leaves a slow row, never a stale one.
  for (const f of [...LABELS_STALE, HISTORY_STALE]) await staleFragmentTrigger(db, f);
}
