import { type Kysely, sql } from 'kysely';
import { ms } from './columns.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Every write by a person or key (http/audit.ts): who, when, what, from which address.
  // Never a body value: the summary names fields only, so no secret can land here.
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('at', ms, (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_email', 'text', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_org_at').on('audit_log').columns(['org_id', 'at', 'id']).execute();
  // Label imports are idempotent: an external id names one label per project; without one,
  // the hash of the answers names one label per row and labeler.
  await db.schema.alterTable('labels').addColumn('external_id', 'text').execute();
  await db.schema.alterTable('labels').addColumn('content_hash', 'text').execute();
  await db.schema
    .createIndex('labels_external_id')
    .on('labels')
    .columns(['project_id', 'external_id'])
    .unique()
    .where(sql.ref('external_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('labels_content_hash')
    .on('labels')
    .columns(['project_id', 'data_row_id', 'created_by', 'content_hash'])
    .unique()
    .where(sql.ref('content_hash'), 'is not', null)
    .execute();
  // Pre-labels (model-assisted): a starting point shown in the editor, kept apart from
  // labels so no export, count, consensus or queue query can ever read one as a label.
  await db.schema
    .createTable('pre_labels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('data_row_id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('annotations', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('content_hash', 'text')
    .execute();
  await db.schema
    .createIndex('pre_labels_row')
    .on('pre_labels')
    .columns(['project_id', 'data_row_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('pre_labels_external_id')
    .on('pre_labels')
    .columns(['project_id', 'external_id'])
    .unique()
    .where(sql.ref('external_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('pre_labels_content_hash')
    .on('pre_labels')
    .columns(['project_id', 'data_row_id', 'created_by', 'content_hash'])
    .unique()
    .where(sql.ref('content_hash'), 'is not', null)
    .execute();
}
