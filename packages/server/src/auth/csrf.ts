/**
 * CSRF defence for cookie-authenticated requests. A state-changing request (anything but GET,
 * HEAD, OPTIONS) must carry `X-CSRF-Token` equal to its session's token, and when the browser sent
 * an `Origin` it must be the server's own origin or one listed in PREFER_TRUSTED_ORIGINS (the
 * public origin behind a TLS-terminating proxy). There is no switch to turn this off. Requests
 * authenticated by `Authorization: Bearer` are exempt: a browser never adds that header by itself.
 *
 * The server's own origin is PREFER_PUBLIC_URL's when it is set. Only without it is the request's
 * URL used, whose host comes from the client's `Host` header: a request that forges `Host` to
 * match a hostile `Origin` must not pass, so a deployment set up per the README sets it.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { AppError } from '../shared/errors.ts';

export const CSRF_HEADER = 'X-CSRF-Token';
export const TRUSTED_ORIGINS_ENV = 'PREFER_TRUSTED_ORIGINS';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const isSafeMethod = (method: string) => SAFE_METHODS.has(method.toUpperCase());

/** Reads PREFER_TRUSTED_ORIGINS (comma list of `scheme://host[:port]`); a malformed entry stops start-up. */
export function trustedOrigins(value = process.env[TRUSTED_ORIGINS_ENV]): ReadonlySet<string> {
  const origins = new Set<string>();
  for (const raw of (value ?? '').split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const origin = URL.canParse(entry) ? new URL(entry).origin : 'null';
    if (origin === 'null' || origin !== entry.replace(/\/$/, '')) {
      throw new Error(
        `${TRUSTED_ORIGINS_ENV}: ${JSON.stringify(entry)} is not an origin (scheme://host[:port], no path)`,
      );
    }
    origins.add(origin);
  }
  return origins;
}

/** The origins a cookie request may come from: the server's own and the trusted ones. */
export interface OriginPolicy {
  /** PREFER_PUBLIC_URL's origin; undefined: the request's own (from its Host header). */
  publicOrigin: string | undefined;
  trusted: ReadonlySet<string>;
}

/** The policy of a server reached at `publicUrl` (already checked by parsePublicUrl), with PREFER_TRUSTED_ORIGINS. */
export function originPolicy(publicUrl: string | undefined, trusted = trustedOrigins()): OriginPolicy {
  return { publicOrigin: publicUrl === undefined ? undefined : new URL(publicUrl).origin, trusted };
}

/** Refuses (403) a request whose Origin header names another site. No Origin: not a browser form. */
export function checkOrigin(c: Context, policy: OriginPolicy): void {
  const origin = c.req.header('origin');
  if (origin === undefined) return;
  const own = policy.publicOrigin ?? new URL(c.req.url).origin;
  if (origin !== own && !policy.trusted.has(origin)) {
    throw new AppError(
      'FORBIDDEN',
      `cross-origin request refused: Origin ${origin} is neither this server nor in ${TRUSTED_ORIGINS_ENV}`,
    );
  }
}

/** The CSRF checks of a cookie-authenticated request. */
export function checkCsrf(c: Context, sessionToken: string, policy: OriginPolicy): void {
  if (isSafeMethod(c.req.method)) return;
  checkOrigin(c, policy);
  const sent = Buffer.from(c.req.header(CSRF_HEADER) ?? '', 'utf8');
  const expected = Buffer.from(sessionToken, 'utf8');
  if (sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
    throw new AppError(
      'FORBIDDEN',
      `a request authenticated by the session cookie must send the session's CSRF token in ${CSRF_HEADER} (GET /api/v1/auth/session)`,
    );
  }
}
