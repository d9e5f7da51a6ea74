/**
 * Multi-row INSERTs for the import hot path. Kysely builds and compiles a query tree per call,
 * which for hundreds of rows costs more than the insert itself; here the SQL text for a given
 * table and row count is built once and reused, and rows go straight in as parameters. Still
 * runs through the transaction's Kysely connection, so both backends and BEGIN IMMEDIATE apply.
 */
import { CompiledQuery } from 'kysely';
import type { Backend, Tx } from '../store/store.ts';

/** Parameters per statement: under SQLite's 32766 and PostgreSQL's 65535 limits. */
const MAX_PARAMS = 30_000;
/** More rows per statement stop paying once parse time dominates. */
const MAX_ROWS = 1_000;

const sqlCache = new Map<string, string>();

function insertSql(
  backend: Backend,
  table: string,
  columns: readonly string[],
  rows: number,
  onConflict: boolean,
): string {
  const cacheKey = `${backend}|${table}|${columns.join(',')}|${rows}|${onConflict}`;
  const cached = sqlCache.get(cacheKey);
  if (cached) return cached;
  const tuples: string[] = [];
  let n = 0;
  for (let r = 0; r < rows; r++) {
    const marks = columns.map(() => (backend === 'postgres' ? `$${++n}` : '?'));
    tuples.push(`(${marks.join(',')})`);
  }
  // Identifiers come from code, never from input; quoting keeps reserved words safe.
  const text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(',')}) values ${tuples.join(',')}${
    onConflict ? ' on conflict do nothing' : ''
  }`;
  if (rows === maxRowsPerStatement(columns.length)) sqlCache.set(cacheKey, text);
  return text;
}

export function maxRowsPerStatement(columnCount: number): number {
  return Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / columnCount));
}

/**
 * Inserts `rows` (each an array in `columns` order) and returns how many were inserted; with
 * `skipConflicts` rows hitting a unique index are skipped (ON CONFLICT DO NOTHING) and not counted.
 */
export async function bulkInsert(
  tx: Tx,
  backend: Backend,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  options: { skipConflicts?: boolean } = {},
): Promise<number> {
  const per = maxRowsPerStatement(columns.length);
  let inserted = 0;
  for (let start = 0; start < rows.length; start += per) {
    const chunk = rows.slice(start, start + per);
    const params: unknown[] = [];
    for (const row of chunk) for (const v of row) params.push(v);
    const text = insertSql(backend, table, columns, chunk.length, options.skipConflicts === true);
    const result = await tx.executeQuery(CompiledQuery.raw(text, params));
    inserted += Number(result.numAffectedRows ?? 0n);
  }
  return inserted;
}
