/**
 * One audit entry, whatever the channel: the REST router's hook (audit.record.ts), GraphQL
 * mutations (graphql/graphql.resolvers.ts) and the CLI's local mode (packages/cli context.ts)
 * all write through here, under the action name of the REST route that does the same thing.
 */
import type { Actor } from '../orgs/actor.ts';
import { AppError, HTTP_STATUS } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { Store } from '../store/store.ts';
import { type AuditRow, insertAudit } from './audit.insert.ts';

/** `session` (a browser), `key` (an API key, REST or GraphQL) or `cli` (local mode on the database). */
export type AuditVia = 'session' | 'key' | 'cli';

export interface AuditEntryInput {
  actor: Actor;
  via: AuditVia;
  /** The REST route's operationId (`post_projects`), also for GraphQL and the CLI. */
  action: string;
  method: string;
  /** The route pattern; `/graphql` for a mutation; the command (`prefer project create`) locally. */
  path: string;
  target?: { type: string; id: string | null } | undefined;
  /** Names of the fields, keys or options given, never their values. */
  summary: string;
  status: number;
  address: string;
  at: number;
}

export async function recordAudit(store: Store, e: AuditEntryInput): Promise<void> {
  await insertAudit(store, auditRowOf(e));
}

/** The audit_log row of an entry (a new id each call). */
export function auditRowOf(e: AuditEntryInput): AuditRow {
  return {
    id: newId(e.at),
    org_id: e.actor.orgId,
    at: e.at,
    actor_id: e.actor.userId,
    actor_email: e.actor.email,
    via: e.via,
    action: e.action,
    method: e.method.toUpperCase(),
    path: clean(e.path, 200),
    target_type: e.target ? clean(e.target.type, 64) : null,
    target_id: e.target?.id == null ? null : clean(e.target.id, 200),
    summary: clean(e.summary, 2000),
    status: e.status,
    address: clean(e.address, 200),
  };
}

/** The status the REST route would have answered for this failure. */
export function auditStatusOf(err: unknown): number {
  if (err instanceof AppError) return HTTP_STATUS[err.code];
  const code = (err as { status?: unknown } | null)?.status;
  return typeof code === 'number' ? code : 500;
}

/**
 * Hostile requests are recorded too: what they named is kept printable and short (PostgreSQL
 * text refuses NUL; a path id or query key may be anything the client sent).
 */
export function clean(value: string, max: number): string {
  const printable = value.replace(/[\u0000-\u001f\u007f]/g, '?');
  return printable.length > max ? `${printable.slice(0, max)}…` : printable;
}

export interface AuditedCall<T> {
  actor: Actor;
  via: AuditVia;
  address: string;
  /** The REST equivalent, `POST /projects/:projectId/exports`: it names the action and the target. */
  route: string;
  params?: Record<string, string> | undefined;
  /** Where the call came in, when not the route itself: `/graphql`, `prefer project create`. */
  path: string;
  summary: string;
  /** The REST route's success status. */
  status: number;
  now: () => number;
  /** The id of what was created, for the target. */
  created?: ((result: T) => string | undefined) | undefined;
  /** A call that turned out to write nothing (a GraphQL poll of a running export) is not an entry. */
  wrote?: ((result: T) => boolean) | undefined;
  /** The status of a failure, when it is not an AppError (the CLI's own import failure). */
  statusOf?: ((err: unknown) => number | undefined) | undefined;
}

/** Runs a write and records it, whatever its outcome; a failure is recorded, then rethrown. */
export async function audited<T>(store: Store, call: AuditedCall<T>, run: () => Promise<T>): Promise<T> {
  const [method, pattern] = call.route.split(' ') as [string, string];
  const entry = (status: number, created: string | undefined) =>
    recordAudit(store, {
      actor: call.actor,
      via: call.via,
      action: actionOf({ method, path: pattern }),
      method,
      path: call.path,
      target: targetOf(pattern, call.params ?? {}, created),
      summary: call.summary,
      status,
      address: call.address,
      at: call.now(),
    });
  let result: T;
  try {
    result = await run();
  } catch (err) {
    await entry(call.statusOf?.(err) ?? auditStatusOf(err), undefined);
    throw err;
  }
  if (call.wrote?.(result) !== false) await entry(call.status, call.created?.(result));
  return result;
}

/** The route's action: its OpenAPI operationId (`post_projects_projectId_label_imports`). */
export function actionOf(route: { method: string; path: string }): string {
  const words = route.path
    .split('/')
    .filter(Boolean)
    .map((part) => part.replace(/^:/, '').replace(/[^A-Za-z0-9]+/g, '_'));
  return [route.method.toLowerCase(), ...words].join('_');
}

/**
 * What the write was about: a created resource (the last static segment names its type), else
 * the last parameter of the path (`:labelId` → `label`), else the last static segment.
 */
export function targetOf(
  pattern: string,
  params: Record<string, string>,
  created: string | undefined,
): { type: string; id: string | null } | undefined {
  const parts = pattern.split('/').filter(Boolean);
  const statics = parts.filter((p) => !p.startsWith(':'));
  const noun = (segment: string | undefined) => (segment ?? '').replace(/ies$/, 'y').replace(/s$/, '');
  if (created !== undefined) return { type: noun(statics.at(-1)), id: created };
  const lastParam = [...parts].reverse().find((p) => p.startsWith(':'));
  if (lastParam) {
    const name = lastParam.slice(1);
    const index = parts.indexOf(lastParam);
    const type = name === 'id' ? noun(parts[index - 1]) : name.replace(/Id$/, '');
    return { type, id: params[name] ?? null };
  }
  return statics.length > 0 ? { type: noun(statics.at(-1)), id: null } : undefined;
}
