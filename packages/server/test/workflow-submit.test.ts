import { expect, it } from 'vitest';
import type { Actor } from '../src/orgs/actor.ts';
import { nextRow } from '../src/workflow/queue.service.ts';
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

describeBackends('workflow submit', (ctx) => {
  const labelsOf = (projectId: string, dataRowId: string) =>
    ctx.store.db
      .selectFrom('labels')
      .where('project_id', '=', projectId)
      .where('data_row_id', '=', dataRowId)
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute();

  /** Leases the next row for `who` and submits `classifications` on it. */
  const labelNext = async (
    p: WorkflowProject,
    who: Actor,
    classifications: unknown[] = answers(),
    key = `k-${Math.random()}`,
  ) => {
    const row = await nextRow(ctx.store, who, { projectId: p.projectId });
    if (!row) throw new Error('queue empty');
    return submitLabel(ctx.store, who, {
      projectId: p.projectId,
      dataRowId: row.dataRowId,
      idempotencyKey: key,
      classifications,
      secondsToCreate: 12.5,
    });
  };

  it('stores a label of a leased row and moves the row to review (no consensus)', async () => {
    const p = await workflowProject(ctx.store, 1);
    const rowId = p.rowIds[0]!;
    const before = await ctx.store.db
      .selectFrom('data_rows')
      .where('id', '=', rowId)
      .select('last_activity_at')
      .executeTakeFirstOrThrow();
    const result = await labelNext(p, p.owner, [
      ...answers('Response B'),
      { name: 'Message quality', messageId: 'm2', answer: { name: 'good' } },
    ]);
    expect(result).toMatchObject({ dataRowId: rowId, workflowStatus: 'IN_REVIEW' });
    const [label, ...more] = await labelsOf(p.projectId, rowId);
    expect(more).toHaveLength(0);
    expect(label).toMatchObject({
      id: result.labelId,
      created_by: p.owner.userId,
      seconds_to_create: 12.5,
      skipped: 0,
      consensus_score: null,
    });
    const doc = JSON.parse(label!.annotations);
    expect(doc.classifications.map((c: { name: string }) => c.name)).toEqual([
      'Choose the best response',
      'Evaluations done',
      'Provide a reason for your choice',
      'Message quality',
    ]);
    expect(doc.classifications[0].radio_answer.name).toBe('Response B');
    expect(doc.classifications[3]).toMatchObject({
      message_id: 'm2',
      conversational_radio_answer: { name: 'good' },
    });
    const state = await projectRow(ctx.store, p.projectId, rowId);
    expect(state).toMatchObject({
      workflow_status: 'IN_REVIEW',
      lease_user_id: null,
      lease_expires_at: null,
    });
    const history = await historyOf(ctx.store, p.projectId, rowId);
    expect(history.map((h) => [h.action, h.previous_task_name, h.next_task_name])).toEqual([
      ['Move', null, 'Initial labeling task'],
      ['Move', 'Initial labeling task', 'Initial review task'],
    ]);
    expect(history[1]!.previous_task_id).toBe(history[0]!.next_task_id);
    expect(state.task_id).toBe(history[1]!.next_task_id);
    const after = await ctx.store.db
      .selectFrom('data_rows')
      .where('id', '=', rowId)
      .select('last_activity_at')
      .executeTakeFirstOrThrow();
    expect(after.last_activity_at).toBeGreaterThanOrEqual(before.last_activity_at);
    expect(after.last_activity_at).toBe(label!.created_at);
  });

  it('refuses a row the labeler does not hold a live lease on', async () => {
    const p = await workflowProject(ctx.store, 2);
    const submit = (who: Actor, dataRowId: string) =>
      submitLabel(ctx.store, who, {
        projectId: p.projectId,
        dataRowId,
        idempotencyKey: `k${Math.random()}`,
        classifications: answers(),
        secondsToCreate: 1,
      });
    await expect(submit(p.owner, p.rowIds[0]!)).rejects.toMatchObject({ code: 'LEASE_LOST' });
    const leased = await nextRow(ctx.store, p.owner, { projectId: p.projectId });
    const other = await colleague(ctx.store, p.owner);
    await expect(submit(other, leased!.dataRowId)).rejects.toMatchObject({ code: 'LEASE_LOST' });
    await ctx.store.db
      .updateTable('project_data_rows')
      .set({ lease_expires_at: Date.now() - 1 })
      .where('project_id', '=', p.projectId)
      .execute();
    await expect(submit(p.owner, leased!.dataRowId)).rejects.toMatchObject({ code: 'LEASE_LOST' });
    expect(await labelsOf(p.projectId, leased!.dataRowId)).toHaveLength(0);
  });

  it('validates answers against the ontology with paths, required questions included', async () => {
    const p = await workflowProject(ctx.store, 1);
    const row = await nextRow(ctx.store, p.owner, { projectId: p.projectId });
    const faultsOf = async (classifications: unknown[]) => {
      const err = await submitLabel(ctx.store, p.owner, {
        projectId: p.projectId,
        dataRowId: row!.dataRowId,
        idempotencyKey: `k${Math.random()}`,
        classifications,
        secondsToCreate: 1,
      }).catch((e) => e);
      expect(err.code).toBe('VALIDATION_FAILED');
      return err.details as { path: string; message: string }[];
    };
    expect((await faultsOf([{ name: 'Choose the best response', answer: { name: 'Nope' } }]))[0]!.path).toBe(
      '$.classifications[0].answer.name',
    );
    expect(await faultsOf([{ name: 'Evaluations done', answers: [{ name: 'Relevance' }] }])).toEqual([
      { path: '$.classifications', message: '"Choose the best response" is required' },
    ]);
    const nested = await faultsOf([
      { name: 'Choose the best response', answer: { name: 'Response A' } },
      { name: 'Message quality', messageId: 'm1', answer: { name: 'good' } },
      { name: 'Message quality', messageId: 'm2', answer: { name: 'good' } },
      { name: 'Message quality', messageId: 'm2', answer: { name: 'bad' } },
      { name: 'Provide a reason for your choice', answer: 'x', dataRow: { id: 'x' } },
    ]);
    expect(nested.map((f) => f.path)).toEqual([
      '$.classifications[1].messageId',
      '$.classifications[3].name',
      '$.classifications[4].dataRow',
    ]);
    expect(await labelsOf(p.projectId, row!.dataRowId)).toHaveLength(0);
  });

  it('answers a retried key with the first response and refuses the key with another payload', async () => {
    const p = await workflowProject(ctx.store, 1);
    const row = await nextRow(ctx.store, p.owner, { projectId: p.projectId });
    const input = {
      projectId: p.projectId,
      dataRowId: row!.dataRowId,
      idempotencyKey: 'same',
      classifications: answers(),
      secondsToCreate: 3,
    };
    // Two at once: the second waits for the row and then finds the key.
    const [a, b] = await Promise.all([
      submitLabel(ctx.store, p.owner, input),
      submitLabel(ctx.store, p.owner, { ...input }),
    ]);
    expect(b).toEqual(a);
    // Key order does not matter: the payload is compared in canonical form.
    const reordered = {
      secondsToCreate: 3,
      classifications: answers().map((c) => Object.fromEntries(Object.entries(c).reverse())),
      idempotencyKey: 'same',
      dataRowId: row!.dataRowId,
      projectId: p.projectId,
    };
    expect(await submitLabel(ctx.store, p.owner, reordered)).toEqual(a);
    expect(await labelsOf(p.projectId, row!.dataRowId)).toHaveLength(1);
    await expect(submitLabel(ctx.store, p.owner, { ...input, secondsToCreate: 4 })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(
      submitLabel(ctx.store, p.owner, { ...input, classifications: answers('Tie') }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await historyOf(ctx.store, p.projectId, row!.dataRowId)).toHaveLength(2);
  });

  it('lets one of two concurrent submissions of one key for two rows through', async () => {
    const p = await workflowProject(ctx.store, 2);
    await ctx.store.db
      .updateTable('project_data_rows')
      .set({ lease_user_id: p.owner.userId, lease_expires_at: Date.now() + 60_000 })
      .where('project_id', '=', p.projectId)
      .execute();
    const submit = (dataRowId: string) =>
      submitLabel(ctx.store, p.owner, {
        projectId: p.projectId,
        dataRowId,
        idempotencyKey: 'one',
        classifications: answers(),
        secondsToCreate: 1,
      });
    const results = await Promise.allSettled(p.rowIds.map(submit));
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason).toMatchObject({ code: 'CONFLICT' });
    const labels = await ctx.store.db
      .selectFrom('labels')
      .where('project_id', '=', p.projectId)
      .select('id')
      .execute();
    expect(labels).toHaveLength(1);
  });

  it('records a skip as a skipped label with no answers', async () => {
    const p = await workflowProject(ctx.store, 1);
    const row = await nextRow(ctx.store, p.owner, { projectId: p.projectId });
    const result = await skipRow(ctx.store, p.owner, {
      projectId: p.projectId,
      dataRowId: row!.dataRowId,
      idempotencyKey: 's',
      secondsToCreate: 2,
    });
    expect(result.workflowStatus).toBe('IN_REVIEW');
    const [label] = await labelsOf(p.projectId, row!.dataRowId);
    expect(label).toMatchObject({
      skipped: 1,
      seconds_to_create: 2,
      annotations: '{"objects":[],"classifications":[],"relationships":[]}',
    });
  });

  it('counts a skip as one of the K labels; a skipped label gets no consensus score', async () => {
    const p = await workflowProject(ctx.store, 1);
    await setConsensusLabels(ctx.store, p.projectId, 2);
    const row = await nextRow(ctx.store, p.owner, { projectId: p.projectId });
    const skip = await skipRow(ctx.store, p.owner, {
      projectId: p.projectId,
      dataRowId: row!.dataRowId,
      idempotencyKey: 's',
      secondsToCreate: 1,
    });
    expect(skip.workflowStatus).toBe('TO_LABEL');
    expect(await nextRow(ctx.store, p.owner, { projectId: p.projectId })).toBeNull();
    const other = await colleague(ctx.store, p.owner);
    expect((await labelNext(p, other)).workflowStatus).toBe('IN_REVIEW');
    const labels = await labelsOf(p.projectId, row!.dataRowId);
    expect(labels.map((l) => [l.skipped, l.consensus_score])).toEqual([
      [1, null],
      [0, null],
    ]);
  });

  it('waits for K labels from K labelers, then scores consensus and moves to review', async () => {
    const p = await workflowProject(ctx.store, 1);
    const rowId = p.rowIds[0]!;
    // The batch's count overrides the project's.
    await setConsensusLabels(ctx.store, p.projectId, 2);
    await ctx.store.db
      .updateTable('batches')
      .set({ consensus_label_count: 3 })
      .where('project_id', '=', p.projectId)
      .execute();
    const [b, c] = [await colleague(ctx.store, p.owner), await colleague(ctx.store, p.owner)];
    expect((await labelNext(p, p.owner, answers('Response A', ['Relevance']))).workflowStatus).toBe(
      'TO_LABEL',
    );
    // The first labeler is not offered the row again.
    expect(await nextRow(ctx.store, p.owner, { projectId: p.projectId })).toBeNull();
    expect((await labelNext(p, b, answers('Response A', ['Relevance', 'Usefulness']))).workflowStatus).toBe(
      'TO_LABEL',
    );
    expect((await projectRow(ctx.store, p.projectId, rowId)).workflow_status).toBe('TO_LABEL');
    expect((await labelNext(p, c, answers('Response B', ['Relevance']))).workflowStatus).toBe('IN_REVIEW');
    const labels = await labelsOf(p.projectId, rowId);
    // Pairs: owner-b 0.75 (radio 1, Jaccard 1/2), owner-c 0.5, b-c 0.25; text is ignored.
    const score = (who: Actor) => labels.find((l) => l.created_by === who.userId)!.consensus_score;
    expect(score(p.owner)).toBeCloseTo(0.625, 10);
    expect(score(b)).toBeCloseTo(0.5, 10);
    expect(score(c)).toBeCloseTo(0.375, 10);
    const history = await historyOf(ctx.store, p.projectId, rowId);
    expect(history.map((h) => h.next_task_name)).toEqual(['Initial labeling task', 'Initial review task']);
    expect(history[1]!.created_by).toBe(c.userId);
  });

  it('answers rows of another organization or outside the project as missing', async () => {
    const p = await workflowProject(ctx.store, 1);
    const q = await workflowProject(ctx.store, 1);
    const input = (projectId: string, dataRowId: string) => ({
      projectId,
      dataRowId,
      idempotencyKey: 'x',
      classifications: answers(),
      secondsToCreate: 1,
    });
    await expect(submitLabel(ctx.store, p.owner, input(p.projectId, p.outsideRowId))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(submitLabel(ctx.store, p.owner, input(p.projectId, q.rowIds[0]!))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(submitLabel(ctx.store, q.owner, input(p.projectId, p.rowIds[0]!))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      submitLabel(ctx.store, p.owner, { ...input(p.projectId, p.rowIds[0]!), secondsToCreate: -1 }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
