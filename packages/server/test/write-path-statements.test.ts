/**
 * The statements each hot request of the labeling loop sends (queue/next, submit, skip, review),
 * through the whole HTTP stack (API key, audit, idempotency), counted on both backends with
 * support/statement-count.ts. Upper bounds, so that a change that adds round trips to the write
 * path shows here; the README's "API load" section quotes these counts.
 */
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { flushFragments, setRefreshDelay } from '../src/exports/v2/fragment-refresh.ts';
import { createApp } from '../src/http/app.ts';
import { setPlannerStatsInterval, settlePlannerStats } from '../src/projects/planner-stats.ts';
import { describeBackends } from './support/backends.ts';
import { expectFresh } from './support/fragments.ts';
import { listing, statementsOf } from './support/statement-count.ts';
import { answers } from './workflow-helpers.ts';
import { caller, type Team, team } from './workflow-http-helpers.ts';

/**
 * Statements per request, BEGIN and COMMIT included: [SQLite, PostgreSQL]. The audit row is one
 * insert inside the request's own transaction (audit/audit.record.ts `auditWrites`): on SQLite
 * two statements less than a transaction of its own, on PostgreSQL as many statements as an
 * autocommit insert but one commit (WAL flush) less.
 */
const BOUNDS = {
  next: [7, 7],
  submit: [13, 11],
  skip: [12, 10],
  review: [10, 8],
  /** The background render of three rows (each submitted and reviewed). */
  render3: [12, 12],
} as const;

describeBackends('statements per write-path request', (ctx) => {
  let as: ReturnType<typeof caller>;
  let t: Team;
  let n = 0;
  let interval: number;
  afterAll(() => {
    setPlannerStatsInterval(interval);
  });
  beforeAll(async () => {
    // The first request's check runs (its statistics are due); none starts inside a count.
    interval = setPlannerStatsInterval(3_600_000);
    as = caller(createApp({ store: ctx.store, logError: () => {} }));
    t = await team(ctx.store, 6);
  });
  const next = () => as(t.labeler.key).post(`/projects/${t.projectId}/queue/next`);
  const submit = (rowId: string) =>
    as(t.labeler.key).post(
      `/projects/${t.projectId}/labels`,
      { data_row_id: rowId, classifications: answers(), seconds_to_create: 3 },
      { 'Idempotency-Key': `k-${n++}` },
    );
  const skip = (rowId: string) =>
    as(t.labeler.key).post(
      `/projects/${t.projectId}/skips`,
      { data_row_id: rowId, seconds_to_create: 1 },
      { 'Idempotency-Key': `k-${n++}` },
    );
  const review = (labelId: string) =>
    as(t.reviewer.key).post(`/projects/${t.projectId}/labels/${labelId}/review`, {
      decision: 'approve',
      seconds_to_review: 2,
    });

  /** Runs `send` alone, checks its status and answers its body with the statements it sent. */
  const counted = async (send: () => Promise<{ status: number; json: unknown }>, status: number) => {
    // Nothing of an earlier request (its background render or statistics check) may run inside
    // the count.
    await flushFragments(ctx.store);
    await settlePlannerStats(ctx.store);
    let res: { status: number; json: unknown } | undefined;
    const statements = await statementsOf(async () => {
      res = await send();
    });
    expect(res!.status, JSON.stringify(res!.json)).toBe(status);
    return { json: res!.json as Record<string, unknown>, statements };
  };
  const counts: Record<string, number> = {};
  const check = (name: keyof typeof BOUNDS, statements: string[]) => {
    counts[name] = statements.length;
    const bound = BOUNDS[name][ctx.backend === 'sqlite' ? 0 : 1];
    expect(statements.length, `${name}:\n${listing(statements)}`).toBeLessThanOrEqual(bound);
  };

  it('lease, submit, review and skip stay within their statement counts', async () => {
    // One cycle first: caches warm, prepared statements made, planner statistics refreshed.
    const first = (await next()).json as { data_row: { id: string } };
    const label = (await submit(first.data_row.id)).json as { label_id: string };
    expect((await review(label.label_id)).status).toBe(201);

    const leased = await counted(next, 200);
    check('next', leased.statements);
    const rowId = (leased.json.data_row as { id: string }).id;
    const submitted = await counted(() => submit(rowId), 201);
    check('submit', submitted.statements);
    // The request rendered nothing: its row waits for the background renderer.
    expect(submitted.statements.some((s) => s.includes('x_labels'))).toBe(false);
    check('review', (await counted(() => review(submitted.json.label_id as string), 201)).statements);
    const again = (await next()).json as { data_row: { id: string } };
    check('skip', (await counted(() => skip(again.data_row.id), 201)).statements);
  });

  it('the background renderer renders the rows of many requests in one page', async () => {
    await flushFragments(ctx.store);
    // Held back, so that all three rows wait for the one flush counted below.
    const delay = setRefreshDelay(60_000);
    onTestFinished(() => {
      setRefreshDelay(delay);
    });
    for (let i = 0; i < 3; i++) {
      const row = (await next()).json as { data_row: { id: string } };
      const label = (await submit(row.data_row.id)).json as { label_id: string };
      expect((await review(label.label_id)).status).toBe(201);
    }
    const statements = await statementsOf(() => flushFragments(ctx.store));
    check('render3', statements);
    expect(statements.filter((s) => /^\s*with v/.test(s))).toHaveLength(1);
    await expectFresh(ctx.store, t.owner, t.projectId);
    console.log(`[statements] ${ctx.backend}: ${JSON.stringify(counts)}`);
  });
});
