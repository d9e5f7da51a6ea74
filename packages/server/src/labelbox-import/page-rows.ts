/**
 * The rows one page of the import inserts, table by table, written in foreign-key order with
 * multi-row inserts (a few queries per page, none per row).
 */
import type { Insertable } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { Store, Tx } from '../store/store.ts';

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

  /**
   * Inserts parents before children, the project rows last: `render` fills in their fragments
   * once everything they are rendered from is in. Then adds what was written to `counts`.
   */
  async write(store: Store, tx: Tx, counts: MigrationCounts, render: () => Promise<void>): Promise<void> {
    await insertRows(store, tx, 'datasets', this.datasets);
    await insertRows(store, tx, 'data_rows', this.dataRows);
    await insertRows(store, tx, 'attachments', this.attachments);
    await insertRows(store, tx, 'metadata_schemas', this.schemas);
    await insertRows(store, tx, 'metadata_values', this.values);
    await insertRows(store, tx, 'embeddings', this.embeddings);
    await insertRows(store, tx, 'embedding_vectors', this.vectors);
    await insertRows(store, tx, 'ontologies', this.ontologies);
    await insertRows(store, tx, 'projects', this.projects);
    await insertRows(store, tx, 'batches', this.batches);
    await insertRows(store, tx, 'workflow_history', this.history);
    await insertRows(store, tx, 'labels', this.labels);
    await insertRows(store, tx, 'reviews', this.reviews);
    await render();
    await insertRows(store, tx, 'project_data_rows', this.members);
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

/** The rows through `store.bulkInsert` (cached statements, sized under the parameter limits). */
export async function insertRows<T extends keyof Database & string>(
  store: Store,
  tx: Tx,
  table: T,
  rows: Rows<T>,
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!) as (keyof Database[T] & string)[];
  const tuples = rows.map((r) => columns.map((c) => (r as Record<string, unknown>)[c]));
  await store.bulkInsert(tx, table, columns, tuples);
}
