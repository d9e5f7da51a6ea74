/**
 * Reviews: another person approves a label (the row goes to Done) or rejects it with a reason
 * (the row goes to Rework, where its labeler edits the label and sends it back to review). One
 * decision moves the whole row: the row is the review unit, with or without consensus.
 */
import { sql } from 'kysely';
import type { ProjectRef } from '../auth/permissions.ts';
import { refreshLater } from '../exports/v2/fragment-refresh.ts';
import type { Actor } from '../orgs/actor.ts';
import { knownProject } from '../projects/project.service.ts';
import { AppError, type Fault, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { isPostgres, prepared } from '../store/prepared.ts';
import type { WorkflowStatus } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import { type WriteHook, writeWith } from '../store/write-hook.ts';
import { checkSeconds, invalid } from './submit.input.ts';
import { moveRowToKind, PROJECT_ROW_COLUMNS, tasksColumn, tasksOfColumn } from './workflow.rows.ts';

export const MAX_REASON_LENGTH = 10_000;

export interface ReviewLabelInput {
  projectId: string;
  /** The request's audit hook: its entry commits with this write (store/write-hook.ts). */
  auditHook?: WriteHook | undefined;
  /** The project as the request's authorization read it (skips reading it again). */
  project?: ProjectRef | undefined;
  labelId: string;
  decision: 'approve' | 'reject';
  /** Required to reject. */
  reason?: string | undefined;
  secondsToReview: number;
}

export interface ReviewResult {
  reviewId: string;
  labelId: string;
  dataRowId: string;
  workflowStatus: WorkflowStatus;
}

export async function reviewLabel(
  store: Store,
  actor: Actor,
  input: ReviewLabelInput,
): Promise<ReviewResult> {
  const faults: Fault[] = [];
  if (input.decision !== 'approve' && input.decision !== 'reject') {
    faults.push({ path: '$.decision', message: 'must be "approve" or "reject"' });
  }
  const reason = typeof input.reason === 'string' ? input.reason.trim() : input.reason;
  if (reason !== undefined && (typeof reason !== 'string' || reason.length > MAX_REASON_LENGTH)) {
    faults.push({ path: '$.reason', message: `must be a string of at most ${MAX_REASON_LENGTH} characters` });
  } else if (input.decision === 'reject' && !reason) {
    faults.push({ path: '$.reason', message: 'a rejection needs a reason' });
  }
  checkSeconds(input.secondsToReview, '$.secondsToReview', faults);
  if (faults.length > 0) throw invalid(faults);
  const project = await knownProject(store.db, actor.orgId, input.projectId, input.project);
  const result = await writeWith(store, input.auditHook, async (tx): Promise<ReviewResult> => {
    // The label, its row locked (PostgreSQL `FOR UPDATE`) and the project's tasks: one statement.
    const found = await lockToReview.first(tx, {
      orgId: actor.orgId,
      projectId: project.id,
      id: input.labelId,
    });
    if (!found) throw notFound('label', input.labelId);
    const { id: labelId, created_by, tasks, ...row } = found;
    if (created_by === actor.userId) {
      throw new AppError('FORBIDDEN', 'a label is reviewed by someone other than its labeler');
    }
    if (row.workflow_status !== 'IN_REVIEW') {
      throw new AppError('CONFLICT', `data row ${row.data_row_id} is not in review (${row.workflow_status})`);
    }
    const now = Date.now();
    // A row taken from the review queue is decided by the reviewer holding it (anyone may decide
    // a row nobody holds).
    if (
      row.lease_user_id !== null &&
      row.lease_user_id !== actor.userId &&
      Number(row.lease_expires_at) > now
    ) {
      throw new AppError(
        'LEASE_LOST',
        `another reviewer holds data row ${row.data_row_id} in the review queue`,
      );
    }
    const approve = input.decision === 'approve';
    const reviewId = newId(now);
    await newReview.affected(tx, {
      id: reviewId,
      orgId: actor.orgId,
      projectId: project.id,
      labelId,
      dataRowId: row.data_row_id,
      score: approve ? 1 : -1,
      reason: reason || null,
      now,
      userId: actor.userId,
    });
    await addReviewTime.affected(tx, { seconds: input.secondsToReview, id: labelId });
    // The move touches the row's activity too, which covers the review.
    await moveRowToKind(tx, project.id, row, tasksOfColumn(project.id, tasks), approve ? 'DONE' : 'REWORK', {
      action: approve ? 'Approve' : 'Reject',
      userId: actor.userId,
      now,
    });
    return {
      reviewId,
      labelId,
      dataRowId: row.data_row_id,
      workflowStatus: approve ? 'DONE' : 'IN_REWORK',
    };
  });
  // The row's export text is rendered in the background (its triggers cleared it meanwhile).
  refreshLater(store, project.id, [result.dataRowId]);
  return result;
}

// The statements every review runs: built and compiled once (store/prepared.ts).

const lockToReview = prepared((db, p: { orgId: string; projectId: string; id: string }) =>
  db
    .selectFrom('labels as l')
    .innerJoin('project_data_rows as pdr', (j) =>
      j.onRef('pdr.project_id', '=', 'l.project_id').onRef('pdr.data_row_id', '=', 'l.data_row_id'),
    )
    .where('l.org_id', '=', p.orgId)
    .where('l.project_id', '=', p.projectId)
    .where('l.id', '=', p.id)
    .select(['l.id', 'l.created_by'])
    .select(PROJECT_ROW_COLUMNS)
    .select(tasksColumn(db))
    .$if(isPostgres(db), (q) => q.forUpdate('pdr')),
);

const newReview = prepared(
  (
    db,
    p: {
      id: string;
      orgId: string;
      projectId: string;
      labelId: string;
      dataRowId: string;
      score: number;
      reason: string | null;
      now: number;
      userId: string;
    },
  ) =>
    db.insertInto('reviews').values({
      id: p.id,
      org_id: p.orgId,
      project_id: p.projectId,
      label_id: p.labelId,
      data_row_id: p.dataRowId,
      score: p.score,
      reason: p.reason,
      created_at: p.now,
      created_by: p.userId,
    }),
);

// Added in SQL: a concurrent review of the same label cannot lose the other's time.
const addReviewTime = prepared((db, p: { seconds: number; id: string }) =>
  db
    .updateTable('labels')
    .set({ seconds_to_review: sql<number>`coalesce(seconds_to_review, 0) + ${p.seconds}` })
    .where('id', '=', p.id),
);
