/**
 * Stale-fragment triggers (exports/v2/fragments.ts), written for both databases from one description:
 * a write to one of a fragment's inputs sets that fragment of the project rows concerned back to
 * NULL, so a writer that does not render again leaves a slow row, never a stale one.
 *
 * - SQLite: one trigger per event, `<table>_<column>_stale_<event>` (`<table>_<column>_stale` for
 *   an update-only trigger), the UPDATE inline.
 * - PostgreSQL: a plpgsql function (`fn`, shared by tables whose rows name their project rows the
 *   same way) and a row trigger `<table>_<column>_stale` calling it. With `bulkSkips` the function
 *   steps aside in a bulk writer's transaction (`prefer.bulk`, migration 0011, fragments.ts
 *   `suspendStaleTriggers`): that writer renders what it wrote itself.
 */
import { type Kysely, PostgresAdapter, sql } from 'kysely';

export type FragmentColumn = 'x_head' | 'x_media' | 'x_attachments' | 'x_metadata' | 'x_labels' | 'x_history';

export interface StaleFragment {
  /** The fragment column of project_data_rows set back to NULL. */
  column: FragmentColumn;
  /** The table whose writes make it stale. */
  table: string;
  /** Every insert, update and delete of `table`, or updates of these columns only. */
  on: 'write' | { update: readonly string[] };
  /**
   * The project rows concerned, as a predicate over project_data_rows given the written row
   * (`new` or `old`), e.g. `r => \`data_row_id = ${r}.id\``.
   */
  rows: (row: 'new' | 'old') => string;
  /**
   * On an update, also the project rows of the old row (when an update may move the written row
   * to other project rows). Otherwise an update clears those of the new row only.
   */
  updateClearsOld?: boolean;
  /** Only when this holds (an update's old and new values differ), in each dialect's syntax. */
  when?: { sqlite: string; postgres: string };
  /** PostgreSQL: the function's name (default `<table>_<column>_stale`). */
  fn?: string;
  /** PostgreSQL: step aside in a bulk writer's transaction (see above). */
  bulkSkips?: boolean;
  /**
   * Leave a project row alone when its fragment is NULL already and nothing is gained by writing
   * it again (migration 0020): on SQLite always (a write transaction is exclusive, and the
   * background renderer renders inside one); on PostgreSQL when this transaction wrote the row
   * already. There the background renderer stores a row only if its version (`xmin`) is the one
   * it read, so every write that makes a fragment stale must leave a new version; one left by
   * this transaction is enough.
   */
  onceCleared?: boolean;
}

const isPostgres = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof PostgresAdapter;

const clear = (f: StaleFragment, row: 'new' | 'old', postgres: boolean) =>
  `update project_data_rows set ${f.column} = null where ${f.rows(row)}${f.onceCleared ? onceCleared(f.column, postgres) : ''};`;

const onceCleared = (column: FragmentColumn, postgres: boolean) =>
  postgres
    ? ` and (${column} is not null or xmin <> pg_current_xact_id()::xid)`
    : ` and ${column} is not null`;

const BULK_SKIP = `if current_setting('prefer.bulk', true) = 'on' then return null; end if;`;

/** The body of the PostgreSQL function: which rows each operation clears. */
function plpgsqlBody(f: StaleFragment): string {
  const skip = f.bulkSkips ? `${BULK_SKIP}\n` : '';
  if (f.on !== 'write') return `${skip}${clear(f, 'new', true)}`;
  if (f.updateClearsOld)
    return (
      `${skip}if tg_op <> 'INSERT' then ${clear(f, 'old', true)} end if;\n` +
      `if tg_op <> 'DELETE' then ${clear(f, 'new', true)} end if;`
    );
  return `${skip}if tg_op = 'DELETE' then ${clear(f, 'old', true)} else ${clear(f, 'new', true)} end if;`;
}

const fnName = (f: StaleFragment) => f.fn ?? triggerName(f);
const triggerName = (f: StaleFragment) => `${f.table}_${f.column}_stale`;

/** SQLite: one trigger per event of a `write` description, `<trigger name>_<event>`. */
const SQLITE_EVENTS = ['insert', 'update', 'delete'] as const;

/**
 * PostgreSQL: (re)writes the trigger function of `f` (a migration that changes what a function
 * does, as 0011 did, calls this alone). SQLite: nothing (its triggers hold their statements).
 */
export async function writeStaleFunction(db: Kysely<unknown>, f: StaleFragment): Promise<void> {
  if (!isPostgres(db)) return;
  await sql
    .raw(
      `create or replace function ${fnName(f)}() returns trigger language plpgsql as $$\nbegin\n` +
        `${plpgsqlBody(f)}\nreturn null;\nend $$`,
    )
    .execute(db);
}

/** Creates the stale-fragment trigger(s) of `f` on this database (and, on PostgreSQL, its function). */
export async function staleFragmentTrigger(db: Kysely<unknown>, f: StaleFragment): Promise<void> {
  const name = triggerName(f);
  if (isPostgres(db)) {
    await writeStaleFunction(db, f);
    const event = f.on === 'write' ? 'insert or update or delete' : `update of ${f.on.update.join(', ')}`;
    const when = f.when ? ` when (${f.when.postgres})` : '';
    await sql
      .raw(
        `create trigger ${name} after ${event} on ${f.table}\n` +
          `for each row${when} execute function ${fnName(f)}()`,
      )
      .execute(db);
    return;
  }
  const when = f.when ? `\nwhen ${f.when.sqlite}` : '';
  if (f.on !== 'write') {
    await sql
      .raw(
        `create trigger ${name} after update of ${f.on.update.join(', ')} on ${f.table}${when}\n` +
          `begin\n${clear(f, 'new', false)}\nend`,
      )
      .execute(db);
    return;
  }
  const rowsOf: Record<(typeof SQLITE_EVENTS)[number], ('new' | 'old')[]> = {
    insert: ['new'],
    update: f.updateClearsOld ? ['old', 'new'] : ['new'],
    delete: ['old'],
  };
  for (const event of SQLITE_EVENTS) {
    const rows = rowsOf[event];
    const statements = rows.map((r) => clear(f, r, false)).join('\n');
    await sql
      .raw(`create trigger ${name}_${event} after ${event} on ${f.table}${when}\nbegin\n${statements}\nend`)
      .execute(db);
  }
}

/**
 * Replaces what an earlier migration made for `f` (its SQLite triggers, or its PostgreSQL
 * function; the PostgreSQL trigger calling it stays) with what `f` says now.
 */
export async function rewriteStaleFragment(db: Kysely<unknown>, f: StaleFragment): Promise<void> {
  if (isPostgres(db)) return writeStaleFunction(db, f);
  const name = triggerName(f);
  const names = f.on === 'write' ? SQLITE_EVENTS.map((e) => `${name}_${e}`) : [name];
  for (const n of names) await sql.raw(`drop trigger if exists ${n}`).execute(db);
  await staleFragmentTrigger(db, f);
}
