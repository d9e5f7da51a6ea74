import type { QueryCreator } from 'kysely';
import { prepared } from '../store/prepared.ts';
import type { Database } from '../store/schema.ts';
import type { Tx } from '../store/store.ts';

/**
 * Moves `last_activity_at` of data rows. Called inside the transaction of the change that causes
 * it (a label, review, workflow move, metadata change or comment), so the stamp and the change
 * commit together. Never moves a stamp backwards (a replayed import with old times cannot).
 */
export async function touchActivity(tx: Tx, dataRowIds: readonly string[], at: number): Promise<void> {
  // One row (every submit and review): the same statement every time, compiled once.
  if (dataRowIds.length === 1) {
    await touchOne.affected(tx, { at, id: dataRowIds[0]!, before: at });
    return;
  }
  for (let i = 0; i < dataRowIds.length; i += 500) {
    const ids = dataRowIds.slice(i, i + 500);
    await tx
      .updateTable('data_rows')
      .set({ last_activity_at: at })
      .where('id', 'in', ids)
      .where('last_activity_at', '<', at)
      .execute();
  }
}

/** One row's stamp, as a statement to run or to embed (workflow.rows.ts `moveRecorded`). */
export const touchOneQuery = (db: QueryCreator<Database>, p: { at: number; id: string; before: number }) =>
  db
    .updateTable('data_rows')
    .set({ last_activity_at: p.at })
    .where('id', '=', p.id)
    .where('last_activity_at', '<', p.before);
const touchOne = prepared(touchOneQuery);
