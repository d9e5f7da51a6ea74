/**
 * The caller's own work over HTTP: the rework list (their labels of rows in rework, with the
 * rejection) and the home figures (`me/stats`, with the `since` boundary and the median).
 */
import { beforeAll, expect, it } from 'vitest';
import { createApp } from '../src/http/app.ts';
import { formatV2 } from '../src/shared/time.ts';
import { describeBackends } from './support/backends.ts';
import { answers, setConsensusLabels } from './workflow-helpers.ts';
import { caller, type Team, team } from './workflow-http-helpers.ts';

describeBackends('own work over HTTP', (ctx) => {
  let as: ReturnType<typeof caller>;
  beforeAll(() => {
    as = caller(createApp({ store: ctx.store, logError: () => {} }));
  });
  let keyN = 0;
  const submit = (t: Team, key: string, rowId: string, seconds = 8) =>
    as(key).post(
      `/projects/${t.projectId}/labels`,
      { data_row_id: rowId, classifications: answers(), seconds_to_create: seconds },
      { 'Idempotency-Key': `mw-${keyN++}` },
    );
  const labelNext = async (t: Team, key: string, seconds = 8) => {
    const got = await as(key).post(`/projects/${t.projectId}/queue/next`);
    const res = await submit(t, key, got.json.data_row.id, seconds);
    expect(res.status).toBe(201);
    // The row as the queue handed it out, which the rework list answers again.
    const row = got.json.data_row as { id: string; global_key: string | null; row_data: string };
    return { ...(res.json as { label_id: string; data_row_id: string }), row };
  };
  const reject = (t: Team, labelId: string, reason: string) =>
    as(t.reviewer.key).post(`/projects/${t.projectId}/labels/${labelId}/review`, {
      decision: 'reject',
      reason,
      seconds_to_review: 2,
    });

  it("lists the caller's labels in rework with the rejection, paged; a resubmission takes it off", async () => {
    const t = await team(ctx.store, 3);
    const mine = [await labelNext(t, t.labeler.key), await labelNext(t, t.labeler.key)];
    const theirs = await labelNext(t, t.labeler2.key);
    for (const l of [...mine, theirs])
      expect((await reject(t, l.label_id, `fix ${l.data_row_id}`)).status).toBe(201);
    const first = await as(t.labeler.key).get(`/projects/${t.projectId}/rework?limit=1`);
    expect(first.status).toBe(200);
    expect(first.json.items).toHaveLength(1);
    expect(first.json.items[0]).toMatchObject({
      id: mine[0]!.label_id,
      workflow_status: 'IN_REWORK',
      rejection: {
        label_id: mine[0]!.label_id,
        reason: `fix ${mine[0]!.data_row_id}`,
        created_by: t.reviewer.actor.email,
      },
    });
    expect(first.json.items[0].reviews.map((r: { decision: string }) => r.decision)).toEqual(['reject']);
    // Each label comes with its row, as the queue gave it: the conversation the labeler reworks.
    expect(first.json.items[0].data_row).toEqual(mine[0]!.row);
    expect(JSON.parse(mine[0]!.row.row_data)).toHaveProperty('messages');
    const second = await as(t.labeler.key).get(
      `/projects/${t.projectId}/rework?limit=1&cursor=${first.json.nextCursor}`,
    );
    expect(second.json.items.map((l: { id: string }) => l.id)).toEqual([mine[1]!.label_id]);
    expect(second.json.items[0].data_row).toEqual(mine[1]!.row);
    expect(second.json.nextCursor).toBeNull();
    // A labeler sees only the rows of their own labels, never another labeler's row.
    const whole = await as(t.labeler.key).get(`/projects/${t.projectId}/rework`);
    expect(whole.json.items.map((l: { data_row: { id: string } }) => l.data_row.id)).toEqual(
      mine.map((l) => l.data_row_id),
    );
    expect(mine.map((l) => l.data_row_id)).not.toContain(theirs.data_row_id);
    // Resubmitted: the row is back in review and off the list.
    expect((await submit(t, t.labeler.key, mine[0]!.data_row_id)).json.workflow_status).toBe('IN_REVIEW');
    const after = await as(t.labeler.key).get(`/projects/${t.projectId}/rework`);
    expect(after.json.items.map((l: { id: string }) => l.id)).toEqual([mine[1]!.label_id]);
    const other = await as(t.labeler2.key).get(`/projects/${t.projectId}/rework`);
    expect(other.json.items.map((l: { id: string }) => l.id)).toEqual([theirs.label_id]);
    expect(other.json.items.map((l: { data_row: unknown }) => l.data_row)).toEqual([theirs.row]);
    const reviewer = await as(t.reviewer.key).get(`/projects/${t.projectId}/rework`);
    expect(reviewer.status).toBe(403);
  });

  it('shows a consensus row in rework to each of its labelers, with the rejected label named', async () => {
    const t = await team(ctx.store, 1);
    await setConsensusLabels(ctx.store, t.projectId, 2);
    const a = await labelNext(t, t.labeler.key);
    const b = await labelNext(t, t.labeler2.key);
    expect(b.data_row_id).toBe(a.data_row_id);
    await reject(t, b.label_id, 'both of you: read message m2 again');
    for (const [key, own] of [
      [t.labeler.key, a.label_id],
      [t.labeler2.key, b.label_id],
    ] as const) {
      const list = await as(key).get(`/projects/${t.projectId}/rework`);
      expect(
        list.json.items.map((l: { id: string; rejection: { label_id: string } }) => [
          l.id,
          l.rejection.label_id,
        ]),
      ).toEqual([[own, b.label_id]]);
      // Both labeled the row, so both get it.
      expect(list.json.items[0].data_row).toEqual(a.row);
    }
  });

  it('counts labels, skips and reviews since the given time and in all, with the median seconds', async () => {
    const t = await team(ctx.store, 6);
    const labels = [
      await labelNext(t, t.labeler.key, 8),
      await labelNext(t, t.labeler.key, 2),
      await labelNext(t, t.labeler.key, 5),
      await labelNext(t, t.labeler.key, 11),
    ];
    const skipRow = (await as(t.labeler.key).post(`/projects/${t.projectId}/queue/next`)).json.data_row.id;
    const skip = await as(t.labeler.key).post(
      `/projects/${t.projectId}/skips`,
      { data_row_id: skipRow, seconds_to_create: 1 },
      { 'Idempotency-Key': `mw-${keyN++}` },
    );
    await reject(t, labels[0]!.label_id, 'again');
    // Label times around a boundary: two before it, one exactly at it, one and the skip after.
    const boundary = Date.parse('2026-03-01T09:00:00Z');
    const times = [boundary - 60_000, boundary - 1, boundary, boundary + 1];
    for (const [i, l] of labels.entries()) {
      await ctx.store.db
        .updateTable('labels')
        .set({ created_at: times[i]! })
        .where('id', '=', l.label_id)
        .execute();
    }
    await ctx.store.db
      .updateTable('labels')
      .set({ created_at: boundary + 5 })
      .where('id', '=', skip.json.label_id)
      .execute();
    // The since of the client's local midnight in UTC+01:00 is 23:00 UTC the day before.
    const stats = (key: string, since?: string) =>
      as(key).get(
        `/projects/${t.projectId}/me/stats${since === undefined ? '' : `?since=${encodeURIComponent(since)}`}`,
      );
    const mine = await stats(t.labeler.key, '2026-03-01T10:00:00+01:00');
    expect(mine.status).toBe(200);
    expect(mine.json).toEqual({
      since: formatV2(boundary),
      labels_since: 2,
      labels_total: 4,
      skips_since: 1,
      skips_total: 1,
      reviews_since: 0,
      reviews_total: 0,
      rows_total: 6,
      // 2, 5, 8, 11: the mean of the two middle values; the skip's second is left out.
      median_seconds_to_create: 6.5,
    });
    expect((await stats(t.labeler.key, '2026-03-01T09:00:00.001Z')).json.labels_since).toBe(1);
    const day = () => `${new Date().toISOString().slice(0, 10)}T00:00:00.000+00:00`;
    const dayBefore = day();
    const reviewer = (await stats(t.reviewer.key)).json;
    expect(reviewer).toMatchObject({
      labels_total: 0,
      reviews_since: 1,
      reviews_total: 1,
      median_seconds_to_create: null,
    });
    // No since: the start of the current UTC day (either side of a midnight the call straddles).
    expect([dayBefore, day()]).toContain(reviewer.since);
    const three = await labelNext(t, t.labeler2.key, 3);
    expect(three.label_id).toBeDefined();
    expect((await stats(t.labeler2.key)).json.median_seconds_to_create).toBe(3);
    for (const bad of ['yesterday', '2026-03-01T00:00:00', '2026-03-01']) {
      const res = await stats(t.labeler.key, bad);
      expect(res.status).toBe(400);
      expect(res.json.error.message).toMatch(
        /^query parameter since: must be an ISO 8601 time with an offset/,
      );
    }
  });
});
