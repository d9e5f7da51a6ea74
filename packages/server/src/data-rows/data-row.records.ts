/**
 * The records of an import file, validated, in batches. Reading, UTF-8 decoding, strict JSON
 * parsing, schema validation and re-serializing `row_data` are pure CPU work; for a file path
 * they run on a worker thread while the caller's thread does the inserts, so the two overlap.
 */
import { statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { readJsonRecords } from '../ingest/json-records.ts';
import type { Fault } from '../shared/errors.ts';
import { type Validated, validateRecord } from './data-row.validate.ts';

/** One record's outcome: valid, or its faults (from the reader or from validation). */
export type Item = Validated | { ok: false; line: number; faults: Fault[] };

export interface RecordOptions {
  maxRecordBytes?: number | undefined;
}

const BATCH_ITEMS = 256;
/** Batches the worker may have sent ahead of the inserts: bounds the memory between threads. */
const MAX_IN_FLIGHT = 4;
/** Below this size a worker's start-up costs more than it saves. */
const WORKER_MIN_BYTES = 1 << 20;

export async function* validatedBatches(
  input: string | Readable,
  options: RecordOptions,
): AsyncGenerator<Item[]> {
  let batch: Item[] = [];
  for await (const record of readJsonRecords(input, { maxRecordBytes: options.maxRecordBytes })) {
    batch.push(
      record.fault
        ? { ok: false, line: record.line, faults: [record.fault] }
        : validateRecord(record.value, record.line),
    );
    if (batch.length >= BATCH_ITEMS) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

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

// There is no build: the worker registers tsx's loader, then imports the TypeScript entry.
const WORKER_BOOT = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./data-row.parse-worker.ts', import.meta.url).href)}); })`;

export async function* validatedBatchesInWorker(
  path: string,
  options: RecordOptions,
): AsyncGenerator<Item[]> {
  const worker = new Worker(WORKER_BOOT, {
    eval: true,
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
