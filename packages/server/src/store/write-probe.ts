/**
 * Whether the database can be written. A SQLite file the process may not write opens without
 * complaint (read-only) and answers reads; only writes fail, so the start and `/health` try one:
 * the write is made and rolled back, so nothing is stored and no fsync is paid.
 */
import { sql } from 'kysely';
import { AppError } from '../shared/errors.ts';
import type { Store } from './store.types.ts';

class ProbeDone extends Error {}

/** Null when a write succeeds, else why it failed (the database's own message). */
export async function writeProblem(store: Store): Promise<string | null> {
  try {
    await store.write(async (tx) => {
      if (store.backend === 'sqlite') {
        // Rewriting the header's user_version with its own value is a write to page 1.
        const { rows } = await sql<{ user_version: number }>`pragma user_version`.execute(tx);
        await sql.raw(`pragma user_version = ${Number(rows[0]?.user_version ?? 0)}`).execute(tx);
      } else {
        const { rows } = await sql<{
          ro: string;
        }>`select current_setting('transaction_read_only') as ro`.execute(tx);
        if (rows[0]?.ro !== 'off')
          throw new Error('transactions are read-only (a standby, or default_transaction_read_only)');
      }
      throw new ProbeDone();
    });
  } catch (err) {
    if (err instanceof ProbeDone) return null;
    return (err as Error).message;
  }
  return null;
}

/** Where the database is, for messages: the file, or the database name (never a password). */
export function databaseName(store: Store): string {
  if (store.backend === 'sqlite') return store.url;
  const u = new URL(store.url);
  return `PostgreSQL database ${decodeURIComponent(u.pathname.slice(1))} on ${u.host}`;
}

/** Refuses to go on with a database that cannot be written, naming it and what to check. */
export async function assertWritable(store: Store): Promise<void> {
  const problem = await writeProblem(store);
  if (problem === null) return;
  const hint =
    store.backend === 'sqlite'
      ? 'check the file, its directory and the mount are writable by this user, and that the disk is not full'
      : 'connect to a primary, writable database';
  throw new AppError(
    'UNAVAILABLE',
    `the database ${databaseName(store)} cannot be written (${problem}): ${hint}`,
  );
}
