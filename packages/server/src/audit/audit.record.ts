/**
 * The audit hook: one middleware the API router puts before every write route (any method but
 * GET), so no route can be left out. It records, after the answer is made, who (user and whether
 * by session or API key), when, what (the route's action, its target, a summary), the outcome
 * status and the caller's address. Refused attempts (403, 404, 422) are recorded too: an audit
 * answers "who tried", not only "who did".
 *
 * Never a secret: the summary names the body's fields and the query's keys, never a value; the
 * path is the route's pattern (ids come from the parsed parameters), never the raw URL.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { Actor } from '../orgs/actor.ts';
import type { Store } from '../store/store.ts';
import { actionOf, auditStatusOf, clean, recordAudit, targetOf } from './audit.write.ts';

export { actionOf, targetOf };

export interface AuditRoute {
  method: string;
  /** The pattern, hono style: `/projects/:projectId/labels/:labelId`. */
  path: string;
  action: string;
}

/** The context key the router sets to the names of the body fields it parsed. */
export const AUDIT_FIELDS = 'auditFields';

/** The context key of an outcome a route adds to its entry's summary (`noteAudit`). */
const AUDIT_NOTE = 'auditNote';

/**
 * Adds an outcome to the request's audit entry (an erasure: what the method and fields do not
 * tell). Never a value the caller sent, never content.
 */
export function noteAudit(c: Context, note: string): void {
  (c.set as (key: string, value: unknown) => void)(AUDIT_NOTE, note);
}

/** The address of the TCP peer (a proxy's, behind one: prefer trusts no forwarded header). */
export function peerAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

export function auditWrites(store: Store, route: AuditRoute, now: () => number): MiddlewareHandler {
  return async (c, next) => {
    let failed: unknown;
    try {
      await next();
    } catch (err) {
      failed = err;
    }
    const actor = (c.get as (key: string) => unknown)('actor') as Actor | undefined;
    if (actor) {
      const status = failed === undefined ? c.res.status : auditStatusOf(failed);
      const created = failed === undefined ? await createdId(c) : undefined;
      const target = targetOf(route.path, c.req.param() as Record<string, string>, created);
      // The body's fields as the route parsed them (known keys only): none when it was refused.
      const fields = ((c.get as (key: string) => unknown)(AUDIT_FIELDS) as string[] | undefined) ?? [];
      const query = Object.keys(c.req.queries())
        .slice(0, 30)
        .map((k) => clean(k, 64))
        .sort();
      const summary = [
        fields.length > 0 ? `body fields: ${fields.join(', ')}` : null,
        query.length > 0 ? `query: ${query.join(', ')}` : null,
        ((c.get as (key: string) => unknown)(AUDIT_NOTE) as string | undefined) ?? null,
      ]
        .filter((p) => p !== null)
        .join('; ');
      await recordAudit(store, {
        actor,
        via: (c.get as (key: string) => unknown)('session') ? 'session' : 'key',
        action: route.action,
        method: route.method,
        path: route.path,
        target,
        summary,
        status,
        address: peerAddress(c),
        at: now(),
      });
    }
    if (failed !== undefined) throw failed;
  };
}

/** The id of what a successful create answered (`{ id }` in a JSON answer). */
async function createdId(c: Context): Promise<string | undefined> {
  if (c.res.status >= 300 || !(c.res.headers.get('content-type') ?? '').startsWith('application/json')) {
    return undefined;
  }
  try {
    const body: unknown = await c.res.clone().json();
    const id = (body as { id?: unknown } | null)?.id;
    return typeof id === 'string' && id.length <= 100 ? id : undefined;
  } catch {
    return undefined;
  }
}
