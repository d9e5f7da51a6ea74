/**
 * The hono middleware that authenticates `/api/v1/*` requests and puts the actor on the context:
 * by `Authorization: Bearer <API key>` (programs), else by the session cookie (browsers), whose
 * state-changing requests must also pass the CSRF checks (csrf.ts). Idempotent: a router may add
 * it to its own routes even when the app already did.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv } from '../http/context.ts';
import type { Actor } from '../orgs/actor.ts';
import { AppError } from '../shared/errors.ts';
import type { Store } from '../store/store.ts';
import { authenticateFor } from './api-key.service.ts';
import { checkCsrf, type OriginPolicy } from './csrf.ts';
import type { ProjectAccess, ProjectAccessRow } from './permissions.ts';
import { type SessionInfo, sessionActor } from './session.service.ts';

/** The session cookie; `__Host-` makes browsers require Secure, Path=/ and no Domain. */
export const SESSION_COOKIE = '__Host-prefer_session';

/** The app's environment plus the authenticated actor. */
export interface AuthEnv {
  /**
   * `access` is set by project-scoped routes (http/api-router.ts); `session` when the request was
   * authenticated by the session cookie.
   */
  Variables: AppEnv['Variables'] & {
    actor: Actor;
    access?: ProjectAccess;
    session?: SessionInfo;
    /** The project access the API key's query read along (`projectInPath`), for `authorizeProject`. */
    keyAccess?: ProjectAccessRow;
  };
}

const UNAUTHENTICATED =
  'authentication required: an API key (Authorization: Bearer <key>) or a session (POST /api/v1/auth/login)';

export function requireActor(
  store: Store,
  origins: OriginPolicy,
  now: () => number = Date.now,
): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    if (!c.get('actor')) {
      const header = c.req.header('authorization');
      if (header !== undefined) {
        const found = await authenticateFor(store, bearerToken(header), now(), projectInPath(c.req.path));
        c.set('actor', found.actor);
        if (found.access) c.set('keyAccess', found.access);
      } else {
        const cookie = getCookie(c, SESSION_COOKIE);
        const found = cookie ? await sessionActor(store, cookie, now()) : undefined;
        if (!found) throw new AppError('UNAUTHENTICATED', UNAUTHENTICATED);
        checkCsrf(c, found.session.csrfToken, origins);
        c.set('actor', found.actor);
        c.set('session', found.session);
      }
    }
    await next();
  };
}

/**
 * The project a request path names (`/api/v1/projects/<id>/...`), read with the API key. Only a
 * hint: the route's own `:projectId` decides, and a hint for another project is not used.
 */
export function projectInPath(path: string): string | undefined {
  const segment = /\/projects\/([^/]+)/.exec(path)?.[1];
  if (segment === undefined) return undefined;
  try {
    const id = decodeURIComponent(segment);
    // PostgreSQL refuses NUL in text: such an id is no hint, and the route answers it as missing.
    return id.includes('\u0000') ? undefined : id;
  } catch {
    return undefined;
  }
}

/** The key of an `Authorization: Bearer <key>` header; undefined for any other form. */
export function bearerToken(header: string): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
}

/** The authenticated actor; only valid behind `requireActor`. */
export function actorOf(c: Context<AuthEnv>): Actor {
  return c.get('actor');
}
