/**
 * What a project knows beyond its export, for `prefer convert` and `prefer stats` on a project:
 * review reasons, comments and the order each label's editor showed the outputs in (in no
 * export), read for one page of data rows at a time so the
 * conversion stays in flat memory. Every query is scoped to the caller's organization.
 */
import type { Actor } from '../orgs/actor.ts';
import type { Store } from '../store/store.ts';

export interface TrainingExtras {
  /** Review id -> the reviewer's reason. */
  reviewReasons: Map<string, string>;
  /** Data row id -> its comments, oldest first. */
  comments: Map<string, { author: string; text: string; created_at: string }[]>;
  /** Label id -> the output titles left to right as shown (JSON text), where recorded. */
  displayedOrder: Map<string, string>;
}

const iso = (ms: number | string) => new Date(Number(ms)).toISOString().replace('Z', '+00:00');

export async function trainingExtras(
  store: Store,
  actor: Actor,
  projectId: string,
  dataRowIds: readonly string[],
): Promise<TrainingExtras> {
  const extras: TrainingExtras = { reviewReasons: new Map(), comments: new Map(), displayedOrder: new Map() };
  if (dataRowIds.length === 0) return extras;
  const ids = [...dataRowIds];
  const reviews = await store.db
    .selectFrom('reviews')
    .where('org_id', '=', actor.orgId)
    .where('project_id', '=', projectId)
    .where('data_row_id', 'in', ids)
    .where('reason', 'is not', null)
    .select(['id', 'reason'])
    .execute();
  for (const r of reviews) if (r.reason !== null) extras.reviewReasons.set(r.id, r.reason);
  const orders = await store.db
    .selectFrom('labels')
    .where('org_id', '=', actor.orgId)
    .where('project_id', '=', projectId)
    .where('data_row_id', 'in', ids)
    .where('displayed_order', 'is not', null)
    .select(['id', 'displayed_order'])
    .execute();
  for (const o of orders) if (o.displayed_order !== null) extras.displayedOrder.set(o.id, o.displayed_order);
  const comments = await store.db
    .selectFrom('comments')
    .innerJoin('users', (j) =>
      j.onRef('users.id', '=', 'comments.author_id').onRef('users.org_id', '=', 'comments.org_id'),
    )
    .where('comments.org_id', '=', actor.orgId)
    .where('comments.project_id', '=', projectId)
    .where('comments.data_row_id', 'in', ids)
    .select(['comments.data_row_id', 'users.email', 'comments.text', 'comments.created_at'])
    .orderBy('comments.created_at')
    .orderBy('comments.id')
    .execute();
  for (const c of comments) {
    const list = extras.comments.get(c.data_row_id) ?? [];
    list.push({ author: c.email, text: c.text, created_at: iso(c.created_at) });
    extras.comments.set(c.data_row_id, list);
  }
  return extras;
}
