/** `/graphql`: the Labelbox SDK's endpoint (issue 5), a thin adapter over the REST services. */
import type { Hono } from 'hono';
import type { AppEnv } from '../http/context.ts';
import type { Store } from '../store/store.ts';

export function graphqlRoutes(_app: Hono<AppEnv>, _store: Store): void {
  // Mounted by createApp; filled in by the GraphQL work.
}
