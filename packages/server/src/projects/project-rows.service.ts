/**
 * The data row browser of a project: its rows in id order with their batch, workflow status and
 * labelers, narrowed by a global key search, a status, a batch or a labeler.
 */
import { sql } from 'kysely';
import type { Actor } from '../orgs/actor.ts';
import { decodeCursor, type Page, type PageRequest, pageFrom } from '../shared/cursor.ts';
import { formatV2 } from '../shared/time.ts';
import type { WorkflowStatus } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import { requireProject } from './project.service.ts';

export interface ProjectRowFilters {
  /** Part of the global key, any case. */
  globalKey?: string | undefined;
  status?: WorkflowStatus | undefined;
  batchId?: string | undefined;
  /** The email of a user with a label (not a skip) on the row. */
  labeler?: string | undefined;
}

export interface ProjectRow {
  data_row_id: string;
  global_key: string | null;
  external_id: string | null;
  dataset_id: string;
  batch_id: string;
  batch_name: string;
  workflow_status: WorkflowStatus;
  label_count: number;
  labelers: string[];
  updated_at: string;
}

/** `%` and `_` typed in the search mean themselves. */
const likeContains = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listProjectRows(
  store: Store,
  actor: Actor,
  projectId: string,
  filters: ProjectRowFilters,
  page: PageRequest,
): Promise<Page<ProjectRow>> {
  const project = await requireProject(store.db, actor.orgId, projectId);
  let query = store.db
    .selectFrom('project_data_rows as p')
    .innerJoin('data_rows as d', 'd.id', 'p.data_row_id')
    .innerJoin('batches as b', 'b.id', 'p.batch_id')
    .where('p.project_id', '=', project.id)
    .where('p.org_id', '=', actor.orgId)
    .select([
      'p.data_row_id',
      'd.global_key',
      'd.external_id',
      'd.dataset_id',
      'p.batch_id',
      'b.name as batch_name',
      'p.workflow_status',
      'p.updated_at',
    ])
    .orderBy('p.data_row_id')
    .limit(page.limit + 1);
  if (filters.globalKey)
    query = query.where(sql<boolean>`d.global_key_lower like ${likeContains(filters.globalKey)} escape '\\'`);
  if (filters.status) query = query.where('p.workflow_status', '=', filters.status);
  if (filters.batchId) query = query.where('p.batch_id', '=', filters.batchId);
  if (filters.labeler) {
    const email = filters.labeler.toLowerCase();
    query = query.where((e) =>
      e.exists(
        e
          .selectFrom('labels as l')
          .innerJoin('users as u', 'u.id', 'l.created_by')
          .whereRef('l.data_row_id', '=', 'p.data_row_id')
          .where('l.project_id', '=', project.id)
          .where('l.skipped', '=', 0)
          .where('u.email_lower', '=', email)
          .select('l.id'),
      ),
    );
  }
  if (page.cursor !== undefined) {
    const [after] = decodeCursor(page.cursor, ['string']) as [string];
    query = query.where('p.data_row_id', '>', after);
  }
  const rows = await query.execute();
  const ids = rows.slice(0, page.limit).map((r) => r.data_row_id);
  const labels =
    ids.length === 0
      ? []
      : await store.db
          .selectFrom('labels as l')
          .innerJoin('users as u', 'u.id', 'l.created_by')
          .where('l.project_id', '=', project.id)
          .where('l.data_row_id', 'in', ids)
          .where('l.skipped', '=', 0)
          .select(['l.data_row_id', 'u.email'])
          .orderBy('l.created_at')
          .execute();
  const byRow = new Map<string, string[]>();
  for (const l of labels) byRow.set(l.data_row_id, [...(byRow.get(l.data_row_id) ?? []), l.email]);
  return pageFrom(
    rows,
    page.limit,
    (r) => [r.data_row_id],
    (r) => {
      const emails = byRow.get(r.data_row_id) ?? [];
      return {
        data_row_id: r.data_row_id,
        global_key: r.global_key,
        external_id: r.external_id,
        dataset_id: r.dataset_id,
        batch_id: r.batch_id,
        batch_name: r.batch_name,
        workflow_status: r.workflow_status,
        label_count: emails.length,
        labelers: [...new Set(emails)],
        updated_at: formatV2(Number(r.updated_at)),
      };
    },
  );
}
