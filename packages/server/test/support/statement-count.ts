/**
 * Counts the SQL statements this process sends to its databases: `pg`'s `Client#query` and
 * better-sqlite3's statement runs (`run`, `get`, `all`, `iterate`) and `exec`. Statements a
 * trigger runs inside the database are not counted (they cost no round trip, no query build).
 * The wrappers are installed once per process and count only while a `recording` is open.
 */
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';

let recording: string[] | null = null;
let installed = false;

function wrap(
  proto: Record<string, unknown>,
  name: string,
  textOf: (self: unknown, args: unknown[]) => string,
) {
  const original = proto[name] as (...args: unknown[]) => unknown;
  proto[name] = function (this: unknown, ...args: unknown[]) {
    recording?.push(textOf(this, args));
    return original.apply(this, args);
  };
}

function install(): void {
  if (installed) return;
  installed = true;
  wrap(pg.Client.prototype as unknown as Record<string, unknown>, 'query', (_self, args) => {
    const q = args[0] as string | { text?: string };
    return typeof q === 'string' ? q : (q.text ?? '');
  });
  const probe = new SqliteDatabase(':memory:');
  const statement = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, unknown>;
  for (const name of ['run', 'get', 'all', 'iterate']) {
    wrap(statement, name, (self) => (self as { source: string }).source);
  }
  wrap(Object.getPrototypeOf(probe) as Record<string, unknown>, 'exec', (_self, args) => String(args[0]));
  probe.close();
}

/** The statements `fn` sent, in order (whatever else the process ran meanwhile too: run it alone). */
export async function statementsOf(fn: () => Promise<unknown>): Promise<string[]> {
  install();
  if (recording) throw new Error('statementsOf is not reentrant');
  const seen: string[] = [];
  recording = seen;
  try {
    await fn();
  } finally {
    recording = null;
  }
  return seen;
}

/** The statements as short lines for an assertion message: the first 90 characters of each. */
export const listing = (statements: readonly string[]) =>
  statements.map((s, i) => `${i + 1}. ${s.replace(/\s+/g, ' ').slice(0, 90)}`).join('\n');
