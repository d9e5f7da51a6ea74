import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The order the labeler saw the model outputs in, left to right (JSON array of their
  // titles), kept for a position-bias audit; never part of an export row.
  await db.schema.alterTable('labels').addColumn('displayed_order', 'text').execute();
  // A person's labels in a project by time: the home figures (labels since the start of
  // their day) and their rework list read this instead of every label of the project.
  await db.schema
    .createIndex('labels_by_author')
    .on('labels')
    .columns(['project_id', 'created_by', 'created_at'])
    .execute();
}
