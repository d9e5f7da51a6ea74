/**
 * Route-coverage guard: every route the app registers under /api/v1 refuses a request without
 * an API key, except the public allowlist. A new route is covered the moment it is mounted.
 */
import { expect, it } from 'vitest';
import { createApp } from '../src/http/app.ts';
import { describeBackends } from './support/backends.ts';

const PUBLIC = new Set(['GET /api/v1/health']);

describeBackends('API route coverage', (ctx) => {
  it('answers 401 without a key on every non-public /api/v1 route', async () => {
    const app = createApp({ store: ctx.store, logError: () => {} });
    const routes = app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/v1/'));
    const unique = [...new Map(routes.map((r) => [`${r.method} ${r.path}`, r])).values()];
    // The export routes at least: the guard must see what it guards.
    expect(unique.length).toBeGreaterThanOrEqual(6);
    for (const route of unique) {
      const name = `${route.method} ${route.path}`;
      const path = route.path.replace(/:[A-Za-z_]+/g, 'cmissingmissingmissing0000');
      const res = await app.request(path, {
        method: route.method,
        ...(route.method === 'GET' || route.method === 'HEAD' ? {} : { body: '{}' }),
        headers: { 'Content-Type': 'application/json' },
      });
      if (PUBLIC.has(name)) expect(res.status, name).toBeLessThan(400);
      else expect(res.status, name).toBe(401);
    }
  });
});
