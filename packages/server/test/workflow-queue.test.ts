import { expect, it } from 'vitest';
import { createBatch } from '../src/batches/batch.service.ts';
import { nextRow } from '../src/workflow/queue.service.ts';
import { describeBackends } from './support/backends.ts';
import { seedDataset } from './support/seed-rows.ts';
import { colleague, projectRow, workflowProject } from './workflow-helpers.ts';

describeBackends('workflow queue', (ctx) => {
  it('hands out batch priority 1 first, then the oldest row, and leases it', async () => {
    const p = await workflowProject(ctx.store, 2);
    const { rows } = await seedDataset(ctx.store, p.owner, 1);
    await createBatch(ctx.store, p.owner, {
      projectId: p.projectId,
      name: 'urgent',
      priority: 1,
      dataRowIds: [rows[0]!.id],
    });
    const before = Date.now();
    const got = await nextRow(ctx.store, p.owner, { projectId: p.projectId, leaseMs: 60_000 });
    expect(got?.dataRowId).toBe(rows[0]!.id);
    expect(JSON.parse(got!.rowData).messages).toHaveLength(3);
    expect(got!.leaseExpiresAt).toBeGreaterThanOrEqual(before + 60_000);
    const stored = await projectRow(ctx.store, p.projectId, rows[0]!.id);
    expect(stored.lease_user_id).toBe(p.owner.userId);
    expect(stored.lease_expires_at).toBe(got!.leaseExpiresAt);
    // Another labeler gets the next row by added_at then id, not the leased one.
    const other = await colleague(ctx.store, p.owner);
    const second = await nextRow(ctx.store, other, { projectId: p.projectId });
    expect(second?.dataRowId).toBe([...p.rowIds].sort()[0]);
  });

  it('answers the same row while the lease is held, and frees it when it expires', async () => {
    const p = await workflowProject(ctx.store, 2);
    const first = await nextRow(ctx.store, p.owner, { projectId: p.projectId });
    const again = await nextRow(ctx.store, p.owner, { projectId: p.projectId });
    expect(again?.dataRowId).toBe(first?.dataRowId);
    expect(again!.leaseExpiresAt).toBeGreaterThanOrEqual(first!.leaseExpiresAt);
    const other = await colleague(ctx.store, p.owner);
    const theirs = await nextRow(ctx.store, other, { projectId: p.projectId });
    expect(theirs?.dataRowId).not.toBe(first?.dataRowId);
    // Expire the owner's lease: a third labeler gets that row back.
    await ctx.store.db
      .updateTable('project_data_rows')
      .set({ lease_expires_at: Date.now() - 1 })
      .where('project_id', '=', p.projectId)
      .where('data_row_id', '=', first!.dataRowId)
      .execute();
    const third = await colleague(ctx.store, p.owner);
    expect((await nextRow(ctx.store, third, { projectId: p.projectId }))?.dataRowId).toBe(first?.dataRowId);
    // Nothing left for a fourth labeler: both rows are leased.
    expect(
      await nextRow(ctx.store, await colleague(ctx.store, p.owner), { projectId: p.projectId }),
    ).toBeNull();
  });

  it('never gives two concurrent labelers the same row', async () => {
    const p = await workflowProject(ctx.store, 12);
    const people = await Promise.all(Array.from({ length: 8 }, () => colleague(ctx.store, p.owner)));
    const got = await Promise.all(people.map((a) => nextRow(ctx.store, a, { projectId: p.projectId })));
    const ids = got.map((g) => g?.dataRowId);
    expect(ids.every((id) => id !== undefined)).toBe(true);
    expect(new Set(ids).size).toBe(people.length);
    const leased = await ctx.store.db
      .selectFrom('project_data_rows')
      .where('project_id', '=', p.projectId)
      .where('lease_user_id', 'is not', null)
      .select(['data_row_id', 'lease_user_id'])
      .execute();
    expect(leased).toHaveLength(people.length);
    for (const [i, person] of people.entries()) {
      expect(leased.find((l) => l.data_row_id === ids[i])?.lease_user_id).toBe(person.userId);
    }
  });

  it('offers only rows in TO_LABEL', async () => {
    const p = await workflowProject(ctx.store, 1);
    await ctx.store.db
      .updateTable('project_data_rows')
      .set({ workflow_status: 'IN_REVIEW' })
      .where('project_id', '=', p.projectId)
      .execute();
    expect(await nextRow(ctx.store, p.owner, { projectId: p.projectId })).toBeNull();
  });

  it("answers another organization's project as missing, and checks the lease length", async () => {
    const p = await workflowProject(ctx.store, 1);
    const q = await workflowProject(ctx.store, 1);
    await expect(nextRow(ctx.store, q.owner, { projectId: p.projectId })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(nextRow(ctx.store, p.owner, { projectId: 'nope' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(nextRow(ctx.store, p.owner, { projectId: p.projectId, leaseMs: 0 })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});
