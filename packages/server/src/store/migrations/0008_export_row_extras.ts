import type { Kysely } from 'kysely';
import { type StaleFragment, staleFragmentTrigger } from './stale-fragment-trigger.ts';

const dataRow = (r: 'new' | 'old') => `data_row_id = ${r}.data_row_id`;

export const ATTACHMENTS_STALE: StaleFragment = {
  column: 'x_attachments',
  table: 'attachments',
  on: 'write',
  updateClearsOld: true,
  rows: dataRow,
  fn: 'x_attachments_stale',
};
export const METADATA_STALE: StaleFragment = {
  column: 'x_metadata',
  table: 'metadata_values',
  on: 'write',
  updateClearsOld: true,
  rows: dataRow,
  fn: 'x_metadata_stale',
};
/** Options are a JSON array: appended options leave the old text but its `]` in front. */
const METADATA_SCHEMA_STALE: StaleFragment = {
  column: 'x_metadata',
  table: 'metadata_schemas',
  on: { update: ['name', 'kind', 'options'] },
  rows: (r) => `data_row_id in (select data_row_id from metadata_values where schema_id = ${r}.id)`,
  when: {
    sqlite:
      'new.name is not old.name or new.kind is not old.kind or substr(new.options, 1, length(old.options) - 1) is not substr(old.options, 1, length(old.options) - 1)',
    postgres:
      'new.name is distinct from old.name or new.kind is distinct from old.kind or left(new.options, length(old.options) - 1) is distinct from left(old.options, length(old.options) - 1)',
  },
  fn: 'x_metadata_schema_stale',
};

export async function up(db: Kysely<unknown>): Promise<void> {
  // The line's `attachments` and `metadata_fields` entries (exports/v2/fragments.ts), cleared on
  // any write to the data row's attachments or metadata values, and when a metadata schema's
  // name or kind changes or an option is renamed or removed (appending options, as a
  // migration import does, changes no rendered text). That last one scans metadata_values:
  // nothing renames schemas today; it is the safety net of a rare write.
  await db.schema.alterTable('project_data_rows').addColumn('x_attachments', 'text').execute();
  await db.schema.alterTable('project_data_rows').addColumn('x_metadata', 'text').execute();
  for (const f of [ATTACHMENTS_STALE, METADATA_STALE, METADATA_SCHEMA_STALE])
    await staleFragmentTrigger(db, f);
}
