import { sql } from 'kysely';
import type { Store } from '../store/store.ts';

/**
 * PostgreSQL plans the per-page lookups of batches and label imports from table statistics; a
 * table bulk-loaded moments ago has none (or those of when it was small) until autovacuum gets to
 * it, and the planner then scans a whole organization or project per page. A table that is more
 * than twice the size its statistics say (and over 100 pages) is analyzed first, outside the
 * caller's transaction so no lock is held through it; otherwise autovacuum keeps them current.
 */
export async function analyzeStaleTables(store: Store): Promise<void> {
  if (store.backend !== 'postgres') return;
  const { rows } = await sql<{ relname: string }>`
    select relname from pg_class
    where relname in ('data_rows', 'project_data_rows') and relkind = 'r' and pg_table_is_visible(oid)
      and pg_relation_size(oid) / current_setting('block_size')::int > greatest(2 * relpages, 100)`.execute(
    store.db,
  );
  for (const r of rows) await sql`analyze ${sql.id(r.relname)}`.execute(store.db);
}
