/** Reading pre-labels: the newest of a row in a project, for the labeler's editor to start from. */
import type { PreLabelWire } from '@prefer/schemas';
import { formatV2 } from '../shared/time.ts';
import { prepared } from '../store/prepared.ts';
import type { Db } from '../store/store.ts';

// Every `next` asks: built and compiled once (store/prepared.ts).
const newest = prepared((db, p: { orgId: string; projectId: string; dataRowId: string }) =>
  db
    .selectFrom('pre_labels')
    .where('org_id', '=', p.orgId)
    .where('project_id', '=', p.projectId)
    .where('data_row_id', '=', p.dataRowId)
    .select(['id', 'created_at', 'annotations'])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1),
);

/** The row's newest pre-label in the project (scoped by the caller's organization), or null. */
export async function latestPreLabel(
  db: Db,
  orgId: string,
  projectId: string,
  dataRowId: string,
): Promise<PreLabelWire | null> {
  const row = await newest.first(db, { orgId, projectId, dataRowId });
  if (!row) return null;
  return {
    id: row.id,
    created_at: formatV2(Number(row.created_at)),
    annotations: JSON.parse(row.annotations) as PreLabelWire['annotations'],
  };
}
