/**
 * Commit durability for SQLite, off the event loop. The write connection runs WAL mode with
 * `synchronous = NORMAL`: a COMMIT appends its frames to the `-wal` file and returns without an
 * fsync. This module then makes them durable with an `fdatasync` of the `-wal` file on libuv's
 * thread pool, and only after it completed are the commit's writers acknowledged: the guarantee
 * of `synchronous = FULL` (a commit acknowledged survives power loss), without blocking the
 * event loop for the 3-4 ms of each fsync.
 *
 * Coalescing: at most one sync in flight. The log is append-only, so one sync covers every frame
 * written before it started; a commit that returned while a sync was in flight waits for the next
 * one, which starts as soon as the current one ends and covers all of them at once.
 *
 * Why one file descriptor, opened once, stays right: it is opened after the first commit (so the
 * file exists) and kept for the store's life. SQLite deletes `-wal` only when the last connection
 * to the database closes, and the store's write connection stays open until `close()`; a
 * TRUNCATE checkpoint, a restart of the log from its start and `journal_size_limit` all write or
 * truncate the same file (same inode), never replace it. Power loss after a commit could also
 * lose the file's directory entry if the file is new, so the first sync also syncs the directory
 * (what SQLite does itself on a new journal's first sync).
 */
import { closeSync, fdatasync, fsync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../shared/errors.ts';

/** Makes what was written to the file descriptor durable (default: `fs.fdatasync`). */
export type SyncFile = (fd: number) => Promise<void>;

const fdatasyncAsync: SyncFile = promisify(fdatasync);
const fsyncAsync = promisify(fsync);

export interface WalSync {
  /**
   * Call after a COMMIT returned: resolves once a sync that started after this call completed,
   * so the commit is on disk. Rejects if that sync failed (and for ever after).
   */
  afterCommit(): Promise<void>;
  /** Throws once a sync failed: the store is then unavailable. */
  assertHealthy(): void;
  /** Waits for the syncs in flight or due, then closes the file. */
  close(): Promise<void>;
}

export function walSync(databasePath: string, syncFile: SyncFile = fdatasyncAsync): WalSync {
  let fd: number | undefined;
  let inFlight: Promise<void> | undefined;
  // Commits that returned while `inFlight` ran: the next sync is theirs.
  let due: { promise: Promise<void>; resolve: () => void; reject: (err: unknown) => void } | undefined;
  // After a failed fsync the kernel may have dropped the dirty pages and cleared the error, so a
  // retry could "succeed" without the data ever reaching the disk (PostgreSQL's fsyncgate). The
  // only honest answer is to stop acknowledging anything: every later write is refused, loudly.
  let failure: AppError | undefined;
  let closed = false;

  async function syncOnce(): Promise<void> {
    if (fd === undefined) {
      fd = openSync(`${databasePath}-wal`, 'r');
      const dir = openSync(dirname(databasePath), 'r');
      try {
        await fsyncAsync(dir);
      } finally {
        closeSync(dir);
      }
    }
    await syncFile(fd);
  }

  function start(): Promise<void> {
    const sync = syncOnce().then(
      () => {
        inFlight = undefined;
        const next = due;
        due = undefined;
        if (next) start().then(next.resolve, next.reject);
      },
      (err: unknown) => {
        inFlight = undefined;
        failure = new AppError(
          'UNAVAILABLE',
          `SQLite: syncing the write-ahead log failed, the store accepts no more writes: ${String(err)}`,
        );
        console.error(`[prefer] ${failure.message}`);
        due?.reject(failure);
        due = undefined;
        throw failure;
      },
    );
    inFlight = sync;
    return sync;
  }

  return {
    afterCommit() {
      if (failure) return Promise.reject(failure);
      if (closed) return Promise.reject(new AppError('UNAVAILABLE', 'SQLite: the store is closed'));
      if (!inFlight) return start();
      if (!due) {
        let resolve!: () => void;
        let reject!: (err: unknown) => void;
        const promise = new Promise<void>((res, rej) => {
          resolve = res;
          reject = rej;
        });
        due = { promise, resolve, reject };
      }
      return due.promise;
    },
    assertHealthy() {
      if (failure) throw failure;
    },
    async close() {
      closed = true;
      await Promise.allSettled([inFlight, due?.promise]);
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
