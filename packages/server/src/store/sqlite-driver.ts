/**
 * Kysely's SQLite driver for the store's write connection: transactions begin IMMEDIATE, and
 * whoever committed something waits, after releasing the connection, until the write-ahead log
 * is on disk (wal-sync.ts). Releasing first is the point: while one holder waits for the sync on
 * libuv's thread pool, the next one (a read, the next group of writers) already runs.
 */
import type Sqlite from 'better-sqlite3';
import {
  type CompiledQuery,
  type DatabaseConnection,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';
import type { WalSync } from './wal-sync.ts';

/** A statement as kysely uses it. */
export type Statement = import('kysely').SqliteStatement & { readonly busy: boolean };

/**
 * Notes whether the holder of the connection committed. A statement commits when it leaves the
 * connection outside a transaction and either wrote (an autocommit INSERT/UPDATE/DELETE, with
 * RETURNING too, or DDL) or ended a transaction that was open (COMMIT; not ROLLBACK). One
 * connection and a mutex: the flag belongs to whoever holds the connection.
 */
export class CommitTracker {
  committed = false;
  /** Set inside a transaction by a holder that waits for the sync itself (group-commit.ts). */
  handOff: ((synced: Promise<void>) => void) | undefined;

  /** Wraps a statement of `conn` prepared from `text` so that its commits are noted. */
  track(conn: Sqlite.Database, text: string, readonly: boolean, stmt: Statement): Statement {
    const endsCommitted = !/^\s*rollback\b/i.test(text);
    const note = (inTransactionBefore: boolean) => {
      if (!conn.inTransaction && ((inTransactionBefore && endsCommitted) || !readonly)) this.committed = true;
    };
    return {
      reader: stmt.reader,
      get busy() {
        return stmt.busy;
      },
      all: (parameters) => {
        const before = conn.inTransaction;
        const rows = stmt.all(parameters);
        note(before);
        return rows;
      },
      run: (parameters) => {
        const before = conn.inTransaction;
        const result = stmt.run(parameters);
        note(before);
        return result;
      },
      // kysely streams SELECTs only: they never commit.
      iterate: (parameters) => stmt.iterate(parameters),
    };
  }
}

export interface DurableCommits {
  commits: CommitTracker;
  wal: WalSync;
}

/** Kysely's SQLite driver opens transactions with a plain BEGIN; writers here need IMMEDIATE. */
class StoreSqliteDriver extends SqliteDriver {
  readonly #durable: DurableCommits | undefined;
  constructor(config: SqliteDialectConfig, durable: DurableCommits | undefined) {
    super(config);
    this.#durable = durable;
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    // After a failed sync nothing may be acknowledged any more, reads included: fail loudly.
    this.#durable?.wal.assertHealthy();
    return super.acquireConnection();
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery({ sql: 'begin immediate', parameters: [] } as unknown as CompiledQuery);
  }

  override async releaseConnection(): Promise<void> {
    const durable = this.#durable;
    if (!durable) return super.releaseConnection();
    const { committed, handOff } = durable.commits;
    durable.commits.committed = false;
    durable.commits.handOff = undefined;
    await super.releaseConnection();
    const synced = committed ? durable.wal.afterCommit() : Promise.resolve();
    if (handOff) handOff(synced);
    else await synced;
  }
}

export class StoreSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  readonly #durable: DurableCommits | undefined;
  constructor(config: SqliteDialectConfig, durable?: DurableCommits) {
    super(config);
    this.#config = config;
    this.#durable = durable;
  }
  override createDriver() {
    return new StoreSqliteDriver(this.#config, this.#durable);
  }
}
