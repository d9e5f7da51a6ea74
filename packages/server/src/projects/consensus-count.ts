/**
 * Changing a project's consensus count (labels wanted per row when its batch names none). Every
 * label's export entry carries the count, so the rows' stored `x_labels` hold it: the update
 * clears them (trigger of migration 0013) and this renders them again in the same transaction,
 * the last step, as every fragment writer does (exports/v2/fragments.ts). The project and batch
 * edits (`PATCH`) render again the same way, through `renderClearedLabels`.
 */
import { renderFragments } from '../exports/v2/fragments.ts';
import type { Tx } from '../store/store.ts';

export async function setConsensusCount(tx: Tx, projectId: string, count: number): Promise<void> {
  await tx
    .updateTable('projects')
    .set({ consensus_expected_label_count: count })
    .where('id', '=', projectId)
    .execute();
  await renderClearedLabels(tx, projectId);
}

/**
 * Renders again the project's label fragments a consensus change cleared (the triggers of
 * migration 0013 clear them), so the next export does not take the slow path for those rows.
 */
export async function renderClearedLabels(tx: Tx, projectId: string): Promise<void> {
  const cleared = await tx
    .selectFrom('project_data_rows')
    .where('project_id', '=', projectId)
    .where('x_labels', 'is', null)
    .select('data_row_id')
    .execute();
  await renderFragments(
    tx,
    projectId,
    cleared.map((r) => r.data_row_id),
  );
}
