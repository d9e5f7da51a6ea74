import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Every column an export reads from data_rows besides the fragments' sources, so the join
  // reads this index only. In SQLite the table would be worse: those columns come after
  // row_data, and reaching them walks its overflow pages on every row.
  await db.schema
    .createIndex('data_rows_export')
    .on('data_rows')
    .columns(['id', 'org_id', 'last_activity_at', 'dataset_id', 'created_at', 'updated_at', 'created_by'])
    .execute();
}
