/**
 * `POST /projects/:id/exports/stream`: the real engine's rows straight in the response body,
 * identical to a task export's, refused like the task route before any byte is sent.
 */
import { beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/api-key.service.ts';
import { createApp } from '../src/http/app.ts';
import { describeBackends } from './support/backends.ts';
import {
  actor,
  collect,
  GOLDEN,
  goldenLine,
  OTHER,
  otherActor,
  RICH,
  seedExportFixtures,
} from './support/export-fixtures.ts';
import { ALL_PARAMS, SEED_FILTERS } from './support/seed-params.ts';

describeBackends('streamed export v2', (ctx) => {
  let app: ReturnType<typeof createApp>;
  let key: string;
  let otherKey: string;

  beforeAll(async () => {
    await seedExportFixtures(ctx.store.db);
    key = (await createApiKey(ctx.store, actor, { name: 'stream' })).key;
    otherKey = (await createApiKey(ctx.store, otherActor, { name: 'other' })).key;
    app = createApp({ store: ctx.store, logError: () => {} });
  });

  const stream = (projectId: string, body: unknown, k = key) =>
    app.request(`/api/v1/projects/${projectId}/exports/stream`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${k}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('streams the seed row exactly as the golden file has it', async () => {
    const res = await stream(GOLDEN.projectId, {
      params: GOLDEN.params,
      filters: SEED_FILTERS,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(await res.text()).toBe(`${goldenLine}\n`);
  });

  it('gives the same bytes as the engine does for a task, with every param and a filter', async () => {
    for (const filters of [{}, { workflow_status: 'InReview' }]) {
      const expected = await collect(ctx.store, actor, RICH.projectId, { params: ALL_PARAMS, filters });
      const res = await stream(RICH.projectId, { params: ALL_PARAMS, filters });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(expected.lines.map((l) => `${l}\n`).join(''));
    }
  });

  it('refuses bad filters, unknown keys and foreign projects before streaming', async () => {
    const bad = await stream(RICH.projectId, { filters: { workflow_status: 'Nope' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('workflow_status');
    const unknown = await stream(RICH.projectId, { task_name: 'x' });
    expect(unknown.status).toBe(400);
    // The other organization's key on this one's project, and this one's key on theirs.
    const foreign = await stream(RICH.projectId, {}, otherKey);
    const theirs = await stream(OTHER.projectId, {});
    expect(theirs.status).toBe(404);
    const missing = await stream('c000000000000000000000000', {}, otherKey);
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(missing.status).toBe(404);
  });
});
