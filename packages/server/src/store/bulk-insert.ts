/**
 * Bulk inserts for import hot paths, behind `Store.bulkInsert`. Kysely builds and compiles a query
 * tree per call, which for hundreds of rows costs more than the insert itself.
 * - SQLite: one cached prepared statement run per row on the write connection. Measured faster
 *   than multi-row VALUES (which SQLite runs as a co-routine over a huge bound list).
 * - PostgreSQL: multi-row INSERTs (each round trip carries many rows), SQL text cached per size,
 *   under the 65535-parameter limit.
 * Both run inside the caller's write transaction; identifiers come from code, never from input.
 */
import type SqliteDatabase from 'better-sqlite3';
import { CompiledQuery } from 'kysely';
import type { BulkInsertOptions, Rows, Tx } from './store.types.ts';

function insertSql(table: string, columns: readonly string[], tuples: string, skip: boolean): string {
  return `insert into "${table}" (${columns.map((c) => `"${c}"`).join(',')}) values ${tuples}${skip ? ' on conflict do nothing' : ''}`;
}

export function sqliteBulkInsert(conn: SqliteDatabase.Database) {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return (table: string, columns: readonly string[], rows: Rows, options: BulkInsertOptions = {}): number => {
    const text = insertSql(
      table,
      columns,
      `(${columns.map(() => '?').join(',')})`,
      options.skipConflicts === true,
    );
    let stmt = statements.get(text);
    if (!stmt) {
      stmt = conn.prepare(text);
      statements.set(text, stmt);
    }
    let inserted = 0;
    for (const row of rows) inserted += stmt.run(row as unknown[]).changes;
    return inserted;
  };
}

/** Parameters per statement, under PostgreSQL's 65535. */
const PG_MAX_PARAMS = 30_000;
const PG_MAX_ROWS = 1_000;
const pgSql = new Map<string, string>();

export async function postgresBulkInsert(
  tx: Tx,
  table: string,
  columns: readonly string[],
  rows: Rows,
  options: BulkInsertOptions = {},
): Promise<number> {
  const per = Math.min(PG_MAX_ROWS, Math.floor(PG_MAX_PARAMS / columns.length));
  const skip = options.skipConflicts === true;
  let inserted = 0;
  for (let start = 0; start < rows.length; start += per) {
    const chunk = rows.slice(start, start + per);
    const key = `${table}|${columns.join(',')}|${chunk.length}|${skip}`;
    let text = pgSql.get(key);
    if (!text) {
      let n = 0;
      const tuples = chunk.map(() => `(${columns.map(() => `$${++n}`).join(',')})`).join(',');
      text = insertSql(table, columns, tuples, skip);
      // Only full-size statements recur; the last, shorter one of each import is not kept.
      if (chunk.length === per) pgSql.set(key, text);
    }
    const params: unknown[] = [];
    for (const row of chunk) for (const v of row) params.push(v);
    const result = await tx.executeQuery(CompiledQuery.raw(text, params));
    inserted += Number(result.numAffectedRows ?? 0n);
  }
  return inserted;
}
