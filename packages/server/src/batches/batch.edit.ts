/**
 * Batch settings: name, priority (moved onto the batch's queued rows at once, so the queue
 * order follows) and consensus (labels wanted per row from now on: rows already in review or
 * done stay where they are; null goes back to the project's count).
 */
import type { Actor } from '../orgs/actor.ts';
import { renderClearedLabels } from '../projects/consensus-count.ts';
import { MAX_CONSENSUS_LABELS } from '../projects/project.service.ts';
import { AppError, type Fault, notFound } from '../shared/errors.ts';
import type { Store } from '../store/store.ts';
import { MAX_PRIORITY } from './batch.input.ts';

export interface BatchEdit {
  name?: string | undefined;
  priority?: number | undefined;
  consensusLabels?: number | null | undefined;
}

export async function editBatch(
  store: Store,
  actor: Actor,
  projectId: string,
  batchId: string,
  edit: BatchEdit,
): Promise<void> {
  const found = await store.db
    .selectFrom('batches')
    .where('id', '=', batchId)
    .where('project_id', '=', projectId)
    .where('org_id', '=', actor.orgId)
    .select('id')
    .executeTakeFirst();
  if (!found) throw notFound('batch', batchId);
  const faults: Fault[] = [];
  const set: { name?: string; priority?: number; consensus_label_count?: number | null } = {};
  if (edit.name !== undefined) {
    const name = edit.name.trim();
    if (name === '' || name.length > 200) {
      faults.push({ path: '$.name', message: 'must be a non-empty string of at most 200 characters' });
    } else set.name = name;
  }
  if (edit.priority !== undefined) {
    if (!Number.isInteger(edit.priority) || edit.priority < 1 || edit.priority > MAX_PRIORITY) {
      faults.push({ path: '$.priority', message: `must be an integer from 1 to ${MAX_PRIORITY}` });
    } else set.priority = edit.priority;
  }
  if (edit.consensusLabels !== undefined) {
    const n = edit.consensusLabels;
    if (n !== null && (!Number.isInteger(n) || n < 1 || n > MAX_CONSENSUS_LABELS)) {
      faults.push({
        path: '$.consensus_expected_label_count',
        message: `must be null (the project's) or an integer from 1 to ${MAX_CONSENSUS_LABELS}`,
      });
    } else set.consensus_label_count = n;
  }
  if (faults.length === 0 && Object.keys(set).length === 0) {
    faults.push({
      path: '$',
      message: 'nothing to change: give name, priority or consensus_expected_label_count',
    });
  }
  if (faults.length > 0) {
    throw new AppError('VALIDATION_FAILED', faults.map((f) => `${f.path}: ${f.message}`).join('; '), faults);
  }
  await store.write(async (tx) => {
    const batch = await tx
      .selectFrom('batches')
      .where('id', '=', batchId)
      .where('project_id', '=', projectId)
      .where('org_id', '=', actor.orgId)
      .select(['id', 'name'])
      .executeTakeFirst();
    if (!batch) throw notFound('batch', batchId);
    if (set.name !== undefined && set.name !== batch.name) {
      const twin = await tx
        .selectFrom('batches')
        .where('project_id', '=', projectId)
        .where('name', '=', set.name)
        .select('id')
        .executeTakeFirst();
      if (twin) {
        throw new AppError(
          'CONFLICT',
          `project ${projectId} already has a batch named ${JSON.stringify(set.name)}`,
          [{ path: '$.name', message: 'a batch of this name exists in the project' }],
        );
      }
    }
    await tx.updateTable('batches').set(set).where('id', '=', batchId).execute();
    if (set.consensus_label_count !== undefined) {
      // Rendered label fragments hold the consensus count: the update's trigger cleared them.
      await renderClearedLabels(tx, projectId);
    }
    if (set.priority !== undefined) {
      await tx
        .updateTable('project_data_rows')
        .set({ priority: set.priority })
        .where('project_id', '=', projectId)
        .where('batch_id', '=', batchId)
        .execute();
    }
  });
}
