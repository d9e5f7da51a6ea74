/** `GET /projects/:id`: the project summary (the SDK's `client.getProject`). */
import { Hono } from 'hono';
import { type AuthEnv, requireActor } from '../auth/require-actor.ts';
import type { Store } from '../store/store.ts';
import { getProjectSummary } from './project.summary.ts';

export function projectRoutes(store: Store) {
  return new Hono<AuthEnv>().get('/projects/:id', requireActor(store), async (c) =>
    c.json(await getProjectSummary(store, c.get('actor'), c.req.param('id'))),
  );
}
