/** Datasets: named collections of data rows, one organization's each. */
import { CreateDatasetInput, type Dataset } from '@prefer/schemas';
import { zodFaults } from '../ingest/zod-faults.ts';
import type { Actor } from '../orgs/actor.ts';
import { afterKey, decodeCursor, type Page, type PageRequest, pageFrom } from '../shared/cursor.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { Db, Store, Tx } from '../store/store.ts';

export async function createDataset(
  store: Store,
  actor: Actor,
  input: { name: string; description?: string },
): Promise<{ id: string; name: string }> {
  const parsed = CreateDatasetInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError('VALIDATION_FAILED', `${issue.path.join('.') || 'dataset'}: ${issue.message}`, {
      errors: zodFaults(parsed.error),
    });
  }
  const now = Date.now();
  const id = newId(now);
  const { name, description } = parsed.data;
  await store.write((tx) =>
    tx
      .insertInto('datasets')
      .values({
        id,
        org_id: actor.orgId,
        name,
        description: description ?? null,
        created_at: now,
        updated_at: now,
        created_by: actor.userId,
      })
      .execute(),
  );
  return { id, name };
}

export async function getDataset(store: Store, actor: Actor, id: string): Promise<Dataset> {
  const [found] = await selectDatasets(store.db, actor.orgId, id);
  // Another organization's dataset is answered exactly like a missing one.
  if (!found) throw notFound('dataset', id);
  return found;
}

export async function listDatasets(store: Store, actor: Actor): Promise<Dataset[]> {
  return selectDatasets(store.db, actor.orgId);
}

/** One page of the organization's datasets, oldest first (keyset on `created_at`, id). */
export async function listDatasetPage(store: Store, actor: Actor, page: PageRequest): Promise<Page<Dataset>> {
  const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor, ['number', 'string']);
  const rows = await selectDatasets(store.db, actor.orgId, undefined, {
    after: after as [number, string] | undefined,
    limit: page.limit + 1,
  });
  return pageFrom(
    rows,
    page.limit,
    (d) => [d.createdAt, d.id],
    (d) => d,
  );
}

/** Throws NOT_FOUND unless the dataset exists in the organization. */
export async function requireDataset(
  db: Db | Tx,
  orgId: string,
  id: string,
): Promise<{ id: string; name: string }> {
  const row = await db
    .selectFrom('datasets')
    .where('org_id', '=', orgId)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .select(['id', 'name'])
    .executeTakeFirst();
  if (!row) throw notFound('dataset', id);
  return row;
}

async function selectDatasets(
  db: Db,
  orgId: string,
  id?: string,
  page?: { after: [number, string] | undefined; limit: number },
): Promise<Dataset[]> {
  let query = db
    .selectFrom('datasets as d')
    .where('d.org_id', '=', orgId)
    .where('d.deleted_at', 'is', null)
    .select((e) => [
      'd.id',
      'd.name',
      'd.description',
      'd.created_at',
      'd.updated_at',
      'd.created_by',
      e
        .selectFrom('data_rows as r')
        .whereRef('r.dataset_id', '=', 'd.id')
        .select((c) => c.fn.countAll().as('n'))
        .as('row_count'),
    ])
    .orderBy('d.created_at')
    .orderBy('d.id');
  if (id !== undefined) query = query.where('d.id', '=', id);
  const after = page?.after;
  if (after) query = query.where((e) => afterKey(e, 'd.created_at', 'd.id', after));
  if (page) query = query.limit(page.limit);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    createdBy: r.created_by,
    rowCount: Number(r.row_count ?? 0),
  }));
}
