/**
 * The API in-process for the CLI's local mode: the same routes, checks and answers as the server,
 * acting as the local actor (whoever holds the database can already do anything), so a local
 * `prefer ... list` prints exactly what `--url` prints. Never served on a port.
 */
import { Hono } from 'hono';
import type { Actor } from '../orgs/actor.ts';
import type { Store } from '../store/store.ts';
import { createApp } from './app.ts';
import type { AppEnv } from './context.ts';
import { createLogger } from './log.ts';

/** A fetch for the SDK's `Client({ fetch })` answering from the app in this process. */
export function localFetch(store: Store, actor: Actor): typeof fetch {
  const app = new Hono<AppEnv>();
  // requireActor keeps an actor already set (auth/require-actor.ts).
  app.use('*', async (c, next) => {
    (c.set as (key: string, value: unknown) => void)('actor', actor);
    await next();
  });
  app.route('/', createApp({ store, logger: createLogger({ level: 'silent' }), publicUrl: undefined }));
  return (async (input: Request | string | URL, init?: RequestInit) =>
    app.request(input instanceof Request ? input : String(input), init)) as typeof fetch;
}
