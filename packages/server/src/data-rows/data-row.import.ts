/**
 * Data row import: NDJSON or a JSON array of data row specs, streamed, validated line by line and
 * written in ONE transaction. Any fault rolls everything back; the whole file is still read so
 * the answer lists every fault (the first 100, and how many in all).
 */

import type { Readable } from 'node:stream';
import { requireDataset } from '../datasets/dataset.service.ts';
import { suspendStaleTriggers } from '../exports/v2/fragments.ts';
import type { Actor } from '../orgs/actor.ts';
import { FaultList, type ImportResult } from '../shared/result.ts';
import type { Store } from '../store/store.ts';
import { validatedBatches } from './data-row.batches.ts';
import { ExtrasResolver } from './data-row.extras.ts';
import { type ImportContext, prepareRow } from './data-row.prepare.ts';
import { shouldUseWorker, validatedBatchesInWorker } from './data-row.records.ts';
import { DataRowWriter, type ImportCounts } from './data-row.writer.ts';

export type { ImportCounts } from './data-row.writer.ts';

export interface ImportDataRowsInput {
  datasetId: string;
  /** A file path or a byte stream. */
  input: string | Readable;
  /** Called every PROGRESS_EVERY records and once at the end. */
  onProgress?: (p: { records: number }) => void;
  /** Largest record accepted, in bytes (default 16 MiB). */
  maxRecordBytes?: number;
  /**
   * Parse and validate on a worker thread, overlapping the inserts (file paths only). Default:
   * for files of 1 MiB or more.
   */
  parseInWorker?: boolean;
}

const PROGRESS_EVERY = 1_000;

/** Thrown inside the transaction to roll it back when faults were found. */
class RollBack extends Error {}

export async function importDataRows(
  store: Store,
  actor: Actor,
  { datasetId, input, onProgress, maxRecordBytes, parseInWorker }: ImportDataRowsInput,
): Promise<ImportResult<ImportCounts>> {
  await requireDataset(store.db, actor.orgId, datasetId);
  const faults = new FaultList();
  try {
    return await store.write(async (tx) => {
      // New data rows are in no project yet: the stale-fragment triggers have nothing to clear.
      await suspendStaleTriggers(tx);
      const ctx: ImportContext = { orgId: actor.orgId, datasetId, userId: actor.userId, now: Date.now() };
      const extras = new ExtrasResolver(tx, actor.orgId);
      const writer = new DataRowWriter(tx, store, ctx, faults);
      const batches = shouldUseWorker(input, parseInWorker)
        ? validatedBatchesInWorker(input, { maxRecordBytes })
        : validatedBatches(input, { maxRecordBytes });
      let records = 0;
      for await (const batch of batches) {
        for (const item of batch) {
          records++;
          const prepared = item.ok ? await prepareRow(item.row, ctx, extras) : item;
          if (prepared.ok) await writer.add(prepared.row);
          else for (const f of prepared.faults) faults.add(f);
          if (onProgress && records % PROGRESS_EVERY === 0) onProgress({ records });
        }
      }
      await writer.flush();
      onProgress?.({ records });
      if (!faults.empty) throw new RollBack();
      return { ok: true as const, counts: writer.counts };
    });
  } catch (err) {
    if (err instanceof RollBack) {
      // Duplicate keys are found when a batch is inserted, after later lines were validated:
      // list faults in file order (a stable sort keeps the order within a line).
      faults.faults.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
      return faults.result<ImportCounts>();
    }
    throw err;
  }
}
