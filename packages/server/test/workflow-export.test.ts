import { expect, it } from 'vitest';
import { formatV2 } from '../src/shared/time.ts';
import { nextRow } from '../src/workflow/queue.service.ts';
import { reviewLabel } from '../src/workflow/review.service.ts';
import { submitLabel } from '../src/workflow/submit.service.ts';
import { describeBackends } from './support/backends.ts';
import { collect } from './support/export-fixtures.ts';
import { ALL_PARAMS } from './support/seed-params.ts';
import { answers, colleague, historyOf, setConsensusLabels, workflowProject } from './workflow-helpers.ts';

describeBackends('workflow export', (ctx) => {
  it('exports a row after label, consensus, review, reject, rework and approve with everything in order', async () => {
    const p = await workflowProject(ctx.store, 1);
    const rowId = p.rowIds[0]!;
    await setConsensusLabels(ctx.store, p.projectId, 2);
    const second = await colleague(ctx.store, p.owner, 'labeler');
    const reviewer = await colleague(ctx.store, p.owner, 'reviewer');
    const label = async (who: typeof p.owner, key: string, classifications: unknown[], seconds: number) => {
      const row = await nextRow(ctx.store, who, { projectId: p.projectId });
      expect(row?.dataRowId).toBe(rowId);
      return submitLabel(ctx.store, who, {
        projectId: p.projectId,
        dataRowId: rowId,
        idempotencyKey: key,
        classifications,
        secondsToCreate: seconds,
      });
    };
    const first = await label(p.owner, 'a', answers('Response A', ['Relevance']), 10);
    const other = await label(second, 'b', answers('Response A', ['Relevance', 'Usefulness']), 20);
    expect(other.workflowStatus).toBe('IN_REVIEW');
    const scores = await ctx.store.db
      .selectFrom('labels')
      .where('data_row_id', '=', rowId)
      .select('consensus_score')
      .execute();
    expect(scores.map((s) => s.consensus_score)).toEqual([0.75, 0.75]);
    const reject = await reviewLabel(ctx.store, reviewer, {
      projectId: p.projectId,
      labelId: first.labelId,
      decision: 'reject',
      reason: 'tick usefulness',
      secondsToReview: 2,
    });
    // The rework agrees fully with the other label: both scores become 1.
    await submitLabel(ctx.store, p.owner, {
      projectId: p.projectId,
      dataRowId: rowId,
      idempotencyKey: 'a2',
      classifications: answers('Response A', ['Usefulness', 'Relevance']),
      secondsToCreate: 5,
    });
    const approve = await reviewLabel(ctx.store, reviewer, {
      projectId: p.projectId,
      labelId: first.labelId,
      decision: 'approve',
      secondsToReview: 3.25,
    });

    const out = await collect(ctx.store, p.owner, p.projectId, { params: ALL_PARAMS });
    expect(out.errors).toEqual([]);
    const line = out.lines.map((l) => JSON.parse(l)).find((l) => l.data_row.id === rowId);
    const project = line.projects[p.projectId];
    const stored = await ctx.store.db
      .selectFrom('labels')
      .where('data_row_id', '=', rowId)
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const reviews = await ctx.store.db
      .selectFrom('reviews')
      .where('data_row_id', '=', rowId)
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    expect(reviews.map((r) => r.id)).toEqual([reject.reviewId, approve.reviewId]);
    const exported = (l: (typeof stored)[number], list: typeof reviews, secondsToReview: number) => ({
      label_kind: 'Default',
      version: '1.0.0',
      id: l.id,
      label_details: {
        created_at: formatV2(l.created_at),
        updated_at: formatV2(l.updated_at),
        created_by: l.created_by === p.owner.userId ? p.owner.email : second.email,
        content_last_updated_at: formatV2(l.content_last_updated_at),
        reviews: list.map((r) => ({
          id: r.id,
          score: r.score,
          created_at: formatV2(r.created_at),
          created_by: reviewer.email,
        })),
      },
      performance_details: {
        seconds_to_create: l.seconds_to_create,
        seconds_to_review: secondsToReview,
        skipped: false,
        consensus_score: 1,
      },
      annotations: JSON.parse(l.annotations),
    });
    expect(stored.map((l) => l.id)).toEqual([first.labelId, other.labelId]);
    expect(project.labels).toEqual([exported(stored[0]!, reviews, 5.25), exported(stored[1]!, [], 0)]);
    expect(project.labels[0].performance_details.seconds_to_create).toBe(15);
    expect(project.labels[0].label_details.reviews.map((r: { score: number }) => r.score)).toEqual([-1, 1]);
    expect(
      project.labels[0].annotations.classifications[1].checklist_answers.map((a: { name: string }) => a.name),
    ).toEqual(['Usefulness', 'Relevance']);

    const details = project.project_details;
    expect(Object.keys(details)).toEqual([
      'ontology_id',
      'task_id',
      'task_name',
      'batch_id',
      'batch_name',
      'workflow_status',
      'priority',
      'consensus_expected_label_count',
      'workflow_history',
    ]);
    expect(details).toMatchObject({
      task_name: 'Done',
      workflow_status: 'DONE',
      consensus_expected_label_count: 2,
    });
    const history = (await historyOf(ctx.store, p.projectId, rowId)).reverse();
    const email = (id: string) => [p.owner, second, reviewer].find((a) => a.userId === id)!.email;
    expect(details.workflow_history).toEqual(
      history.map((h) => ({
        action: h.action,
        created_at: formatV2(h.created_at),
        created_by: email(h.created_by),
        ...(h.previous_task_id === null
          ? {}
          : { previous_task_name: h.previous_task_name, previous_task_id: h.previous_task_id }),
        next_task_name: h.next_task_name,
        next_task_id: h.next_task_id,
      })),
    );
    expect(
      details.workflow_history.map(
        (h: { action: string; previous_task_name?: string; next_task_name: string }) => [
          h.action,
          h.previous_task_name,
          h.next_task_name,
        ],
      ),
    ).toEqual([
      ['Approve', 'Initial review task', 'Done'],
      ['Move', 'Rework', 'Initial review task'],
      ['Reject', 'Initial review task', 'Rework'],
      ['Move', 'Initial labeling task', 'Initial review task'],
      ['Move', undefined, 'Initial labeling task'],
    ]);
    expect(details.workflow_history.map((h: { created_by: string }) => h.created_by)).toEqual([
      reviewer.email,
      p.owner.email,
      reviewer.email,
      second.email,
      p.owner.email,
    ]);
    expect(line.data_row.details.last_activity_at).toBe(formatV2(reviews[1]!.created_at));
  });
});
