/**
 * Group commit for SQLite's one write connection. Writers queue; whoever is waiting when the
 * connection frees up runs in ONE `BEGIN IMMEDIATE` transaction, each writer inside its own
 * savepoint, in arrival order, and the whole group commits with one sync of the log. So 50
 * concurrent requests cost one sync instead of 50, while each writer keeps what it had alone:
 * - it sees everything the writers before it wrote, and nobody writes in between (serial order);
 * - a writer that throws is rolled back to its savepoint, alone; the others go on;
 * - every writer's promise settles only after the group's COMMIT returned and the log was synced
 *   to disk up to it (wal-sync.ts), or rejects when the COMMIT fails, in which case none of it was
 *   stored, or when that sync fails.
 * The sync runs on the thread pool while the next group already runs (its writers then wait for
 * the sync after theirs). Writers arriving while a group runs form the next group. A group stops taking its queued
 * writers after GROUP_BUDGET_MS of work and commits; the rest lead the next group. The price:
 * a writer grouped ahead of a long one (a big import) is acknowledged only when that one is done.
 */
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import type { CommitTracker } from './sqlite-driver.ts';

interface Waiting {
  fn: (tx: Transaction<Database>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

const GROUP_BUDGET_MS = 25;

// Compiled once: two of them per writer of a group, so building them anew each time showed in
// the API benchmark's profile (kysely's query building is its largest CPU item after SQLite).
const SAVEPOINT = CompiledQuery.raw('savepoint w');
const RELEASE = CompiledQuery.raw('release w');
const ROLLBACK_TO = CompiledQuery.raw('rollback to w');

export function groupCommitWriter(db: Kysely<Database>, commits: CommitTracker) {
  let queue: Waiting[] = [];
  let running = false;

  /** Runs writers of `queued` in one transaction; answers those it left for the next group. */
  async function runGroup(queued: Waiting[]): Promise<Waiting[]> {
    const outcomes: Outcome[] = [];
    const group: Waiting[] = [];
    const start = performance.now();
    let synced: Promise<void> | undefined;
    try {
      await db.transaction().execute(async (tx) => {
        // The connection is released without waiting for the sync: the next group may run.
        commits.handOff = (p) => {
          synced = p;
        };
        for (const w of queued) {
          if (group.length > 0 && performance.now() - start > GROUP_BUDGET_MS) break;
          group.push(w);
          // A lone writer needs no savepoint: its failure rolls the transaction back as before.
          if (queued.length === 1) {
            outcomes.push({ ok: true, value: await w.fn(tx) });
            continue;
          }
          await tx.executeQuery(SAVEPOINT);
          try {
            const value = await w.fn(tx);
            await tx.executeQuery(RELEASE);
            outcomes.push({ ok: true, value });
          } catch (error) {
            await tx.executeQuery(ROLLBACK_TO);
            await tx.executeQuery(RELEASE);
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // BEGIN or COMMIT failed (or a lone writer threw): nothing of the group was stored.
      // A failed BEGIN (a read-only or damaged database) took nobody in: it fails them all, or
      // they would be retried in a loop for ever.
      if (group.length === 0) {
        for (const w of queued) w.reject(error);
        return [];
      }
      for (const w of group) w.reject(error);
      return queued.slice(group.length);
    }
    const settle = () =>
      group.forEach((w, i) => {
        const o = outcomes[i]!;
        if (o.ok) w.resolve(o.value);
        else w.reject(o.error);
      });
    // Not synced: a writer is told its rows are stored only once they are on disk. A writer that
    // failed alone stored nothing and keeps its own error.
    (synced ?? Promise.resolve()).then(settle, (error: unknown) =>
      group.forEach((w, i) => {
        const o = outcomes[i]!;
        w.reject(o.ok ? error : o.error);
      }),
    );
    return queued.slice(group.length);
  }

  async function drain(): Promise<void> {
    try {
      while (queue.length > 0) {
        const queued = queue;
        queue = [];
        const left = await runGroup(queued);
        queue = [...left, ...queue];
        // better-sqlite3 blocks the event loop while a group runs, so requests that arrived
        // meanwhile are still unread: let them run up to their write() and join the next group,
        // instead of one commit each.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      running = false;
    }
  }

  return function write<T>(fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!running) {
        // A group starts in an event loop turn of its own, never among other pending promise
        // continuations: writers are answered from the sync's callback, and what they do next
        // (a write on another store of the same file, as a second process would) must not run
        // between this group's BEGIN IMMEDIATE and its COMMIT, where a second write connection of
        // this thread would wait out busy_timeout on a lock that only this thread can release.
        running = true;
        setImmediate(() => void drain());
      }
    });
  };
}
