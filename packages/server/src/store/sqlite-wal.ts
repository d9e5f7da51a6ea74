/**
 * The SQLite write-ahead log of a store. A WAL read transaction (an export's snapshot) keeps the
 * log from being checkpointed past its start, so under writes the `-wal` file grows for as long
 * as the oldest reader lives, and SQLite never shrinks it by itself. Readers are bounded in time
 * (an export stream that stops being read is ended, exports/tasks/export-stream.ts); when the last one
 * of this process ends, a TRUNCATE checkpoint brings the file back to zero bytes.
 */
import { statSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';

/** Attempts of one checkpoint before giving up until the next reader ends. */
const CHECKPOINT_ATTEMPTS = 50;
const RETRY_MS = 100;

export interface WalCheckpointer {
  readerStarted(): void;
  readerEnded(): void;
  stop(): void;
}

export function walCheckpointer(path: string): WalCheckpointer {
  let readers = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const attempt = (left: number) => {
    timer = undefined;
    if (stopped || readers > 0) return;
    if (!checkpointTruncate(path) && left > 1) {
      // The writer held its lock at that moment (a transaction spans awaits): try again soon.
      timer = setTimeout(() => attempt(left - 1), RETRY_MS);
      timer.unref();
    }
  };

  return {
    readerStarted() {
      readers++;
    },
    readerEnded() {
      readers--;
      if (readers === 0 && !stopped && timer === undefined) {
        timer = setTimeout(() => attempt(CHECKPOINT_ATTEMPTS), 0);
        timer.unref();
      }
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/**
 * One `wal_checkpoint(TRUNCATE)` on a connection of its own that never waits (busy_timeout 0: it
 * runs on the event loop, which the write connection's transaction needs to finish). True when
 * the log was checkpointed and truncated.
 */
export function checkpointTruncate(path: string): boolean {
  let conn: SqliteDatabase.Database | undefined;
  try {
    conn = new SqliteDatabase(path, { fileMustExist: true });
    conn.pragma('busy_timeout = 0');
    const [result] = conn.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    return result?.busy === 0;
  } catch {
    return false;
  } finally {
    conn?.close();
  }
}

/** Bytes of the `-wal` file beside a SQLite database (0 when there is none). */
export function walFileBytes(path: string): number {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
}
