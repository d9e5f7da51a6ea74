/**
 * Security events of the accounts routes, read off each answered request (route pattern and
 * status) by `requestLog`, so every login, logout, password change, key, user and membership
 * change is logged in one place whatever handler answered it. Handlers need not (and should not)
 * log these themselves; `securityLog` remains for events a route pattern cannot tell.
 */

export type SecurityEvent =
  | 'login.succeeded'
  | 'login.failed'
  | 'login.rate_limited'
  | 'logout'
  | 'password.changed'
  | 'authn.failed'
  | 'authz.denied'
  | 'authz.not_found'
  | 'key.created'
  | 'key.revoked'
  | 'user.created'
  | 'user.updated'
  | 'member.added'
  | 'member.changed'
  | 'member.removed'
  | 'migration.imported';

export const OUTCOMES: Record<SecurityEvent, 'success' | 'failure'> = {
  'login.succeeded': 'success',
  'login.failed': 'failure',
  'login.rate_limited': 'failure',
  logout: 'success',
  'password.changed': 'success',
  'authn.failed': 'failure',
  'authz.denied': 'failure',
  'authz.not_found': 'failure',
  'key.created': 'success',
  'key.revoked': 'success',
  'user.created': 'success',
  'user.updated': 'success',
  'member.added': 'success',
  'member.changed': 'success',
  'member.removed': 'success',
  'migration.imported': 'success',
};

interface SuccessRule {
  event: SecurityEvent;
  /** Ids read from the JSON answer (`{ answer field: entry field }`): the target a body named. */
  ids?: Record<string, string>;
}

/** `METHOD /api/v1/...pattern` → the event of a 2xx answer (failures of login are named too). */
const ON_SUCCESS: Record<string, SuccessRule> = {
  'POST /api/v1/auth/login': { event: 'login.succeeded', ids: { 'user.id': 'targetUserId' } },
  'POST /api/v1/auth/logout': { event: 'logout' },
  'POST /api/v1/me/password': { event: 'password.changed' },
  'POST /api/v1/keys': { event: 'key.created', ids: { id: 'keyId', prefix: 'keyPrefix' } },
  'DELETE /api/v1/keys/:keyId': { event: 'key.revoked' },
  'POST /api/v1/users': { event: 'user.created', ids: { id: 'targetUserId', role: 'role' } },
  'PATCH /api/v1/users/:userId': { event: 'user.updated', ids: { role: 'role', disabled: 'disabled' } },
  'POST /api/v1/projects/:projectId/members': {
    event: 'member.added',
    ids: { user_id: 'targetUserId', role: 'role' },
  },
  'PATCH /api/v1/projects/:projectId/members/:userId': { event: 'member.changed', ids: { role: 'role' } },
  'DELETE /api/v1/projects/:projectId/members/:userId': { event: 'member.removed' },
  'POST /api/v1/imports/labelbox-export': { event: 'migration.imported' },
};

/** The routes whose answers are security events (a test checks they are all declared). */
export const SECURITY_ROUTES: readonly string[] = Object.keys(ON_SUCCESS);

const LOGIN = 'POST /api/v1/auth/login';

/**
 * The security event an answered request stands for, if any (with the ids to read off its answer):
 * the success events above, a failed or rate-limited login, any other 401 (a missing, unknown,
 * revoked or expired key or session), and a 404 for an id in the path (missing, another
 * organization's, or outside the caller's projects: one answer, but the log shows the probing).
 * Authorization denials (403) are logged by the error handler, which knows the reason.
 */
export function routeSecurityEvent(
  method: string,
  route: string | null,
  status: number,
): SuccessRule | undefined {
  const key = `${method} ${route}`;
  if (key === LOGIN && status === 401) return { event: 'login.failed' };
  if (key === LOGIN && status === 429) return { event: 'login.rate_limited' };
  if (status === 401) return { event: 'authn.failed' };
  // An id the caller may not see answers 404 exactly as a missing one: logged, so probing shows.
  if (status === 404 && route?.includes('/:')) return { event: 'authz.not_found' };
  if (status >= 200 && status < 300) return ON_SUCCESS[key];
  return undefined;
}

/** The rule's ids out of a JSON answer (`user.id` reads a nested field); only strings, numbers, booleans. */
export function idsOf(
  answer: unknown,
  ids: Record<string, string>,
): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [path, field] of Object.entries(ids)) {
    let value: unknown = answer;
    for (const part of path.split('.')) {
      value =
        value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
    }
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      out[field] = value;
  }
  return out;
}

/** The values of a route pattern's parameters in a path (`:keyId` → `keyId`), for the entry's target. */
export function routeParams(route: string | null, path: string): Record<string, string> {
  if (!route) return {};
  const names = route.split('/');
  const values = path.split('/');
  const params: Record<string, string> = {};
  names.forEach((name, i) => {
    const value = values[i];
    if (name.startsWith(':') && value !== undefined) {
      try {
        params[name.slice(1)] = decodeURIComponent(value);
      } catch {
        params[name.slice(1)] = value;
      }
    }
  });
  return params;
}
