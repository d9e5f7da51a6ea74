/** Validated import records in batches: the unit that crosses from the parse worker. */
import type { Readable } from 'node:stream';
import { readJsonRecords } from '../ingest/json-records.ts';
import type { Fault } from '../shared/errors.ts';
import { type Validated, validateRecord } from './data-row.validate.ts';

/** One record's outcome: valid, or its faults (from the reader or from validation). */
export type Item = Validated | { ok: false; line: number; faults: Fault[] };

export interface RecordOptions {
  maxRecordBytes?: number | undefined;
}

const BATCH_ITEMS = 256;

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
