import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Two indexes whose columns lead another index of the same table: the longer one serves every
  // lookup the shorter did. The shorter only cost each write one more index entry (a label
  // submit, every lease and status change), and left PostgreSQL a tie to break between the two.
  // `labels_author` (project_id, data_row_id, created_by) covers `labels_row`;
  // `project_data_rows_next` (project_id, workflow_status, priority, added_at, data_row_id)
  // covers `project_data_rows_queue`.
  await db.schema.dropIndex('labels_row').execute();
  await db.schema.dropIndex('project_data_rows_queue').execute();
}
