/** The committed OpenAPI document is the one the routes generate (`npm run openapi` rewrites it). */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { apiRouter, createApp } from '../src/http/app.ts';
import { OPENAPI_FILE, openApiText } from '../src/http/openapi.main.ts';
import { describeBackends } from './support/backends.ts';

describeBackends('OpenAPI document', (ctx) => {
  it('matches docs/openapi.json (run `npm run openapi` after changing a route)', () => {
    const committed = readFileSync(OPENAPI_FILE, 'utf8');
    expect(openApiText(apiRouter(ctx.store).routes)).toBe(committed);
  });

  it('is served at /api/v1/openapi.json without credentials and lists every route', async () => {
    const app = createApp({ store: ctx.store, logError: () => {} });
    const res = await app.request('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const declared = apiRouter(ctx.store).routes.map(
      (r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`,
    );
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    );
    expect(documented.sort()).toEqual(declared.sort());
  });
});
