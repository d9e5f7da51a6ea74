/** Bulk reads for one page of V1 labels: reviews, metadata, and the emails and names they name. */
import type { Db } from '../store/store.ts';

export interface V1Cache {
  users: Map<string, string>;
  datasets: Map<string, string>;
  schemas: Map<string, { name: string; kind: string; options: Map<string, string> }>;
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

  const users = unknown([...page.map((l) => l.created_by), ...reviews.map((r) => r.created_by)], cache.users);
  if (users.length > 0) {
    const rows = await db
      .selectFrom('users')
      .where('org_id', '=', orgId)
      .where('id', 'in', users)
      .select(['id', 'email'])
      .execute();
    for (const r of rows) cache.users.set(r.id, r.email);
  }
  const datasets = unknown(
    page.map((l) => l.dataset_id),
    cache.datasets,
  );
  if (datasets.length > 0) {
    const rows = await db
      .selectFrom('datasets')
      .where('org_id', '=', orgId)
      .where('id', 'in', datasets)
      .select(['id', 'name'])
      .execute();
    for (const r of rows) cache.datasets.set(r.id, r.name);
  }
  const schemas = unknown(
    values.map((v) => v.schema_id),
    cache.schemas,
  );
  if (schemas.length > 0) {
    const rows = await db
      .selectFrom('metadata_schemas')
      .where('org_id', '=', orgId)
      .where('id', 'in', schemas)
      .select(['id', 'name', 'kind', 'options'])
      .execute();
    for (const s of rows) {
      const options = s.options ? (JSON.parse(s.options) as { id: string; name: string }[]) : [];
      cache.schemas.set(s.id, {
        name: s.name,
        kind: s.kind,
        options: new Map(options.map((o) => [o.id, o.name])),
      });
    }
  }

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
    // As in export v2: numbers as numbers, an enum as its option's name.
    const value =
      schema.kind === 'number'
        ? Number(v.value)
        : schema.kind === 'enum'
          ? (schema.options.get(v.value) ?? v.value)
          : v.value;
    const list = metadata.get(v.data_row_id) ?? [];
    list.push({ schemaId: v.schema_id, schemaName: schema.name, value });
    metadata.set(v.data_row_id, list);
  }
  return { reviews: byLabel, metadata };
}

function unknown(ids: Iterable<string>, known: Map<string, unknown>): string[] {
  const out = new Set<string>();
  for (const id of ids) if (!known.has(id)) out.add(id);
  return [...out];
}
