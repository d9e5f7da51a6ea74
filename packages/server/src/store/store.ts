/**
 * The store: one Kysely schema on two backends. `openStore` takes a SQLite path or a
 * `postgres://` URL, migrates, and checks the durability settings before anything is written.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, type Migration, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg, { type CustomTypesConfig } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { AppError } from '../shared/errors.ts';
import { postgresBulkInsert, sqliteBulkInsert } from './bulk-insert.ts';
import { isPostgresUrl } from './database-url.ts';
import { groupCommitWriter } from './group-commit.ts';
import * as steps from './migrations/index.ts';
import { namingReusedStatements } from './prepared.ts';
import type { Database } from './schema.ts';
import { CommitTracker, type Statement, StoreSqliteDialect } from './sqlite-driver.ts';
import { walCheckpointer } from './sqlite-wal.ts';
import type { Db, Store } from './store.types.ts';
import { type SyncFile, walSync } from './wal-sync.ts';
import { assertWritable } from './write-probe.ts';

export type { Backend, BulkInsertOptions, Db, Rows, SnapshotReader, Store, Tx } from './store.types.ts';
export { isPostgresUrl };

export interface OpenStoreOptions {
  /** Bring the schema up to date (default true). */
  migrate?: boolean;
  /** Refuse a database that cannot be written, before anything else (default true). */
  checkWritable?: boolean;
  /** PostgreSQL: connections for requests and writes (default 10). */
  poolSize?: number;
  /**
   * PostgreSQL: connections for long reads (`snapshot`: exports), a pool of its own so that
   * exports, however slow their readers, never take the connections requests need (default 6).
   */
  readPoolSize?: number;
  /** PostgreSQL: `statement_timeout` of the long-read connections (default 5 minutes). */
  readStatementTimeoutMs?: number;
  /**
   * PostgreSQL: `idle_in_transaction_session_timeout` of the long-read connections: a snapshot
   * left idle this long is ended by the server itself, whatever the process does (default 90 s).
   */
  readIdleTimeoutMs?: number;
  /**
   * Opens a SQLite file read-only, as a read-only mount or a file the process may not write does.
   * Tests use it: they run as root, which ignores file modes.
   */
  sqliteReadOnly?: boolean;
  /**
   * PostgreSQL: what to do with an idle connection's error (`pool` is 'request' or 'read');
   * default: one line on stderr.
   */
  onPoolError?: (pool: 'request' | 'read') => (err: Error) => void;
  /**
   * SQLite, for tests: how commits are synced to disk (default `fs.fdatasync` of the `-wal`
   * file, wal-sync.ts) and the checkpointer's threshold in log frames (default 1000) and period.
   */
  sqliteWal?: { sync?: SyncFile; checkpointPages?: number; checkpointTickMs?: number };
}

export const STORE_DEFAULTS = {
  poolSize: 10,
  readPoolSize: 6,
  readStatementTimeoutMs: 5 * 60_000,
  readIdleTimeoutMs: 90_000,
} as const;

export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const store = isPostgresUrl(url) ? await openPostgres(url, options) : openSqlite(url, options);
  try {
    if (options.checkWritable !== false) await assertWritable(store);
    if (options.migrate !== false) await migrate(store.db);
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

/** The migrations by the name recorded in the database (`m0004_export_fragments` → `0004_export_fragments`). */
export const migrations: Record<string, Migration> = Object.fromEntries(
  Object.entries(steps).map(([key, step]) => [key.replace(/^m/, ''), step]),
);

export async function migrate(db: Kysely<unknown> | Db): Promise<void> {
  const migrator = new Migrator({
    db: db as Kysely<unknown>,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new AppError('INTERNAL', `database migration ${failed} failed: ${String(error)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// SQLite

const SQLITE_BUSY_TIMEOUT_MS = 10_000;

function openSqliteConnection(path: string, readonly = false, writer = !readonly): SqliteDatabase.Database {
  const conn = new SqliteDatabase(path, { readonly, fileMustExist: readonly });
  conn.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  if (writer) {
    // Rows here are conversations and their export text, several KB each: on 16 KiB pages a row
    // sits on its page instead of spilling into overflow pages that every read must chase
    // (an export reads about 40% faster). Takes effect only in a new, empty database: before
    // WAL mode and the first table.
    conn.pragma('page_size = 16384');
    conn.pragma('journal_mode = WAL');
    // NORMAL: a COMMIT writes its frames to the log without an fsync, which would block the event
    // loop; the store syncs the log on the thread pool before acknowledging (wal-sync.ts), so a
    // commit acknowledged survives power loss as with FULL.
    conn.pragma('synchronous = NORMAL');
    // Checkpoints run on a worker thread (sqlite-wal.ts), not inside a COMMIT on the event loop.
    conn.pragma('wal_autocheckpoint = 0');
    conn.pragma('foreign_keys = ON');
    // Once the readers that pinned a long WAL are gone and a checkpoint reset it, the file is
    // cut back to this size instead of staying as large as it ever grew (see sqlite-wal.ts).
    conn.pragma(`journal_size_limit = ${16 * 1024 * 1024}`);
  }
  return conn;
}

/**
 * Kysely prepares every query anew; on a hot path preparing costs more than running. A
 * connection keeps the last 1,000 prepared statements by SQL text (a statement still iterating
 * is never handed out twice: that SQL gets a fresh one).
 */
function cachingStatements(conn: SqliteDatabase.Database, commits?: CommitTracker, size = 1000) {
  const cache = new Map<string, Statement>();
  return {
    prepare(text: string): Statement {
      const hit = cache.get(text);
      if (hit && !hit.busy) {
        cache.delete(text);
        cache.set(text, hit);
        return hit;
      }
      const prepared = conn.prepare(text);
      const stmt = commits
        ? commits.track(conn, text, prepared.readonly, rowsInJavaScript(prepared))
        : rowsInJavaScript(prepared);
      if (hit) return stmt;
      cache.set(text, stmt);
      if (cache.size > size) cache.delete(cache.keys().next().value!);
      return stmt;
    },
    close: () => conn.close(),
  };
}

/**
 * better-sqlite3 builds each row object in C++ one property at a time; reading rows as arrays and
 * building the objects in JavaScript, with an object literal of the statement's own columns,
 * costs far less (an export of 1,000,000 rows: 13.4 s of row reads became 9.3 s). The rows are
 * the same objects, with the same keys in the same order.
 */
function rowsInJavaScript(stmt: SqliteDatabase.Statement): Statement {
  if (!stmt.reader) return stmt;
  stmt.raw(true);
  const row = rowMaker(stmt.columns().map((c) => c.name));
  return {
    reader: true,
    get busy() {
      return stmt.busy;
    },
    all: (parameters) => (stmt.all(parameters) as unknown[][]).map(row),
    run: (parameters) => stmt.run(parameters),
    *iterate(parameters) {
      for (const values of stmt.iterate(parameters)) yield row(values as unknown[]);
    },
  };
}

/**
 * `values => ({ name0: values[0], name1: values[1], … })` for these column names. Generated code,
 * so that V8 sees one fixed object shape; the names come from the statement (our own SQL) and
 * enter the code only as JSON string literals. A repeated name keeps its last value, as before.
 */
function rowMaker(names: readonly string[]): (values: unknown[]) => Record<string, unknown> {
  const fields = names.map((name, i) => `${JSON.stringify(name)}: values[${i}]`).join(', ');
  return new Function('values', `return { ${fields} };`) as (values: unknown[]) => Record<string, unknown>;
}

function openSqlite(file: string, options: OpenStoreOptions): Store {
  const path = resolve(file);
  mkdirSync(dirname(path), { recursive: true });
  const readOnly = options.sqliteReadOnly === true;
  const conn = openSqliteConnection(path, readOnly, true);
  const durability = {
    journal_mode: String(conn.pragma('journal_mode', { simple: true })),
    synchronous: String(conn.pragma('synchronous', { simple: true })),
    wal_autocheckpoint: String(conn.pragma('wal_autocheckpoint', { simple: true })),
    busy_timeout: String(conn.pragma('busy_timeout', { simple: true })),
    commit_sync: 'fdatasync',
  };
  // synchronous 1 = NORMAL: COMMIT writes the log without syncing it; the fdatasync before each
  // acknowledgement (wal-sync.ts) is what makes a commit survive power loss. Anything else (OFF,
  // another journal mode) would acknowledge commits that a power cut can lose.
  if (durability.journal_mode !== 'wal' || durability.synchronous !== '1') {
    conn.close();
    throw new AppError('UNAVAILABLE', `SQLite durability check failed: ${JSON.stringify(durability)}`);
  }
  const commits = new CommitTracker();
  const wal = walSync(path, options.sqliteWal?.sync);
  const db = new Kysely<Database>({
    dialect: new StoreSqliteDialect({ database: cachingStatements(conn, commits) }, { commits, wal }),
  });
  const insertRows = sqliteBulkInsert(conn);
  // A read-only store never writes, so it has nothing to checkpoint.
  const checkpointer = readOnly
    ? undefined
    : walCheckpointer(path, {
        checkpointPages: options.sqliteWal?.checkpointPages,
        tickMs: options.sqliteWal?.checkpointTickMs,
        onError: (err) => {
          // The log must not grow without bound: back to SQLite's own checkpoints, in COMMITs.
          console.error(
            `[prefer] SQLite checkpointer failed, checkpoints run in commits again: ${err.message}`,
          );
          conn.pragma('wal_autocheckpoint = 1000');
        },
      });
  return {
    backend: 'sqlite',
    url: path,
    db,
    durability,
    // Concurrent writers share one transaction and one sync (group-commit.ts).
    write: groupCommitWriter(db, commits),
    // One connection: inside write() the transaction holds it, so these rows are part of it.
    bulkInsert: async (_tx, table, columns, rows, options) => insertRows(table, columns, rows, options),
    async snapshot(fn) {
      checkpointer?.readerStarted();
      const reader = openSqliteConnection(path, true);
      // An export runs the same few statements once per page: prepared once each.
      const rdb = new Kysely<Database>({
        dialect: new SqliteDialect({ database: cachingStatements(reader) }),
      });
      try {
        return await rdb.transaction().execute(async (trx) => {
          // A WAL read transaction starts at its first read, not at BEGIN: read now to pin it.
          await sql`select 1 from organizations limit 1`.execute(trx);
          return fn(trx, {});
        });
      } finally {
        await rdb.destroy();
        // The last reader gone: the WAL it kept from being checkpointed is cut back.
        checkpointer?.readerEnded();
      }
    },
    close: async () => {
      // The worker's connection first: the write connection must be the last one, whose close
      // checkpoints the log into the file and removes it.
      await checkpointer?.stop();
      // Writers waiting for a sync in flight are answered before the file is closed.
      await wal.close();
      await db.destroy();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/**
 * bigint columns hold milliseconds, far below 2^53: read them as numbers, not strings. Given to
 * this store's pools only (not `pg.types.setTypeParser`, which would change every pg client in the
 * process, other libraries' included).
 */
const PG_TYPES: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 && format !== 'binary'
      ? (v: string) => Number(v)
      : pg.types.getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'],
};

const logPoolError = (pool: string) => (err: Error) => {
  console.error(`[prefer] PostgreSQL ${pool} pool: a connection failed (pg dropped it):`, err.message);
};

async function openPostgres(url: string, options: OpenStoreOptions): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? STORE_DEFAULTS.poolSize,
    types: PG_TYPES,
  });
  // Long reads (exports) on their own bounded pool, with server-side limits: a reader that stops
  // reading can hold at most these connections, and PostgreSQL ends its snapshot by itself.
  const readPool = new pg.Pool({
    connectionString: url,
    types: PG_TYPES,
    max: options.readPoolSize ?? STORE_DEFAULTS.readPoolSize,
    statement_timeout: options.readStatementTimeoutMs ?? STORE_DEFAULTS.readStatementTimeoutMs,
    idle_in_transaction_session_timeout: options.readIdleTimeoutMs ?? STORE_DEFAULTS.readIdleTimeoutMs,
  });
  // An idle connection the server closed (restart, admin termination, an idle timeout) is an
  // 'error' event on the pool; unheard, it would crash the process. pg has already dropped that
  // client and the next query opens a fresh one; the event is logged (a server restart or a
  // network fault should be visible), never thrown.
  const onPoolError = options.onPoolError ?? logPoolError;
  // The pool listens only to its idle clients: one the server ends while it is checked out
  // between two queries (a transaction awaiting its next statement, an export between pages)
  // would emit an unheard 'error' and crash the process. It is heard while checked out too: its
  // next query fails (and that request with it), and the event is logged the same way.
  for (const [p, name] of [
    [pool, 'request'],
    [readPool, 'read'],
  ] as const) {
    const heard = onPoolError(name);
    p.on('error', heard);
    p.on('acquire', (client) => client.on('error', heard));
    p.on('release', (_err, client) => client.removeListener('error', heard));
  }
  // Prepared queries' SQL runs as named statements, parsed and planned once per connection.
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: namingReusedStatements(pool) }) });
  // A snapshot's COPY must run on the connection its transaction holds, which Kysely keeps to
  // itself: the pool below tells the snapshot that asked (its async context) which client it got.
  const reading = new AsyncLocalStorage<{ client?: pg.PoolClient }>();
  const readDb = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool: {
        async connect() {
          const client = await readPool.connect();
          const held = reading.getStore();
          if (held) held.client = client;
          return client;
        },
        end: () => readPool.end(),
      },
    }),
  });
  const closeAll = async () => {
    await readDb.destroy();
    await db.destroy();
  };
  let durability: Record<string, string>;
  try {
    const settings = await sql<{ name: string; setting: string }>`
      select name, setting from pg_settings
      where name in ('fsync', 'synchronous_commit', 'full_page_writes')`.execute(db);
    durability = Object.fromEntries(settings.rows.map((r) => [r.name, r.setting]));
  } catch (err) {
    await closeAll();
    throw new AppError('UNAVAILABLE', `cannot connect to PostgreSQL: ${(err as Error).message}`);
  }
  const weak = Object.entries(durability).filter(([, v]) => v !== 'on');
  if (weak.length > 0) {
    await closeAll();
    throw new AppError('UNAVAILABLE', `PostgreSQL durability check failed: ${JSON.stringify(durability)}`);
  }
  return {
    backend: 'postgres',
    url,
    db,
    durability,
    write: (fn) => db.transaction().execute(fn),
    bulkInsert: (tx, table, columns, rows, options) => postgresBulkInsert(tx, table, columns, rows, options),
    snapshot: (fn) => {
      const held: { client?: pg.PoolClient } = {};
      const copyOut = (statement: string) => {
        if (!held.client) throw new AppError('INTERNAL', 'COPY outside a snapshot transaction');
        return held.client.query(copyTo(statement));
      };
      return reading.run(held, () =>
        readDb
          .transaction()
          .setIsolationLevel('repeatable read')
          .setAccessMode('read only')
          .execute((trx) => fn(trx, { copyOut })),
      );
    },
    close: closeAll,
  };
}
