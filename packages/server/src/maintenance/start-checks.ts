/**
 * Checks before the server opens its database, so that damage is found at start instead of by
 * the requests that meet it later:
 * - a database this install initialized before that is now empty (a 0-byte or missing SQLite
 *   file, a PostgreSQL database without tables) is refused: silently making a new empty install
 *   would hide the loss. The install remembers what it initialized in a marker file beside its
 *   secret (`<dataDir>/initialized-databases`);
 * - a SQLite file is read through `PRAGMA quick_check` (up to a size, so that the start stays
 *   bounded; `prefer doctor` runs the full `integrity_check`).
 */
import { appendFile, mkdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { AppError } from '../shared/errors.ts';
import { isPostgresUrl, type OpenStoreOptions, openStore, type Store } from '../store/store.ts';
import { sqliteProblems } from './sqlite-check.ts';

export const INIT_MARKER_FILE = 'initialized-databases';

const RECOVERY = 'restore the last backup with `prefer restore` (README: "Integrity, backup and restore")';

/** What the marker records of a database: the absolute SQLite path, or PostgreSQL's host/database. */
export function databaseIdentity(url: string): string {
  if (!isPostgresUrl(url)) return resolve(url);
  const u = new URL(url);
  return `postgres://${u.host}${u.pathname}`;
}

async function initializedHere(url: string, dataDir: string): Promise<boolean> {
  const text = await readFile(join(dataDir, INIT_MARKER_FILE), 'utf8').catch(() => '');
  return text.split('\n').includes(databaseIdentity(url));
}

/** Records that this install initialized the database (once; the file is append-only). */
export async function markInitialized(url: string, dataDir: string): Promise<void> {
  if (await initializedHere(url, dataDir)) return;
  await mkdir(dataDir, { recursive: true });
  await appendFile(join(dataDir, INIT_MARKER_FILE), `${databaseIdentity(url)}\n`, { mode: 0o600 });
}

/** Refuses a database this install initialized before that is empty now. */
export async function refuseLostDatabase(url: string, dataDir: string): Promise<void> {
  if (!(await initializedHere(url, dataDir))) return;
  const marker = join(dataDir, INIT_MARKER_FILE);
  const lost = (what: string) =>
    new AppError(
      'UNAVAILABLE',
      `${what}, but this install initialized it before (${marker}): its data was lost or the wrong ` +
        `one is mounted. Refusing to start a new empty install on it: ${RECOVERY}; to start empty ` +
        `on purpose, remove its line from ${marker}`,
    );
  if (!isPostgresUrl(url)) {
    const path = resolve(url);
    const size = await stat(path).then(
      (s) => s.size,
      () => null,
    );
    if (size === null) throw lost(`the database file ${path} is missing`);
    if (size === 0) throw lost(`the database file ${path} is empty (0 bytes)`);
    return;
  }
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect().catch((err: Error) => {
      throw new AppError('UNAVAILABLE', `cannot connect to PostgreSQL: ${err.message}`);
    });
    const { rows } = await client.query<{ n: number }>(
      'select count(*)::int as n from pg_tables where schemaname = current_schema()',
    );
    if (rows[0]?.n === 0) throw lost(`the PostgreSQL database ${databaseIdentity(url)} has no tables`);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * `PRAGMA quick_check` of a SQLite file up to `maxBytes` (0: never), on a read-only connection of
 * its own, before anything writes to it. Throws with the first problems found and what to do.
 */
export async function quickCheck(path: string, maxBytes: number): Promise<'ok' | 'skipped'> {
  const size = await stat(path).then(
    (s) => s.size,
    () => 0,
  );
  if (size === 0 || maxBytes === 0 || size > maxBytes) return 'skipped';
  const problems = sqliteProblems(path, 'quick_check');
  if (problems.length === 0) return 'ok';
  throw new AppError(
    'UNAVAILABLE',
    `the database file ${path} is damaged (quick_check: ${problems.slice(0, 3).join('; ')}). ` +
      `Stop writing to it, keep a copy, and ${RECOVERY}; \`prefer doctor\` runs the full integrity check`,
  );
}

export interface StartOptions extends OpenStoreOptions {
  /** Where the marker of initialized databases lives (the install's data directory). */
  dataDir: string;
  /** quick_check SQLite files up to this many bytes at start (0: never). */
  quickCheckMaxBytes: number;
}

/** Opens the server's store after the start checks, and marks the database initialized. */
export async function openCheckedStore(url: string, options: StartOptions): Promise<Store> {
  await refuseLostDatabase(url, options.dataDir);
  if (!isPostgresUrl(url)) await quickCheck(resolve(url), options.quickCheckMaxBytes);
  const store = await openStore(url, options);
  await markInitialized(url, options.dataDir);
  return store;
}
