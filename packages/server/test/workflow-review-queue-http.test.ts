/**
 * The review queue and lease renewal over HTTP, as a project team with API keys: who may take
 * rows in review, 204 when nothing waits, what a row in review answers, and 409 LEASE_LOST.
 */
import { beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/api-key.service.ts';
import { flushFragments } from '../src/exports/v2/fragment-refresh.ts';
import { createApp } from '../src/http/app.ts';
import { describeBackends } from './support/backends.ts';
import { answers, workflowProject } from './workflow-helpers.ts';
import { caller, type Team, team } from './workflow-http-helpers.ts';

describeBackends('review queue over HTTP', (ctx) => {
  let as: ReturnType<typeof caller>;
  beforeAll(() => {
    as = caller(createApp({ store: ctx.store, logError: () => {} }));
  });
  let keyN = 0;
  const nextReview = (t: Team, key: string, body: Record<string, unknown> = {}) =>
    as(key).post(`/projects/${t.projectId}/review-queue/next`, body);
  const renew = (t: Team, key: string, rowId: string, body: Record<string, unknown> = {}) =>
    as(key).post(`/projects/${t.projectId}/leases/${rowId}/renew`, body);
  /** The labeler leases their next row and labels it; answers the submit's body. */
  const labelNext = async (t: Team, key: string) => {
    const got = await as(key).post(`/projects/${t.projectId}/queue/next`);
    const res = await as(key).post(
      `/projects/${t.projectId}/labels`,
      { data_row_id: got.json.data_row.id, classifications: answers(), seconds_to_create: 8 },
      { 'Idempotency-Key': `rq-${keyN++}` },
    );
    expect(res.status).toBe(201);
    // The background render of the row's fragments locks it for a moment, and a review lease
    // would pass over it then (fragment-refresh.ts): these tests check which row a lease gets.
    await flushFragments(ctx.store);
    return res.json as { label_id: string; data_row_id: string };
  };

  it('leases rows in review to reviewers, managers and admins; a labeler is refused; 204 when none waits', async () => {
    const t = await team(ctx.store, 3);
    expect((await nextReview(t, t.reviewer.key)).status).toBe(204);
    const refused = await nextReview(t, t.labeler.key);
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('FORBIDDEN');
    const labeled = [await labelNext(t, t.labeler.key), await labelNext(t, t.labeler.key)];
    const got = await nextReview(t, t.reviewer.key, { lease_seconds: 120 });
    expect(got.status).toBe(200);
    expect(got.json.data_row.id).toBe(labeled[0]!.data_row_id);
    expect(Date.parse(got.json.lease_expires_at)).toBeLessThanOrEqual(Date.now() + 120_000);
    expect(got.json.labels).toHaveLength(1);
    expect(got.json.labels[0]).toMatchObject({
      id: labeled[0]!.label_id,
      created_by: t.labeler.actor.email,
      seconds_to_create: 8,
      displayed_order: null,
      workflow_status: 'IN_REVIEW',
      reviews: [],
    });
    expect(got.json).toMatchObject({ comments: [], consensus: null });
    const manager = await nextReview(t, t.manager.key);
    expect(manager.json.data_row.id).toBe(labeled[1]!.data_row_id);
    // Both rows are held: the admin finds nothing.
    expect((await nextReview(t, t.admin.key)).status).toBe(204);
    const bad = await nextReview(t, t.reviewer.key, { lease_seconds: 0 });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/^lease_seconds: /);
  });

  it('keeps a held row to its reviewer: another one gets 409 LEASE_LOST deciding it; the holder decides', async () => {
    const t = await team(ctx.store, 1);
    const { label_id } = await labelNext(t, t.labeler.key);
    const held = await nextReview(t, t.reviewer.key);
    const review = (key: string) =>
      as(key).post(`/projects/${t.projectId}/labels/${label_id}/review`, {
        decision: 'approve',
        seconds_to_review: 2,
      });
    const other = await review(t.manager.key);
    expect(other.status).toBe(409);
    expect(other.json.error.code).toBe('LEASE_LOST');
    const renewed = await renew(t, t.reviewer.key, held.json.data_row.id, { lease_seconds: 600 });
    expect(renewed.status).toBe(200);
    expect(renewed.json.data_row_id).toBe(held.json.data_row.id);
    expect(Date.parse(renewed.json.lease_expires_at)).toBeGreaterThan(Date.now() + 590_000);
    expect((await review(t.reviewer.key)).status).toBe(201);
    // Decided: the row is Done and the lease gone with the move.
    const lost = await renew(t, t.reviewer.key, held.json.data_row.id);
    expect(lost.status).toBe(409);
    expect(lost.json.error).toMatchObject({ code: 'LEASE_LOST' });
    expect(lost.json.error.message).toMatch(/no longer hold .* \(DONE\)/);
  });

  it('renews a labeler’s lease; 409 LEASE_LOST once submitted; 404 for a row outside the project or org', async () => {
    const t = await team(ctx.store, 2);
    const got = await as(t.labeler.key).post(`/projects/${t.projectId}/queue/next`, { lease_seconds: 60 });
    const rowId = got.json.data_row.id as string;
    const renewed = await renew(t, t.labeler.key, rowId);
    expect(renewed.status).toBe(200);
    expect(Date.parse(renewed.json.lease_expires_at)).toBeGreaterThan(Date.now() + 29 * 60_000);
    expect((await renew(t, t.labeler2.key, rowId)).json.error.code).toBe('LEASE_LOST');
    const outside = await renew(t, t.labeler.key, t.outsideRowId);
    expect(outside.status).toBe(404);
    expect(outside.json.error.code).toBe('NOT_FOUND');
    // Another organization's admin: the project is not found, as one that does not exist.
    const stranger = await workflowProject(ctx.store, 1);
    const key = (await createApiKey(ctx.store, stranger.owner, { name: 'other org' })).key;
    for (const res of [await renew(t, key, rowId), await nextReview(t, key)]) {
      expect(res.status).toBe(404);
      expect(res.json.error.message).toBe(`project ${t.projectId} not found`);
    }
    const submitted = await as(t.labeler.key).post(
      `/projects/${t.projectId}/labels`,
      { data_row_id: rowId, classifications: answers(), seconds_to_create: 3 },
      { 'Idempotency-Key': `rq-${keyN++}` },
    );
    expect(submitted.status).toBe(201);
    const lost = await renew(t, t.labeler.key, rowId);
    expect(lost.status).toBe(409);
    expect(lost.json.error.code).toBe('LEASE_LOST');
  });
});
