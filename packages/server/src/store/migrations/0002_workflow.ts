import type { Kysely } from 'kysely';
import { ms } from './columns.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Label submissions by idempotency key: a retried submit answers its first response.
  await db.schema
    .createTable('label_submissions')
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('label_id', 'text', (c) => c.notNull().references('labels.id'))
    .addColumn('payload_sha256', 'text', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('label_submissions_pk', ['project_id', 'user_id', 'key'])
    .execute();
  // The labeling queue's order, to the last key: the next row is the first index entry that
  // is free, without sorting the rows of a batch (they share priority and added_at).
  await db.schema
    .createIndex('project_data_rows_next')
    .on('project_data_rows')
    .columns(['project_id', 'workflow_status', 'priority', 'added_at', 'data_row_id'])
    .execute();
  // A labeler's live lease, found without reading the project's queue.
  await db.schema
    .createIndex('project_data_rows_lease')
    .on('project_data_rows')
    .columns(['lease_user_id', 'project_id'])
    .execute();
  await db.schema
    .createIndex('labels_author')
    .on('labels')
    .columns(['project_id', 'data_row_id', 'created_by'])
    .execute();
}
