import { expect, it } from 'vitest';
import { createBatch } from '../src/batches/batch.service.ts';
import { addComment, listComments } from '../src/workflow/comment.service.ts';
import { moveRows } from '../src/workflow/move.service.ts';
import { nextRow } from '../src/workflow/queue.service.ts';
import { describeBackends } from './support/backends.ts';
import { seedDataset } from './support/seed-rows.ts';
import { colleague, historyOf, projectRow, workflowProject } from './workflow-helpers.ts';

describeBackends('workflow moves and comments', (ctx) => {
  const activityOf = async (id: string) =>
    (
      await ctx.store.db
        .selectFrom('data_rows')
        .where('id', '=', id)
        .select('last_activity_at')
        .executeTakeFirstOrThrow()
    ).last_activity_at;

  it('moves rows into a task with a Move entry each, clearing leases; rows already there stay', async () => {
    const p = await workflowProject(ctx.store, 3);
    const leased = await nextRow(ctx.store, p.owner, { projectId: p.projectId });
    const [a, b, c] = p.rowIds as [string, string, string];
    expect(
      await moveRows(ctx.store, p.owner, { projectId: p.projectId, dataRowIds: [a, b], to: 'DONE' }),
    ).toEqual({ moved: 2, unchanged: 0 });
    for (const id of [a, b]) {
      const state = await projectRow(ctx.store, p.projectId, id);
      expect(state).toMatchObject({ workflow_status: 'DONE', lease_user_id: null, lease_expires_at: null });
      const history = await historyOf(ctx.store, p.projectId, id);
      expect(history.at(-1)).toMatchObject({
        action: 'Move',
        previous_task_name: 'Initial labeling task',
        next_task_name: 'Done',
        next_task_id: state.task_id,
        created_by: p.owner.userId,
      });
      expect(await activityOf(id)).toBe(history.at(-1)!.created_at);
    }
    expect(leased?.dataRowId).toBe(a);
    expect((await projectRow(ctx.store, p.projectId, c)).workflow_status).toBe('TO_LABEL');
    expect(
      await moveRows(ctx.store, p.owner, { projectId: p.projectId, dataRowIds: [a, c], to: 'REWORK' }),
    ).toEqual({ moved: 2, unchanged: 0 });
    expect(
      await moveRows(ctx.store, p.owner, { projectId: p.projectId, dataRowIds: [a, b], to: 'DONE' }),
    ).toEqual({ moved: 1, unchanged: 1 });
    expect((await historyOf(ctx.store, p.projectId, b)).length).toBe(2);
    expect((await historyOf(ctx.store, p.projectId, a)).map((h) => h.next_task_name)).toEqual([
      'Initial labeling task',
      'Done',
      'Rework',
      'Done',
    ]);
    expect((await projectRow(ctx.store, p.projectId, c)).workflow_status).toBe('IN_REWORK');
  });

  it('moves 2,000 rows at once and refuses more', async () => {
    const p = await workflowProject(ctx.store, 1);
    const { rows } = await seedDataset(ctx.store, p.owner, 1999);
    await createBatch(ctx.store, p.owner, {
      projectId: p.projectId,
      name: 'big',
      dataRowIds: rows.map((r) => r.id),
    });
    const ids = [...p.rowIds, ...rows.map((r) => r.id)];
    expect(
      await moveRows(ctx.store, p.owner, { projectId: p.projectId, dataRowIds: ids, to: 'REVIEW' }),
    ).toEqual({ moved: 2000, unchanged: 0 });
    const inReview = await ctx.store.db
      .selectFrom('project_data_rows')
      .where('project_id', '=', p.projectId)
      .where('workflow_status', '=', 'IN_REVIEW')
      .select((e) => e.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(inReview.n)).toBe(2000);
    await expect(
      moveRows(ctx.store, p.owner, { projectId: p.projectId, dataRowIds: [...ids, 'one-more'], to: 'DONE' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('checks the input and moves nothing when any row is missing or of another organization', async () => {
    const p = await workflowProject(ctx.store, 2);
    const q = await workflowProject(ctx.store, 1);
    const [a, b] = p.rowIds as [string, string];
    await expect(
      moveRows(ctx.store, p.owner, { projectId: p.projectId, dataRowIds: [a, a], to: 'DONE' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: '$.dataRowIds[1]' }] });
    await expect(
      moveRows(ctx.store, p.owner, { projectId: p.projectId, dataRowIds: [a], to: 'NOPE' as 'DONE' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    for (const stranger of [q.rowIds[0]!, p.outsideRowId, 'missing']) {
      await expect(
        moveRows(ctx.store, p.owner, { projectId: p.projectId, dataRowIds: [a, stranger, b], to: 'DONE' }),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
        details: [{ path: '$.dataRowIds[1]', message: `data row ${stranger} not found in the project` }],
      });
    }
    await expect(
      moveRows(ctx.store, q.owner, { projectId: p.projectId, dataRowIds: [a], to: 'DONE' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await projectRow(ctx.store, p.projectId, a)).workflow_status).toBe('TO_LABEL');
    expect(await historyOf(ctx.store, p.projectId, a)).toHaveLength(1);
  });

  it('adds comments (activity moves) and lists them oldest first with their authors', async () => {
    const p = await workflowProject(ctx.store, 1);
    const rowId = p.rowIds[0]!;
    const other = await colleague(ctx.store, p.owner);
    const first = await addComment(ctx.store, p.owner, {
      projectId: p.projectId,
      dataRowId: rowId,
      text: 'Is m2 <b>right</b>?',
    });
    expect(await activityOf(rowId)).toBe(first.createdAt);
    const second = await addComment(ctx.store, other, {
      projectId: p.projectId,
      dataRowId: rowId,
      text: 'x'.repeat(10_000),
    });
    const page = await listComments(ctx.store, p.owner, { projectId: p.projectId, dataRowId: rowId });
    expect(page.nextCursor).toBeNull();
    const listed = page.items;
    expect(listed).toEqual([first, second]);
    expect(listed.map((c) => c.authorEmail)).toEqual([p.owner.email, other.email]);
    expect(listed[0]!.text).toBe('Is m2 <b>right</b>?');
  });

  it('refuses empty or too long comments and rows it cannot see', async () => {
    const p = await workflowProject(ctx.store, 1);
    const q = await workflowProject(ctx.store, 1);
    const rowId = p.rowIds[0]!;
    for (const text of ['', '   ', 'x'.repeat(10_001)]) {
      await expect(
        addComment(ctx.store, p.owner, { projectId: p.projectId, dataRowId: rowId, text }),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    await expect(
      addComment(ctx.store, q.owner, { projectId: p.projectId, dataRowId: rowId, text: 'hi' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      addComment(ctx.store, q.owner, { projectId: q.projectId, dataRowId: rowId, text: 'hi' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      addComment(ctx.store, p.owner, { projectId: p.projectId, dataRowId: p.outsideRowId, text: 'hi' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      listComments(ctx.store, q.owner, { projectId: q.projectId, dataRowId: rowId }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const page = await listComments(ctx.store, p.owner, { projectId: p.projectId, dataRowId: rowId });
    expect(page.items).toEqual([]);
  });
});
