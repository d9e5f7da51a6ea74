/**
 * The SDK's workflow calls against a real server on a port: leases, submits that survive a lost
 * answer without a second label, paged iterators, reviews, moves, comments and typed errors.
 */
import { Client, PreferError, type Project, ResourceNotFoundError, ValidationError } from '@prefer/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/http/server.ts';
import { describeBackends } from './support/backends.ts';
import { answers, projectRow, setConsensusLabels } from './workflow-helpers.ts';
import { type Member, team } from './workflow-http-helpers.ts';

describeBackends('SDK workflow against a running server', (ctx) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ store: ctx.store, port: 0, host: '127.0.0.1', logError: () => {} });
  });
  afterAll(async () => {
    await server?.close();
  });
  const projectAs = (m: Member, projectId: string, fetchImpl?: typeof fetch): Promise<Project> =>
    new Client({
      endpoint: server.url,
      apiKey: m.key,
      ...(fetchImpl ? { fetch: fetchImpl } : {}),
    }).getProject(projectId);
  const labelsOf = async (projectId: string) =>
    ctx.store.db.selectFrom('labels').where('project_id', '=', projectId).selectAll().execute();

  it('retries a submit whose answer was lost under the same key: one label, the first answer', async () => {
    const t = await team(ctx.store, 2);
    const sent: { key: string | null }[] = [];
    let dropNext = true;
    // The transport delivers the request, then loses the server's answer once.
    const lossy: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (init?.method === 'POST' && String(input).endsWith('/labels')) {
        sent.push({ key: new Headers(init.headers).get('idempotency-key') });
        if (dropNext) {
          dropNext = false;
          await res.body?.cancel();
          throw new TypeError('socket hang up');
        }
      }
      return res;
    };
    const project = await projectAs(t.labeler, t.projectId, lossy);
    const row = await project.nextRow();
    const result = await project.submitLabel({
      dataRowId: row!.dataRowId,
      classifications: answers(),
      secondsToCreate: 9,
    });
    expect(sent).toHaveLength(2);
    expect(sent[0]!.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent[1]!.key).toBe(sent[0]!.key);
    const stored = await labelsOf(t.projectId);
    expect(stored.map((l) => l.id)).toEqual([result.labelId]);
    expect(result).toEqual({
      labelId: stored[0]!.id,
      dataRowId: row!.dataRowId,
      workflowStatus: 'IN_REVIEW',
    });
    // A key given by the caller is used as is; a different body under it is refused.
    const second = await project.nextRow();
    const mine = await project.submitLabel(
      { dataRowId: second!.dataRowId, classifications: answers(), secondsToCreate: 1 },
      { idempotencyKey: 'my-key-1' },
    );
    expect(sent.at(-1)!.key).toBe('my-key-1');
    const again = project.submitLabel(
      { dataRowId: second!.dataRowId, classifications: answers('Tie'), secondsToCreate: 1 },
      { idempotencyKey: 'my-key-1' },
    );
    await expect(again).rejects.toMatchObject({ status: 409, code: 'CONFLICT' });
    expect((await labelsOf(t.projectId)).map((l) => l.id).sort()).toEqual(
      [result.labelId, mine.labelId].sort(),
    );
  });

  it('leases, skips, and answers null when nothing is left', async () => {
    const t = await team(ctx.store, 1);
    const project = await projectAs(t.labeler, t.projectId);
    const row = await project.nextRow({ leaseSeconds: 120 });
    expect(row).toMatchObject({ dataRowId: t.rowIds[0], globalKey: expect.stringMatching(/^key-/) });
    expect(row!.leaseExpiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 120_000);
    expect(await (await projectAs(t.labeler2, t.projectId)).nextRow()).toBeNull();
    expect((await project.queueStats()).held?.dataRowId).toBe(row!.dataRowId);
    const skipped = await project.skipRow({ dataRowId: row!.dataRowId, secondsToCreate: 2 });
    expect(skipped.workflowStatus).toBe('IN_REVIEW');
    expect(await project.nextRow()).toBeNull();
    expect(await project.queueStats()).toEqual({
      counts: { TO_LABEL: 0, IN_REVIEW: 1, IN_REWORK: 0, DONE: 0 },
      leased: 0,
      held: null,
    });
    expect((await project.getLabel(skipped.labelId)).skipped).toBe(true);
  });

  it('leases a row ahead (a prefetch) that becomes the current row after a submit', async () => {
    const t = await team(ctx.store, 2);
    const project = await projectAs(t.labeler, t.projectId);
    const row = await project.nextRow();
    const upcoming = await project.nextRow({ ahead: true, leaseSeconds: 300 });
    expect(upcoming?.dataRowId).toBeDefined();
    expect(upcoming?.dataRowId).not.toBe(row?.dataRowId);
    expect(upcoming!.leaseExpiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 300_000);
    expect(await project.nextRow({ ahead: true })).toMatchObject({ dataRowId: upcoming!.dataRowId });
    // Both rows are leased: the other labeler has nothing, ahead or not.
    const other = await projectAs(t.labeler2, t.projectId);
    expect(await other.nextRow({ ahead: true })).toBeNull();
    await project.submitLabel({ dataRowId: row!.dataRowId, classifications: answers(), secondsToCreate: 3 });
    expect((await project.nextRow())?.dataRowId).toBe(upcoming!.dataRowId);
    expect(await project.nextRow({ ahead: true })).toBeNull();
  });

  it('iterates labels over pages (a labeler only their own), reviews, and maps errors to types', async () => {
    const t = await team(ctx.store, 5);
    await setConsensusLabels(ctx.store, t.projectId, 1);
    const one = await projectAs(t.labeler, t.projectId);
    const two = await projectAs(t.labeler2, t.projectId);
    const ids: Record<string, string[]> = { one: [], two: [] };
    for (const [name, p] of [
      ['one', one],
      ['two', two],
      ['one', one],
      ['two', two],
      ['one', one],
    ] as const) {
      const row = await p.nextRow();
      const r = await p.submitLabel({
        dataRowId: row!.dataRowId,
        classifications: answers(),
        secondsToCreate: 3,
      });
      ids[name]!.push(r.labelId);
    }
    const seen: string[] = [];
    for await (const label of one.labels({ pageSize: 1 })) seen.push(label.id);
    expect(seen).toEqual(ids.one);
    const reviewer = await projectAs(t.reviewer, t.projectId);
    const all: string[] = [];
    for await (const label of reviewer.labels({ pageSize: 2, workflowStatus: 'IN_REVIEW' }))
      all.push(label.id);
    expect(all.sort()).toEqual([...ids.one!, ...ids.two!].sort());
    await expect(one.getLabel(ids.two![0]!)).rejects.toBeInstanceOf(ResourceNotFoundError);

    const approved = await reviewer.approveLabel(ids.one![0]!, { secondsToReview: 8 });
    expect(approved.workflowStatus).toBe('DONE');
    await expect(
      reviewer.reviewLabel(ids.one![1]!, { decision: 'reject', secondsToReview: 1 }),
    ).rejects.toBeInstanceOf(ValidationError);
    const rejected = await reviewer.rejectLabel(ids.one![1]!, { reason: 'too short', secondsToReview: 2 });
    expect(rejected.workflowStatus).toBe('IN_REWORK');
    const label = await one.getLabel(ids.one![1]!);
    expect(label).toMatchObject({
      workflowStatus: 'IN_REWORK',
      secondsToReview: 2,
      createdBy: t.labeler.actor.email,
    });
    expect(label.reviews).toMatchObject([
      { decision: 'reject', reason: 'too short', createdBy: t.reviewer.actor.email },
    ]);
    expect(label.createdAt).toBeInstanceOf(Date);
    // A labeler may not review; the error carries the status and code.
    const refused = await two.approveLabel(ids.one![2]!, { secondsToReview: 1 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PreferError);
    expect(refused).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  it('moves rows for managers and keeps comments', async () => {
    const t = await team(ctx.store, 3);
    const manager = await projectAs(t.manager, t.projectId);
    expect(await manager.moveRows(t.rowIds.slice(0, 2), { toStatus: 'DONE' })).toEqual({
      moved: 2,
      unchanged: 0,
    });
    expect((await projectRow(ctx.store, t.projectId, t.rowIds[1]!)).workflow_status).toBe('DONE');
    const labeler = await projectAs(t.labeler, t.projectId);
    await expect(labeler.moveRows([t.rowIds[2]!], { toStatus: 'DONE' })).rejects.toMatchObject({
      status: 403,
    });
    await expect(manager.moveRows([t.outsideRowId], { toStatus: 'DONE' })).rejects.toBeInstanceOf(
      ResourceNotFoundError,
    );
    const texts = ['first', 'second', 'third'];
    for (const text of texts) await manager.addComment(t.rowIds[0]!, text);
    const got: string[] = [];
    for await (const c of manager.comments(t.rowIds[0]!, { pageSize: 2 })) {
      expect(c.authorEmail).toBe(t.manager.actor.email);
      got.push(c.text);
    }
    expect(got).toEqual(texts);
    await expect(labeler.addComment(t.rowIds[0]!, 'hi')).rejects.toBeInstanceOf(ResourceNotFoundError);
  });

  it('runs consensus 2 through the SDK: the row waits for the second labeler', async () => {
    const t = await team(ctx.store, 1);
    await setConsensusLabels(ctx.store, t.projectId, 2);
    const one = await projectAs(t.labeler, t.projectId);
    const two = await projectAs(t.labeler2, t.projectId);
    const row = await one.nextRow();
    const first = await one.submitLabel({
      dataRowId: row!.dataRowId,
      classifications: answers('Tie'),
      secondsToCreate: 1,
    });
    expect(first.workflowStatus).toBe('TO_LABEL');
    expect(await one.nextRow()).toBeNull();
    const theirs = await two.nextRow();
    expect(theirs?.dataRowId).toBe(row!.dataRowId);
    const second = await two.submitLabel({
      dataRowId: row!.dataRowId,
      classifications: answers('Tie'),
      secondsToCreate: 1,
    });
    expect(second.workflowStatus).toBe('IN_REVIEW');
    expect((await one.getLabel(first.labelId)).consensusScore).toBe(1);
  });
});
