/**
 * API keys: each acts as its user, with the user's current organization and project roles (never
 * more), and stops working at once when it is revoked, expires or its user is disabled. A key is
 * shown once at creation; afterwards only its prefix and name are visible. Every key expires:
 * after 90 days unless asked otherwise, after 365 days at most.
 */
import type { Kysely } from 'kysely';
import type { Actor } from '../orgs/actor.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { prepared } from '../store/prepared.ts';
import type { Database, ProjectRole } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import { generateKey, hashMatches, keyPrefix } from './api-key.format.ts';
import { touchLastSeen, userStillActive } from './credential-user.ts';
import type { ProjectAccessRow } from './permissions.ts';

export interface CreatedApiKey {
  id: string;
  /** The key itself: shown once, never stored. */
  key: string;
  prefix: string;
  expiresAt: number;
}

export interface ApiKeySummary {
  id: string;
  name: string;
  prefix: string;
  user_email: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

const MAX_NAME = 200;
const DAY_MS = 86_400_000;
export const DEFAULT_KEY_DAYS = 90;
export const MAX_KEY_DAYS = 365;
/** One message for every refusal, so a caller cannot tell unknown from revoked or expired keys. */
const UNAUTHENTICATED = 'a valid API key is required (Authorization: Bearer <key>)';

export async function createApiKey(
  store: Store,
  actor: Actor,
  /** `expiresAt` omitted or null: in 90 days. */
  input: { name: string; expiresAt?: Date | number | null },
  now = Date.now(),
): Promise<CreatedApiKey> {
  const name = input.name.trim();
  if (name === '' || name.length > MAX_NAME) {
    throw new AppError('VALIDATION_FAILED', `a key name must have 1 to ${MAX_NAME} characters`);
  }
  const expiresAt =
    input.expiresAt == null ? now + DEFAULT_KEY_DAYS * DAY_MS : new Date(input.expiresAt).getTime();
  if (Number.isNaN(expiresAt) || expiresAt <= now) {
    throw new AppError('VALIDATION_FAILED', 'expiresAt must be a time in the future');
  }
  if (expiresAt > now + MAX_KEY_DAYS * DAY_MS) {
    throw new AppError('VALIDATION_FAILED', `an API key is valid for ${MAX_KEY_DAYS} days at most`);
  }
  const material = generateKey();
  const id = newId(now);
  await store.write((tx) =>
    tx
      .insertInto('api_keys')
      .values({
        id,
        org_id: actor.orgId,
        user_id: actor.userId,
        name,
        prefix: material.prefix,
        hash: material.hash,
        created_at: now,
        expires_at: expiresAt,
        revoked_at: null,
        last_used_at: null,
      })
      .execute(),
  );
  return { id, key: material.key, prefix: material.prefix, expiresAt };
}

export async function listApiKeys(store: Store, actor: Actor): Promise<ApiKeySummary[]> {
  return store.db
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .where('api_keys.org_id', '=', actor.orgId)
    .select([
      'api_keys.id',
      'api_keys.name',
      'api_keys.prefix',
      'users.email as user_email',
      'api_keys.created_at',
      'api_keys.expires_at',
      'api_keys.revoked_at',
      'api_keys.last_used_at',
    ])
    .orderBy('api_keys.created_at')
    .orderBy('api_keys.id')
    .execute();
}

/**
 * Revokes a key: one's own, or (organization admins) any key of the organization. Someone else's
 * key is NOT_FOUND for a non-admin, as a missing one. Revoking twice keeps the first time.
 */
export async function revokeApiKey(store: Store, actor: Actor, id: string, now = Date.now()): Promise<void> {
  await store.write(async (tx) => {
    const row = await tx
      .selectFrom('api_keys')
      .where('id', '=', id)
      .where('org_id', '=', actor.orgId)
      .select(['id', 'user_id', 'revoked_at'])
      .executeTakeFirst();
    if (!row || (actor.role !== 'admin' && row.user_id !== actor.userId)) throw notFound('API key', id);
    if (row.revoked_at === null) {
      await tx.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', id).execute();
    }
  });
}

/**
 * The actor of a bearer key. Missing, malformed, unknown, revoked and expired keys all get the
 * same 401, with no hint which it was.
 */
export async function authenticate(
  store: Store,
  bearer: string | undefined,
  now = Date.now(),
): Promise<Actor> {
  return (await authenticateFor(store, bearer, now, undefined)).actor;
}

/**
 * `authenticate`, and with `projectId` (a request that names a project) the caller's access to
 * that project read by the same query (permissions.ts `authorizeProject` takes it): on
 * PostgreSQL every round trip wakes a backend, and every API request makes both reads.
 * The project is looked up in the key's organization, for the key's user, exactly as
 * `authorizeProject` would read it.
 */
export async function authenticateFor(
  store: Store,
  bearer: string | undefined,
  now: number,
  projectId: string | undefined,
): Promise<{ actor: Actor; access?: ProjectAccessRow }> {
  const key = bearer?.trim() ?? '';
  const prefix = keyPrefix(key);
  if (!prefix) throw new AppError('UNAUTHENTICATED', UNAUTHENTICATED);
  const row =
    projectId === undefined
      ? await keyOnly.first(store.db, { prefix })
      : await keyAndProject.first(store.db, { prefix, projectId });
  const valid =
    row !== undefined &&
    hashMatches(key, row.hash) &&
    row.revoked_at === null &&
    (row.expires_at === null || row.expires_at > now) &&
    userStillActive(row);
  if (!valid) throw new AppError('UNAUTHENTICATED', UNAUTHENTICATED);
  await touchLastSeen(store, row.last_used_at, now, (tx) =>
    tx.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', row.id).execute(),
  );
  const actor: Actor = { orgId: row.org_id, userId: row.user_id, email: row.email, role: row.role };
  if (projectId === undefined || !('p_id' in row)) return { actor };
  const p = row as typeof row & ProjectColumns;
  const access: ProjectAccessRow = {
    projectId,
    project:
      p.p_id === null
        ? null
        : {
            id: p.p_id,
            name: p.p_name!,
            ontology_id: p.p_ontology_id!,
            archived_at: p.p_archived_at,
            deleted_at: p.p_deleted_at,
          },
    role: p.p_role,
  };
  return { actor, access };
}

// Every API request runs one of these: built and compiled once (store/prepared.ts).
const keyQuery = (db: Kysely<Database>, prefix: string) =>
  db
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .where('api_keys.prefix', '=', prefix)
    .select([
      'api_keys.id',
      'api_keys.org_id',
      'api_keys.user_id',
      'api_keys.hash',
      'api_keys.expires_at',
      'api_keys.revoked_at',
      'api_keys.last_used_at',
      'users.email',
      'users.role',
      'users.disabled_at',
      'users.org_id as user_org_id',
    ]);
const keyOnly = prepared((db, p: { prefix: string }) => keyQuery(db, p.prefix));
const keyAndProject = prepared((db, p: { prefix: string; projectId: string }) =>
  keyQuery(db, p.prefix)
    // At most one project (its primary key) and one membership (project, user): no more rows.
    .leftJoin('projects', (j) =>
      j.on('projects.id', '=', p.projectId).onRef('projects.org_id', '=', 'api_keys.org_id'),
    )
    .leftJoin('project_members', (j) =>
      j
        .onRef('project_members.project_id', '=', 'projects.id')
        .onRef('project_members.user_id', '=', 'api_keys.user_id'),
    )
    .select([
      'project_members.role as p_role',
      'projects.id as p_id',
      'projects.name as p_name',
      'projects.ontology_id as p_ontology_id',
      'projects.archived_at as p_archived_at',
      'projects.deleted_at as p_deleted_at',
    ]),
);

/** The project columns `authenticateFor` adds, null when no such project or membership. */
interface ProjectColumns {
  p_role: ProjectRole | null;
  p_id: string | null;
  p_name: string | null;
  p_ontology_id: string | null;
  p_archived_at: number | null;
  p_deleted_at: number | null;
}
