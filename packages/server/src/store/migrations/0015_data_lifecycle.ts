import type { Kysely } from 'kysely';
import { ms } from './columns.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Edit, archive and soft-delete (lifecycle/): a project's guideline and states; a dataset's
  // deletion; the trash (what a soft-delete took out of the live tables, kept for restore until
  // the purge job removes it); and the erasure log (who erased what and when, never the content).
  await db.schema.alterTable('projects').addColumn('instructions', 'text').execute();
  await db.schema.alterTable('projects').addColumn('archived_at', ms).execute();
  await db.schema.alterTable('projects').addColumn('deleted_at', ms).execute();
  await db.schema.alterTable('datasets').addColumn('deleted_at', ms).execute();
  await db.schema
    .createTable('trash')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text')
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('deleted_at', ms, (c) => c.notNull())
    .addColumn('deleted_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('trash_target').on('trash').columns(['org_id', 'kind', 'target_id']).execute();
  await db.schema.createIndex('trash_deleted_at').on('trash').columns(['deleted_at']).execute();
  await db.schema
    .createTable('trash_rows')
    .addColumn('trash_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('tbl', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('trash_rows_pk', ['trash_id', 'seq'])
    .execute();
  await db.schema
    .createTable('erasures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text', (c) => c.notNull())
    .addColumn('erased_by', 'text', (c) => c.notNull())
    .addColumn('erased_at', ms, (c) => c.notNull())
    .addColumn('row_count', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('erasures_org').on('erasures').columns(['org_id', 'erased_at']).execute();
}
