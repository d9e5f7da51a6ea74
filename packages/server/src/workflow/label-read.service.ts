/**
 * Reading labels of a project over the API. A labeler sees only their own labels: another
 * person's label answers NOT_FOUND exactly like a missing one. Everyone else with access to the
 * project sees all of them.
 */
import type { Role } from '../auth/permissions.ts';
import type { Actor } from '../orgs/actor.ts';
import { afterKey, decodeCursor, type Page, type PageRequest, pageFrom } from '../shared/cursor.ts';
import { notFound } from '../shared/errors.ts';
import { formatV2 } from '../shared/time.ts';
import type { WorkflowStatus } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import { displayedOrderOf } from './displayed-order.ts';

export interface LabelReview {
  id: string;
  decision: 'approve' | 'reject';
  reason: string | null;
  created_at: string;
  created_by: string;
}

export interface LabelView {
  id: string;
  data_row_id: string;
  global_key: string | null;
  /** The labeler's email, as in exports. */
  created_by: string;
  created_at: string;
  updated_at: string;
  /** `{ objects, classifications, relationships }` in the export v2 form. */
  annotations: { classifications: unknown[] } & Record<string, unknown>;
  skipped: boolean;
  seconds_to_create: number | null;
  seconds_to_review: number | null;
  consensus_score: number | null;
  /** The model output titles in the order the labeler saw them, left to right; null when unknown. */
  displayed_order: string[] | null;
  /** The row's status in the project now. */
  workflow_status: WorkflowStatus | null;
  /** Oldest first; a rejection's reason is what the labeler reworks against. */
  reviews: LabelReview[];
}

export interface LabelFilters {
  dataRowId?: string | undefined;
  workflowStatus?: WorkflowStatus | undefined;
  /** A labeler's email (case-insensitive). */
  createdBy?: string | undefined;
  /** A labeler's user id. */
  createdById?: string | undefined;
  skipped?: boolean | undefined;
}

export interface ListLabelsInput extends LabelFilters, PageRequest {
  projectId: string;
  role: Role;
}

/** The project's labels oldest first (created_at, id), a page at a time. */
export async function listLabels(
  store: Store,
  actor: Actor,
  input: ListLabelsInput,
): Promise<Page<LabelView>> {
  let q = baseQuery(store, actor, input.projectId, input.role);
  if (input.dataRowId !== undefined) q = q.where('l.data_row_id', '=', input.dataRowId);
  if (input.workflowStatus !== undefined) q = q.where('p.workflow_status', '=', input.workflowStatus);
  if (input.createdBy !== undefined) q = q.where('u.email', '=', input.createdBy.toLowerCase());
  if (input.createdById !== undefined) q = q.where('l.created_by', '=', input.createdById);
  if (input.skipped !== undefined) q = q.where('l.skipped', '=', input.skipped ? 1 : 0);
  if (input.cursor !== undefined) {
    const [at, id] = decodeCursor(input.cursor, ['number', 'string']) as [number, string];
    q = q.where((e) => afterKey(e, 'l.created_at', 'l.id', [at, id]));
  }
  const rows = await q
    .orderBy('l.created_at')
    .orderBy('l.id')
    .limit(input.limit + 1)
    .execute();
  const reviews = await reviewsOf(
    store,
    rows.slice(0, input.limit).map((r) => r.id),
  );
  return pageFrom(
    rows,
    input.limit,
    (r) => [Number(r.created_at), r.id],
    (r) => view(r, reviews.get(r.id) ?? []),
  );
}

export async function getLabel(
  store: Store,
  actor: Actor,
  input: { projectId: string; labelId: string; role: Role },
): Promise<LabelView> {
  const row = await baseQuery(store, actor, input.projectId, input.role)
    .where('l.id', '=', input.labelId)
    .executeTakeFirst();
  if (!row) throw notFound('label', input.labelId);
  return view(row, (await reviewsOf(store, [row.id])).get(row.id) ?? []);
}

function baseQuery(store: Store, actor: Actor, projectId: string, role: Role) {
  return store.db
    .selectFrom('labels as l')
    .innerJoin('users as u', 'u.id', 'l.created_by')
    .innerJoin('data_rows as d', 'd.id', 'l.data_row_id')
    .leftJoin('project_data_rows as p', (j) =>
      j.onRef('p.project_id', '=', 'l.project_id').onRef('p.data_row_id', '=', 'l.data_row_id'),
    )
    .where('l.org_id', '=', actor.orgId)
    .where('l.project_id', '=', projectId)
    .$if(role === 'labeler', (q) => q.where('l.created_by', '=', actor.userId))
    .select([
      'l.id',
      'l.data_row_id',
      'd.global_key',
      'u.email',
      'l.created_at',
      'l.updated_at',
      'l.annotations',
      'l.skipped',
      'l.seconds_to_create',
      'l.seconds_to_review',
      'l.consensus_score',
      'l.displayed_order',
      'p.workflow_status',
    ]);
}

type LabelRow = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

async function reviewsOf(store: Store, labelIds: readonly string[]): Promise<Map<string, LabelReview[]>> {
  const byLabel = new Map<string, LabelReview[]>();
  if (labelIds.length === 0) return byLabel;
  const rows = await store.db
    .selectFrom('reviews as r')
    .innerJoin('users as u', 'u.id', 'r.created_by')
    .where('r.label_id', 'in', labelIds)
    .select(['r.id', 'r.label_id', 'r.score', 'r.reason', 'r.created_at', 'u.email'])
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();
  for (const r of rows) {
    const list = byLabel.get(r.label_id) ?? [];
    list.push({
      id: r.id,
      decision: r.score > 0 ? 'approve' : 'reject',
      reason: r.reason,
      created_at: formatV2(Number(r.created_at)),
      created_by: r.email,
    });
    byLabel.set(r.label_id, list);
  }
  return byLabel;
}

function view(r: LabelRow, reviews: LabelReview[]): LabelView {
  return {
    id: r.id,
    data_row_id: r.data_row_id,
    global_key: r.global_key,
    created_by: r.email,
    created_at: formatV2(Number(r.created_at)),
    updated_at: formatV2(Number(r.updated_at)),
    annotations: JSON.parse(r.annotations) as LabelView['annotations'],
    skipped: Number(r.skipped) === 1,
    seconds_to_create: r.seconds_to_create === null ? null : Number(r.seconds_to_create),
    seconds_to_review: r.seconds_to_review === null ? null : Number(r.seconds_to_review),
    consensus_score: r.consensus_score === null ? null : Number(r.consensus_score),
    displayed_order: displayedOrderOf(r.displayed_order),
    workflow_status: r.workflow_status,
    reviews,
  };
}
