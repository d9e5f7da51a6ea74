/** Reading pre-labels: the newest of a row in a project, for the labeler's editor to start from. */
import type { PreLabelWire } from '@prefer/schemas';
import { formatV2 } from '../shared/time.ts';
import type { Db } from '../store/store.ts';

/** The row's newest pre-label in the project (scoped by the caller's organization), or null. */
export async function latestPreLabel(
  db: Db,
  orgId: string,
  projectId: string,
  dataRowId: string,
): Promise<PreLabelWire | null> {
  const row = await db
    .selectFrom('pre_labels')
    .where('org_id', '=', orgId)
    .where('project_id', '=', projectId)
    .where('data_row_id', '=', dataRowId)
    .select(['id', 'created_at', 'annotations'])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    created_at: formatV2(Number(row.created_at)),
    annotations: JSON.parse(row.annotations) as PreLabelWire['annotations'],
  };
}
