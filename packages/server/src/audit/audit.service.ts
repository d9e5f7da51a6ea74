/**
 * Reading the audit log: an admin's pages of their organization's entries, newest first, with
 * filters (actor, action, target, time range), and the whole filtered log as NDJSON lines.
 */
import type { AuditEntryWire } from '@prefer/schemas';
import type { Actor } from '../orgs/actor.ts';
import { decodeCursor, type Page, pageFrom } from '../shared/cursor.ts';
import { formatV2 } from '../shared/time.ts';
import type { AuditLogTable } from '../store/schema.ts';
import type { Store } from '../store/store.ts';

export interface AuditFilters {
  /** A user id or an email (case-insensitive). */
  actor?: string | undefined;
  action?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  /** Milliseconds, inclusive. */
  from?: number | undefined;
  to?: number | undefined;
}

export const auditEntry = (r: AuditLogTable): AuditEntryWire => ({
  id: r.id,
  at: formatV2(Number(r.at)),
  actor_id: r.actor_id,
  actor_email: r.actor_email,
  via: r.via,
  action: r.action,
  method: r.method,
  path: r.path,
  target_type: r.target_type,
  target_id: r.target_id,
  summary: r.summary,
  status: Number(r.status),
  address: r.address,
});

function filtered(store: Store, actor: Actor, f: AuditFilters) {
  let q = store.db.selectFrom('audit_log').selectAll().where('org_id', '=', actor.orgId);
  if (f.actor !== undefined) {
    const who = f.actor;
    q = q.where((e) =>
      e.or([e('actor_id', '=', who), e(e.fn('lower', ['actor_email']), '=', who.toLowerCase())]),
    );
  }
  if (f.action !== undefined) q = q.where('action', '=', f.action);
  if (f.targetType !== undefined) q = q.where('target_type', '=', f.targetType);
  if (f.targetId !== undefined) q = q.where('target_id', '=', f.targetId);
  if (f.from !== undefined) q = q.where('at', '>=', f.from);
  if (f.to !== undefined) q = q.where('at', '<=', f.to);
  return q;
}

/** Newest first; the cursor is the last entry's `[at, id]`. */
export async function listAudit(
  store: Store,
  actor: Actor,
  filters: AuditFilters,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<AuditEntryWire>> {
  let q = filtered(store, actor, filters);
  if (page.cursor) {
    const [at, id] = decodeCursor(page.cursor, ['number', 'string']) as [number, string];
    q = q.where((e) => e.or([e('at', '<', at), e.and([e('at', '=', at), e('id', '<', id)])]));
  }
  const rows = await q
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
  return pageFrom(rows, page.limit, (r) => [Number(r.at), r.id], auditEntry);
}

/** Every matching entry, oldest first, as NDJSON lines, read a page at a time. */
export async function* auditLines(store: Store, actor: Actor, filters: AuditFilters): AsyncGenerator<Buffer> {
  let after: [number, string] | null = null;
  for (;;) {
    let q = filtered(store, actor, filters);
    if (after) {
      const [at, id] = after;
      q = q.where((e) => e.or([e('at', '>', at), e.and([e('at', '=', at), e('id', '>', id)])]));
    }
    const rows = await q.orderBy('at').orderBy('id').limit(1000).execute();
    if (rows.length > 0) yield Buffer.from(rows.map((r) => `${JSON.stringify(auditEntry(r))}\n`).join(''));
    const last = rows.at(-1);
    if (!last || rows.length < 1000) return;
    after = [Number(last.at), last.id];
  }
}
