import type { Kysely } from 'kysely';
import { ms } from './columns.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('organizations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_lower', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull().unique())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('expires_at', ms)
    .addColumn('revoked_at', ms)
    .addColumn('last_used_at', ms)
    .execute();
  await db.schema.createIndex('api_keys_org').on('api_keys').columns(['org_id', 'created_at']).execute();

  await db.schema
    .createTable('datasets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('datasets_org').on('datasets').columns(['org_id', 'id']).execute();

  await db.schema
    .createTable('data_rows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('dataset_id', 'text', (c) => c.notNull().references('datasets.id'))
    .addColumn('global_key', 'text')
    .addColumn('global_key_lower', 'text')
    .addColumn('external_id', 'text')
    .addColumn('row_data', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('labelable_ids', 'text', (c) => c.notNull())
    .addColumn('message_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('last_activity_at', ms, (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('data_rows_global_key')
    .on('data_rows')
    .columns(['org_id', 'global_key_lower'])
    .unique()
    .execute();
  await db.schema.createIndex('data_rows_dataset').on('data_rows').columns(['dataset_id', 'id']).execute();
  await db.schema
    .createIndex('data_rows_activity')
    .on('data_rows')
    .columns(['last_activity_at', 'id'])
    .execute();

  await db.schema
    .createTable('attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('data_row_id', 'text', (c) => c.notNull().references('data_rows.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('attachments_row')
    .on('attachments')
    .columns(['data_row_id', 'position'])
    .execute();

  await db.schema
    .createTable('metadata_schemas')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('options', 'text')
    .addUniqueConstraint('metadata_schemas_name', ['org_id', 'name'])
    .execute();

  await db.schema
    .createTable('metadata_values')
    .addColumn('data_row_id', 'text', (c) => c.notNull().references('data_rows.id'))
    .addColumn('schema_id', 'text', (c) => c.notNull().references('metadata_schemas.id'))
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('metadata_values_pk', ['data_row_id', 'schema_id'])
    .execute();

  await db.schema
    .createTable('embeddings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('dimensions', 'integer', (c) => c.notNull())
    .addColumn('is_custom', 'integer', (c) => c.notNull())
    .addUniqueConstraint('embeddings_name', ['org_id', 'name'])
    .execute();

  await db.schema
    .createTable('embedding_vectors')
    .addColumn('data_row_id', 'text', (c) => c.notNull().references('data_rows.id'))
    .addColumn('embedding_id', 'text', (c) => c.notNull().references('embeddings.id'))
    .addColumn('vector', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('embedding_vectors_pk', ['data_row_id', 'embedding_id'])
    .execute();

  await db.schema
    .createTable('ontologies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('normalized', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('projects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('ontology_id', 'text', (c) => c.notNull().references('ontologies.id'))
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('consensus_expected_label_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('projects_org').on('projects').columns(['org_id', 'id']).execute();

  await db.schema
    .createTable('workflow_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('workflow_tasks_project')
    .on('workflow_tasks')
    .columns(['project_id', 'position'])
    .execute();

  await db.schema
    .createTable('batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('consensus_label_count', 'integer')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('batches_project').on('batches').columns(['project_id', 'id']).execute();

  await db.schema
    .createTable('project_data_rows')
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('data_row_id', 'text', (c) => c.notNull().references('data_rows.id'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('batch_id', 'text', (c) => c.notNull().references('batches.id'))
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('workflow_status', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('added_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('lease_user_id', 'text')
    .addColumn('lease_expires_at', ms)
    .addPrimaryKeyConstraint('project_data_rows_pk', ['project_id', 'data_row_id'])
    .execute();
  await db.schema
    .createIndex('project_data_rows_status')
    .on('project_data_rows')
    .columns(['project_id', 'workflow_status', 'data_row_id'])
    .execute();
  await db.schema
    .createIndex('project_data_rows_batch')
    .on('project_data_rows')
    .columns(['project_id', 'batch_id', 'data_row_id'])
    .execute();
  await db.schema
    .createIndex('project_data_rows_queue')
    .on('project_data_rows')
    .columns(['project_id', 'workflow_status', 'priority', 'added_at'])
    .execute();
  await db.schema
    .createIndex('project_data_rows_row')
    .on('project_data_rows')
    .column('data_row_id')
    .execute();

  await db.schema
    .createTable('workflow_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('data_row_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('previous_task_id', 'text')
    .addColumn('previous_task_name', 'text')
    .addColumn('next_task_id', 'text', (c) => c.notNull())
    .addColumn('next_task_name', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('workflow_history_row')
    .on('workflow_history')
    .columns(['project_id', 'data_row_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('labels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('data_row_id', 'text', (c) => c.notNull().references('data_rows.id'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('content_last_updated_at', ms, (c) => c.notNull())
    .addColumn('label_kind', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('annotations', 'text', (c) => c.notNull())
    .addColumn('seconds_to_create', 'double precision')
    .addColumn('seconds_to_review', 'double precision')
    .addColumn('skipped', 'integer', (c) => c.notNull())
    .addColumn('consensus_score', 'double precision')
    .execute();
  await db.schema.createIndex('labels_row').on('labels').columns(['project_id', 'data_row_id']).execute();
  await db.schema
    .createIndex('labels_created')
    .on('labels')
    .columns(['project_id', 'created_at', 'data_row_id'])
    .execute();

  await db.schema
    .createTable('reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('label_id', 'text', (c) => c.notNull().references('labels.id'))
    .addColumn('data_row_id', 'text', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('reviews_label').on('reviews').columns(['label_id', 'created_at']).execute();
  await db.schema.createIndex('reviews_row').on('reviews').columns(['project_id', 'data_row_id']).execute();

  await db.schema
    .createTable('comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('data_row_id', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('comments_row').on('comments').columns(['project_id', 'data_row_id']).execute();

  await db.schema
    .createTable('export_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('filters', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('completion_percentage', 'double precision', (c) => c.notNull())
    .addColumn('worker_id', 'text')
    .addColumn('heartbeat_at', ms)
    .addColumn('result_path', 'text')
    .addColumn('result_bytes', ms)
    .addColumn('result_lines', ms)
    .addColumn('errors_path', 'text')
    .addColumn('errors_bytes', ms)
    .addColumn('errors_lines', ms)
    .addColumn('failure_reason', 'text')
    // Export worker: claims counted for crash recovery, stream checksums, retention mark.
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('result_sha256', 'text')
    .addColumn('errors_sha256', 'text')
    .addColumn('files_deleted_at', ms)
    .execute();
  await db.schema
    .createIndex('export_tasks_claim')
    .on('export_tasks')
    .columns(['status', 'heartbeat_at'])
    .execute();
  await db.schema
    .createIndex('export_tasks_project')
    .on('export_tasks')
    .columns(['project_id', 'status'])
    .execute();
  await db.schema.createIndex('export_tasks_org').on('export_tasks').columns(['org_id', 'status']).execute();
}
