import type { Kysely } from 'kysely';
import { type StaleFragment, staleFragmentTrigger } from './stale-fragment-trigger.ts';

/** A changed value of `column` between the old and the new row, in each dialect. */
const changed = (column: string) => ({
  sqlite: `new.${column} is not old.${column}`,
  postgres: `new.${column} is distinct from old.${column}`,
});

/** The project row has a label, review or history entry (`table`) by the user `r.id`. */
const by = (table: string, r: 'new' | 'old') =>
  `exists (select 1 from ${table} s where s.project_id = project_data_rows.project_id` +
  ` and s.data_row_id = project_data_rows.data_row_id and s.created_by = ${r}.id)`;

/**
 * Fragments hold more than their rows' own data (exports/v2/fragments.ts): the emails of the people
 * who wrote the labels, reviews and history entries, and the consensus count of the row's batch
 * (or its project's). Nothing changes those in normal use, but a change must not leave stale
 * text: it clears the fragments concerned (a rare write; the scans are the price of it).
 */
const FIXED_INPUTS: StaleFragment[] = [
  {
    column: 'x_labels',
    table: 'users',
    on: { update: ['email'] },
    when: changed('email'),
    rows: (r) => `org_id = ${r}.org_id and (${by('labels', r)} or ${by('reviews', r)})`,
  },
  {
    column: 'x_history',
    table: 'users',
    on: { update: ['email'] },
    when: changed('email'),
    rows: (r) => `org_id = ${r}.org_id and ${by('workflow_history', r)}`,
  },
  {
    column: 'x_labels',
    table: 'projects',
    on: { update: ['consensus_expected_label_count'] },
    when: changed('consensus_expected_label_count'),
    rows: (r) => `project_id = ${r}.id`,
  },
  {
    column: 'x_labels',
    table: 'batches',
    on: { update: ['consensus_label_count'] },
    when: changed('consensus_label_count'),
    rows: (r) => `batch_id = ${r}.id`,
  },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const f of FIXED_INPUTS) await staleFragmentTrigger(db, f);
}
