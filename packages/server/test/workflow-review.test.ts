import { expect, it } from 'vitest';
import type { Actor } from '../src/orgs/actor.ts';
import { nextRow } from '../src/workflow/queue.service.ts';
import { reviewLabel } from '../src/workflow/review.service.ts';
import { skipRow, submitLabel } from '../src/workflow/submit.service.ts';
import { describeBackends } from './support/backends.ts';
import {
  answers,
  colleague,
  historyOf,
  projectRow,
  setConsensusLabels,
  type WorkflowProject,
  workflowProject,
} from './workflow-helpers.ts';

describeBackends('workflow review and rework', (ctx) => {
  const labelOf = (id: string) =>
    ctx.store.db.selectFrom('labels').where('id', '=', id).selectAll().executeTakeFirstOrThrow();

  /** An approval taking one second. */
  const approve = (who: Actor, projectId: string, labelId: string) =>
    reviewLabel(ctx.store, who, { projectId, labelId, decision: 'approve', secondsToReview: 1 });

  /** A one-row project whose row was labeled by its owner and waits in review. */
  const inReview = async (): Promise<{
    p: WorkflowProject;
    labelId: string;
    rowId: string;
    reviewer: Actor;
  }> => {
    const p = await workflowProject(ctx.store, 1);
    const row = await nextRow(ctx.store, p.owner, { projectId: p.projectId });
    const { labelId } = await submitLabel(ctx.store, p.owner, {
      projectId: p.projectId,
      dataRowId: row!.dataRowId,
      idempotencyKey: 'first',
      classifications: answers('Response A'),
      secondsToCreate: 10,
    });
    return { p, labelId, rowId: row!.dataRowId, reviewer: await colleague(ctx.store, p.owner, 'reviewer') };
  };

  it('approves: a review scored 1, review time added, the row in Done with an Approve entry', async () => {
    const { p, labelId, rowId, reviewer } = await inReview();
    const result = await reviewLabel(ctx.store, reviewer, {
      projectId: p.projectId,
      labelId,
      decision: 'approve',
      secondsToReview: 4.5,
    });
    expect(result).toMatchObject({ labelId, dataRowId: rowId, workflowStatus: 'DONE' });
    const review = await ctx.store.db
      .selectFrom('reviews')
      .where('id', '=', result.reviewId)
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(review).toMatchObject({
      label_id: labelId,
      data_row_id: rowId,
      score: 1,
      reason: null,
      created_by: reviewer.userId,
    });
    expect((await labelOf(labelId)).seconds_to_review).toBe(4.5);
    expect((await projectRow(ctx.store, p.projectId, rowId)).workflow_status).toBe('DONE');
    const last = (await historyOf(ctx.store, p.projectId, rowId)).at(-1)!;
    expect(last).toMatchObject({
      action: 'Approve',
      previous_task_name: 'Initial review task',
      next_task_name: 'Done',
      created_by: reviewer.userId,
    });
    const activity = await ctx.store.db
      .selectFrom('data_rows')
      .where('id', '=', rowId)
      .select('last_activity_at')
      .executeTakeFirstOrThrow();
    expect(activity.last_activity_at).toBe(review.created_at);
    // Done is not in review any more.
    await expect(approve(reviewer, p.projectId, labelId)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses self-review, a rejection without a reason and labels it cannot see', async () => {
    const { p, labelId, reviewer } = await inReview();
    await expect(approve(p.owner, p.projectId, labelId)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      reviewLabel(ctx.store, reviewer, {
        projectId: p.projectId,
        labelId,
        decision: 'reject',
        reason: '  ',
        secondsToReview: 1,
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const q = await workflowProject(ctx.store, 1);
    await expect(approve(q.owner, p.projectId, labelId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(approve(q.owner, q.projectId, labelId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(
      await ctx.store.db.selectFrom('reviews').where('label_id', '=', labelId).select('id').execute(),
    ).toHaveLength(0);
  });

  it('refuses a review while consensus still waits for labels', async () => {
    const p = await workflowProject(ctx.store, 1);
    await setConsensusLabels(ctx.store, p.projectId, 2);
    const row = await nextRow(ctx.store, p.owner, { projectId: p.projectId });
    const { labelId } = await submitLabel(ctx.store, p.owner, {
      projectId: p.projectId,
      dataRowId: row!.dataRowId,
      idempotencyKey: 'k',
      classifications: answers(),
      secondsToCreate: 1,
    });
    const reviewer = await colleague(ctx.store, p.owner);
    await expect(approve(reviewer, p.projectId, labelId)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('rejects to Rework; the labeler edits the same label back into review; time adds up', async () => {
    const { p, labelId, rowId, reviewer } = await inReview();
    const rejected = await reviewLabel(ctx.store, reviewer, {
      projectId: p.projectId,
      labelId,
      decision: 'reject',
      reason: ' wrong choice ',
      secondsToReview: 2,
    });
    expect(rejected.workflowStatus).toBe('IN_REWORK');
    const review = await ctx.store.db
      .selectFrom('reviews')
      .where('id', '=', rejected.reviewId)
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(review).toMatchObject({ score: -1, reason: 'wrong choice' });
    expect((await historyOf(ctx.store, p.projectId, rowId)).at(-1)).toMatchObject({
      action: 'Reject',
      previous_task_name: 'Initial review task',
      next_task_name: 'Rework',
    });
    const before = await labelOf(labelId);
    // Someone else cannot rework it, and a skip is no rework.
    const stranger = await colleague(ctx.store, p.owner);
    const rework = {
      projectId: p.projectId,
      dataRowId: rowId,
      classifications: answers('Response B'),
      secondsToCreate: 5,
    };
    await expect(submitLabel(ctx.store, stranger, { ...rework, idempotencyKey: 'x' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      skipRow(ctx.store, p.owner, {
        projectId: p.projectId,
        dataRowId: rowId,
        idempotencyKey: 'y',
        secondsToCreate: 1,
      }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    // Later than the first submission, so a rework that restamped created_at would show.
    const redone = await submitLabel(
      ctx.store,
      p.owner,
      { ...rework, idempotencyKey: 'second' },
      Date.now() + 5_000,
    );
    expect(redone).toEqual({ labelId, dataRowId: rowId, workflowStatus: 'IN_REVIEW' });
    const after = await labelOf(labelId);
    expect(after.seconds_to_create).toBe(15);
    expect(after.created_at).toBe(before.created_at);
    expect(after.content_last_updated_at).toBeGreaterThan(before.content_last_updated_at);
    expect(after.updated_at).toBe(after.content_last_updated_at);
    expect(JSON.parse(after.annotations).classifications[0].radio_answer.name).toBe('Response B');
    expect(
      await ctx.store.db.selectFrom('labels').where('data_row_id', '=', rowId).select('id').execute(),
    ).toHaveLength(1);
    expect((await historyOf(ctx.store, p.projectId, rowId)).at(-1)).toMatchObject({
      action: 'Move',
      previous_task_name: 'Rework',
      next_task_name: 'Initial review task',
    });
    await reviewLabel(ctx.store, reviewer, {
      projectId: p.projectId,
      labelId,
      decision: 'approve',
      secondsToReview: 3,
    });
    expect((await labelOf(labelId)).seconds_to_review).toBe(5);
  });
});
