/** The audit log as the SDK sees it (`GET /audit`, admins only). */
import { type AuditEntryWire, auditEntrySchema } from '@prefer/schemas';
import type { Client } from './client.ts';
import { type PageOptions, paginate } from './paging.ts';

export interface AuditEntry {
  id: string;
  at: Date;
  actor: { id: string; email: string; via: string };
  /** The route's operationId (`post_users`). */
  action: string;
  method: string;
  path: string;
  target: { type: string | null; id: string | null };
  /** The body fields and query keys given, never their values. */
  summary: string;
  status: number;
  address: string;
}

export interface AuditFilters {
  /** A user id or email. */
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  /** Inclusive; a Date, or `YYYY-MM-DD` / ISO 8601 text as the API takes it. */
  from?: Date | string;
  to?: Date | string;
}

export const auditEntryOf = (w: AuditEntryWire): AuditEntry => ({
  id: w.id,
  at: new Date(w.at),
  actor: { id: w.actor_id, email: w.actor_email, via: w.via },
  action: w.action,
  method: w.method,
  path: w.path,
  target: { type: w.target_type, id: w.target_id },
  summary: w.summary,
  status: w.status,
  address: w.address,
});

export function auditQuery(filters: AuditFilters): string {
  const q = new URLSearchParams();
  const date = (d: Date | string) => (typeof d === 'string' ? d : d.toISOString());
  if (filters.actor !== undefined) q.set('actor', filters.actor);
  if (filters.action !== undefined) q.set('action', filters.action);
  if (filters.targetType !== undefined) q.set('target_type', filters.targetType);
  if (filters.targetId !== undefined) q.set('target_id', filters.targetId);
  if (filters.from !== undefined) q.set('from', date(filters.from));
  if (filters.to !== undefined) q.set('to', date(filters.to));
  return q.toString();
}

export function getAuditLog(
  client: Client,
  filters: AuditFilters = {},
  options?: PageOptions,
): AsyncGenerator<AuditEntry> {
  const query = auditQuery(filters);
  return paginate(client, `/audit${query ? `?${query}` : ''}`, auditEntrySchema, auditEntryOf, options);
}
