/** Consensus in the database: how many labels a row wants, and the scores of its labels. */
import { prepared } from '../store/prepared.ts';
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

/**
 * K (as `labelsWanted`) and how many labelers have labeled the row, in one query: a submit asks
 * both, one round trip less.
 */
export async function labelsWantedAndGiven(
  tx: Tx,
  projectId: string,
  batchId: string,
  dataRowId: string,
): Promise<{ wanted: number; given: number }> {
  const r = await wantedAndGiven.first(tx, { batchId, projectId, labelsOf: projectId, dataRowId });
  if (!r) throw new Error(`batch ${batchId} of project ${projectId} is missing`);
  return {
    wanted: r.consensus_label_count ?? r.consensus_expected_label_count,
    given: Number(r.given ?? 0),
  };
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

// Every submit asks: built and compiled once (store/prepared.ts). The project id is two
// parameters, `projectId` and `labelsOf`, as a prepared value is exactly one.
const wantedAndGiven = prepared(
  (db, p: { batchId: string; projectId: string; labelsOf: string; dataRowId: string }) =>
    db
      .selectFrom('batches as b')
      .innerJoin('projects as p', 'p.id', 'b.project_id')
      .where('b.id', '=', p.batchId)
      .where('p.id', '=', p.projectId)
      .select((eb) => [
        'b.consensus_label_count',
        'p.consensus_expected_label_count',
        eb
          .selectFrom('labels')
          .where('labels.project_id', '=', p.labelsOf)
          .where('labels.data_row_id', '=', p.dataRowId)
          .select((e) => e.fn.count<number>('labels.created_by').distinct().as('n'))
          .as('given'),
      ]),
);
