/**
 * Checkpoints of a store's SQLite write-ahead log, on a worker thread. The write connection has
 * `wal_autocheckpoint = 0`: SQLite's automatic checkpoint would run inside a COMMIT, on the event
 * loop, copying pages and fsyncing the database file while every request waits. The worker, on a
 * connection of its own, does that work instead:
 * - every TICK_MS it reads how many frames of the log are not yet in the database (the wal-index
 *   header in `-shm`) and, past `checkpointPages` (SQLite's own default threshold, 1000), runs a
 *   `wal_checkpoint(PASSIVE)`, which never blocks the writer nor the readers, then, if that copied
 *   everything, a `wal_checkpoint(RESTART)` so that the log is written from its start again: it
 *   takes the writer lock only for that moment (a BEGIN IMMEDIATE then may wait that long), and
 *   never waits for it (busy_timeout 0: it tries again on a later tick). Its connection has
 *   `synchronous = NORMAL`, under which a checkpoint still syncs the log before copying it and the
 *   database file after, so frames leave the log only once the database holds them durably.
 * - a WAL read transaction (an export's snapshot) keeps the log from being checkpointed past its
 *   start, so under writes `-wal` grows for as long as the oldest reader lives, and SQLite never
 *   shrinks it by itself. Readers are bounded in time (exports/tasks/export-stream.ts); when the
 *   last one of this process ends, a TRUNCATE checkpoint brings the file back to zero bytes.
 * Other processes on the same file (the CLI) keep SQLite's defaults and checkpoint for themselves.
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface WalCheckpointerOptions {
  /** Frames of the log not yet checkpointed that start a PASSIVE checkpoint (default 1000). */
  checkpointPages?: number;
  /** How often the worker looks at the log (default 100 ms). */
  tickMs?: number;
  /** Called if the worker fails: the store falls back to SQLite's automatic checkpoints. */
  onError: (err: Error) => void;
}

export interface WalCheckpointer {
  readerStarted(): void;
  readerEnded(): void;
  /** Stops the worker and closes its connection (before the write connection closes). */
  stop(): Promise<void>;
}

/**
 * The worker's code: plain CommonJS run with `eval`, so that it loads the same way from the
 * TypeScript sources (tests, tsx) and from dist, without a compile step or a loader thread.
 * The wal-index header layout is SQLite's documented file format (sqlite.org/walformat.html):
 * mxFrame (u32, native byte order) at byte 16, nBackfill at byte 96.
 */
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const os = require('node:os');
const Database = require(workerData.sqlite);
const { path, checkpointPages, tickMs } = workerData;
const conn = new Database(path, { fileMustExist: true });
// Never wait: a TRUNCATE checkpoint holds the writer lock while it waits, which would stall the
// main thread's next BEGIN IMMEDIATE. A busy attempt is retried on a later tick instead.
conn.pragma('busy_timeout = 0');
conn.pragma('synchronous = NORMAL');
conn.pragma('journal_size_limit = ${16 * 1024 * 1024}');
const header = Buffer.alloc(100);
const le = os.endianness() === 'LE';
let shm;
let readers = 0;
let truncateAttempts = 0;
const pendingFrames = () => {
  try {
    shm ??= fs.openSync(path + '-shm', 'r');
    if (fs.readSync(shm, header, 0, 100, 0) < 100) return 0;
  } catch {
    return 0;
  }
  const u32 = (at) => (le ? header.readUInt32LE(at) : header.readUInt32BE(at));
  return u32(16) - u32(96);
};
const checkpoint = (mode) => {
  const [result] = conn.pragma('wal_checkpoint(' + mode + ')');
  return result !== undefined && result.busy === 0 && result.checkpointed === result.log;
};
const tick = () => {
  if (truncateAttempts > 0 && readers === 0) {
    // The copy first, without the writer lock; TRUNCATE then holds it for what is left only.
    checkpoint('PASSIVE');
    truncateAttempts = checkpoint('TRUNCATE') ? 0 : truncateAttempts - 1;
  } else if (pendingFrames() >= checkpointPages && checkpoint('PASSIVE')) {
    // All of it copied: RESTART has next to nothing left to copy, and makes the next commit
    // write the log from its start. Without it the writer restarts the log only if it begins
    // right when a checkpoint has just caught up, which under steady writes it rarely does.
    checkpoint('RESTART');
  }
};
const timer = setInterval(tick, tickMs);
parentPort.on('message', (message) => {
  if (message === 'stop') {
    clearInterval(timer);
    parentPort.close();
    if (shm !== undefined) fs.closeSync(shm);
    conn.close();
    return;
  }
  readers = message.readers;
  if (readers === 0) {
    // As many tries, a tick apart, as a writer's transaction could plausibly take to let go.
    truncateAttempts = 50;
    tick();
  }
});
`;

export function walCheckpointer(path: string, options: WalCheckpointerOptions): WalCheckpointer {
  let readers = 0;
  const worker = new Worker(WORKER_CODE, {
    eval: true,
    workerData: {
      path,
      sqlite: createRequire(import.meta.url).resolve('better-sqlite3'),
      checkpointPages: options.checkpointPages ?? 1000,
      tickMs: options.tickMs ?? 100,
    },
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
  // A background helper: it must never keep the process alive by itself.
  worker.unref();
  let failed = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('error', (err) => {
    failed = true;
    options.onError(err);
  });
  const post = (message: unknown) => {
    if (!failed) worker.postMessage(message);
  };
  return {
    readerStarted() {
      readers++;
      post({ readers });
    },
    readerEnded() {
      readers--;
      post({ readers });
    },
    async stop() {
      // Referenced again while it winds down: waiting for an unreferenced worker's exit would
      // not keep the process alive, and `close()` would never return.
      worker.ref();
      post('stop');
      await exited;
    },
  };
}

/** Bytes of the `-wal` file beside a SQLite database (0 when there is none). */
export function walFileBytes(path: string): number {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
}
