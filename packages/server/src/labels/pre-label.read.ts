/** Reading pre-labels: the newest of a row in a project, for the labeler's editor to start from. */
import type { PreLabelWire } from '@prefer/schemas';
import { type Kysely, sql } from 'kysely';
import { formatV2 } from '../shared/time.ts';
import { isPostgres, jsonColumn } from '../store/prepared.ts';
import type { Database } from '../store/schema.ts';

/**
 * The newest pre-label in the project of the data row `d.id` (scoped by the caller's
 * organization) as one column, `pre_label`, so that the statement reading the leased row brings
 * it: one round trip less per `next`. JSON of `[id, created_at, annotations]`, or null;
 * `preLabelOf` reads it.
 */
export function newestPreLabelColumn(db: Kysely<Database>, p: { orgId: string; projectId: string }) {
  const item = isPostgres(db) ? 'json_build_array' : 'json_array';
  return sql<unknown>`(select ${sql.raw(item)}(pl.id, pl.created_at, pl.annotations) from pre_labels pl
    where pl.org_id = ${p.orgId} and pl.project_id = ${p.projectId} and pl.data_row_id = d.id
    order by pl.created_at desc, pl.id desc limit 1)`.as('pre_label');
}

/** The pre-label `newestPreLabelColumn` selected, or null. */
export function preLabelOf(column: unknown): PreLabelWire | null {
  const found = jsonColumn<[string, number | string, string]>(column);
  if (!found) return null;
  const [id, createdAt, annotations] = found;
  return {
    id,
    created_at: formatV2(Number(createdAt)),
    annotations: JSON.parse(annotations) as PreLabelWire['annotations'],
  };
}
