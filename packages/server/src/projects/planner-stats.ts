import { sql } from 'kysely';
import type { Database } from '../store/schema.ts';
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

/**
 * After a bulk write has committed, on PostgreSQL: vacuums and analyzes the tables it wrote, so
 * it leaves no dead tuples (each project row it rendered left one) for the next export to walk
 * past, its pages are marked all-visible, and the planner knows their new sizes. VACUUM cannot run
 * inside a transaction: call it after `store.write` returns. Costs a pass over the pages written.
 */
export async function vacuumAfterBulkWrite(store: Store, tables: readonly TableName[]): Promise<void> {
  if (store.backend !== 'postgres' || tables.length === 0) return;
  await sql`vacuum (analyze) ${sql.join(tables.map((t) => sql.id(t)))}`.execute(store.db);
}

type TableName = keyof Database & string;
