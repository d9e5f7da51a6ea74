/**
 * A step a caller (the audit hook of a request, audit/audit.record.ts) adds to the end of the
 * first write transaction that runs on its behalf: its statements commit with that
 * transaction instead of in one of their own. On PostgreSQL a commit is a round trip and a WAL
 * flush, so a write request with its audit row in its own transaction costs one commit, not two.
 * The step is found through the async context of the `store.write` call, so it reaches the
 * services without a parameter; it is taken at most once.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Tx } from './store.types.ts';

export interface WriteHook {
  /** Whether this transaction takes the step (false: already taken, or no longer wanted). */
  claim(): boolean;
  /** The step: runs inside the transaction, after the writer's own statements. */
  run(tx: Tx): Promise<void>;
  /** After the claimed transaction: `true` once it committed, `false` when nothing of it was stored. */
  settled(committed: boolean): void;
}

const current = new AsyncLocalStorage<WriteHook>();

/** Runs `fn` with `hook` offered to the write transactions it starts. */
export function withWriteHook<T>(hook: WriteHook, fn: () => Promise<T>): Promise<T> {
  return current.run(hook, fn);
}

type Write = <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;

/** `write`, adding the caller's hook (if any, and not yet taken) to the transaction it runs. */
export function hookedWrite(write: Write): Write {
  return async <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => {
    const hook = current.getStore();
    if (!hook?.claim()) return write(fn);
    let result: T;
    try {
      result = await write(async (tx) => {
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
  };
}
