/**
 * The SDK calls the web app leans on, against a real server on a port: the order the model
 * outputs were shown in, the review queue, lease renewal and loss, the rework list and the
 * caller's home figures.
 */
import { AuthorizationError, Client, LeaseLostError, type Project } from '@prefer/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/http/server.ts';
import { describeBackends } from './support/backends.ts';
import { answers } from './workflow-helpers.ts';
import { type Member, team } from './workflow-http-helpers.ts';
import { withModelOutputs } from './workflow-model-outputs.ts';

describeBackends('SDK calls of the web app', (ctx) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ store: ctx.store, port: 0, host: '127.0.0.1', logError: () => {} });
  });
  afterAll(async () => {
    await server?.close();
  });
  const projectAs = (m: Member, projectId: string): Promise<Project> =>
    new Client({ endpoint: server.url, apiKey: m.key }).getProject(projectId);

  it('submits the displayed order and reads it back as Label.displayedOrder', async () => {
    const t = await team(ctx.store, 2);
    await withModelOutputs(ctx.store, t.rowIds);
    const labeler = await projectAs(t.labeler, t.projectId);
    const row = await labeler.nextRow();
    const { labelId } = await labeler.submitLabel({
      dataRowId: row!.dataRowId,
      classifications: answers(),
      secondsToCreate: 4,
      displayedOrder: ['Response B', 'Response A'],
    });
    expect((await labeler.getLabel(labelId)).displayedOrder).toEqual(['Response B', 'Response A']);
    const second = await labeler.nextRow();
    const bad = labeler.submitLabel({
      dataRowId: second!.dataRowId,
      classifications: answers(),
      secondsToCreate: 4,
      displayedOrder: ['Response B'],
    });
    await expect(bad).rejects.toMatchObject({
      name: 'ValidationError',
      status: 422,
      faults: [{ path: '$.displayed_order', message: expect.stringContaining('missing: "Response A"') }],
    });
    const plain = await labeler.submitLabel({
      dataRowId: second!.dataRowId,
      classifications: answers(),
      secondsToCreate: 4,
    });
    expect((await labeler.getLabel(plain.labelId)).displayedOrder).toBeNull();
  });

  it('takes rows from the review queue, renews the lease, and throws LeaseLostError once it is gone', async () => {
    const t = await team(ctx.store, 2);
    await withModelOutputs(ctx.store, t.rowIds);
    const labeler = await projectAs(t.labeler, t.projectId);
    const reviewer = await projectAs(t.reviewer, t.projectId);
    const manager = await projectAs(t.manager, t.projectId);
    expect(await reviewer.nextReview()).toBeNull();
    await expect(labeler.nextReview()).rejects.toBeInstanceOf(AuthorizationError);
    const row = await labeler.nextRow({ leaseSeconds: 60 });
    const renewed = await labeler.renewLease(row!.dataRowId, { leaseSeconds: 600 });
    expect(renewed.dataRowId).toBe(row!.dataRowId);
    expect(renewed.leaseExpiresAt.getTime()).toBeGreaterThan(row!.leaseExpiresAt.getTime());
    const { labelId } = await labeler.submitLabel({
      dataRowId: row!.dataRowId,
      classifications: answers(),
      secondsToCreate: 5,
      displayedOrder: ['Response A', 'Response B'],
    });
    const lost = labeler.renewLease(row!.dataRowId);
    await expect(lost).rejects.toBeInstanceOf(LeaseLostError);
    await expect(lost).rejects.toMatchObject({ status: 409, code: 'LEASE_LOST' });

    const review = await reviewer.nextReview({ leaseSeconds: 300 });
    expect(review).toMatchObject({ dataRowId: row!.dataRowId, consensus: null, comments: [] });
    expect(review!.leaseExpiresAt).toBeInstanceOf(Date);
    expect(review!.labels.map((l) => [l.id, l.createdBy, l.displayedOrder])).toEqual([
      [labelId, t.labeler.actor.email, ['Response A', 'Response B']],
    ]);
    expect((await reviewer.renewLease(row!.dataRowId)).leaseExpiresAt).toBeInstanceOf(Date);
    // The manager may review too, but not a row the reviewer holds.
    await expect(manager.approveLabel(labelId, { secondsToReview: 1 })).rejects.toBeInstanceOf(
      LeaseLostError,
    );
    await reviewer.rejectLabel(labelId, { reason: 'A is cut off', secondsToReview: 9 });
    await expect(reviewer.renewLease(row!.dataRowId)).rejects.toBeInstanceOf(LeaseLostError);
  });

  it('lists rework with the rejection and reads the home figures', async () => {
    const t = await team(ctx.store, 2);
    const labeler = await projectAs(t.labeler, t.projectId);
    const reviewer = await projectAs(t.reviewer, t.projectId);
    const row = await labeler.nextRow();
    const { labelId } = await labeler.submitLabel({
      dataRowId: row!.dataRowId,
      classifications: answers(),
      secondsToCreate: 7,
    });
    await reviewer.rejectLabel(labelId, { reason: 'B is better', secondsToReview: 3 });
    // Another labeler's label of the other row, rejected too.
    const other = await projectAs(t.labeler2, t.projectId);
    const otherRow = await other.nextRow();
    const otherLabel = await other.submitLabel({
      dataRowId: otherRow!.dataRowId,
      classifications: answers(),
      secondsToCreate: 5,
    });
    await reviewer.rejectLabel(otherLabel.labelId, { reason: 'A is better', secondsToReview: 3 });
    const rework = [];
    for await (const label of labeler.reworkLabels({ pageSize: 1 })) rework.push(label);
    expect(rework).toHaveLength(1);
    expect(rework[0]).toMatchObject({ id: labelId, workflowStatus: 'IN_REWORK' });
    expect(rework[0]!.rejection).toMatchObject({
      labelId,
      reason: 'B is better',
      createdBy: t.reviewer.actor.email,
    });
    expect(rework[0]!.rejection!.createdAt).toBeInstanceOf(Date);
    // The row comes with the label, as the queue handed it out.
    expect(rework[0]!.dataRow).toEqual({
      id: row!.dataRowId,
      globalKey: row!.globalKey,
      rowData: row!.rowData,
    });
    // Each labeler gets only the rows of their own labels.
    const theirs = [];
    for await (const label of other.reworkLabels()) theirs.push(label);
    expect(theirs.map((l) => [l.id, l.dataRow.id])).toEqual([[otherLabel.labelId, otherRow!.dataRowId]]);
    expect(otherRow!.dataRowId).not.toBe(row!.dataRowId);
    await labeler.submitLabel({
      dataRowId: row!.dataRowId,
      classifications: answers('Response B'),
      secondsToCreate: 4,
    });
    const none = [];
    for await (const label of labeler.reworkLabels()) none.push(label);
    expect(none).toEqual([]);

    const since = new Date(Date.now() - 60_000);
    const mine = await labeler.myStats({ since });
    expect(mine).toEqual({
      since: new Date(since.getTime()),
      labelsSince: 1,
      labelsTotal: 1,
      skipsSince: 0,
      skipsTotal: 0,
      reviewsSince: 0,
      reviewsTotal: 0,
      rowsTotal: 2,
      // The rework added its seconds to the label's.
      medianSecondsToCreate: 11,
    });
    expect(await labeler.myStats({ since: new Date(Date.now() + 60_000) })).toMatchObject({
      labelsSince: 0,
      labelsTotal: 1,
    });
    // Both rejections (the labeler's and the other labeler's).
    expect((await reviewer.myStats()).reviewsTotal).toBe(2);
  });
});
