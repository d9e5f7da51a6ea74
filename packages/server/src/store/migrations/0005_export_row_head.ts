import type { Kysely } from 'kysely';
import { type StaleFragment, staleFragmentTrigger } from './stale-fragment-trigger.ts';

/** Only a change of what it holds clears it (not the activity stamps every write moves). */
export const HEAD_STALE: StaleFragment = {
  column: 'x_head',
  table: 'data_rows',
  on: { update: ['row_data', 'global_key', 'external_id'] },
  rows: (r) => `data_row_id = ${r}.id`,
  fn: 'x_head_stale',
};

export async function up(db: Kysely<unknown>): Promise<void> {
  // The start of a project row's export line, `{"data_row":{"id":…,"global_key":…,
  // "external_id":…,"row_data":"…"` with the row data already escaped (exports/v2/fragments.ts).
  await db.schema.alterTable('project_data_rows').addColumn('x_head', 'text').execute();
  await staleFragmentTrigger(db, HEAD_STALE);
}
