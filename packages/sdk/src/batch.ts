/** A batch: data rows that entered a project's queue together, with a priority. */
import type { BatchWire } from '@prefer/schemas';

export interface CreateBatchInput {
  name: string;
  /** Exactly one of `dataRowIds`, `globalKeys` and `datasetId`. */
  dataRowIds?: string[];
  globalKeys?: string[];
  datasetId?: string;
  /** 1 (highest) to 5 (lowest, the default). */
  priority?: number;
  /** Labels wanted per row of this batch (consensus), 1 to 10; default: the project's. */
  consensusExpectedLabelCount?: number;
}

export class Batch {
  readonly id: string;
  readonly projectId: string;
  readonly name: string;
  readonly priority: number;
  /** null: the project's count. */
  readonly consensusExpectedLabelCount: number | null;
  readonly dataRowCount: number;
  readonly createdAt: Date;
  readonly createdBy: string;

  constructor(projectId: string, wire: BatchWire) {
    this.projectId = projectId;
    this.id = wire.id;
    this.name = wire.name;
    this.priority = wire.priority;
    this.consensusExpectedLabelCount = wire.consensus_expected_label_count;
    this.dataRowCount = wire.data_row_count;
    this.createdAt = new Date(wire.created_at);
    this.createdBy = wire.created_by;
  }
}
