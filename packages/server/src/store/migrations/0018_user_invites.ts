import type { Kysely } from 'kysely';
import { ms } from './columns.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  // One open invite per user (a new invite replaces it); only the token's SHA-256 is kept.
  await db.schema
    .createTable('user_invites')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().unique().references('users.id'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', ms, (c) => c.notNull())
    .addColumn('expires_at', ms, (c) => c.notNull())
    .execute();
}
