/**
 * docs/reliability.md no. 1, cross-tenant: organization B's admin and B's project manager name organization
 * A's ids (project, dataset, data row, ontology, label, export task, key, user, membership) in
 * every id-taking route, and in the bodies and queries that carry ids. Every answer is the 404 a
 * nonexistent id gets (same code, same message but for the id), or a refusal that shows nothing
 * of A; and A's data is byte-for-byte unchanged afterwards (a checksum of every table).
 */
import { beforeAll, expect, it } from 'vitest';
import { createApp } from '../src/http/app.ts';
import { fillPath, minimalBody, paramNames, paramsFor, privateRoutes, routeKey } from './security-routes.ts';
import {
  type Answer,
  buildWorld,
  call,
  MISSING_ID,
  maskedError,
  tableChecksums,
  type World,
} from './security-world.ts';
import { describeBackends } from './support/backends.ts';

describeBackends('cross-tenant access', (ctx) => {
  let world: World;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    world = await buildWorld(ctx.store);
    app = createApp({ store: ctx.store, logError: () => {} });
  });

  /** A's ids and emails that must never appear in an answer to B (unless B sent them). */
  async function secretsOfA(): Promise<string[]> {
    const emails = Object.values(world.a).map((m) => m.actor.email);
    const labels = await ctx.store.db
      .selectFrom('labels')
      .where('project_id', '=', world.projectId)
      .select('id')
      .execute();
    return [world.projectId, world.otherProjectId, ...emails, ...labels.map((l) => l.id)];
  }

  function leaks(answer: Answer, sent: readonly string[], secrets: readonly string[]): string[] {
    return secrets.filter((s) => !sent.includes(s) && answer.text.includes(s));
  }

  it("answers every id-taking route called with A's ids as it answers a missing id, changing nothing", async () => {
    const routes = privateRoutes(ctx.store).filter((r) => paramNames(r.path).length > 0);
    expect(routes.length).toBeGreaterThanOrEqual(10);
    // A's resources first (fixtures write), then the checksum, then B's calls.
    const targets = [];
    for (const route of routes) targets.push({ route, params: await paramsFor(route, world, world.a.admin) });
    const secrets = await secretsOfA();
    const before = await tableChecksums(ctx.store);
    const failures: string[] = [];
    for (const { route, params } of targets) {
      const init = { method: route.method.toUpperCase(), ...minimalBody(route) };
      const missing = Object.fromEntries(Object.keys(params).map((name) => [name, MISSING_ID]));
      for (const intruder of [world.b.admin, world.b.manager]) {
        // What the intruder gets for an id that exists nowhere: 404, or 403 where their role
        // already refuses the route; A's id must get exactly the same.
        const absent = await call(app, fillPath(route.path, missing), { ...init, key: intruder.key });
        const expected = maskedError(absent, [MISSING_ID]);
        const answer = await call(app, fillPath(route.path, params), { ...init, key: intruder.key });
        const seen = maskedError(answer, Object.values(params));
        const name = `${routeKey(route)} as ${intruder.who}`;
        if (![403, 404].includes(answer.status) || JSON.stringify(seen) !== JSON.stringify(expected))
          failures.push(`${name}: ${JSON.stringify(seen)}, wanted ${JSON.stringify(expected)}`);
        const leaked = leaks(answer, Object.values(params), secrets);
        if (leaked.length > 0) failures.push(`${name} shows ${leaked.join(', ')}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await tableChecksums(ctx.store)).toEqual(before);
  });

  it("refuses A's ids inside B's bodies and queries, showing and changing nothing of A", async () => {
    const secrets = await secretsOfA();
    const bp = world.b.projectId;
    const [rowA] = world.rowIds;
    const labeler = world.a.labeler.actor;
    const cases: { method: string; path: string; body?: unknown; ok?: 'empty-list' }[] = [
      { method: 'POST', path: '/projects', body: { name: 'steal', ontology_id: world.ontologyId } },
      { method: 'POST', path: `/projects/${bp}/batches`, body: { name: 'steal', data_row_ids: [rowA] } },
      {
        method: 'POST',
        path: `/projects/${bp}/batches`,
        body: { name: 'steal', dataset_id: world.datasetId },
      },
      { method: 'POST', path: `/projects/${bp}/members`, body: { user_id: labeler.userId, role: 'labeler' } },
      { method: 'POST', path: `/projects/${bp}/members`, body: { email: labeler.email, role: 'labeler' } },
      { method: 'POST', path: `/projects/${bp}/moves`, body: { data_row_ids: [rowA], to_status: 'DONE' } },
      { method: 'POST', path: `/projects/${bp}/skips`, body: { data_row_id: rowA, seconds_to_create: 1 } },
      {
        method: 'POST',
        path: `/projects/${bp}/exports/stream`,
        body: { filters: { data_row_ids: [rowA] } },
        ok: 'empty-list',
      },
      { method: 'GET', path: `/keys?user_id=${labeler.userId}`, ok: 'empty-list' },
      { method: 'GET', path: `/projects/${bp}/labels?created_by=${labeler.userId}`, ok: 'empty-list' },
      { method: 'GET', path: `/projects/${bp}/labels?data_row_id=${rowA}`, ok: 'empty-list' },
    ];
    const before = await tableChecksums(ctx.store);
    const failures: string[] = [];
    for (const c of cases) {
      const answer = await call(app, `/api/v1${c.path}`, {
        method: c.method,
        key: world.b.admin.key,
        headers: { 'idempotency-key': `cross-tenant-${c.path}` },
        ...(c.body === undefined ? {} : { body: JSON.stringify(c.body) }),
      });
      const name = `${c.method} ${c.path} ${c.body ? JSON.stringify(c.body) : ''}`;
      const sent = [rowA!, labeler.userId, labeler.email, world.ontologyId, world.datasetId];
      const leaked = leaks(answer, sent, secrets);
      if (leaked.length > 0) failures.push(`${name} shows ${leaked.join(', ')}`);
      if (c.ok === 'empty-list') {
        const empty =
          answer.status === 404 ||
          (answer.status === 200 && answer.text.trim() === '') ||
          (answer.status === 200 && (answer.json as { items?: unknown[] })?.items?.length === 0);
        if (!empty)
          failures.push(`${name}: ${answer.status} ${answer.text.slice(0, 200)}, wanted nothing of A`);
      } else if (![404, 422].includes(answer.status)) {
        failures.push(`${name}: ${answer.status} ${answer.text.slice(0, 200)}, wanted 404 or 422`);
      }
    }
    expect(failures).toEqual([]);
    const after = await tableChecksums(ctx.store);
    // B's refused writes may not touch any table, A's or B's.
    expect(after).toEqual(before);
  });
});
