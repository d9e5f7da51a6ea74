import { type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * The text columns that hold whole conversations, labels or rendered export text: PostgreSQL
 * compresses each such value (over ~2 KB) as it stores it, and reads it back decompressed.
 */
export const WIDE_COLUMNS: Record<string, readonly string[]> = {
  data_rows: ['row_data'],
  attachments: ['value'],
  embedding_vectors: ['vector'],
  ontologies: ['normalized'],
  project_data_rows: ['x_head', 'x_media', 'x_attachments', 'x_metadata', 'x_labels', 'x_history'],
  labels: ['annotations'],
  pre_labels: ['annotations'],
  trash_rows: ['data'],
};

export async function up(db: Kysely<unknown>): Promise<void> {
  // PostgreSQL's default compression (pglz) was a quarter of the server's CPU in a migration
  // import of 100,000 rows (`perf`): lz4 compresses several times faster, and decompresses
  // faster for exports. Only where the server was built with lz4 (Debian's and the official
  // images are); values already stored keep their method, new ones use lz4. SQLite: nothing.
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  const built = sql<{ lz4: boolean }>`
    select 'lz4' = any(enumvals) as lz4 from pg_settings where name = 'default_toast_compression'`;
  if (!(await built.execute(db)).rows[0]?.lz4) return;
  for (const [table, columns] of Object.entries(WIDE_COLUMNS)) {
    const set = columns.map((c) => sql`alter column ${sql.id(c)} set compression lz4`);
    await sql`alter table ${sql.id(table)} ${sql.join(set)}`.execute(db);
  }
}
