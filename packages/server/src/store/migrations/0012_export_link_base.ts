import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The origin a V1 task's `View Label` links are built on, when its creator chose one
  // (/graphql: the server's public URL), so a task is reused only by callers of that origin.
  await db.schema.alterTable('export_tasks').addColumn('link_base', 'text').execute();
}
