/**
 * The review queue: hands a reviewer the next row in review, leased to them as the labeling queue
 * leases rows to labelers, with everything a decision needs (the row's labels with their answers,
 * the order each labeler saw the model outputs in, timings, comments, and the agreement of the
 * labels when the row wanted several). The decision itself goes through `reviewLabel`.
 *
 * The review unit is the row: approving one of its labels moves the row to Done, rejecting one
 * moves it to Rework (review.service.ts), so a reviewer decides once per row.
 */
import type { Role } from '../auth/permissions.ts';
import type { Actor } from '../orgs/actor.ts';
import { keepPlannerStatsFresh } from '../projects/planner-stats.ts';
import { requireProject } from '../projects/project.service.ts';
import type { Store } from '../store/store.ts';
import { type Comment, listComments } from './comment.service.ts';
import { labelsWanted } from './consensus.rows.ts';
import { rowAgreement } from './consensus.ts';
import { type LabelView, listLabels } from './label-read.service.ts';
import { leaseLength, leaseNext } from './queue.lease.ts';
import type { LeasedRow } from './queue.service.ts';
import { readWorkRow } from './work-row.ts';

/** Comments answered with the row; the rest are read with the comments route. */
export const REVIEW_COMMENTS = 100;
/** More labels than a row can want (consensus is at most 10), imported ones included. */
const MAX_LABELS = 500;

export interface NextReviewInput {
  projectId: string;
  /** The caller's role in the project: the label and comment readers scope by it. */
  role: Role;
  /** How long the row stays reserved: 1 ms to 24 hours, 30 minutes by default. */
  leaseMs?: number | undefined;
  /** The clock (tests move it instead of waiting). */
  now?: (() => number) | undefined;
}

export interface ReviewRow extends LeasedRow {
  /** Every label of the row, oldest first, skips included (a row of skips is reviewed too). */
  labels: LabelView[];
  /** The row's first comments, oldest first. */
  comments: Comment[];
  /** When the row wanted more than one label: how many, and how well the labels agree. */
  consensus: { labelsWanted: number; agreement: number | null } | null;
}

/**
 * The row in review the caller should decide next, leased to them; null when none is waiting for
 * them. Asking again while holding one answers the same row, its lease renewed. A row someone
 * else holds a live lease on, or that has a label (or skip) of the caller's, is never offered.
 */
export async function nextReview(
  store: Store,
  actor: Actor,
  input: NextReviewInput,
): Promise<ReviewRow | null> {
  const leaseMs = leaseLength(input.leaseMs);
  const project = await requireProject(store.db, actor.orgId, input.projectId);
  // The review queue walks the same index as the labeling queue, planned from the same statistics.
  keepPlannerStatsFresh(store);
  const leased = await store.write(async (tx) => {
    const now = (input.now ?? Date.now)();
    const expires = now + leaseMs;
    const request = { projectId: project.id, status: 'IN_REVIEW', now, expires } as const;
    const dataRowId = await leaseNext(tx, store.backend, actor, request);
    if (dataRowId === null) return null;
    const { batch_id } = await tx
      .selectFrom('project_data_rows')
      .where('project_id', '=', project.id)
      .where('data_row_id', '=', dataRowId)
      .select('batch_id')
      .executeTakeFirstOrThrow();
    return {
      ...(await readWorkRow(tx, dataRowId)),
      leaseExpiresAt: expires,
      wanted: await labelsWanted(tx, project.id, batch_id),
    };
  });
  if (!leased) return null;
  // Read after the lease is taken: the lease keeps other reviewers' decisions off the row.
  const scope = { projectId: project.id, dataRowId: leased.dataRowId, role: input.role };
  const labels = await listLabels(store, actor, { ...scope, limit: MAX_LABELS });
  const comments = await listComments(store, actor, { ...scope, limit: REVIEW_COMMENTS });
  const { wanted, ...row } = leased;
  const agreement = () =>
    rowAgreement(
      labels.items.map((l) => ({
        id: l.id,
        annotations: JSON.stringify(l.annotations),
        skipped: l.skipped ? 1 : 0,
      })),
    );
  return {
    ...row,
    labels: labels.items,
    comments: comments.items,
    consensus: wanted > 1 ? { labelsWanted: wanted, agreement: agreement() } : null,
  };
}
