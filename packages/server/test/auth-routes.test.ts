/**
 * Route-coverage guard (docs/reliability.md no. 2): every route the app registers under /api/v1 is declared on
 * the API router with a permission from the matrix (or as public), and every non-public one
 * refuses a request without credentials. A route mounted any other way fails here.
 */
import { expect, it } from 'vitest';
import { PERMISSIONS } from '../src/auth/permissions.ts';
import { apiRouter, createApp } from '../src/http/app.ts';
import { describeBackends } from './support/backends.ts';

/** The only routes anyone may call without credentials. */
const PUBLIC = new Set([
  'GET /api/v1/health',
  'GET /api/v1/openapi.json',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/invite',
  'POST /api/v1/auth/invite/lookup',
]);
/** Public routes that need a body: `{}` is refused as malformed (400), never let through. */
const PUBLIC_NEEDS_BODY = new Set([
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/invite',
  'POST /api/v1/auth/invite/lookup',
]);

describeBackends('API route coverage', (ctx) => {
  it('declares every registered /api/v1 route with a permission, public ones only from the allowlist', () => {
    const app = createApp({ store: ctx.store, logError: () => {} });
    const declared = new Map(
      apiRouter(ctx.store).routes.map((r) => [`${r.method.toUpperCase()} /api/v1${r.path}`, r.permission]),
    );
    const registered = app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/v1/'));
    expect(registered.length).toBeGreaterThanOrEqual(8);
    for (const route of registered) {
      const name = `${route.method} ${route.path}`;
      const permission = declared.get(name);
      expect(permission, `${name} is mounted without a route spec`).toBeDefined();
      if (permission === 'public')
        expect(PUBLIC.has(name), `${name} is public but not allowlisted`).toBe(true);
      else expect(Object.keys(PERMISSIONS)).toContain(permission);
    }
  });

  it('answers 401 without credentials on every non-public /api/v1 route', async () => {
    const app = createApp({ store: ctx.store, logError: () => {} });
    const routes = app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/v1/'));
    const unique = [...new Map(routes.map((r) => [`${r.method} ${r.path}`, r])).values()];
    for (const route of unique) {
      const name = `${route.method} ${route.path}`;
      const path = route.path.replace(/:[A-Za-z_]+/g, 'cmissingmissingmissing0000');
      const res = await app.request(path, {
        method: route.method,
        ...(route.method === 'GET' || route.method === 'HEAD' ? {} : { body: '{}' }),
        headers: { 'Content-Type': 'application/json' },
      });
      if (PUBLIC_NEEDS_BODY.has(name)) expect(res.status, name).toBe(400);
      else if (PUBLIC.has(name)) expect(res.status, name).toBeLessThan(400);
      else expect(res.status, name).toBe(401);
    }
  });
});
