/** Consensus in the database: how many labels a row wants, and the scores of its labels. */
import type { Tx } from '../store/store.ts';
import { consensusScores } from './consensus.ts';

/** K: the batch's consensus label count, else the project's. */
export async function labelsWanted(tx: Tx, projectId: string, batchId: string): Promise<number> {
  const r = await tx
    .selectFrom('batches as b')
    .innerJoin('projects as p', 'p.id', 'b.project_id')
    .where('b.id', '=', batchId)
    .where('p.id', '=', projectId)
    .select(['b.consensus_label_count', 'p.consensus_expected_label_count'])
    .executeTakeFirstOrThrow();
  return r.consensus_label_count ?? r.consensus_expected_label_count;
}

/** Scores every label of the row against the others (rules in consensus.ts). */
export async function scoreConsensus(tx: Tx, projectId: string, dataRowId: string): Promise<void> {
  const labels = await tx
    .selectFrom('labels')
    .where('project_id', '=', projectId)
    .where('data_row_id', '=', dataRowId)
    .select(['id', 'annotations', 'skipped'])
    .execute();
  for (const [id, score] of consensusScores(labels)) {
    await tx.updateTable('labels').set({ consensus_score: score }).where('id', '=', id).execute();
  }
}
