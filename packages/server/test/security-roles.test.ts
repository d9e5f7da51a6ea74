/**
 * RELIABILITY 2 and 3, driven by every route declared on the API router: each route is called by
 * each member of organization A (admin, P's manager, reviewer and labeler, and an outsider with no
 * role in P) with their own API key, and the answer must follow `PERMISSIONS`:
 * - a role the permission allows gets past authorization (not 401, 403 or 404, and no 5xx);
 * - a role it does not allow gets 403 FORBIDDEN;
 * - a user without a role in the project gets 404, the very answer a missing id gets.
 * A route whose parameters have no fixture (security-routes.ts) fails the suite.
 */
import { beforeAll, expect, it } from 'vitest';
import { allows, PERMISSIONS, type Permission, ROLES, type Role } from '../src/auth/permissions.ts';
import type { DeclaredRoute } from '../src/http/api-router.ts';
import { createApp } from '../src/http/app.ts';
import { nextRow } from '../src/workflow/queue.service.ts';
import { submitLabel } from '../src/workflow/submit.service.ts';
import {
  fillPath,
  minimalBody,
  NOT_FOUND_BY_DESIGN,
  NOT_READ_BY_DESIGN,
  paramNames,
  paramsFor,
  privateRoutes,
  routeKey,
  uncovered,
} from './security-routes.ts';
import {
  buildWorld,
  CAST,
  call,
  type Member,
  MISSING_ID,
  maskedError,
  type World,
} from './security-world.ts';
import { describeBackends } from './support/backends.ts';
import { answers } from './workflow-helpers.ts';

/** The role each member of the cast holds in project P (the outsider holds none). */
const ROLE_IN_P: Record<(typeof CAST)[number], Role | null> = {
  admin: 'admin',
  manager: 'manager',
  reviewer: 'reviewer',
  labeler: 'labeler',
  outsider: null,
};

function allowedInOrg(permission: Permission, m: Member): boolean {
  if (m.held.includes('admin') || PERMISSIONS[permission].roles.length === ROLES.length) return true;
  return m.held.some((role) => allows(permission, role));
}

describeBackends('role matrix over every route', (ctx) => {
  let world: World;
  let app: ReturnType<typeof createApp>;
  let routes: DeclaredRoute[];

  beforeAll(async () => {
    world = await buildWorld(ctx.store);
    app = createApp({ store: ctx.store, logError: () => {} });
    routes = privateRoutes(ctx.store);
  });

  it('has an id fixture for every route with a resource in its path', () => {
    expect(uncovered(routes), 'add these routes to ROUTE_FIXTURES in security-routes.ts').toEqual([]);
    expect(routes.length).toBeGreaterThanOrEqual(10);
  });

  // The lifecycle routes' fixtures make a fresh project per call (what they delete or restore).
  it('lets each role do what PERMISSIONS allows and nothing else', { timeout: 180_000 }, async () => {
    const failures: string[] = [];
    const missing = new Set(uncovered(routes));
    for (const route of routes.filter((r) => !missing.has(routeKey(r)))) {
      const scope = PERMISSIONS[route.permission as Permission].scope;
      const projectScoped = scope === 'project';
      for (const who of CAST) {
        const m = world.a[who];
        const params = await paramsFor(route, world, m);
        const answer = await call(app, fillPath(route.path, params), {
          method: route.method.toUpperCase(),
          key: m.key,
          ...minimalBody(route),
        });
        const name = `${routeKey(route)} as ${who} (${route.permission})`;
        const role = ROLE_IN_P[who];
        const allowed = projectScoped
          ? role !== null && allows(route.permission as Permission, role)
          : allowedInOrg(route.permission as Permission, m);
        const code = (answer.json as { error?: { code?: string } } | undefined)?.error?.code;
        if (projectScoped && role === null) {
          if (answer.status !== 404 || code !== 'NOT_FOUND')
            failures.push(`${name}: ${answer.status}, wanted 404`);
        } else if (allowed) {
          const refused = NOT_FOUND_BY_DESIGN[routeKey(route)] ? [401, 403] : [401, 403, 404];
          if (refused.includes(answer.status) || answer.status >= 500)
            failures.push(
              `${name}: ${answer.status} ${answer.text.slice(0, 200)}, wanted past authorization`,
            );
          // A read with real ids and no input to get wrong succeeds outright.
          else if (route.method === 'get' && answer.status >= 400 && !NOT_READ_BY_DESIGN[routeKey(route)])
            failures.push(`${name}: ${answer.status} ${answer.text.slice(0, 200)}, wanted the resource`);
        } else if (answer.status !== 403 || code !== 'FORBIDDEN') {
          failures.push(`${name}: ${answer.status}, wanted 403`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers a non-member exactly as it answers an id that does not exist', async () => {
    const failures: string[] = [];
    const missing = new Set(uncovered(routes));
    const projectRoutes = routes.filter(
      (r) =>
        PERMISSIONS[r.permission as Permission].scope === 'project' &&
        paramNames(r.path).length > 0 &&
        !missing.has(routeKey(r)),
    );
    expect(projectRoutes.length).toBeGreaterThan(0);
    for (const route of projectRoutes) {
      const init = { method: route.method.toUpperCase(), ...minimalBody(route) };
      const real = await paramsFor(route, world, world.a.outsider);
      const missing = Object.fromEntries(Object.keys(real).map((name) => [name, MISSING_ID]));
      const outsider = await call(app, fillPath(route.path, real), { ...init, key: world.a.outsider.key });
      const absent = await call(app, fillPath(route.path, missing), { ...init, key: world.a.admin.key });
      const seen = maskedError(outsider, Object.values(real));
      const expected = maskedError(absent, [MISSING_ID]);
      if (JSON.stringify(seen) !== JSON.stringify(expected))
        failures.push(
          `${routeKey(route)}: non-member ${JSON.stringify(seen)} vs missing ${JSON.stringify(expected)}`,
        );
    }
    expect(failures).toEqual([]);
  });

  it("shows a labeler only their own labels, in lists and by id; the others' are 404", async () => {
    // A label of the manager beside the labeler's (made by the fixture).
    const mine = await paramsFor(labelRoute(routes), world, world.a.labeler);
    const manager = world.a.manager.actor;
    const row = await nextRow(ctx.store, manager, { projectId: world.projectId });
    const { labelId: theirs } = await submitLabel(ctx.store, manager, {
      projectId: world.projectId,
      dataRowId: row!.dataRowId,
      idempotencyKey: `manager-label-${ctx.backend}`,
      secondsToCreate: 3,
      classifications: answers(),
    });
    const list = async (who: Member) => {
      const answer = await call(app, `/api/v1/projects/${world.projectId}/labels?limit=500`, {
        method: 'GET',
        key: who.key,
      });
      expect(answer.status).toBe(200);
      return (answer.json as { items: { id: string }[] }).items.map((l) => l.id);
    };
    expect(await list(world.a.labeler)).toEqual([mine.labelId]);
    expect(await list(world.a.reviewer)).toEqual(expect.arrayContaining([mine.labelId, theirs]));
    const byId = (labelId: string, who: Member) =>
      call(app, `/api/v1/projects/${world.projectId}/labels/${labelId}`, { method: 'GET', key: who.key });
    expect((await byId(mine.labelId!, world.a.labeler)).status).toBe(200);
    const hidden = await byId(theirs, world.a.labeler);
    const missing = await byId(MISSING_ID, world.a.labeler);
    expect(hidden.status).toBe(404);
    expect(maskedError(hidden, [theirs])).toEqual(maskedError(missing, [MISSING_ID]));
  });
});

function labelRoute(routes: DeclaredRoute[]): DeclaredRoute {
  const route = routes.find((r) => r.method === 'get' && r.path === '/projects/:projectId/labels/:labelId');
  if (!route) throw new Error('GET /projects/:projectId/labels/:labelId is not declared');
  return route;
}
