/**
 * The rows one page of the import inserts, table by table, written in foreign-key order with
 * multi-row inserts (a few queries per page, none per row).
 */
import type { Insertable } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { Tx } from '../store/store.ts';

export type Rows<T extends keyof Database> = Insertable<Database[T]>[];

export interface MigrationCounts {
  dataRows: number;
  datasets: number;
  projects: number;
  batches: number;
  labels: number;
  reviews: number;
  historyEntries: number;
  attachments: number;
  metadata: number;
}

export const zeroCounts = (): MigrationCounts => ({
  dataRows: 0,
  datasets: 0,
  projects: 0,
  batches: 0,
  labels: 0,
  reviews: 0,
  historyEntries: 0,
  attachments: 0,
  metadata: 0,
});

export class PageRows {
  readonly datasets: Rows<'datasets'> = [];
  readonly dataRows: Rows<'data_rows'> = [];
  readonly attachments: Rows<'attachments'> = [];
  readonly schemas: Rows<'metadata_schemas'> = [];
  readonly values: Rows<'metadata_values'> = [];
  readonly embeddings: Rows<'embeddings'> = [];
  readonly vectors: Rows<'embedding_vectors'> = [];
  readonly ontologies: Rows<'ontologies'> = [];
  readonly projects: Rows<'projects'> = [];
  readonly batches: Rows<'batches'> = [];
  readonly members: Rows<'project_data_rows'> = [];
  readonly history: Rows<'workflow_history'> = [];
  readonly labels: Rows<'labels'> = [];
  readonly reviews: Rows<'reviews'> = [];

  /** Inserts parents before children, then adds what was written to `counts`. */
  async write(tx: Tx, counts: MigrationCounts): Promise<void> {
    await insertRows(tx, 'datasets', this.datasets);
    await insertRows(tx, 'data_rows', this.dataRows);
    await insertRows(tx, 'attachments', this.attachments);
    await insertRows(tx, 'metadata_schemas', this.schemas);
    await insertRows(tx, 'metadata_values', this.values);
    await insertRows(tx, 'embeddings', this.embeddings);
    await insertRows(tx, 'embedding_vectors', this.vectors);
    await insertRows(tx, 'ontologies', this.ontologies);
    await insertRows(tx, 'projects', this.projects);
    await insertRows(tx, 'batches', this.batches);
    await insertRows(tx, 'project_data_rows', this.members);
    await insertRows(tx, 'workflow_history', this.history);
    await insertRows(tx, 'labels', this.labels);
    await insertRows(tx, 'reviews', this.reviews);
    counts.datasets += this.datasets.length;
    counts.dataRows += this.dataRows.length;
    counts.attachments += this.attachments.length;
    counts.metadata += this.values.length;
    counts.projects += this.projects.length;
    counts.batches += this.batches.length;
    counts.historyEntries += this.history.length;
    counts.labels += this.labels.length;
    counts.reviews += this.reviews.length;
  }
}

/** Multi-row inserts sized to stay far below both backends' bound-parameter limits. */
export async function insertRows<T extends keyof Database>(tx: Tx, table: T, rows: Rows<T>): Promise<void> {
  if (rows.length === 0) return;
  const per = Math.max(1, Math.floor(20_000 / Object.keys(rows[0]!).length));
  for (let i = 0; i < rows.length; i += per) {
    // Kysely cannot type an insert into a table chosen at run time; the rows are typed by Rows<T>.
    const values = rows.slice(i, i + per) as Rows<'labels'>;
    await tx
      .insertInto(table as 'labels')
      .values(values)
      .execute();
  }
}
