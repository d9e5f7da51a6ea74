import { type RawBuilder, sql } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { Db, Store, Tx } from '../store/store.ts';

/**
 * PostgreSQL plans from table statistics, and a table has none (or those of when it was small)
 * until autovacuum gets to it: a minute at best, never where autovacuum is off. A batch or label
 * import bulk-loaded moments ago then gets whole-project scans per page; and a table that grows
 * one request at a time (labels, reviews, history) keeps the generic plans each pooled
 * connection cached while it was nearly empty, which picked indexes by a tie (a label looked up by
 * id walked every label of its project: 3 ms and growing, measured in `npm run bench -- api`).
 * Every table of the schema that is more than twice the size its statistics say, or has an index
 * that is (a partial index fills long after its table), over `MIN_PAGES` either way, is analyzed.
 * ANALYZE invalidates the cached plans that read the table, so they are planned again from the
 * new figures. Doubling keeps the cost small: a table is analyzed about log2(size) times as it
 * grows.
 *
 * `db` is the store's pool by default (each ANALYZE its own transaction, no lock kept). A bulk
 * writer passes its transaction: its own uncommitted rows count there, and they are what misleads
 * the planner in its next page's lookups (see `writeLabels`). That ANALYZE keeps its lock on the
 * table until the writer commits, so every ANALYZE here passes over a table locked so
 * (`SKIP_LOCKED`) instead of waiting for it.
 */
export async function analyzeStaleTables(
  store: Store,
  db: Db | Tx = store.db,
  only?: readonly TableName[],
): Promise<void> {
  if (store.backend !== 'postgres') return;
  const { rows } = await sql<{ relname: string }>`
    select t.relname from pg_class t
    where t.relkind = 'r' and t.relnamespace = current_schema()::text::regnamespace
      ${only ? sql`and t.relname in (${sql.join(only)})` : sql``}
      and (${outgrown(sql`t`)} or exists (
        select 1 from pg_index i join pg_class x on x.oid = i.indexrelid
        where i.indrelid = t.oid and ${outgrown(sql`x`)}))`.execute(db);
  for (const r of rows) await sql`analyze (skip_locked) ${sql.id(r.relname)}`.execute(db);
}

const checkedAt = new WeakMap<Tx, number>();

/**
 * `analyzeStaleTables` in a bulk writer's transaction, at most once per `everyMs` (between its
 * pages). The check is one catalog query, cheap but not for every page. `only`: the tables the
 * writer's lookups read (each ANALYZE of a wide table costs tens of milliseconds or more).
 */
export async function freshPlannerStats(
  store: Store,
  tx: Tx,
  everyMs: number,
  only?: readonly TableName[],
): Promise<void> {
  if (store.backend !== 'postgres') return;
  const now = Date.now();
  if (now - (checkedAt.get(tx) ?? 0) < everyMs) return;
  checkedAt.set(tx, now);
  await analyzeStaleTables(store, tx, only);
}

interface Keeper {
  at: number;
  running: Promise<void> | undefined;
}
const keepers = new WeakMap<Store, Keeper>();

/** How often the queues start a check; tests that count statements hold it back. */
let keepEveryMs = 1000;

export function setPlannerStatsInterval(ms: number): number {
  const before = keepEveryMs;
  keepEveryMs = ms;
  return before;
}

/**
 * The queues' check: `analyzeStaleTables` on the store's pool at most once a second, in the
 * background, so no request waits for an ANALYZE (one of a large table samples 30,000 rows).
 * Once a second because the request path's tables start empty: with a 10 s check every submit of
 * the API benchmark's first 10 s counted a row's labels through the wrong index (0.38 ms instead
 * of 0.11). With stale statistics the queue query of a project grown by a big batch scanned and
 * sorted its rows, 21 s at 100,000 rows, instead of walking an index, 2 ms. The check holds one
 * connection for all its statements, so closing the store waits for it. A failed check is logged;
 * the next one tries again.
 */
export function keepPlannerStatsFresh(store: Store): void {
  if (store.backend !== 'postgres') return;
  let k = keepers.get(store);
  if (!k) {
    k = { at: 0, running: undefined };
    keepers.set(store, k);
  }
  const now = Date.now();
  if (k.running || now - k.at < keepEveryMs) return;
  k.at = now;
  const keeper = k;
  keeper.running = store.db
    .connection()
    .execute((db) => analyzeStaleTables(store, db))
    .catch((error: unknown) => {
      console.error('[prefer] planner statistics not refreshed (the next check tries again):', error);
    })
    .finally(() => {
      keeper.running = undefined;
    });
}

/** Waits for a check `keepPlannerStatsFresh` started (tests, before counting statements). */
export async function settlePlannerStats(store: Store): Promise<void> {
  await keepers.get(store)?.running;
}

/** The relation `c` is more than twice the pages its statistics say, and over `MIN_PAGES`. */
const outgrown = (c: RawBuilder<unknown>) =>
  sql`pg_relation_size(${c}.oid) / current_setting('block_size')::int > greatest(2 * ${c}.relpages, ${MIN_PAGES})`;

/** Below this many pages (64 KB) a wrong plan reads little, and analyzing is not worth a check. */
const MIN_PAGES = 8;

/**
 * After a bulk write has committed, on PostgreSQL: vacuums and analyzes the tables it wrote, so
 * it leaves no dead tuples (each project row it rendered left one) for the next export to walk
 * past, its pages are marked all-visible, and the planner knows their new sizes. VACUUM cannot run
 * inside a transaction: call it after `store.write` returns. Costs a pass over the pages written.
 */
export async function vacuumAfterBulkWrite(store: Store, tables: readonly TableName[]): Promise<void> {
  if (store.backend !== 'postgres' || tables.length === 0) return;
  await sql`vacuum (analyze) ${sql.join(tables.map((t) => sql.id(t)))}`.execute(store.db);
}

type TableName = keyof Database & string;
