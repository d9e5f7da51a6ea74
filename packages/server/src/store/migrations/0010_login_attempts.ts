import type { Kysely } from 'kysely';
import { ms } from './columns.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
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
}
