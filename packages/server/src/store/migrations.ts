/**
 * Migrations live in code (no files to ship or find at run time) and use only column types both
 * backends read the same way: text, integer, bigint (milliseconds), double precision.
 */
import { type Kysely, type Migration, PostgresAdapter, sql } from 'kysely';

const ms = 'bigint' as const;

export const migrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
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
      await db.schema
        .createIndex('data_rows_dataset')
        .on('data_rows')
        .columns(['dataset_id', 'id'])
        .execute();
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
      await db.schema
        .createIndex('reviews_label')
        .on('reviews')
        .columns(['label_id', 'created_at'])
        .execute();
      await db.schema
        .createIndex('reviews_row')
        .on('reviews')
        .columns(['project_id', 'data_row_id'])
        .execute();

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
      await db.schema
        .createIndex('comments_row')
        .on('comments')
        .columns(['project_id', 'data_row_id'])
        .execute();

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
      await db.schema
        .createIndex('export_tasks_org')
        .on('export_tasks')
        .columns(['org_id', 'status'])
        .execute();
    },
  },
  '0002_workflow': {
    async up(db: Kysely<unknown>) {
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
    },
  },
  '0003_accounts': {
    async up(db: Kysely<unknown>) {
      // Users that existed before roles (local owners, label authors) stay members; the local
      // owner is made admin when it next acts (orgs/org.service.ts localActor).
      await db.schema
        .alterTable('users')
        .addColumn('role', 'text', (c) => c.notNull().defaultTo('member'))
        .execute();
      await db.schema.alterTable('users').addColumn('password_hash', 'text').execute();
      await db.schema.alterTable('users').addColumn('password_changed_at', ms).execute();
      await db.schema.alterTable('users').addColumn('disabled_at', ms).execute();
      await db.schema
        .createTable('project_members')
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('created_at', ms, (c) => c.notNull())
        .addPrimaryKeyConstraint('project_members_pk', ['project_id', 'user_id'])
        .execute();
      await db.schema
        .createIndex('project_members_user')
        .on('project_members')
        .columns(['user_id'])
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('org_id', 'text', (c) => c.notNull())
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', ms, (c) => c.notNull())
        .addColumn('expires_at', ms, (c) => c.notNull())
        .addColumn('last_seen_at', ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_user').on('sessions').columns(['user_id']).execute();
    },
  },
  '0004_export_fragments': {
    async up(db: Kysely<unknown>) {
      // Pre-rendered export v2 text per project row (see exports/fragments.ts): the `labels`
      // entries with label_details and performance_details, and the `workflow_history` entries.
      // NULL means "not rendered": the exporter renders such a row from the tables themselves.
      await db.schema.alterTable('project_data_rows').addColumn('x_labels', 'text').execute();
      await db.schema.alterTable('project_data_rows').addColumn('x_history', 'text').execute();
      // Any write to labels, reviews or history sets its row's fragment back to NULL, so a writer
      // that does not re-render (or re-renders too early) leaves a slow row, never a stale one.
      const stale = [
        { table: 'labels', column: 'x_labels' },
        { table: 'reviews', column: 'x_labels' },
        { table: 'workflow_history', column: 'x_history' },
      ];
      if (db.getExecutor().adapter instanceof PostgresAdapter) {
        for (const column of ['x_labels', 'x_history']) {
          await sql`
            create function ${sql.raw(`${column}_stale`)}() returns trigger language plpgsql as $$
            begin
              if tg_op = 'DELETE' then
                update project_data_rows set ${sql.raw(column)} = null
                 where project_id = old.project_id and data_row_id = old.data_row_id;
              else
                update project_data_rows set ${sql.raw(column)} = null
                 where project_id = new.project_id and data_row_id = new.data_row_id;
              end if;
              return null;
            end $$`.execute(db);
        }
        for (const { table, column } of stale) {
          await sql`
            create trigger ${sql.raw(`${table}_${column}_stale`)}
            after insert or update or delete on ${sql.raw(table)}
            for each row execute function ${sql.raw(`${column}_stale`)}()`.execute(db);
        }
        return;
      }
      for (const { table, column } of stale) {
        for (const [event, row] of [
          ['insert', 'new'],
          ['update', 'new'],
          ['delete', 'old'],
        ] as const) {
          await sql`
            create trigger ${sql.raw(`${table}_${column}_stale_${event}`)}
            after ${sql.raw(event)} on ${sql.raw(table)}
            begin
              update project_data_rows set ${sql.raw(column)} = null
               where project_id = ${sql.raw(row)}.project_id and data_row_id = ${sql.raw(row)}.data_row_id;
            end`.execute(db);
        }
      }
    },
  },
  '0005_export_row_head': {
    async up(db: Kysely<unknown>) {
      // The start of a project row's export line, `{"data_row":{"id":…,"global_key":…,
      // "external_id":…,"row_data":"…"` with the row data already escaped (exports/fragments.ts).
      await db.schema.alterTable('project_data_rows').addColumn('x_head', 'text').execute();
      // Only a change of what it holds clears it (not the activity stamps every write moves).
      if (db.getExecutor().adapter instanceof PostgresAdapter) {
        await sql`
          create function x_head_stale() returns trigger language plpgsql as $$
          begin
            update project_data_rows set x_head = null where data_row_id = new.id;
            return null;
          end $$`.execute(db);
        await sql`
          create trigger data_rows_x_head_stale
          after update of row_data, global_key, external_id on data_rows
          for each row execute function x_head_stale()`.execute(db);
        return;
      }
      await sql`
        create trigger data_rows_x_head_stale
        after update of row_data, global_key, external_id on data_rows
        begin
          update project_data_rows set x_head = null where data_row_id = new.id;
        end`.execute(db);
    },
  },
  '0006_export_row_media': {
    async up(db: Kysely<unknown>) {
      // The line's `"media_attributes":{…}` member (exports/fragments.ts), cleared when the data
      // row's mime type, labelable ids or message count change.
      await db.schema.alterTable('project_data_rows').addColumn('x_media', 'text').execute();
      if (db.getExecutor().adapter instanceof PostgresAdapter) {
        await sql`
          create function x_media_stale() returns trigger language plpgsql as $$
          begin
            update project_data_rows set x_media = null where data_row_id = new.id;
            return null;
          end $$`.execute(db);
        await sql`
          create trigger data_rows_x_media_stale
          after update of mime_type, labelable_ids, message_count on data_rows
          for each row execute function x_media_stale()`.execute(db);
        return;
      }
      await sql`
        create trigger data_rows_x_media_stale
        after update of mime_type, labelable_ids, message_count on data_rows
        begin
          update project_data_rows set x_media = null where data_row_id = new.id;
        end`.execute(db);
    },
  },
  '0007_export_row_index': {
    async up(db: Kysely<unknown>) {
      // Every column an export reads from data_rows besides the fragments' sources, so the join
      // reads this index only. In SQLite the table would be worse: those columns come after
      // row_data, and reaching them walks its overflow pages on every row.
      await db.schema
        .createIndex('data_rows_export')
        .on('data_rows')
        .columns(['id', 'org_id', 'last_activity_at', 'dataset_id', 'created_at', 'updated_at', 'created_by'])
        .execute();
    },
  },
  '0008_export_row_extras': {
    async up(db: Kysely<unknown>) {
      // The line's `attachments` and `metadata_fields` entries (exports/fragments.ts), cleared on
      // any write to the data row's attachments or metadata values, and when a metadata schema's
      // name or kind changes or an option is renamed or removed (appending options, as a
      // migration import does, changes no rendered text). That last one scans metadata_values:
      // nothing renames schemas today; it is the safety net of a rare write.
      await db.schema.alterTable('project_data_rows').addColumn('x_attachments', 'text').execute();
      await db.schema.alterTable('project_data_rows').addColumn('x_metadata', 'text').execute();
      const stale = [
        { table: 'attachments', column: 'x_attachments' },
        { table: 'metadata_values', column: 'x_metadata' },
      ];
      if (db.getExecutor().adapter instanceof PostgresAdapter) {
        for (const { column } of stale) {
          await sql`
            create function ${sql.raw(`${column}_stale`)}() returns trigger language plpgsql as $$
            begin
              if tg_op <> 'INSERT' then
                update project_data_rows set ${sql.raw(column)} = null where data_row_id = old.data_row_id;
              end if;
              if tg_op <> 'DELETE' then
                update project_data_rows set ${sql.raw(column)} = null where data_row_id = new.data_row_id;
              end if;
              return null;
            end $$`.execute(db);
        }
        for (const { table, column } of stale) {
          await sql`
            create trigger ${sql.raw(`${table}_${column}_stale`)}
            after insert or update or delete on ${sql.raw(table)}
            for each row execute function ${sql.raw(`${column}_stale`)}()`.execute(db);
        }
        await sql`
          create function x_metadata_schema_stale() returns trigger language plpgsql as $$
          begin
            update project_data_rows set x_metadata = null
             where data_row_id in (select data_row_id from metadata_values where schema_id = new.id);
            return null;
          end $$`.execute(db);
        await sql`
          create trigger metadata_schemas_x_metadata_stale
          after update of name, kind, options on metadata_schemas
          for each row
          when (new.name is distinct from old.name or new.kind is distinct from old.kind
             or left(new.options, length(old.options) - 1) is distinct from left(old.options, length(old.options) - 1))
          execute function x_metadata_schema_stale()`.execute(db);
        return;
      }
      for (const { table, column } of stale) {
        for (const [event, rows] of [
          ['insert', ['new']],
          ['update', ['old', 'new']],
          ['delete', ['old']],
        ] as const) {
          await sql`
            create trigger ${sql.raw(`${table}_${column}_stale_${event}`)}
            after ${sql.raw(event)} on ${sql.raw(table)}
            begin
              update project_data_rows set ${sql.raw(column)} = null
               where data_row_id in (${sql.raw(rows.map((r) => `${r}.data_row_id`).join(', '))});
            end`.execute(db);
        }
      }
      // Options are a JSON array: appended options leave the old text but its `]` in front.
      await sql`
        create trigger metadata_schemas_x_metadata_stale
        after update of name, kind, options on metadata_schemas
        when new.name is not old.name or new.kind is not old.kind
          or substr(new.options, 1, length(old.options) - 1) is not substr(old.options, 1, length(old.options) - 1)
        begin
          update project_data_rows set x_metadata = null
           where data_row_id in (select data_row_id from metadata_values where schema_id = new.id);
        end`.execute(db);
    },
  },
  '0009_displayed_order': {
    async up(db: Kysely<unknown>) {
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
    },
  },
  '0010_login_attempts': {
    async up(db: Kysely<unknown>) {
      // The login limit's counts, in the database so every server process on it shares them.
      await db.schema
        .createTable('login_attempts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('at', ms, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('login_attempts_key').on('login_attempts').columns(['key', 'at']).execute();
      await db.schema.createIndex('login_attempts_at').on('login_attempts').columns(['at']).execute();
      await db.schema.alterTable('export_tasks').addColumn('result_sample', 'text').execute();
      await db.schema.alterTable('export_tasks').addColumn('errors_sample', 'text').execute();
    },
  },
  '0011_bulk_writes_skip_stale_triggers': {
    async up(db: Kysely<unknown>) {
      // PostgreSQL runs a row-level trigger once per row, each an UPDATE of project_data_rows:
      // an import of 100,000 rows paid about six per row (every label, review, history entry,
      // attachment and metadata value), each leaving a dead tuple, on rows the import renders
      // again anyway. A bulk writer says so for its transaction (`SET LOCAL prefer.bulk = 'on'`,
      // exports/fragments.ts `suspendStaleTriggers`) and the triggers step aside; it owes what
      // they would have done. Every other writer is unchanged. SQLite runs its triggers inline
      // at little cost, and keeps them as they are.
      if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
      const skip = sql.raw(`if current_setting('prefer.bulk', true) = 'on' then return null; end if;`);
      for (const column of ['x_labels', 'x_history']) {
        await sql`
          create or replace function ${sql.raw(`${column}_stale`)}() returns trigger language plpgsql as $$
          begin
            ${skip}
            if tg_op = 'DELETE' then
              update project_data_rows set ${sql.raw(column)} = null
               where project_id = old.project_id and data_row_id = old.data_row_id;
            else
              update project_data_rows set ${sql.raw(column)} = null
               where project_id = new.project_id and data_row_id = new.data_row_id;
            end if;
            return null;
          end $$`.execute(db);
      }
      for (const column of ['x_head', 'x_media']) {
        await sql`
          create or replace function ${sql.raw(`${column}_stale`)}() returns trigger language plpgsql as $$
          begin
            ${skip}
            update project_data_rows set ${sql.raw(column)} = null where data_row_id = new.id;
            return null;
          end $$`.execute(db);
      }
      for (const column of ['x_attachments', 'x_metadata']) {
        await sql`
          create or replace function ${sql.raw(`${column}_stale`)}() returns trigger language plpgsql as $$
          begin
            ${skip}
            if tg_op <> 'INSERT' then
              update project_data_rows set ${sql.raw(column)} = null where data_row_id = old.data_row_id;
            end if;
            if tg_op <> 'DELETE' then
              update project_data_rows set ${sql.raw(column)} = null where data_row_id = new.data_row_id;
            end if;
            return null;
          end $$`.execute(db);
      }
    },
  },
  '0012_export_link_base': {
    async up(db: Kysely<unknown>) {
      // The origin a V1 task's `View Label` links are built on, when its creator chose one
      // (/graphql: the server's public URL), so a task is reused only by callers of that origin.
      await db.schema.alterTable('export_tasks').addColumn('link_base', 'text').execute();
    },
  },
  '0013_data_lifecycle': {
    async up(db: Kysely<unknown>) {
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
      await db.schema
        .createIndex('trash_target')
        .on('trash')
        .columns(['org_id', 'kind', 'target_id'])
        .execute();
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
    },
  },
  '0014_audit_log_and_label_import_identity': {
    async up(db: Kysely<unknown>) {
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
      await db.schema
        .createIndex('audit_log_org_at')
        .on('audit_log')
        .columns(['org_id', 'at', 'id'])
        .execute();
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
    },
  },
};
