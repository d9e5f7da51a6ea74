/** Bulk reads for one page of V1 labels: reviews, metadata, and the emails and names they name. */
import type { Db } from '../../store/store.ts';
import {
  fillCache,
  type MetadataSchemaInfo,
  metadataSchemaInfo,
  metadataValue,
  readDatasets,
  readUsers,
} from '../v2/export-context.ts';

export interface V1Cache {
  users: Map<string, string>;
  datasets: Map<string, string>;
  schemas: Map<string, MetadataSchemaInfo>;
}

export interface V1Review {
  id: string;
  label_id: string;
  score: number;
  created_at: number;
  created_by: string;
}

export interface V1PageData {
  reviews: Map<string, V1Review[]>;
  metadata: Map<string, { schemaId: string; schemaName: string; value: string | number }[]>;
}

export async function loadV1Page(
  db: Db,
  orgId: string,
  projectId: string,
  page: readonly { id: string; data_row_id: string; created_by: string; dataset_id: string }[],
  cache: V1Cache,
): Promise<V1PageData> {
  const labelIds = page.map((l) => l.id);
  const rowIds = [...new Set(page.map((l) => l.data_row_id))];
  const reviews = await db
    .selectFrom('reviews')
    .where('project_id', '=', projectId)
    .where('org_id', '=', orgId)
    .where('label_id', 'in', labelIds)
    .select(['id', 'label_id', 'score', 'created_at', 'created_by'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const values = await db
    .selectFrom('metadata_values')
    .where('data_row_id', 'in', rowIds)
    .select(['data_row_id', 'schema_id', 'value'])
    .orderBy('data_row_id')
    .orderBy('position')
    .execute();

  await fillCache(
    cache.users,
    [...page.map((l) => l.created_by), ...reviews.map((r) => r.created_by)],
    async (ids) => (await readUsers(db, orgId, ids)).map((r) => [r.id, r.email]),
  );
  await fillCache(
    cache.datasets,
    page.map((l) => l.dataset_id),
    async (ids) => (await readDatasets(db, orgId, ids)).map((r) => [r.id, r.name]),
  );
  await fillCache(
    cache.schemas,
    values.map((v) => v.schema_id),
    async (ids) =>
      (
        await db
          .selectFrom('metadata_schemas')
          .where('org_id', '=', orgId)
          .where('id', 'in', ids)
          .select(['id', 'name', 'kind', 'options'])
          .execute()
      ).map((s) => [s.id, metadataSchemaInfo(s)]),
  );

  const byLabel = new Map<string, V1Review[]>();
  for (const r of reviews) {
    const list = byLabel.get(r.label_id);
    if (list) list.push(r);
    else byLabel.set(r.label_id, [r]);
  }
  const metadata: V1PageData['metadata'] = new Map();
  for (const v of values) {
    const schema = cache.schemas.get(v.schema_id);
    if (!schema) continue;
    const value = metadataValue(schema, v.value);
    const list = metadata.get(v.data_row_id) ?? [];
    list.push({ schemaId: v.schema_id, schemaName: schema.name, value });
    metadata.set(v.data_row_id, list);
  }
  return { reviews: byLabel, metadata };
}
