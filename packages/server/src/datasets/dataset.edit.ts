/** Dataset settings: name and description. */
import type { Actor } from '../orgs/actor.ts';
import { AppError, type Fault, notFound } from '../shared/errors.ts';
import type { Store } from '../store/store.ts';

export async function editDataset(
  store: Store,
  actor: Actor,
  datasetId: string,
  edit: { name?: string | undefined; description?: string | null | undefined },
  now = Date.now(),
): Promise<void> {
  // A dataset of another organization is missing, whatever the body says.
  const found = await store.db
    .selectFrom('datasets')
    .where('id', '=', datasetId)
    .where('org_id', '=', actor.orgId)
    .where('deleted_at', 'is', null)
    .select('id')
    .executeTakeFirst();
  if (!found) throw notFound('dataset', datasetId);
  const faults: Fault[] = [];
  const set: { name?: string; description?: string | null } = {};
  if (edit.name !== undefined) {
    const name = edit.name.trim();
    if (name === '' || name.length > 200) {
      faults.push({ path: '$.name', message: 'must be a non-empty string of at most 200 characters' });
    } else set.name = name;
  }
  if (edit.description !== undefined) {
    if (edit.description !== null && edit.description.length > 10_000) {
      faults.push({ path: '$.description', message: 'must be at most 10000 characters' });
    } else set.description = edit.description;
  }
  if (faults.length === 0 && Object.keys(set).length === 0) {
    faults.push({ path: '$', message: 'nothing to change: give name or description' });
  }
  if (faults.length > 0) {
    throw new AppError('VALIDATION_FAILED', faults.map((f) => `${f.path}: ${f.message}`).join('; '), faults);
  }
  await store.write(async (tx) => {
    const done = await tx
      .updateTable('datasets')
      .set({ ...set, updated_at: now })
      .where('id', '=', datasetId)
      .where('org_id', '=', actor.orgId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) throw notFound('dataset', datasetId);
  });
}
