/**
 * A data row as the workflow hands it to the people working on it (the leased row of either
 * queue, the row of each label in rework): its id, global key and the export's `row_data`.
 */
import { prepared } from '../store/prepared.ts';
import type { Db } from '../store/store.ts';

export interface WorkRow {
  dataRowId: string;
  globalKey: string | null;
  /** The export's `row_data`: an https URL or the conversation serialized as JSON. */
  rowData: string;
}

/** The given rows (of the caller's organization, already checked), read in one query; keyed by id. */
export async function readWorkRows(db: Db, dataRowIds: readonly string[]): Promise<Map<string, WorkRow>> {
  const out = new Map<string, WorkRow>();
  const ids = [...new Set(dataRowIds)];
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('data_rows')
    .where('id', 'in', ids)
    .select(['id', 'row_data', 'global_key'])
    .execute();
  for (const r of rows) out.set(r.id, workRowOfColumns(r));
  return out;
}

/** A `data_rows` read of `id`, `row_data` and `global_key` as a `WorkRow`. */
export const workRowOfColumns = (r: {
  id: string;
  row_data: string;
  global_key: string | null;
}): WorkRow => ({
  dataRowId: r.id,
  globalKey: r.global_key,
  rowData: r.row_data,
});

/** A row of what `readWorkRows` read, which must be there. */
export function workRowOf(rows: Map<string, WorkRow>, dataRowId: string): WorkRow {
  const row = rows.get(dataRowId);
  if (!row) throw new Error(`data row ${dataRowId} is missing`);
  return row;
}

/** One row, which must exist. */
export async function readWorkRow(db: Db, dataRowId: string): Promise<WorkRow> {
  // Every `next` reads one: the same statement every time, compiled once.
  const r = await workRow.first(db, { id: dataRowId });
  if (!r) throw new Error(`data row ${dataRowId} is missing`);
  return workRowOfColumns(r);
}

const workRow = prepared((db, p: { id: string }) =>
  db.selectFrom('data_rows').where('id', '=', p.id).select(['id', 'row_data', 'global_key']),
);

/** A row as the API answers it (`data_row` of the queues and the rework list). */
export const workRowWire = (r: WorkRow) => ({
  id: r.dataRowId,
  global_key: r.globalKey,
  row_data: r.rowData,
});
