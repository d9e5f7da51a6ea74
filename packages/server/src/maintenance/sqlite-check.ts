/** SQLite's own consistency checks, run on a read-only connection of their own. */
import SqliteDatabase from 'better-sqlite3';
import { AppError } from '../shared/errors.ts';

/**
 * The problems `integrity_check` or `quick_check` finds in a SQLite file (empty when it is sound);
 * with `what`, throws instead when there are any.
 */
export function sqliteProblems(
  path: string,
  pragma: 'integrity_check' | 'quick_check',
  what?: string,
): string[] {
  let problems: string[];
  let db: SqliteDatabase.Database | undefined;
  try {
    db = new SqliteDatabase(path, { readonly: true, fileMustExist: true });
    problems = (db.pragma(`${pragma}(100)`) as Record<string, string>[]).map((r) =>
      String(Object.values(r)[0]),
    );
  } catch (err) {
    problems = [(err as Error).message];
  } finally {
    db?.close();
  }
  if (problems.length === 1 && problems[0] === 'ok') return [];
  if (what) {
    throw new AppError(
      'UNAVAILABLE',
      `${what} ${path} is damaged (${pragma}: ${problems.slice(0, 3).join('; ')})`,
    );
  }
  return problems;
}
