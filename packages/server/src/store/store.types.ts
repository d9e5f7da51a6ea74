/**
 * The store's types, apart from `openStore` so that the modules the store is built from
 * (bulk-insert.ts, write-probe.ts) can name them without importing store.ts back.
 */
import type { Readable } from 'node:stream';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

export type Backend = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;

export interface Store {
  readonly backend: Backend;
  /** The SQLite file path or the PostgreSQL URL this store was opened on. */
  readonly url: string;
  readonly db: Db;
  /** Durability settings as read back from the database at start. */
  readonly durability: Record<string, string>;
  /**
   * Runs `fn` in a write transaction. On SQLite it starts with BEGIN IMMEDIATE so two writers
   * never both hold a read lock and deadlock on the upgrade; busy_timeout does the waiting.
   */
  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` inside one read-only snapshot: every query sees the database as of its first read,
   * whatever is committed meanwhile. SQLite: a separate connection (WAL readers never block the
   * writer). PostgreSQL: REPEATABLE READ READ ONLY.
   */
  snapshot<T>(fn: (db: Kysely<Database>, reader: SnapshotReader) => Promise<T>): Promise<T>;
  /**
   * Inserts many rows (each an array in `columns` order) inside the write transaction `tx` and
   * answers how many went in; for import hot paths (see bulk-insert.ts). Call only inside write().
   */
  bulkInsert<T extends keyof Database & string>(
    tx: Tx,
    table: T,
    columns: readonly (keyof Database[T] & string)[],
    rows: Rows,
    options?: BulkInsertOptions,
  ): Promise<number>;
  close(): Promise<void>;
}

/** What a snapshot offers beyond its queries. */
export interface SnapshotReader {
  /**
   * PostgreSQL only: runs `COPY (...) TO STDOUT` (the statement as given) on the snapshot's own
   * connection, in its transaction, and streams the bytes the server sends. The export reads its
   * ready text this way as bytes, never as JavaScript strings (exports/v2/copy-rows.ts). The
   * connection serves nothing else until the stream has ended. Absent on SQLite.
   */
  copyOut?: (statement: string) => Readable;
}

export interface BulkInsertOptions {
  /** Skip rows that hit a unique index (ON CONFLICT DO NOTHING); they are not counted. */
  skipConflicts?: boolean;
}

export type Rows = readonly (readonly unknown[])[];
