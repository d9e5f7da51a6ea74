/**
 * Queries built and compiled once, run many times with new values. Kysely builds and compiles
 * every statement anew on every call (immutable node trees, identifier parsing, SQL printing):
 * in the API benchmark's profile that was 16-21% of the server's busy time for the same dozen
 * statements per request. A `prepared` query is built once per dialect with placeholder values
 * (sentinels), the positions of the sentinels in the compiled parameters are recorded, and each
 * run copies the parameters with the real values in those positions.
 *
 * Only queries whose SQL never depends on the values qualify: a sentinel that is not found
 * exactly once among the parameters (a value that steered the building, e.g. `$if(v, ...)`, or
 * one used twice), inside a list (`in (...)`) or an `undefined`/array value at run time is
 * refused. Such queries stay dynamic.
 *
 * On PostgreSQL the SQL of these queries also runs as a named prepared statement (parsed and
 * planned once per connection): `namingReusedStatements` below, given to the request pool.
 */
import { type Compilable, type CompiledQuery, type Kysely, PostgresAdapter, type QueryResult } from 'kysely';
import type pg from 'pg';
import { AppError } from '../shared/errors.ts';
import type { Database } from './schema.ts';

/** What a prepared query's value may be: one SQL parameter, never a list. */
export type Param = string | number | bigint | boolean | null | Date | Uint8Array;
export type Params = Record<string, Param>;

type Executor = Kysely<Database>;

export interface Prepared<P extends Params, R> {
  /** Every row. */
  rows(db: Executor, values: P): Promise<R[]>;
  /** The first row, or undefined. */
  first(db: Executor, values: P): Promise<R | undefined>;
  /** Rows an insert, update or delete touched. */
  affected(db: Executor, values: P): Promise<number>;
}

/** A placeholder value: unique object, so its position among the parameters is unambiguous. */
class Sentinel {
  constructor(readonly key: string) {}
  // A value compared or printed while building would shape the SQL: refuse it there and then.
  [Symbol.toPrimitive](): never {
    throw new AppError(
      'INTERNAL',
      `prepared query: value "${this.key}" used while building, not as a parameter`,
    );
  }
}

interface Built {
  compiled: CompiledQuery;
  /** [parameter index, value key] */
  slots: (readonly [number, string])[];
}

/**
 * `prepared((db, p: { id: string }) => db.selectFrom('labels').where('id', '=', p.id).select('id'))`:
 * the values' types are those of `p`, the rows' type the built query's. Each value `p` gives
 * while building is a sentinel, which must land in the SQL as exactly one parameter.
 */
export function prepared<P extends Params, R>(build: (db: Executor, p: P) => Compilable<R>): Prepared<P, R> {
  // Per dialect (SQLite and PostgreSQL compile differently): keyed by the adapter's class, so
  // every store of a backend (the request store, a snapshot's reader, tests' stores) shares one.
  const byDialect = new Map<unknown, Built>();

  function compiledFor(db: Executor): Built {
    const dialect = db.getExecutor().adapter.constructor;
    let built = byDialect.get(dialect);
    if (!built) {
      built = compile(db, build);
      byDialect.set(dialect, built);
    }
    return built;
  }

  async function execute(db: Executor, values: P): Promise<QueryResult<R>> {
    const { compiled, slots } = compiledFor(db);
    const parameters = compiled.parameters.slice();
    for (const [index, key] of slots) parameters[index] = checked(key, values[key]);
    return db.executeQuery<R>({ ...compiled, parameters } as CompiledQuery<R>);
  }

  return {
    rows: async (db, values) => (await execute(db, values)).rows,
    first: async (db, values) => (await execute(db, values)).rows[0],
    affected: async (db, values) => Number((await execute(db, values)).numAffectedRows ?? 0),
  };
}

function compile<P extends Params, R>(db: Executor, build: (db: Executor, p: P) => Compilable<R>): Built {
  // The values the build reads, each a sentinel made on first read.
  const sentinels = new Map<string, Sentinel>();
  const p = new Proxy({} as P, {
    get(_, key) {
      if (typeof key !== 'string') return undefined;
      let s = sentinels.get(key);
      if (!s) {
        s = new Sentinel(key);
        sentinels.set(key, s);
      }
      return s;
    },
  });
  const compiled = build(db, p).compile() as CompiledQuery;
  const slots: (readonly [number, string])[] = [];
  for (const s of sentinels.values()) {
    const found = compiled.parameters.flatMap((v, i) => (v === s ? [i] : []));
    if (found.length !== 1) {
      throw new AppError(
        'INTERNAL',
        `prepared query: value "${s.key}" is ${found.length} parameters of ${compiled.sql}, must be exactly 1`,
      );
    }
    slots.push([found[0]!, s.key]);
  }
  if (inList(compiled.query)) {
    throw new AppError(
      'INTERNAL',
      `prepared query: a value inside a list (in (...)): keep it dynamic: ${compiled.sql}`,
    );
  }
  if (isPostgres(db)) nameOf(compiled.sql);
  return { compiled, slots };
}

/** For a build whose SQL differs by dialect (the cache is per dialect, so that is allowed). */
export function isPostgres(db: Executor): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * A JSON value a query built per dialect selects as one column (json_agg / json_group_array...):
 * node-pg answers PostgreSQL's json parsed, SQLite answers text. Null stays null.
 */
export function jsonColumn<T>(value: unknown): T | null {
  if (value === null || value === undefined) return null;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/**
 * True when a sentinel sits in a value list (`in (...)`): its length is the caller's, so the SQL
 * would be too. An insert's row is a value list of its own, as long as its columns: that is fine.
 */
function inList(node: unknown, listed = false, parent?: unknown): boolean {
  if (node instanceof Sentinel) return listed;
  if (Array.isArray(node)) return node.some((n) => inList(n, listed, parent));
  if (node === null || typeof node !== 'object') return false;
  const kind = (node as { kind?: unknown }).kind;
  const isList = kind === 'PrimitiveValueListNode' || kind === 'ValueListNode';
  const list = listed || (isList && parent !== 'ValuesNode');
  return Object.values(node).some((child) => inList(child, list, kind));
}

function checked(key: string, value: Param | undefined): Param {
  // undefined would drop an insert's column or a where clause in a dynamic query; an array would
  // need as many placeholders as it has items.
  if (value === undefined || Array.isArray(value)) {
    throw new AppError(
      'INTERNAL',
      `prepared query: value "${key}" is ${value === undefined ? 'missing' : 'a list'}`,
    );
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: named prepared statements

/** SQL text → statement name; only texts of prepared queries, so a bounded set. */
const names = new Map<string, string>();

function nameOf(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `prefer_${names.size + 1}`;
    names.set(text, name);
  }
  return name;
}

/** The statement name of a prepared query's SQL (tests), undefined for any other SQL. */
export function statementName(text: string): string | undefined {
  return names.get(text);
}

const naming = new WeakSet<pg.PoolClient>();

/**
 * The request pool, its clients running prepared queries' SQL as named statements: node-pg then
 * sends Parse once per connection and only Bind/Execute afterwards, and the server keeps the
 * plan. Kysely's PostgresDriver calls `client.query(sql, parameters)` and nothing else; every
 * other SQL (dynamic queries, BEGIN/COMMIT) passes through untouched.
 */
export function namingReusedStatements(pool: pg.Pool): {
  connect(): Promise<pg.PoolClient>;
  end(): Promise<void>;
} {
  return {
    async connect() {
      const client = await pool.connect();
      if (!naming.has(client)) {
        naming.add(client);
        const query = client.query.bind(client) as (...args: unknown[]) => unknown;
        (client as { query: unknown }).query = (...args: unknown[]) => {
          const name = typeof args[0] === 'string' && Array.isArray(args[1]) ? names.get(args[0]) : undefined;
          return name === undefined
            ? query(...args)
            : query({ name, text: args[0], values: args[1] }, ...args.slice(2));
        };
      }
      return client;
    },
    end: () => pool.end(),
  };
}
