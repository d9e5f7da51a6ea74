/**
 * The labeling queue's row ahead (queue.lease.ts `ahead`), on the services with an injected
 * clock: one row ahead besides the current one, counted against other labelers like any lease,
 * promoted by a submit or a skip, renewed with the current row, released when it runs out, and
 * leaving the review and rework queues alone.
 */
import { expect, it } from 'vitest';
import type { Actor } from '../src/orgs/actor.ts';
import { renewLease } from '../src/workflow/lease.service.ts';
import { nextRow } from '../src/workflow/queue.service.ts';
import { queueStats } from '../src/workflow/queue.stats.ts';
import { reviewLabel } from '../src/workflow/review.service.ts';
import { nextReview } from '../src/workflow/review-queue.service.ts';
import { listRework } from '../src/workflow/rework.service.ts';
import { skipRow, submitLabel } from '../src/workflow/submit.service.ts';
import { describeBackends } from './support/backends.ts';
import { answers, colleague, projectRow, setConsensusLabels, workflowProject } from './workflow-helpers.ts';

describeBackends('labeling queue: the row ahead', (ctx) => {
  let keyN = 0;
  const next = (who: Actor, projectId: string, extra: { leaseMs?: number; now?: () => number } = {}) =>
    nextRow(ctx.store, who, { projectId, ...extra });
  const ahead = (who: Actor, projectId: string, extra: { leaseMs?: number; now?: () => number } = {}) =>
    nextRow(ctx.store, who, { projectId, ahead: true, ...extra });
  const submit = (who: Actor, projectId: string, dataRowId: string) =>
    submitLabel(ctx.store, who, {
      projectId,
      dataRowId,
      idempotencyKey: `ahead-${keyN++}`,
      secondsToCreate: 4,
      classifications: answers(),
    });
  const leasesOf = (projectId: string) =>
    ctx.store.db
      .selectFrom('project_data_rows')
      .where('project_id', '=', projectId)
      .where('lease_user_id', 'is not', null)
      .select(['data_row_id', 'lease_user_id', 'lease_ahead', 'lease_expires_at'])
      .orderBy('data_row_id')
      .execute();

  it('leases the row after the current one besides it; asking again answers the same two rows', async () => {
    const p = await workflowProject(ctx.store, 4);
    const order = [...p.rowIds].sort();
    const current = await next(p.owner, p.projectId);
    const upcoming = await ahead(p.owner, p.projectId);
    expect(current?.dataRowId).toBe(order[0]);
    expect(upcoming?.dataRowId).toBe(order[1]);
    expect(JSON.parse(upcoming!.rowData).messages).toHaveLength(3);
    expect((await ahead(p.owner, p.projectId))?.dataRowId).toBe(order[1]);
    expect((await next(p.owner, p.projectId))?.dataRowId).toBe(order[0]);
    expect(await leasesOf(p.projectId)).toEqual([
      expect.objectContaining({ data_row_id: order[0], lease_user_id: p.owner.userId, lease_ahead: 0 }),
      expect.objectContaining({ data_row_id: order[1], lease_user_id: p.owner.userId, lease_ahead: 1 }),
    ]);
    // The queue's "held" row is the one worked on, not the one ahead.
    expect((await queueStats(ctx.store, p.owner, p.projectId)).held?.dataRowId).toBe(order[0]);
  });

  it('counts the row ahead against other labelers: with consensus 1 nobody else gets it', async () => {
    const p = await workflowProject(ctx.store, 3);
    const order = [...p.rowIds].sort();
    await next(p.owner, p.projectId);
    await ahead(p.owner, p.projectId);
    const other = await colleague(ctx.store, p.owner);
    expect((await next(other, p.projectId))?.dataRowId).toBe(order[2]);
    // The other labeler holds the last row: their ahead request has nothing left.
    expect(await ahead(other, p.projectId)).toBeNull();
    expect(await next(await colleague(ctx.store, p.owner), p.projectId)).toBeNull();
  });

  it('with consensus 2, a row ahead is held by one labeler at a time and never over-labelled', async () => {
    const p = await workflowProject(ctx.store, 2);
    await setConsensusLabels(ctx.store, p.projectId, 2);
    const order = [...p.rowIds].sort();
    const a = p.owner;
    const b = await colleague(ctx.store, a);
    const c = await colleague(ctx.store, a);
    expect((await next(a, p.projectId))?.dataRowId).toBe(order[0]);
    expect((await ahead(a, p.projectId))?.dataRowId).toBe(order[1]);
    // Both rows are leased by A (current and ahead): B and C wait.
    expect(await next(b, p.projectId)).toBeNull();
    expect(await ahead(b, p.projectId)).toBeNull();
    await submit(a, p.projectId, order[0]!);
    // order[0] has 1 of its 2 labels and is free again; B takes it, and C is handed nothing that
    // would give a row a third labeler.
    expect((await next(b, p.projectId))?.dataRowId).toBe(order[0]);
    expect(await next(c, p.projectId)).toBeNull();
    await submit(a, p.projectId, order[1]!);
    await submit(b, p.projectId, order[0]!);
    expect((await next(b, p.projectId))?.dataRowId).toBe(order[1]);
    expect(await ahead(c, p.projectId)).toBeNull();
    await submit(b, p.projectId, order[1]!);
    expect(await next(c, p.projectId)).toBeNull();
    const counts = await ctx.store.db
      .selectFrom('labels')
      .where('project_id', '=', p.projectId)
      .select(['data_row_id', (e) => e.fn.countAll<number | string>().as('n')])
      .groupBy('data_row_id')
      .execute();
    expect(counts.map((r) => Number(r.n))).toEqual([2, 2]);
  });

  it('never leases one row twice to a labeler, even one whose lease ran out', async () => {
    const p = await workflowProject(ctx.store, 2);
    const order = [...p.rowIds].sort();
    const t0 = Date.now();
    const current = await next(p.owner, p.projectId, { leaseMs: 1000, now: () => t0 });
    expect(current?.dataRowId).toBe(order[0]);
    // The current lease ran out unclaimed: the ahead request skips it, it is still theirs to renew.
    const later = () => t0 + 5000;
    expect((await ahead(p.owner, p.projectId, { now: later }))?.dataRowId).toBe(order[1]);
    expect(await ahead(await colleague(ctx.store, p.owner), p.projectId, { now: later })).toMatchObject({
      dataRowId: order[0],
    });
    // Nothing else is left for the owner's row ahead: the same one again, not a second one.
    expect((await ahead(p.owner, p.projectId, { now: later }))?.dataRowId).toBe(order[1]);
    const mine = (await leasesOf(p.projectId)).filter((l) => l.lease_user_id === p.owner.userId);
    expect(mine.map((l) => l.data_row_id)).toEqual([order[1]]);
  });

  it('a submit or a skip of the current row makes the row ahead current; the next ahead is a new row', async () => {
    const p = await workflowProject(ctx.store, 4);
    const order = [...p.rowIds].sort();
    await next(p.owner, p.projectId);
    await ahead(p.owner, p.projectId);
    await submit(p.owner, p.projectId, order[0]!);
    expect((await projectRow(ctx.store, p.projectId, order[1]!)).lease_ahead).toBe(0);
    expect((await queueStats(ctx.store, p.owner, p.projectId)).held?.dataRowId).toBe(order[1]);
    expect((await ahead(p.owner, p.projectId))?.dataRowId).toBe(order[2]);
    expect((await next(p.owner, p.projectId))?.dataRowId).toBe(order[1]);
    await skipRow(ctx.store, p.owner, {
      projectId: p.projectId,
      dataRowId: order[1]!,
      idempotencyKey: `ahead-${keyN++}`,
      secondsToCreate: 1,
    });
    expect((await next(p.owner, p.projectId))?.dataRowId).toBe(order[2]);
    expect((await ahead(p.owner, p.projectId))?.dataRowId).toBe(order[3]);
    await submit(p.owner, p.projectId, order[2]!);
    await submit(p.owner, p.projectId, order[3]!);
    // Everything is labeled: the documented empty answer for both kinds of request.
    expect(await ahead(p.owner, p.projectId)).toBeNull();
    expect(await next(p.owner, p.projectId)).toBeNull();
    expect(await leasesOf(p.projectId)).toEqual([]);
  });

  it('a plain next with no current row promotes the row ahead (a lost submit answer, a reload)', async () => {
    const p = await workflowProject(ctx.store, 3);
    const order = [...p.rowIds].sort();
    // An ahead request with no current row still leases a row ahead...
    expect((await ahead(p.owner, p.projectId))?.dataRowId).toBe(order[0]);
    // ...which the next plain request answers, as the row worked on.
    expect((await next(p.owner, p.projectId))?.dataRowId).toBe(order[0]);
    expect((await projectRow(ctx.store, p.projectId, order[0]!)).lease_ahead).toBe(0);
    expect((await ahead(p.owner, p.projectId))?.dataRowId).toBe(order[1]);
  });

  it('renewing the current row renews the row ahead; the row ahead can be renewed itself', async () => {
    const p = await workflowProject(ctx.store, 3);
    const t0 = Date.now();
    const current = await next(p.owner, p.projectId, { leaseMs: 1000, now: () => t0 });
    const upcoming = await ahead(p.owner, p.projectId, { leaseMs: 1000, now: () => t0 });
    const renewed = await renewLease(ctx.store, p.owner, {
      projectId: p.projectId,
      dataRowId: current!.dataRowId,
      leaseMs: 60_000,
      now: () => t0 + 500,
    });
    expect(renewed.leaseExpiresAt).toBe(t0 + 60_500);
    const row = await projectRow(ctx.store, p.projectId, upcoming!.dataRowId);
    expect(Number(row.lease_expires_at)).toBe(t0 + 60_500);
    expect(row.lease_ahead).toBe(1);
    // Well past the first lease: nobody else gets either row.
    const other = await colleague(ctx.store, p.owner);
    const third = [...p.rowIds].sort()[2];
    expect((await next(other, p.projectId, { now: () => t0 + 30_000 }))?.dataRowId).toBe(third);
    const own = await renewLease(ctx.store, p.owner, {
      projectId: p.projectId,
      dataRowId: upcoming!.dataRowId,
      leaseMs: 120_000,
      now: () => t0 + 1000,
    });
    expect(own.leaseExpiresAt).toBe(t0 + 121_000);
    expect((await projectRow(ctx.store, p.projectId, upcoming!.dataRowId)).lease_ahead).toBe(1);
  });

  it('a row ahead whose lease ran out goes to another labeler; the owner then gets the next one', async () => {
    const p = await workflowProject(ctx.store, 4);
    const order = [...p.rowIds].sort();
    const t0 = Date.now();
    await next(p.owner, p.projectId, { leaseMs: 3_600_000, now: () => t0 });
    await ahead(p.owner, p.projectId, { leaseMs: 1000, now: () => t0 });
    const other = await colleague(ctx.store, p.owner);
    const later = () => t0 + 5000;
    expect((await next(other, p.projectId, { now: later }))?.dataRowId).toBe(order[1]);
    expect((await ahead(p.owner, p.projectId, { now: later }))?.dataRowId).toBe(order[2]);
    // The submit of the current row promotes the new row ahead, not the lost one.
    await submit(p.owner, p.projectId, order[0]!);
    expect((await next(p.owner, p.projectId, { now: later }))?.dataRowId).toBe(order[2]);
    await expect(
      renewLease(ctx.store, p.owner, { projectId: p.projectId, dataRowId: order[1]!, now: later }),
    ).rejects.toMatchObject({ code: 'LEASE_LOST' });
  });

  it('leaves the review and rework queues alone', async () => {
    const p = await workflowProject(ctx.store, 4);
    const order = [...p.rowIds].sort();
    const reviewer = await colleague(ctx.store, p.owner, 'reviewer');
    // Two rows labeled by the owner go to review; a third is leased ahead.
    await next(p.owner, p.projectId);
    await submit(p.owner, p.projectId, order[0]!);
    await next(p.owner, p.projectId);
    await ahead(p.owner, p.projectId);
    await submit(p.owner, p.projectId, order[1]!);
    const review = await nextReview(ctx.store, reviewer, { projectId: p.projectId, role: 'reviewer' });
    expect(review?.dataRowId).toBe(order[0]);
    expect(
      (await nextReview(ctx.store, reviewer, { projectId: p.projectId, role: 'reviewer' }))?.dataRowId,
    ).toBe(order[0]);
    const label = review!.labels[0]!;
    await reviewLabel(ctx.store, reviewer, {
      projectId: p.projectId,
      labelId: label.id,
      decision: 'reject',
      reason: 'look again',
      secondsToReview: 3,
    });
    const rework = await listRework(ctx.store, p.owner, {
      projectId: p.projectId,
      role: 'labeler',
      limit: 50,
    });
    expect(rework.items.map((r) => r.data_row.id)).toEqual([order[0]]);
    // The owner's leases are untouched by the review: order[2] (promoted to current) only.
    const mine = (await leasesOf(p.projectId)).filter((l) => l.lease_user_id === p.owner.userId);
    expect(mine).toEqual([expect.objectContaining({ data_row_id: order[2], lease_ahead: 0 })]);
    expect(
      (await nextReview(ctx.store, reviewer, { projectId: p.projectId, role: 'reviewer' }))?.dataRowId,
    ).toBe(order[1]);
  });
});
