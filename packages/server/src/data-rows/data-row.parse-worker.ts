/**
 * Worker side of `validatedBatchesInWorker`: reads and validates the file, sending batches ahead
 * of the inserts but never more than `maxInFlight` unacknowledged, so memory stays bounded.
 * Loaded through tsx's require hook, hence no top-level await.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { validatedBatches } from './data-row.batches.ts';

const { path, maxRecordBytes, maxInFlight } = workerData as {
  path: string;
  maxRecordBytes?: number;
  maxInFlight: number;
};
const port = parentPort!;
let credits = maxInFlight;
let wake: (() => void) | undefined;
port.on('message', () => {
  credits++;
  wake?.();
  wake = undefined;
});

async function main(): Promise<void> {
  try {
    for await (const batch of validatedBatches(path, { maxRecordBytes })) {
      if (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
      credits--;
      port.postMessage({ type: 'batch', batch });
    }
    port.postMessage({ type: 'done' });
  } catch (err) {
    const e = err as Error & { code?: string };
    port.postMessage({ type: 'error', message: e.message, code: e.code });
  }
  port.close();
}

void main();
