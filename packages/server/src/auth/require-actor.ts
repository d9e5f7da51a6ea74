/**
 * The hono middleware that authenticates `/api/v1/*` requests by API key and puts the actor on
 * the context. Idempotent: a router may add it to its own routes even when the app already did.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/context.ts';
import type { Actor } from '../orgs/actor.ts';
import type { Store } from '../store/store.ts';
import { authenticate } from './api-key.service.ts';
import type { ProjectAccess } from './permissions.ts';

/** The app's environment plus the authenticated actor. */
export interface AuthEnv {
  /** `access` is set by project-scoped routes (http/api-router.ts). */
  Variables: AppEnv['Variables'] & { actor: Actor; access?: ProjectAccess };
}

export function requireActor(store: Store): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    if (!c.get('actor')) c.set('actor', await authenticate(store, bearerToken(c)));
    await next();
  };
}

function bearerToken(c: Context): string | undefined {
  const header = c.req.header('authorization');
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/** The authenticated actor; only valid behind `requireActor`. */
export function actorOf(c: Context<AuthEnv>): Actor {
  return c.get('actor');
}
