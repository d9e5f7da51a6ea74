/**
 * Backups and restores. SQLite: the online backup API (a consistent copy while the server writes;
 * never a `cp` of a live file), checked with quick_check. PostgreSQL: `pg_dump` in its custom
 * format and `pg_restore` in one transaction. A restore goes only into an empty database.
 */
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { AppError } from '../shared/errors.ts';
import { type Backend, isPostgresUrl } from '../store/store.ts';
import { runPgTool } from './pg-tools.ts';
import { sqliteProblems } from './sqlite-check.ts';

export interface BackupResult {
  backend: Backend;
  file: string;
  bytes: number;
}

const SQLITE_MAGIC = 'SQLite format 3\0';
const PGDUMP_MAGIC = 'PGDMP';

/** Writes a backup of the database at `url` to `out` (via `out.partial`, renamed when complete). */
export async function backupDatabase(url: string, out: string): Promise<BackupResult> {
  const file = resolve(out);
  const partial = `${file}.partial`;
  await rm(partial, { force: true });
  try {
    if (isPostgresUrl(url)) {
      await runPgTool('pg_dump', ['--format=custom', `--file=${partial}`], url);
    } else {
      const source = resolve(url);
      if (!(await stat(source).catch(() => null))?.size) {
        throw new AppError('NOT_FOUND', `there is no database at ${source} to back up`);
      }
      const db = new SqliteDatabase(source, { readonly: true, fileMustExist: true });
      try {
        await db.backup(partial);
      } finally {
        db.close();
      }
      sqliteProblems(partial, 'quick_check', 'the backup copy');
    }
    await fsyncFile(partial);
    await rename(partial, file);
    await fsyncFile(dirname(file));
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  return { backend: isPostgresUrl(url) ? 'postgres' : 'sqlite', file, bytes: (await stat(file)).size };
}

/** Restores the backup `file` into the empty database at `url`. */
export async function restoreDatabase(file: string, url: string): Promise<{ backend: Backend }> {
  const path = resolve(file);
  const head = await readFile(path).then(
    (b) => b.subarray(0, 16).toString('latin1'),
    () => {
      throw new AppError('NOT_FOUND', `cannot read the backup ${path}`);
    },
  );
  const kind: Backend | null = head.startsWith(SQLITE_MAGIC)
    ? 'sqlite'
    : head.startsWith(PGDUMP_MAGIC)
      ? 'postgres'
      : null;
  if (kind === null) {
    throw new AppError(
      'BAD_REQUEST',
      `${path} is not a prefer backup (neither a SQLite file nor a pg_dump archive)`,
    );
  }
  const target: Backend = isPostgresUrl(url) ? 'postgres' : 'sqlite';
  if (kind !== target) {
    throw new AppError(
      'BAD_REQUEST',
      `${path} is a ${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL (pg_dump)'} backup: restore it into a ` +
        `${kind === 'sqlite' ? 'SQLite file path' : 'postgres:// database'} (--db)`,
    );
  }
  await assertEmpty(url);
  if (target === 'postgres') {
    await runPgTool(
      'pg_restore',
      [
        '--no-owner',
        '--no-privileges',
        '--exit-on-error',
        '--single-transaction',
        `--dbname=${dbName(url)}`,
        path,
      ],
      url,
    );
    return { backend: target };
  }
  sqliteProblems(path, 'quick_check', 'the backup');
  const dest = resolve(url);
  const partial = `${dest}.partial`;
  const source = new SqliteDatabase(path, { readonly: true, fileMustExist: true });
  try {
    await source.backup(partial);
  } finally {
    source.close();
  }
  // The target is empty or missing: a log or index left beside it belongs to nothing now.
  for (const suffix of ['-wal', '-shm']) await rm(`${dest}${suffix}`, { force: true });
  await fsyncFile(partial);
  await rename(partial, dest);
  await fsyncFile(dirname(dest));
  return { backend: target };
}

const dbName = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1)) || 'postgres';

/** Refuses a database that holds any table (a restore never merges into existing data). */
async function assertEmpty(url: string): Promise<void> {
  let tables: number;
  if (isPostgresUrl(url)) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      const { rows } = await client.query<{ n: number }>(
        'select count(*)::int as n from pg_tables where schemaname = current_schema()',
      );
      tables = rows[0]?.n ?? 0;
    } catch (err) {
      throw new AppError('UNAVAILABLE', `cannot connect to PostgreSQL: ${(err as Error).message}`);
    } finally {
      await client.end().catch(() => {});
    }
  } else {
    const path = resolve(url);
    if (!(await stat(path).catch(() => null))?.size) return;
    const db = new SqliteDatabase(path, { readonly: true, fileMustExist: true });
    try {
      tables = (
        db.prepare("select count(*) as n from sqlite_master where type = 'table'").get() as { n: number }
      ).n;
    } finally {
      db.close();
    }
  }
  if (tables > 0) {
    const where = isPostgresUrl(url) ? `PostgreSQL database ${dbName(url)}` : resolve(url);
    throw new AppError(
      'CONFLICT',
      `the database ${where} is not empty (${tables} tables): restore only into an empty one ` +
        '(a new file path, or a database made with createdb)',
    );
  }
}

async function fsyncFile(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
