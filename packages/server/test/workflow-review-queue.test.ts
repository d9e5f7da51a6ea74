/**
 * The review queue (workflow/review-queue.service.ts) and lease renewal (lease.service.ts) on the
 * services, with an injected clock: one reviewer per row, never one's own row, the same row again
 * while held, expiry, what a reviewer is handed, and losing a lease.
 */
import { expect, it } from 'vitest';
import { flushFragments } from '../src/exports/v2/fragment-refresh.ts';
import type { Actor } from '../src/orgs/actor.ts';
import { addComment } from '../src/workflow/comment.service.ts';
import { renewLease } from '../src/workflow/lease.service.ts';
import { nextRow } from '../src/workflow/queue.service.ts';
import { reviewLabel } from '../src/workflow/review.service.ts';
import { nextReview } from '../src/workflow/review-queue.service.ts';
import { skipRow, submitLabel } from '../src/workflow/submit.service.ts';
import { describeBackends } from './support/backends.ts';
import { answers, colleague, projectRow, setConsensusLabels, workflowProject } from './workflow-helpers.ts';
import { withModelOutputs } from './workflow-model-outputs.ts';

describeBackends('review queue and leases', (ctx) => {
  let keyN = 0;
  /** Leases the labeler's next row and labels it (a skip with `skip`); answers the label id. */
  const labelNext = async (
    who: Actor,
    projectId: string,
    {
      choice = 'Response A',
      skip = false,
      order,
    }: { choice?: string; skip?: boolean; order?: string[] } = {},
  ) => {
    const row = await nextRow(ctx.store, who, { projectId });
    if (!row) throw new Error('no row left to label');
    const base = { projectId, dataRowId: row.dataRowId, idempotencyKey: `k${keyN++}`, secondsToCreate: 6 };
    const done = skip
      ? await skipRow(ctx.store, who, base)
      : await submitLabel(ctx.store, who, {
          ...base,
          classifications: answers(choice),
          displayedOrder: order,
        });
    // The background render of the row's fragments locks it for a moment, and a review lease
    // would pass over it then (fragment-refresh.ts): these tests check which row a lease gets.
    await flushFragments(ctx.store);
    return { labelId: done.labelId, dataRowId: row.dataRowId };
  };
  const next = (who: Actor, projectId: string, extra: { leaseMs?: number; now?: () => number } = {}) =>
    nextReview(ctx.store, who, { projectId, role: 'reviewer', ...extra });

  it('leases each row in review to one reviewer; the same row again while held; null when none is free', async () => {
    const p = await workflowProject(ctx.store, 3);
    await withModelOutputs(ctx.store, p.rowIds);
    const labeler = await colleague(ctx.store, p.owner, 'labeler');
    const labeled = [await labelNext(labeler, p.projectId), await labelNext(labeler, p.projectId)];
    const [r1, r2] = [await colleague(ctx.store, p.owner, 'r1'), await colleague(ctx.store, p.owner, 'r2')];
    const [a, b] = await Promise.all([next(r1, p.projectId), next(r2, p.projectId)]);
    expect(new Set([a!.dataRowId, b!.dataRowId])).toEqual(new Set(labeled.map((l) => l.dataRowId)));
    const again = await next(r1, p.projectId);
    expect(again!.dataRowId).toBe(a!.dataRowId);
    expect(again!.leaseExpiresAt).toBeGreaterThanOrEqual(a!.leaseExpiresAt);
    const stored = await projectRow(ctx.store, p.projectId, a!.dataRowId);
    expect(stored).toMatchObject({ workflow_status: 'IN_REVIEW', lease_user_id: r1.userId });
    expect(Number(stored.lease_expires_at)).toBe(again!.leaseExpiresAt);
    // Both rows in review are held; the third row is still being labeled.
    expect(await next(await colleague(ctx.store, p.owner, 'r3'), p.projectId)).toBeNull();
    // A decision ends the lease; the reviewer's next ask finds nothing left for them.
    await reviewLabel(ctx.store, r1, {
      projectId: p.projectId,
      labelId: again!.labels[0]!.id,
      decision: 'approve',
      secondsToReview: 3,
    });
    expect(await projectRow(ctx.store, p.projectId, a!.dataRowId)).toMatchObject({
      workflow_status: 'DONE',
      lease_user_id: null,
      lease_expires_at: null,
    });
    expect(await next(r1, p.projectId)).toBeNull();
  });

  it('never hands a reviewer a row they labeled or skipped', async () => {
    const p = await workflowProject(ctx.store, 2);
    const manager = await colleague(ctx.store, p.owner, 'manager');
    await labelNext(manager, p.projectId);
    await labelNext(manager, p.projectId, { skip: true });
    const counts = await ctx.store.db
      .selectFrom('project_data_rows')
      .where('project_id', '=', p.projectId)
      .where('workflow_status', '=', 'IN_REVIEW')
      .select((e) => e.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(counts.n)).toBe(2);
    expect(await next(manager, p.projectId)).toBeNull();
    const other = await next(await colleague(ctx.store, p.owner, 'reviewer'), p.projectId);
    expect(other).not.toBeNull();
  });

  it('frees a row whose review lease ran out (injected clock); the old holder then loses it', async () => {
    const p = await workflowProject(ctx.store, 1);
    const { labelId, dataRowId } = await labelNext(await colleague(ctx.store, p.owner), p.projectId);
    const [r1, r2] = [await colleague(ctx.store, p.owner, 'r1'), await colleague(ctx.store, p.owner, 'r2')];
    const t0 = Date.now();
    const held = await next(r1, p.projectId, { leaseMs: 60_000, now: () => t0 });
    expect(held!.leaseExpiresAt).toBe(t0 + 60_000);
    expect(await next(r2, p.projectId, { now: () => t0 + 59_999 })).toBeNull();
    // r1 renews at t0 + 30 s: the row stays theirs past the first expiry.
    const renewed = await renewLease(ctx.store, r1, {
      projectId: p.projectId,
      dataRowId,
      leaseMs: 60_000,
      now: () => t0 + 30_000,
    });
    expect(renewed).toEqual({ dataRowId, leaseExpiresAt: t0 + 90_000 });
    expect(await next(r2, p.projectId, { now: () => t0 + 89_999 })).toBeNull();
    // Past it, r2 takes the row; r1 can neither renew nor decide it any more.
    const taken = await next(r2, p.projectId, { now: () => t0 + 90_000 });
    expect(taken!.dataRowId).toBe(dataRowId);
    await expect(
      renewLease(ctx.store, r1, { projectId: p.projectId, dataRowId, now: () => t0 + 90_001 }),
    ).rejects.toMatchObject({ code: 'LEASE_LOST' });
    await expect(
      reviewLabel(ctx.store, r1, {
        projectId: p.projectId,
        labelId,
        decision: 'approve',
        secondsToReview: 1,
      }),
    ).rejects.toMatchObject({ code: 'LEASE_LOST', message: expect.stringMatching(/another reviewer holds/) });
    expect((await projectRow(ctx.store, p.projectId, dataRowId)).workflow_status).toBe('IN_REVIEW');
    const decided = await reviewLabel(ctx.store, r2, {
      projectId: p.projectId,
      labelId,
      decision: 'reject',
      reason: 'pick again',
      secondsToReview: 1,
    });
    expect(decided.workflowStatus).toBe('IN_REWORK');
  });

  it('hands the labels with answers, order and timings, the comments, and the consensus agreement', async () => {
    const p = await workflowProject(ctx.store, 1);
    await withModelOutputs(ctx.store, p.rowIds);
    await setConsensusLabels(ctx.store, p.projectId, 3);
    const people = [
      await colleague(ctx.store, p.owner, 'a'),
      await colleague(ctx.store, p.owner, 'b'),
      await colleague(ctx.store, p.owner, 'c'),
    ];
    const order = ['Response B', 'Response A'];
    const first = await labelNext(people[0]!, p.projectId, { order });
    await labelNext(people[1]!, p.projectId, { choice: 'Response B', order });
    await addComment(ctx.store, people[1]!, {
      projectId: p.projectId,
      dataRowId: first.dataRowId,
      text: 'close call',
    });
    await labelNext(people[2]!, p.projectId, { skip: true });
    const reviewer = await colleague(ctx.store, p.owner, 'reviewer');
    const row = await next(reviewer, p.projectId);
    expect(row!.dataRowId).toBe(first.dataRowId);
    expect(JSON.parse(row!.rowData).modelOutputs).toHaveLength(2);
    expect(row!.labels.map((l) => [l.created_by, l.skipped, l.displayed_order, l.seconds_to_create])).toEqual(
      [
        [people[0]!.email, false, ['Response B', 'Response A'], 6],
        [people[1]!.email, false, ['Response B', 'Response A'], 6],
        [people[2]!.email, true, null, 6],
      ],
    );
    expect(row!.labels[0]!.annotations.classifications).toHaveLength(3);
    expect(row!.comments.map((c) => [c.authorEmail, c.text])).toEqual([[people[1]!.email, 'close call']]);
    // A and B differ on the radio (0) and agree on the checklist (1): 0.5; the skip is left out.
    expect(row!.consensus).toEqual({ labelsWanted: 3, agreement: 0.5 });
  });

  it('answers no consensus for a row that wanted one label', async () => {
    const p = await workflowProject(ctx.store, 1);
    await labelNext(await colleague(ctx.store, p.owner), p.projectId);
    const row = await next(await colleague(ctx.store, p.owner, 'reviewer'), p.projectId);
    expect(row!.consensus).toBeNull();
    expect(row!.labels).toHaveLength(1);
  });

  it('never gives two concurrent reviewers the same row', async () => {
    const p = await workflowProject(ctx.store, 6);
    const labeler = await colleague(ctx.store, p.owner, 'labeler');
    for (let i = 0; i < 4; i++) await labelNext(labeler, p.projectId);
    const reviewers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => colleague(ctx.store, p.owner, `r${i}`)),
    );
    const got = await Promise.all(reviewers.map((r) => next(r, p.projectId)));
    const ids = got.flatMap((g) => (g ? [g.dataRowId] : []));
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);
  });

  it('renews a labeling lease; loses it once submitted, to another labeler, or for a row in another state', async () => {
    const p = await workflowProject(ctx.store, 2);
    const [l1, l2] = [await colleague(ctx.store, p.owner, 'l1'), await colleague(ctx.store, p.owner, 'l2')];
    const t0 = Date.now();
    const row = await nextRow(ctx.store, l1, { projectId: p.projectId, leaseMs: 1000, now: () => t0 });
    const renew = (who: Actor, dataRowId: string, at: number) =>
      renewLease(ctx.store, who, { projectId: p.projectId, dataRowId, leaseMs: 5000, now: () => at });
    expect(await renew(l1, row!.dataRowId, t0 + 500)).toEqual({
      dataRowId: row!.dataRowId,
      leaseExpiresAt: t0 + 5500,
    });
    // Ran out, but nobody took it: still the holder's to renew.
    expect((await renew(l1, row!.dataRowId, t0 + 6000)).leaseExpiresAt).toBe(t0 + 11_000);
    await expect(renew(l2, row!.dataRowId, t0 + 6000)).rejects.toMatchObject({ code: 'LEASE_LOST' });
    // Taken by l2 after it ran out: l1 has lost it.
    const theirs = await nextRow(ctx.store, l2, { projectId: p.projectId, now: () => t0 + 11_000 });
    expect(theirs!.dataRowId).toBe(row!.dataRowId);
    await expect(renew(l1, row!.dataRowId, t0 + 11_001)).rejects.toMatchObject({ code: 'LEASE_LOST' });
    // Submitted: the row moved on, the lease with it.
    await submitLabel(ctx.store, l2, {
      projectId: p.projectId,
      dataRowId: row!.dataRowId,
      idempotencyKey: 'done',
      classifications: answers(),
      secondsToCreate: 1,
    });
    await expect(renew(l2, row!.dataRowId, Date.now())).rejects.toMatchObject({ code: 'LEASE_LOST' });
    await expect(renew(l1, p.outsideRowId, t0)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      renewLease(ctx.store, l1, { projectId: p.projectId, dataRowId: row!.dataRowId, leaseMs: 0 }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
