/**
 * The records of an import file, validated, in batches. Reading, UTF-8 decoding, strict JSON
 * parsing, schema validation and re-serializing `row_data` are pure CPU work; for a file path
 * they run on a worker thread while the caller's thread does the inserts, so the two overlap.
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Item, RecordOptions } from './data-row.batches.ts';

/** Batches the worker may have sent ahead of the inserts: bounds the memory between threads. */
const MAX_IN_FLIGHT = 4;
/** Below this size a worker's start-up costs more than it saves. */
const WORKER_MIN_BYTES = 1 << 20;

export function shouldUseWorker(input: string | Readable, requested: boolean | undefined): input is string {
  if (typeof input !== 'string') return false;
  if (requested !== undefined) return requested;
  try {
    return statSync(input).size >= WORKER_MIN_BYTES;
  } catch {
    return false; // let the reader report the missing file as it always does
  }
}

type FromWorker =
  | { type: 'batch'; batch: Item[] }
  | { type: 'done' }
  | { type: 'error'; message: string; code?: string }
  | { type: 'exit'; code: number };

/**
 * The worker's entry. Built (dist), it is the compiled module beside this one. From the
 * TypeScript source (tests, `npm run prefer`), it registers tsx's require hook (in-thread,
 * unlike the ESM loader, which would start one more thread and heap), then loads the entry.
 */
function workerEntry(): { code: string; eval: true } | { url: URL; eval: false } {
  if (!import.meta.url.endsWith('.ts')) {
    return { url: new URL('./data-row.parse-worker.js', import.meta.url), eval: false };
  }
  const tsx = JSON.stringify(createRequire(import.meta.url).resolve('tsx/cjs/api'));
  const entry = JSON.stringify(fileURLToPath(new URL('./data-row.parse-worker.ts', import.meta.url)));
  return { code: `require(${tsx}).register();\nrequire(${entry});`, eval: true };
}

export async function* validatedBatchesInWorker(
  path: string,
  options: RecordOptions,
): AsyncGenerator<Item[]> {
  const entry = workerEntry();
  const worker = new Worker(entry.eval ? entry.code : entry.url, {
    eval: entry.eval,
    // A small young generation: the parser's garbage is short-lived, and RSS is budgeted.
    resourceLimits: { maxYoungGenerationSizeMb: 8 },
    workerData: { path, maxRecordBytes: options.maxRecordBytes, maxInFlight: MAX_IN_FLIGHT },
  });
  const queue: FromWorker[] = [];
  let wake: (() => void) | undefined;
  const push = (message: FromWorker) => {
    queue.push(message);
    wake?.();
    wake = undefined;
  };
  worker.on('message', push);
  worker.on('error', (err: Error & { code?: string }) =>
    push({ type: 'error', message: err.message, code: err.code }),
  );
  worker.on('exit', (code) => push({ type: 'exit', code }));
  try {
    for (;;) {
      if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const message = queue.shift()!;
      switch (message.type) {
        case 'batch':
          worker.postMessage('ack');
          yield message.batch;
          break;
        case 'done':
          return;
        case 'error':
          throw Object.assign(new Error(message.message), { code: message.code });
        case 'exit':
          throw new Error(`the import parser stopped unexpectedly (exit code ${message.code})`);
        default: {
          const never: never = message;
          throw new Error(`unexpected message ${JSON.stringify(never)}`);
        }
      }
    }
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
  }
}
