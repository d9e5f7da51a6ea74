/**
 * A step a caller (the audit hook of a request, audit/audit.record.ts) adds to the end of a
 * write transaction: its statements commit with that transaction instead of in one of their
 * own. On PostgreSQL a commit is a round trip and a WAL flush, so a write request with its audit
 * row in its own transaction costs one commit, not two. The hook is handed down explicitly (an
 * AsyncLocalStorage would be simpler, but on Node 20 it puts a hook on every promise of the
 * process); it is taken at most once.
 */
import type { Store, Tx } from './store.types.ts';

export interface WriteHook {
  /** Whether this transaction takes the step (false: already taken, or no longer wanted). */
  claim(): boolean;
  /** The step: runs inside the transaction, after the writer's own statements. */
  run(tx: Tx): Promise<void>;
  /** After the claimed transaction: `true` once it committed, `false` when nothing of it was stored. */
  settled(committed: boolean): void;
}

/** `store.write(fn)`, with `hook`'s step (if given and not yet taken) at the end of the transaction. */
export async function writeWith<T>(
  store: Pick<Store, 'write'>,
  hook: WriteHook | undefined,
  fn: (tx: Tx) => Promise<T>,
): Promise<T> {
  if (!hook?.claim()) return store.write(fn);
  let result: T;
  try {
    result = await store.write(async (tx) => {
      const value = await fn(tx);
      await hook.run(tx);
      return value;
    });
  } catch (err) {
    // Rolled back (the writer or the hook threw, or the commit failed): the step is not stored.
    hook.settled(false);
    throw err;
  }
  hook.settled(true);
  return result;
}
