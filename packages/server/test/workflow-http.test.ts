/**
 * The labeling workflow over HTTP (in-process `app.request()`), as a team of a manager, two
 * labelers and a reviewer with their own API keys: queue leases, idempotent submits, consensus,
 * review and rework, who sees which labels, bulk moves and comments.
 */
import { beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/api-key.service.ts';
import { flushFragments } from '../src/exports/v2/fragment-refresh.ts';
import { createApp } from '../src/http/app.ts';
import { describeBackends } from './support/backends.ts';
import { answers, historyOf, projectRow, setConsensusLabels, workflowProject } from './workflow-helpers.ts';
import { caller, type Team, team } from './workflow-http-helpers.ts';

describeBackends('workflow over HTTP', (ctx) => {
  let as: ReturnType<typeof caller>;
  beforeAll(() => {
    as = caller(createApp({ store: ctx.store, logError: () => {} }));
  });

  let keyN = 0;
  const freshKey = () => `key-${Date.now()}-${keyN++}`;
  const next = (t: Team, key: string) => as(key).post(`/projects/${t.projectId}/queue/next`);
  const submit = (t: Team, key: string, body: Record<string, unknown>, idem: string | null = freshKey()) =>
    as(key).post(`/projects/${t.projectId}/labels`, body, idem === null ? {} : { 'Idempotency-Key': idem });
  const labelBody = (rowId: string, choice = 'Response A', seconds = 12.5) => ({
    data_row_id: rowId,
    classifications: answers(choice),
    seconds_to_create: seconds,
  });
  /** Leases a row to the labeler and labels it; answers the submit's body. */
  const labelNext = async (t: Team, key: string, choice = 'Response A') => {
    const got = await next(t, key);
    expect(got.status).toBe(200);
    const res = await submit(t, key, labelBody(got.json.data_row.id, choice));
    expect(res.status).toBe(201);
    return res.json as { label_id: string; data_row_id: string; workflow_status: string };
  };
  const review = (t: Team, key: string, labelId: string, body: Record<string, unknown>) =>
    as(key).post(`/projects/${t.projectId}/labels/${labelId}/review`, { seconds_to_review: 4, ...body });

  it('leases a row to one labeler at a time; the same row again while held; 204 when none is left', async () => {
    const t = await team(ctx.store, 2);
    const [a, b] = await Promise.all([next(t, t.labeler.key), next(t, t.labeler2.key)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.json.data_row.id).not.toBe(b.json.data_row.id);
    expect(t.rowIds).toContain(a.json.data_row.id);
    expect(JSON.parse(a.json.data_row.row_data).messages).toHaveLength(3);
    expect(Date.parse(a.json.lease_expires_at)).toBeGreaterThan(Date.now() + 29 * 60_000);
    const again = await next(t, t.labeler.key);
    expect(again.json.data_row.id).toBe(a.json.data_row.id);
    // Both rows are leased: the manager (who may label too) gets nothing.
    const none = await next(t, t.manager.key);
    expect(none.status).toBe(204);
    expect(none.json).toBeNull();
    // A reviewer may not take rows from the queue.
    expect((await next(t, t.reviewer.key)).status).toBe(403);
    const stats = await as(t.labeler.key).get(`/projects/${t.projectId}/queue/stats`);
    expect(stats.json).toMatchObject({
      counts: { TO_LABEL: 2, IN_REVIEW: 0, IN_REWORK: 0, DONE: 0 },
      leased: 2,
      held: { data_row_id: a.json.data_row.id },
    });
  });

  it('leases a row ahead with {"ahead": true}; a submit makes it the current row; 204 when none is left', async () => {
    const t = await team(ctx.store, 3);
    const ahead = (key: string) => as(key).post(`/projects/${t.projectId}/queue/next`, { ahead: true });
    const current = await next(t, t.labeler.key);
    const upcoming = await ahead(t.labeler.key);
    expect(upcoming.status).toBe(200);
    expect(upcoming.json.data_row.id).not.toBe(current.json.data_row.id);
    expect(Object.keys(upcoming.json)).toEqual(['data_row', 'lease_expires_at', 'pre_label']);
    // The other labeler gets the third row; their own ahead request has nothing left.
    const theirs = await next(t, t.labeler2.key);
    expect([current.json.data_row.id, upcoming.json.data_row.id]).not.toContain(theirs.json.data_row.id);
    const none = await ahead(t.labeler2.key);
    expect(none.status).toBe(204);
    expect(none.json).toBeNull();
    expect((await submit(t, t.labeler.key, labelBody(current.json.data_row.id))).status).toBe(201);
    expect((await next(t, t.labeler.key)).json.data_row.id).toBe(upcoming.json.data_row.id);
    const stats = await as(t.labeler.key).get(`/projects/${t.projectId}/queue/stats`);
    expect(stats.json.held.data_row_id).toBe(upcoming.json.data_row.id);
    // A misspelt flag is refused, naming the valid keys.
    const bad = await as(t.labeler.key).post(`/projects/${t.projectId}/queue/next`, { ahed: true });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('ahead');
    expect((await ahead(t.reviewer.key)).status).toBe(403);
  });

  it('gives a row whose lease expired to the next labeler, and refuses the old holder’s submit', async () => {
    const t = await team(ctx.store, 1);
    const a = await as(t.labeler.key).post(`/projects/${t.projectId}/queue/next`, { lease_seconds: 60 });
    expect(Date.parse(a.json.lease_expires_at)).toBeLessThan(Date.now() + 61_000);
    expect((await next(t, t.labeler2.key)).status).toBe(204);
    await ctx.store.db
      .updateTable('project_data_rows')
      .set({ lease_expires_at: Date.now() - 1 })
      .where('project_id', '=', t.projectId)
      .execute();
    const b = await next(t, t.labeler2.key);
    expect(b.json.data_row.id).toBe(a.json.data_row.id);
    const late = await submit(t, t.labeler.key, labelBody(a.json.data_row.id));
    expect(late.status).toBe(409);
    expect(late.json.error.message).toMatch(/lease/);
    expect((await submit(t, t.labeler2.key, labelBody(b.json.data_row.id))).status).toBe(201);
  });

  it('answers a retried submit with the first label, and 409 for the same key with another body', async () => {
    const t = await team(ctx.store, 2);
    const got = await next(t, t.labeler.key);
    const rowId = got.json.data_row.id as string;
    const missing = await submit(t, t.labeler.key, labelBody(rowId), null);
    expect(missing.status).toBe(400);
    expect(missing.json.error.message).toBe(
      'the Idempotency-Key header is required (a fresh random string per label)',
    );
    const spaced = await submit(t, t.labeler.key, labelBody(rowId), 'has space');
    expect(spaced.status).toBe(400);
    expect(spaced.json.error.message).toBe(
      'the Idempotency-Key header must be 1 to 200 visible ASCII characters',
    );
    const first = await submit(t, t.labeler.key, labelBody(rowId), 'k-1');
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ data_row_id: rowId, workflow_status: 'IN_REVIEW' });
    const retry = await submit(t, t.labeler.key, labelBody(rowId), 'k-1');
    expect(retry.status).toBe(201);
    expect(retry.json).toEqual(first.json);
    const other = await submit(t, t.labeler.key, labelBody(rowId, 'Response B'), 'k-1');
    expect(other.status).toBe(409);
    expect(other.json.error.code).toBe('CONFLICT');
    // A skip under a used key is another payload too.
    const skip = await as(t.labeler.key).post(
      `/projects/${t.projectId}/skips`,
      { data_row_id: rowId, seconds_to_create: 1 },
      { 'Idempotency-Key': 'k-1' },
    );
    expect(skip.status).toBe(409);
    const stored = await ctx.store.db
      .selectFrom('labels')
      .where('project_id', '=', t.projectId)
      .select(['id', 'seconds_to_create'])
      .execute();
    expect(stored).toEqual([{ id: first.json.label_id, seconds_to_create: 12.5 }]);
    // Keys belong to their user: another labeler's k-1 is a fresh key.
    const theirs = await next(t, t.labeler2.key);
    expect((await submit(t, t.labeler2.key, labelBody(theirs.json.data_row.id), 'k-1')).status).toBe(201);
  });

  it('records a skip as a skipped label of that labeler', async () => {
    const t = await team(ctx.store, 1);
    const got = await next(t, t.labeler.key);
    const res = await as(t.labeler.key).post(
      `/projects/${t.projectId}/skips`,
      { data_row_id: got.json.data_row.id, seconds_to_create: 3 },
      { 'Idempotency-Key': freshKey() },
    );
    expect(res.status).toBe(201);
    const label = await as(t.labeler.key).get(`/projects/${t.projectId}/labels/${res.json.label_id}`);
    expect(label.json).toMatchObject({
      skipped: true,
      seconds_to_create: 3,
      annotations: { classifications: [] },
    });
  });

  it('enforces the ontology: 422 naming the missing required question or the bad field', async () => {
    const t = await team(ctx.store, 1);
    const rowId = (await next(t, t.labeler.key)).json.data_row.id as string;
    const noChoice = await submit(t, t.labeler.key, {
      data_row_id: rowId,
      classifications: answers().slice(1),
      seconds_to_create: 5,
    });
    expect(noChoice.status).toBe(422);
    expect(noChoice.json.error.code).toBe('VALIDATION_FAILED');
    expect(noChoice.json.error.details).toEqual([
      { path: '$.classifications', message: '"Choose the best response" is required' },
    ]);
    const badOption = await submit(t, t.labeler.key, labelBody(rowId, 'Response C'));
    expect(badOption.status).toBe(422);
    expect(badOption.json.error.details[0].path).toMatch(/^\$\.classifications\[0\]\.answer/);
    // Wrong types and unknown keys are 400s before any of that.
    const unknown = await submit(t, t.labeler.key, { ...labelBody(rowId), seconds_to_label: 3 });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toMatch(
      /seconds_to_label.*valid keys are: data_row_id, classifications, seconds_to_create/,
    );
    expect((await submit(t, t.labeler.key, { ...labelBody(rowId), seconds_to_create: -1 })).status).toBe(400);
    expect(
      await ctx.store.db.selectFrom('labels').where('project_id', '=', t.projectId).selectAll().execute(),
    ).toEqual([]);
  });

  it('keeps a row TO_LABEL until two different labelers labeled it (consensus 2), then scores both', async () => {
    const t = await team(ctx.store, 2);
    await setConsensusLabels(ctx.store, t.projectId, 2);
    const first = await labelNext(t, t.labeler.key, 'Response A');
    expect(first.workflow_status).toBe('TO_LABEL');
    // The submit's fragments rendered now: a render holding the row's lock when the second
    // labeler asks would pass over it (under load its 250 ms timer fell there; postgres, no row).
    await flushFragments(ctx.store);
    // The first labeler is never offered that row again; the second labeler gets it.
    const mine = await next(t, t.labeler.key);
    expect(mine.json.data_row.id).not.toBe(first.data_row_id);
    const theirs = await next(t, t.labeler2.key);
    expect(theirs.json.data_row.id).toBe(first.data_row_id);
    const second = await submit(t, t.labeler2.key, {
      data_row_id: first.data_row_id,
      classifications: answers('Response A', ['Relevance', 'Usefulness']),
      seconds_to_create: 7,
    });
    expect(second.json.workflow_status).toBe('IN_REVIEW');
    const listed = await as(t.manager.key).get(
      `/projects/${t.projectId}/labels?data_row_id=${first.data_row_id}`,
    );
    expect(listed.json.items.map((l: { id: string }) => l.id)).toEqual([
      first.label_id,
      second.json.label_id,
    ]);
    // Radio agrees (1), checklist Jaccard 1/2, text ignored: (1 + 0.5) / 2.
    for (const l of listed.json.items) expect(l.consensus_score).toBeCloseTo(0.75);
    expect(
      listed.json.items.every((l: { workflow_status: string }) => l.workflow_status === 'IN_REVIEW'),
    ).toBe(true);
  });

  it('approves to DONE, rejects with a reason to IN_REWORK, and a rework resubmit goes back to review', async () => {
    const t = await team(ctx.store, 2);
    const a = await labelNext(t, t.labeler.key);
    const b = await labelNext(t, t.labeler.key, 'Response B');
    const approved = await review(t, t.reviewer.key, a.label_id, { decision: 'approve' });
    expect(approved.status).toBe(201);
    expect(approved.json).toMatchObject({ label_id: a.label_id, workflow_status: 'DONE' });
    expect((await projectRow(ctx.store, t.projectId, a.data_row_id)).workflow_status).toBe('DONE');
    expect((await review(t, t.reviewer.key, a.label_id, { decision: 'approve' })).status).toBe(409);

    const noReason = await review(t, t.reviewer.key, b.label_id, { decision: 'reject', reason: '  ' });
    expect(noReason.status).toBe(422);
    expect(noReason.json.error.details).toEqual([
      { path: '$.reason', message: 'a rejection needs a reason' },
    ]);
    const rejected = await review(t, t.reviewer.key, b.label_id, {
      decision: 'reject',
      reason: 'B is wrong',
    });
    expect(rejected.json.workflow_status).toBe('IN_REWORK');
    const seen = await as(t.labeler.key).get(`/projects/${t.projectId}/labels?workflow_status=IN_REWORK`);
    expect(seen.json.items).toHaveLength(1);
    expect(seen.json.items[0]).toMatchObject({
      id: b.label_id,
      workflow_status: 'IN_REWORK',
      seconds_to_review: 4,
      reviews: [{ decision: 'reject', reason: 'B is wrong', created_by: t.reviewer.actor.email }],
    });
    // Only the label's labeler reworks it.
    const stranger = await submit(t, t.labeler2.key, labelBody(b.data_row_id));
    expect(stranger.status).toBe(403);
    const reworked = await submit(t, t.labeler.key, labelBody(b.data_row_id, 'Response A', 6));
    expect(reworked.status).toBe(201);
    expect(reworked.json).toEqual({
      label_id: b.label_id,
      data_row_id: b.data_row_id,
      workflow_status: 'IN_REVIEW',
    });
    const label = await as(t.labeler.key).get(`/projects/${t.projectId}/labels/${b.label_id}`);
    expect(label.json.seconds_to_create).toBe(18.5);
    expect(JSON.stringify(label.json.annotations)).toContain('Response A');
    const history = await historyOf(ctx.store, t.projectId, b.data_row_id);
    expect(history.map((h) => [h.action, h.next_task_name])).toEqual([
      ['Move', 'Initial labeling task'],
      ['Move', 'Initial review task'],
      ['Reject', 'Rework'],
      ['Move', 'Initial review task'],
    ]);
    expect(history[2]!.created_by).toBe(t.reviewer.actor.userId);
  });

  it('shows a labeler only their own labels; others see all, with filters and cursor pages', async () => {
    const t = await team(ctx.store, 3);
    const mine = await labelNext(t, t.labeler.key);
    const theirs = await labelNext(t, t.labeler2.key);
    const third = await labelNext(t, t.labeler2.key);
    const own = await as(t.labeler.key).get(`/projects/${t.projectId}/labels`);
    expect(own.json).toMatchObject({
      items: [{ id: mine.label_id, created_by: t.labeler.actor.email }],
      nextCursor: null,
    });
    expect((await as(t.labeler.key).get(`/projects/${t.projectId}/labels/${theirs.label_id}`)).status).toBe(
      404,
    );
    expect((await as(t.labeler.key).get(`/projects/${t.projectId}/labels/${mine.label_id}`)).status).toBe(
      200,
    );
    // A filter cannot widen a labeler's view.
    const filtered = await as(t.labeler.key).get(
      `/projects/${t.projectId}/labels?created_by=${t.labeler2.actor.email}`,
    );
    expect(filtered.json.items).toEqual([]);
    for (const who of [t.reviewer, t.manager, t.admin]) {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await as(who.key).get(
          `/projects/${t.projectId}/labels?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.status).toBe(200);
        ids.push(...page.json.items.map((l: { id: string }) => l.id));
        cursor = page.json.nextCursor;
      } while (cursor);
      expect(ids).toEqual([mine.label_id, theirs.label_id, third.label_id]);
    }
    const byLabeler = await as(t.reviewer.key).get(
      `/projects/${t.projectId}/labels?created_by=${t.labeler2.actor.email.toUpperCase()}&skipped=false`,
    );
    expect(byLabeler.json.items.map((l: { id: string }) => l.id)).toEqual([theirs.label_id, third.label_id]);
    const bad = await as(t.manager.key).get(`/projects/${t.projectId}/labels?cursor=nope`);
    expect(bad.status).toBe(400);
    expect((await as(t.manager.key).get(`/projects/${t.projectId}/labels?status=DONE`)).status).toBe(400);
    // Another organization's key learns nothing about the project or its labels.
    const outsider = await workflowProject(ctx.store, 1);
    const key = (await createApiKey(ctx.store, outsider.owner, { name: 'x' })).key;
    expect((await as(key).get(`/projects/${t.projectId}/labels`)).status).toBe(404);
    expect((await as(key).get(`/projects/${outsider.projectId}/labels/${mine.label_id}`)).status).toBe(404);
  });

  it('lets nobody review their own label, and only reviewers, managers and admins review', async () => {
    const t = await team(ctx.store, 2);
    const managers = await labelNext(t, t.manager.key);
    const self = await review(t, t.manager.key, managers.label_id, { decision: 'approve' });
    expect(self.status).toBe(403);
    expect(self.json.error.code).toBe('FORBIDDEN');
    const labelers = await labelNext(t, t.labeler.key);
    expect((await review(t, t.labeler2.key, labelers.label_id, { decision: 'approve' })).status).toBe(403);
    expect((await review(t, t.manager.key, labelers.label_id, { decision: 'approve' })).status).toBe(201);
    expect(
      (await review(t, t.reviewer.key, 'c0000000000000000000nope', { decision: 'approve' })).status,
    ).toBe(404);
  });

  it('moves rows in bulk for managers, with a history entry each; labelers get 403', async () => {
    const t = await team(ctx.store, 3);
    const path = `/projects/${t.projectId}/moves`;
    const body = { data_row_ids: t.rowIds.slice(0, 2), to_status: 'DONE' };
    expect((await as(t.labeler.key).post(path, body)).status).toBe(403);
    expect((await as(t.reviewer.key).post(path, body)).status).toBe(403);
    const moved = await as(t.manager.key).post(path, body);
    expect(moved.status).toBe(200);
    expect(moved.json).toEqual({ moved: 2, unchanged: 0 });
    expect((await as(t.manager.key).post(path, body)).json).toEqual({ moved: 0, unchanged: 2 });
    const history = await historyOf(ctx.store, t.projectId, t.rowIds[0]!);
    expect(history.at(-1)).toMatchObject({
      action: 'Move',
      next_task_name: 'Done',
      created_by: t.manager.actor.userId,
    });
    const task = await ctx.store.db
      .selectFrom('workflow_tasks')
      .where('project_id', '=', t.projectId)
      .where('kind', '=', 'REWORK')
      .select('id')
      .executeTakeFirstOrThrow();
    const byTask = await as(t.admin.key).post(path, { data_row_ids: [t.rowIds[0]], to_task: task.id });
    expect(byTask.json).toEqual({ moved: 1, unchanged: 0 });
    expect((await projectRow(ctx.store, t.projectId, t.rowIds[0]!)).workflow_status).toBe('IN_REWORK');
    const both = await as(t.manager.key).post(path, { ...body, to_task: task.id });
    expect(both.status).toBe(400);
    const missing = await as(t.manager.key).post(path, {
      data_row_ids: [t.rowIds[2], t.outsideRowId],
      to_status: 'DONE',
    });
    expect(missing.status).toBe(404);
    expect(missing.json.error.details).toEqual([
      { path: '$.data_row_ids[1]', message: `data row ${t.outsideRowId} not found in the project` },
    ]);
    expect((await projectRow(ctx.store, t.projectId, t.rowIds[2]!)).workflow_status).toBe('TO_LABEL');
    const tooMany = await as(t.manager.key).post(path, {
      data_row_ids: Array.from({ length: 2001 }, (_, i) => `r${i}`),
      to_status: 'DONE',
    });
    expect(tooMany.status).toBe(400);
  });

  it('keeps comments per row (plain text, paged); a labeler only on rows they hold or labeled', async () => {
    const t = await team(ctx.store, 3);
    const held = (await next(t, t.labeler.key)).json.data_row.id as string;
    const other = t.rowIds.find((id) => id !== held)!;
    const path = (row: string) => `/projects/${t.projectId}/data-rows/${row}/comments`;
    const text = '<script>alert(1)</script> is m2 right?';
    const first = await as(t.labeler.key).post(path(held), { text });
    expect(first.status).toBe(201);
    expect(first.headers.get('content-type')).toMatch(/^application\/json/);
    expect(first.json).toMatchObject({ data_row_id: held, author_email: t.labeler.actor.email, text });
    expect((await as(t.labeler.key).post(path(other), { text: 'hi' })).status).toBe(404);
    expect((await as(t.labeler.key).get(path(other))).status).toBe(404);
    expect((await as(t.reviewer.key).post(path(held), { text: 'second' })).status).toBe(201);
    expect((await as(t.manager.key).post(path(held), { text: '   ' })).status).toBe(422);
    const page1 = await as(t.labeler.key).get(`${path(held)}?limit=1`);
    expect(page1.json.items.map((c: { text: string }) => c.text)).toEqual([text]);
    const page2 = await as(t.labeler.key).get(`${path(held)}?limit=1&cursor=${page1.json.nextCursor}`);
    expect(page2.json).toMatchObject({ items: [{ text: 'second' }], nextCursor: null });
    // Once labeled, the row stays the labeler's to discuss after the lease is gone.
    await submit(t, t.labeler.key, labelBody(held));
    expect((await as(t.labeler.key).get(path(held))).json.items).toHaveLength(2);
    expect((await as(t.manager.key).get(path(t.outsideRowId))).status).toBe(404);
  });
});
