/**
 * The hot write routes (queue/next, submit, skip, review) write their audit entry inside the
 * request's own transaction (audit/audit.record.ts `auditWrites`, store/write-hook.ts): one
 * commit per request instead of two. The entries are the ones written afterwards before: one
 * per request, with the answer's status, target and summary, whatever the outcome (a refusal
 * inside the transaction, an answer other than the one assumed).
 */
import { beforeAll, expect, it } from 'vitest';
import { createApp } from '../src/http/app.ts';
import type { Store } from '../src/store/store.ts';
import { writeWith } from '../src/store/write-hook.ts';
import { describeBackends } from './support/backends.ts';
import { statementsOf } from './support/statement-count.ts';
import { answers } from './workflow-helpers.ts';
import { caller, type Team, team } from './workflow-http-helpers.ts';

async function auditRows(store: Store, actorId: string) {
  return store.db
    .selectFrom('audit_log')
    .where('actor_id', '=', actorId)
    .select(['action', 'method', 'path', 'target_type', 'target_id', 'summary', 'status', 'via'])
    .orderBy('at')
    .orderBy('id')
    .execute();
}

describeBackends('audit entries of the hot write routes', (ctx) => {
  let as: ReturnType<typeof caller>;
  let t: Team;
  let n = 0;
  beforeAll(async () => {
    as = caller(createApp({ store: ctx.store, logError: () => {} }));
    t = await team(ctx.store, 4);
  });
  const submit = (key: string, rowId: string) =>
    as(key).post(
      `/projects/${t.projectId}/labels`,
      { data_row_id: rowId, classifications: answers(), seconds_to_create: 3 },
      { 'Idempotency-Key': `k-${n++}` },
    );

  it('writes the entry before the commit, in the same transaction, and no other statement for it', async () => {
    const row = (await as(t.labeler.key).post(`/projects/${t.projectId}/queue/next`)).json;
    let status = 0;
    const statements = await statementsOf(async () => {
      status = (await submit(t.labeler.key, row.data_row.id)).status;
    });
    expect(status).toBe(201);
    const audit = statements.findIndex((s) => s.startsWith('insert into "audit_log"'));
    expect(statements.filter((s) => s.startsWith('insert into "audit_log"'))).toHaveLength(1);
    // SQLite measured alone runs its one writer without a savepoint: BEGIN ... COMMIT as on PostgreSQL.
    expect(statements[audit + 1]).toMatch(/^commit/i);
    // The same transaction as the label: no commit or begin between the two inserts.
    const label = statements.findIndex((s) => s.startsWith('insert into "labels"'));
    expect(label).toBeGreaterThan(0);
    expect(statements.slice(label, audit).some((s) => /^(begin|commit)/i.test(s))).toBe(false);
  });

  it('records each outcome once, as the answer was: success, refusals, the empty queue', async () => {
    const who = t.labeler2;
    const before = (await auditRows(ctx.store, who.actor.userId)).length;
    const leased = await as(who.key).post(`/projects/${t.projectId}/queue/next`);
    expect(leased.status).toBe(200);
    const rowId = leased.json.data_row.id as string;
    // Refused inside the transaction (rolled back): a row leased to someone else.
    const other = (await as(t.labeler.key).post(`/projects/${t.projectId}/queue/next`)).json;
    const lost = await submit(who.key, other.data_row.id);
    expect(lost.status).toBe(409);
    // Refused before any write: no Idempotency-Key.
    const noKey = await as(who.key).post(`/projects/${t.projectId}/labels`, {
      data_row_id: rowId,
      classifications: answers(),
      seconds_to_create: 1,
    });
    expect(noKey.status).toBe(400);
    const done = await submit(who.key, rowId);
    expect(done.status).toBe(201);
    // An idempotent retry answers the first result (and writes an entry of its own, as before).
    const retry = await as(who.key).post(
      `/projects/${t.projectId}/labels`,
      { data_row_id: rowId, classifications: answers(), seconds_to_create: 3 },
      { 'Idempotency-Key': `k-${n - 1}` },
    );
    expect(retry.json).toEqual(done.json);
    // Nothing left for this labeler (2 rows, both labeled or leased): 204, not the 200 assumed.
    let empty = await as(who.key).post(`/projects/${t.projectId}/queue/next`);
    let more = 0;
    for (; empty.status === 200 && more < 4; more++) {
      expect((await submit(who.key, empty.json.data_row.id)).status).toBe(201);
      empty = await as(who.key).post(`/projects/${t.projectId}/queue/next`);
    }
    expect(empty.status).toBe(204);
    const review = await as(t.reviewer.key).post(
      `/projects/${t.projectId}/labels/${done.json.label_id}/review`,
      {
        decision: 'approve',
        seconds_to_review: 1,
      },
    );
    expect(review.status).toBe(201);

    const rows = (await auditRows(ctx.store, who.actor.userId)).slice(before);
    const project = { target_type: 'project', target_id: t.projectId, via: 'key' };
    const submitted = {
      action: 'post_projects_projectId_labels',
      method: 'POST',
      path: '/projects/:projectId/labels',
      ...project,
      summary: 'body fields: classifications, data_row_id, seconds_to_create',
    };
    const next = {
      action: 'post_projects_projectId_queue_next',
      method: 'POST',
      path: '/projects/:projectId/queue/next',
      ...project,
      summary: '',
    };
    const expected = [
      { ...next, status: 200 },
      { ...submitted, status: 409 },
      { ...submitted, status: 400, summary: '' },
      { ...submitted, status: 201 },
      { ...submitted, status: 201 },
      ...Array.from({ length: more }, () => [
        { ...next, status: 200 },
        { ...submitted, status: 201 },
      ]).flat(),
      { ...next, status: 204 },
    ];
    expect(rows).toEqual(expected);
    const reviewer = (await auditRows(ctx.store, t.reviewer.actor.userId)).at(-1);
    expect(reviewer).toEqual({
      action: 'post_projects_projectId_labels_labelId_review',
      method: 'POST',
      path: '/projects/:projectId/labels/:labelId/review',
      target_type: 'label',
      target_id: done.json.label_id,
      summary: 'body fields: decision, seconds_to_review',
      status: 201,
      via: 'key',
    });
  });

  it('a hook is taken by one transaction only, and not at all by one that rolled back', async () => {
    const ran: string[] = [];
    const settled: boolean[] = [];
    let open = true;
    const hook = {
      claim: () => open,
      run: async () => {
        ran.push('run');
      },
      settled: (ok: boolean) => {
        settled.push(ok);
        if (ok) open = false;
      },
    };
    await expect(
      writeWith(ctx.store, hook, async () => {
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    await writeWith(ctx.store, hook, async () => 1);
    await writeWith(ctx.store, hook, async () => 2);
    await writeWith(ctx.store, undefined, async () => 3);
    expect(ran).toEqual(['run']);
    expect(settled).toEqual([false, true]);
  });
});
