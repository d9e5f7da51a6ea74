/**
 * Reading data rows: a dataset's rows a page at a time (keyset on id, the `data_rows_dataset`
 * index), and one row with its attachments and metadata as the export shows them.
 */
import { requireDataset } from '../datasets/dataset.service.ts';
import { metadataSchemaInfo, metadataValue } from '../exports/v2/export-context.ts';
import type { Actor } from '../orgs/actor.ts';
import { decodeCursor, type Page, type PageRequest, pageFrom } from '../shared/cursor.ts';
import { notFound } from '../shared/errors.ts';
import { formatV2 } from '../shared/time.ts';
import type { DataRowTable } from '../store/schema.ts';
import type { Store } from '../store/store.ts';

export interface DataRowSummary {
  id: string;
  dataset_id: string;
  global_key: string | null;
  external_id: string | null;
  /** An https URL, or the conversation as JSON text: exactly the export's `row_data`. */
  row_data: string;
  media_type: string;
  mime_type: string;
  labelable_ids: string[];
  message_count: number;
  created_at: string;
  updated_at: string;
  last_activity_at: string;
}

export interface DataRowDetail extends DataRowSummary {
  attachments: { id: string; type: string; value: string; name: string | null }[];
  metadata_fields: { schema_id: string; schema_name: string; value: string | number }[];
}

const COLUMNS = [
  'id',
  'dataset_id',
  'global_key',
  'external_id',
  'row_data',
  'media_type',
  'mime_type',
  'labelable_ids',
  'message_count',
  'created_at',
  'updated_at',
  'last_activity_at',
] as const;

type Row = Pick<DataRowTable, (typeof COLUMNS)[number]>;

const summary = (r: Row): DataRowSummary => ({
  id: r.id,
  dataset_id: r.dataset_id,
  global_key: r.global_key,
  external_id: r.external_id,
  row_data: r.row_data,
  media_type: r.media_type,
  mime_type: r.mime_type,
  labelable_ids: JSON.parse(r.labelable_ids) as string[],
  message_count: Number(r.message_count),
  created_at: formatV2(Number(r.created_at)),
  updated_at: formatV2(Number(r.updated_at)),
  last_activity_at: formatV2(Number(r.last_activity_at)),
});

/** A page of the dataset's rows in id order; NOT_FOUND for a dataset outside the organization. */
export async function listDataRowPage(
  store: Store,
  actor: Actor,
  datasetId: string,
  page: PageRequest,
): Promise<Page<DataRowSummary>> {
  const after = page.cursor === undefined ? undefined : decodeCursor(page.cursor, ['string']);
  const dataset = await requireDataset(store.db, actor.orgId, datasetId);
  let query = store.db
    .selectFrom('data_rows')
    .where('dataset_id', '=', dataset.id)
    .where('org_id', '=', actor.orgId)
    .select(COLUMNS)
    .orderBy('id')
    .limit(page.limit + 1);
  if (after) query = query.where('id', '>', String(after[0]));
  const rows = await query.execute();
  return pageFrom(rows, page.limit, (r) => [r.id], summary);
}

/** One data row of the organization with its attachments and metadata. */
export async function getDataRow(store: Store, actor: Actor, id: string): Promise<DataRowDetail> {
  const row = await store.db
    .selectFrom('data_rows')
    .where('id', '=', id)
    .where('org_id', '=', actor.orgId)
    .select(COLUMNS)
    .executeTakeFirst();
  // Another organization's row is answered exactly like a missing one.
  if (!row) throw notFound('data row', id);
  const attachments = await store.db
    .selectFrom('attachments')
    .where('data_row_id', '=', row.id)
    .select(['id', 'type', 'value', 'name'])
    .orderBy('position')
    .execute();
  const metadata = await store.db
    .selectFrom('metadata_values as v')
    .innerJoin('metadata_schemas as s', 's.id', 'v.schema_id')
    .where('v.data_row_id', '=', row.id)
    .where('s.org_id', '=', actor.orgId)
    .select(['v.schema_id', 'v.value', 's.name', 's.kind', 's.options'])
    .orderBy('v.position')
    .execute();
  return {
    ...summary(row),
    attachments,
    metadata_fields: metadata.map((m) => ({
      schema_id: m.schema_id,
      schema_name: m.name,
      value: metadataValue(metadataSchemaInfo(m), m.value),
    })),
  };
}
