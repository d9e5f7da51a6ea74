import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // 1 marks the row a labeler leased ahead of the one they work on (the web editor's
  // prefetch): it becomes their current row when they submit or skip that one.
  await db.schema
    .alterTable('project_data_rows')
    .addColumn('lease_ahead', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
