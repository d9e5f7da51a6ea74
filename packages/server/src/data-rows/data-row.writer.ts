/**
 * Inserts prepared rows in batches. Duplicate global keys are found by the unique index on
 * `(org_id, global_key_lower)` itself: rows go in with ON CONFLICT DO NOTHING, and only when a
 * batch inserted fewer rows than it had are its keys looked up. Memory stays flat however many
 * keys the file holds, and keys differing only in case collide because the index is lower-cased.
 */
import type { FaultList } from '../shared/result.ts';
import type { Store, Tx } from '../store/store.ts';
import {
  ATTACHMENT_COLUMNS,
  DATA_ROW_COLUMNS,
  type ImportContext,
  METADATA_COLUMNS,
  type PreparedRow,
  VECTOR_COLUMNS,
} from './data-row.prepare.ts';

export const BATCH_ROWS = 1_000;

export interface ImportCounts {
  dataRows: number;
  attachments: number;
  metadata: number;
  embeddings: number;
}

export class DataRowWriter {
  #pending: PreparedRow[] = [];
  readonly counts: ImportCounts = { dataRows: 0, attachments: 0, metadata: 0, embeddings: 0 };

  constructor(
    private readonly tx: Tx,
    private readonly store: Store,
    private readonly ctx: ImportContext,
    private readonly faults: FaultList,
  ) {}

  async add(row: PreparedRow): Promise<void> {
    this.#pending.push(row);
    if (this.#pending.length >= BATCH_ROWS) await this.flush();
  }

  async flush(): Promise<void> {
    const rows = this.#pending;
    this.#pending = [];
    if (rows.length === 0) return;
    const inserted = await this.store.bulkInsert(
      this.tx,
      'data_rows',
      DATA_ROW_COLUMNS,
      rows.map((r) => r.values),
      { skipConflicts: true },
    );
    const kept = inserted < rows.length ? await this.#dropDuplicates(rows) : rows;
    this.counts.dataRows += kept.length;
    // Once any fault is known the transaction will be rolled back: rows still go in (later
    // duplicates must be found), but their attachments, metadata and vectors need not.
    if (!this.faults.empty) return;
    const attachments = kept.flatMap((r) => r.attachments);
    const metadata = kept.flatMap((r) => r.metadata);
    const vectors = kept.flatMap((r) => r.vectors);
    if (attachments.length > 0) {
      await this.store.bulkInsert(this.tx, 'attachments', ATTACHMENT_COLUMNS, attachments);
    }
    if (metadata.length > 0) {
      await this.store.bulkInsert(this.tx, 'metadata_values', METADATA_COLUMNS, metadata);
    }
    if (vectors.length > 0) {
      await this.store.bulkInsert(this.tx, 'embedding_vectors', VECTOR_COLUMNS, vectors);
    }
    this.counts.attachments += attachments.length;
    this.counts.metadata += metadata.length;
    this.counts.embeddings += vectors.length;
  }

  /** Reports every row of the batch whose key was already taken, and returns the others. */
  async #dropDuplicates(rows: PreparedRow[]): Promise<PreparedRow[]> {
    const keys = [...new Set(rows.flatMap((r) => (r.globalKey === null ? [] : [r.globalKey.toLowerCase()])))];
    const holders = await this.tx
      .selectFrom('data_rows')
      .where('org_id', '=', this.ctx.orgId)
      .where('global_key_lower', 'in', keys)
      .select(['id', 'global_key', 'global_key_lower', 'dataset_id', 'created_at', 'created_by'])
      .execute();
    const byKey = new Map(holders.map((h) => [h.global_key_lower, h]));
    const kept: PreparedRow[] = [];
    for (const row of rows) {
      const holder = row.globalKey === null ? undefined : byKey.get(row.globalKey.toLowerCase());
      if (!holder || holder.id === row.id) {
        kept.push(row);
        continue;
      }
      // Rows of this import carry its time, user and dataset; any other holder was stored before.
      const fromThisFile =
        holder.created_at === this.ctx.now &&
        holder.created_by === this.ctx.userId &&
        holder.dataset_id === this.ctx.datasetId;
      const sameCase = holder.global_key === row.globalKey;
      const other = sameCase
        ? ''
        : ` as ${JSON.stringify(holder.global_key)} (global keys are case-insensitive)`;
      this.faults.add({
        line: row.line,
        path: '$.global_key',
        message: fromThisFile
          ? `duplicate global key ${JSON.stringify(row.globalKey)}: an earlier line of this file has it${other}`
          : `global key ${JSON.stringify(row.globalKey)} is already used by data row ${holder.id}${other}`,
      });
    }
    return kept;
  }
}
