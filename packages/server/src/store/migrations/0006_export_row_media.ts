import type { Kysely } from 'kysely';
import { type StaleFragment, staleFragmentTrigger } from './stale-fragment-trigger.ts';

export const MEDIA_STALE: StaleFragment = {
  column: 'x_media',
  table: 'data_rows',
  on: { update: ['mime_type', 'labelable_ids', 'message_count'] },
  rows: (r) => `data_row_id = ${r}.id`,
  fn: 'x_media_stale',
};

export async function up(db: Kysely<unknown>): Promise<void> {
  // The line's `"media_attributes":{…}` member (exports/v2/fragments.ts), cleared when the data
  // row's mime type, labelable ids or message count change.
  await db.schema.alterTable('project_data_rows').addColumn('x_media', 'text').execute();
  await staleFragmentTrigger(db, MEDIA_STALE);
}
