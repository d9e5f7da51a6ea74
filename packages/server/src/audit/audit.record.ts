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
import { prepared } from '../store/prepared.ts';
import type { AuditLogTable } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import type { WriteHook } from '../store/write-hook.ts';
import type { AuditRow } from './audit.insert.ts';
import {
  type AuditEntryInput,
  actionOf,
  auditRowOf,
  auditStatusOf,
  clean,
  recordAudit,
  targetOf,
} from './audit.write.ts';

export { actionOf, targetOf };

export interface AuditRoute {
  method: string;
  /** The pattern, hono style: `/projects/:projectId/labels/:labelId`. */
  path: string;
  action: string;
  /**
   * The hot write routes (queue/next, submit, skip, review): their entry is written inside the
   * request's own write transaction with this status, the route's success status (see
   * `auditWrites`).
   */
  inWriteStatus?: number | undefined;
}

/** The context key the router sets to the names of the body fields it parsed. */
export const AUDIT_FIELDS = 'auditFields';

/** The context key of the write hook of a route that writes its entry in its transaction. */
const AUDIT_HOOK = 'auditHook';

/**
 * The hook a route with `auditInWrite` hands to its service's write (store/write-hook.ts
 * `writeWith`): the request's audit entry goes into that transaction.
 */
export function auditHookOf(c: Context): WriteHook | undefined {
  return (c.get as (key: string) => unknown)(AUDIT_HOOK) as WriteHook | undefined;
}

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

/**
 * With `route.inWriteStatus` the entry is written by the write transaction the route hands
 * `auditHookOf(c)` to, before it commits (store/write-hook.ts), as if the request succeeded: one commit for both
 * instead of two (PostgreSQL: a round trip and a WAL flush less). Once the answer is made, the
 * entry is checked against it: an answer other than the one assumed (a failure after the
 * commit, an empty queue's 204) updates the stored entry's status, target and summary, so the
 * row ends up the same as when written afterwards. A transaction that rolled back took the
 * entry with it, and it is written afterwards as for any route.
 */
export function auditWrites(store: Store, route: AuditRoute, now: () => number): MiddlewareHandler {
  return async (c, next) => {
    let failed: unknown;
    const entry = (status: number, created: string | undefined): AuditEntryInput | undefined => {
      const actor = (c.get as (key: string) => unknown)('actor') as Actor | undefined;
      if (!actor) return undefined;
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
      return {
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
      };
    };
    const inWrite =
      route.inWriteStatus === undefined
        ? undefined
        : inWriteEntry(() => entry(route.inWriteStatus!, undefined));
    if (inWrite) (c.set as (key: string, value: unknown) => void)(AUDIT_HOOK, inWrite.hook);
    // The object a route answers with `c.json`, kept so the created id is read from it: reading
    // it back from the response means cloning its body (a web stream tee per request, 5% of the
    // API benchmark's busy time).
    const json = c.json;
    let answered: { object: unknown } | undefined;
    c.json = ((object: unknown, ...rest: unknown[]) => {
      answered = { object };
      return (json as (...args: unknown[]) => Response)(object, ...rest);
    }) as typeof c.json;
    try {
      await next();
    } catch (err) {
      failed = err;
    }
    await inWrite?.close();
    const status = failed === undefined ? c.res.status : auditStatusOf(failed);
    const created = failed === undefined && c.get('actor') ? await createdId(c, answered) : undefined;
    const final = entry(status, created);
    if (final) {
      const stored = inWrite?.stored();
      if (stored) await reconcileAudit(store, stored, auditRowOf(final));
      else await recordAudit(store, final);
    }
    if (failed !== undefined) throw failed;
  };
}

/** The write hook that puts a request's entry into its own transaction. */
function inWriteEntry(build: () => AuditEntryInput | undefined) {
  let state: 'open' | 'claimed' | 'closed' = 'open';
  let row: AuditRow | undefined;
  let committed: AuditRow | undefined;
  let settle = () => {};
  const hook: WriteHook = {
    claim() {
      if (state !== 'open') return false;
      const e = build();
      // Not authenticated (no entry to write): nothing to add.
      if (!e) return false;
      row = auditRowOf(e);
      state = 'claimed';
      return true;
    },
    run: async (tx) => {
      const r = row!;
      await insertOne.affected(tx, {
        ...r,
        target_type: r.target_type ?? null,
        target_id: r.target_id ?? null,
      });
    },
    settled(ok) {
      if (ok) committed = row;
      // Rolled back: the entry is written after the answer, like any route's.
      state = ok ? 'closed' : 'open';
      settle();
    },
  };
  return {
    hook,
    /**
     * No later transaction (a background one the request started) takes the entry; one that
     * took it and is still running is waited for, so the entry is never written twice.
     */
    async close() {
      if (state === 'claimed') await new Promise<void>((resolve) => (settle = resolve));
      if (state === 'open') state = 'closed';
    },
    /** The entry as committed with the request's transaction, if it was. */
    stored: () => committed,
  };
}

// Runs in every audited write request's transaction: built and compiled once (store/prepared.ts).
// (A mapped copy of the row type: an interface has no index signature, which `prepared` wants.)
const insertOne = prepared((db, p: { [K in keyof AuditLogTable]: AuditLogTable[K] }) =>
  db.insertInto('audit_log').values({
    id: p.id,
    org_id: p.org_id,
    at: p.at,
    actor_id: p.actor_id,
    actor_email: p.actor_email,
    via: p.via,
    action: p.action,
    method: p.method,
    path: p.path,
    target_type: p.target_type,
    target_id: p.target_id,
    summary: p.summary,
    status: p.status,
    address: p.address,
  }),
);

/** Brings an entry written before the answer in line with the answer made. */
async function reconcileAudit(store: Store, stored: AuditRow, final: AuditRow): Promise<void> {
  const changed =
    stored.status !== final.status ||
    stored.target_type !== final.target_type ||
    stored.target_id !== final.target_id ||
    stored.summary !== final.summary;
  if (!changed) return;
  await store.write((tx) =>
    tx
      .updateTable('audit_log')
      .set({
        status: final.status,
        target_type: final.target_type,
        target_id: final.target_id,
        summary: final.summary,
      })
      .where('id', '=', stored.id!)
      .execute(),
  );
}

/**
 * The id of what a successful create answered (`{ id }` in a JSON answer): from the object given
 * to `c.json` when that made the answer, else read back from the response.
 */
async function createdId(c: Context, answered: { object: unknown } | undefined): Promise<string | undefined> {
  if (c.res.status >= 300 || !(c.res.headers.get('content-type') ?? '').startsWith('application/json')) {
    return undefined;
  }
  try {
    const body: unknown = answered ? answered.object : await c.res.clone().json();
    const id = (body as { id?: unknown } | null)?.id;
    return typeof id === 'string' && id.length <= 100 ? id : undefined;
  } catch {
    return undefined;
  }
}
