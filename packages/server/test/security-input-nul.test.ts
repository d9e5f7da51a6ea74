/**
 * Inputs SQLite stores but PostgreSQL refuses (issue 10, finding 6): NUL in path ids, query
 * parameters and GraphQL strings, and cursors carrying non-integers, huge numbers or NUL. They
 * are refused at the edge, so both backends give the same answer: 404 for an id, 400 for a query
 * parameter or cursor, 400 GRAPHQL_VALIDATION_FAILED for GraphQL. Never a 500, nothing written.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DeclaredRoute } from '../src/http/api-router.ts';
import { createApp } from '../src/http/app.ts';
import { encodeCursor } from '../src/shared/cursor.ts';
import { fillPath, paramNames, paramsFor, privateRoutes, routeKey } from './security-routes.ts';
import { type Answer, buildWorld, call, tableChecksums, type World } from './security-world.ts';
import { describeBackends } from './support/backends.ts';

const NUL_IDS = (real: string) => ['\u0000', `${real}\u0000`, `a\u0000b`];
const NUL_VALUES = ['\u0000', 'x\u0000', '10\u0000'];
/** Each is refused by every list's cursor, whatever its key's shape. */
const BAD_CURSORS = [
  encodeCursor([1.5, 'x']),
  encodeCursor([1e300, 'x']),
  encodeCursor([2 ** 63, 'x']),
  encodeCursor([-1.5, 'x']),
  encodeCursor([0, 'x\u0000']),
  encodeCursor(['x\u0000']),
  encodeCursor(['\u0000']),
  encodeCursor([1.5]),
  encodeCursor([1e300]),
  `${encodeCursor(['x'])}\u0000`,
];

describeBackends('inputs PostgreSQL refuses, on every route', (ctx) => {
  let world: World;
  let app: ReturnType<typeof createApp>;
  let routes: DeclaredRoute[];
  const paramsOf = new Map<DeclaredRoute, Record<string, string>>();

  afterAll(() => {
    console.info(`[${ctx.backend}] statuses of the REST probes: ${JSON.stringify(statuses)}`);
  });

  beforeAll(async () => {
    world = await buildWorld(ctx.store);
    app = createApp({ store: ctx.store, logError: () => {} });
    routes = privateRoutes(ctx.store);
    for (const route of routes) paramsOf.set(route, await paramsFor(route, world, world.a.admin));
  });

  const send = (path: string, init: Omit<Parameters<typeof call>[2], 'key'>) =>
    call(app, path, { key: world.a.admin.key, ...init });
  const statuses: Record<string, number> = {};
  const tally = (answer: Answer) => {
    statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
  };
  const fault = (what: string, answer: Answer) => `${what}: ${answer.status} ${answer.text.slice(0, 160)}`;

  it('answers NUL in any path id with 404, as a missing id', async () => {
    const before = await tableChecksums(ctx.store);
    const failures: string[] = [];
    let probes = 0;
    for (const route of routes.filter((r) => paramNames(r.path).length > 0)) {
      const real = paramsOf.get(route)!;
      for (const name of paramNames(route.path)) {
        for (const id of NUL_IDS(real[name] ?? 'x')) {
          const path = fillPath(route.path, { ...real, [name]: id });
          const body = route.body ? { body: '{}' } : {};
          const answer = await send(path, { method: route.method.toUpperCase(), ...body });
          probes++;
          tally(answer);
          if (answer.status !== 404)
            failures.push(fault(`${routeKey(route)} :${name}=${JSON.stringify(id)}`, answer));
        }
      }
    }
    expect(probes).toBeGreaterThan(50);
    expect(failures).toEqual([]);
    expect(await tableChecksums(ctx.store)).toEqual(before);
  });

  it('answers NUL in any query parameter, and malformed cursors, with 400', async () => {
    const failures: string[] = [];
    const lists = routes.filter((r) => r.query && Object.keys(r.query.shape).length > 0);
    expect(lists.filter((r) => 'cursor' in r.query!.shape).length).toBeGreaterThanOrEqual(5);
    for (const route of lists) {
      const path = fillPath(route.path, paramsOf.get(route)!);
      const method = route.method.toUpperCase();
      const queries: string[] = [];
      for (const name of Object.keys(route.query!.shape))
        for (const value of NUL_VALUES) queries.push(`${name}=${encodeURIComponent(value)}`);
      if ('cursor' in route.query!.shape)
        for (const cursor of BAD_CURSORS) queries.push(`cursor=${encodeURIComponent(cursor)}`);
      for (const query of queries) {
        const answer = await send(`${path}?${query}`, { method });
        tally(answer);
        if (answer.status !== 400) failures.push(fault(`${routeKey(route)} ?${query}`, answer));
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers NUL in a GraphQL string with 400 GRAPHQL_VALIDATION_FAILED', async () => {
    const documents = [
      'query { project(where: {id: "\\u0000"}) { id } }',
      `query { project(where: {id: "${world.projectId}\\u0000"}) { id } }`,
      'query { task(where: {id: "x\\u0000y"}) { id } }',
      'query { user(where: {id: "\\u0000"}) { id } }',
    ];
    for (const query of documents) {
      const answer = await send('/graphql', {
        method: 'POST',
        body: JSON.stringify({ query, variables: null }),
      });
      expect(answer.status, query).toBe(400);
      expect((answer.json as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe(
        'GRAPHQL_VALIDATION_FAILED',
      );
    }
    // In variables the body's strict JSON parser refuses it first.
    const inVariables = await send('/graphql', {
      method: 'POST',
      body: JSON.stringify({
        query: 'query($id: ID!) { project(where: {id: $id}) { id } }',
        variables: { id: '\u0000' },
      }),
    });
    expect(inVariables.status).toBe(400);
  });
});
