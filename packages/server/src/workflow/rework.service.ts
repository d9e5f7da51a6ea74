/**
 * A labeler's rework list: their labels of rows a reviewer sent back to rework, each with the
 * rejection that sent the row there. The row is the review unit, so with consensus the rejected
 * label may be another labeler's; every labeler of the row may resubmit (submit.service.ts).
 */
import type { Role } from '../auth/permissions.ts';
import type { Actor } from '../orgs/actor.ts';
import { requireProject } from '../projects/project.service.ts';
import type { Page, PageRequest } from '../shared/cursor.ts';
import { formatV2 } from '../shared/time.ts';
import type { Store } from '../store/store.ts';
import { type LabelView, listLabels } from './label-read.service.ts';
import { readWorkRows, workRowOf, workRowWire } from './work-row.ts';

export interface Rejection {
  /** The label the reviewer rejected (the caller's own, or with consensus another's of the row). */
  label_id: string;
  reason: string | null;
  /** The reviewer's email. */
  created_by: string;
  created_at: string;
}

export interface ReworkLabel extends LabelView {
  /** The latest rejection of the row; null only if the row was moved to rework by hand. */
  rejection: Rejection | null;
  /** The label's data row, for the editor (a labeler cannot read data rows otherwise). */
  data_row: ReturnType<typeof workRowWire>;
}

export interface ListReworkInput extends PageRequest {
  projectId: string;
  role: Role;
}

/** The caller's labels of rows in rework, oldest label first, a page at a time. */
export async function listRework(
  store: Store,
  actor: Actor,
  input: ListReworkInput,
): Promise<Page<ReworkLabel>> {
  const project = await requireProject(store.db, actor.orgId, input.projectId);
  const page = await listLabels(store, actor, {
    projectId: project.id,
    role: input.role,
    limit: input.limit,
    cursor: input.cursor,
    workflowStatus: 'IN_REWORK',
    createdById: actor.userId,
  });
  const dataRowIds = [...new Set(page.items.map((l) => l.data_row_id))];
  const rejections = await latestRejections(store, project.id, dataRowIds);
  // The page's rows in one query; each is a row of one of the caller's labels.
  const rows = await readWorkRows(store.db, dataRowIds);
  return {
    items: page.items.map((l) => ({
      ...l,
      rejection: rejections.get(l.data_row_id) ?? null,
      data_row: workRowWire(workRowOf(rows, l.data_row_id)),
    })),
    nextCursor: page.nextCursor,
  };
}

/** Per data row, its latest rejection in the project. */
async function latestRejections(
  store: Store,
  projectId: string,
  dataRowIds: string[],
): Promise<Map<string, Rejection>> {
  const latest = new Map<string, Rejection>();
  if (dataRowIds.length === 0) return latest;
  const rows = await store.db
    .selectFrom('reviews as r')
    .innerJoin('users as u', 'u.id', 'r.created_by')
    .where('r.project_id', '=', projectId)
    .where('r.data_row_id', 'in', dataRowIds)
    .where('r.score', '<', 0)
    .select(['r.data_row_id', 'r.label_id', 'r.reason', 'r.created_at', 'u.email'])
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();
  // Oldest first: the last one seen per row wins.
  for (const r of rows) {
    latest.set(r.data_row_id, {
      label_id: r.label_id,
      reason: r.reason,
      created_by: r.email,
      created_at: formatV2(Number(r.created_at)),
    });
  }
  return latest;
}
