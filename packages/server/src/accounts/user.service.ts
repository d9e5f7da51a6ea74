/**
 * The organization's users: created, listed, changed and disabled by admins (routes declare
 * `users.manage` / `users.read`). Emails are unique across all organizations, case-insensitively
 * (`ensureUser` in orgs/org.service.ts keeps that rule for label imports too), because a login
 * names only an email.
 */

import { deleteUserSessions } from '../auth/session.service.ts';
import type { Actor } from '../orgs/actor.ts';
import { ensureUser } from '../orgs/org.service.ts';
import { decodeCursor, type Page, pageFrom } from '../shared/cursor.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { formatV2 } from '../shared/time.ts';
import type { OrgRole, ProjectRole } from '../store/schema.ts';
import type { Db, Store, Tx } from '../store/store.ts';
import { checkPasswordPolicy, hashPassword } from './password.ts';

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: OrgRole;
  disabled: boolean;
  /** False for users who cannot log in (e.g. label authors named by an import). */
  has_password: boolean;
  created_at: string;
  disabled_at: string | null;
}

export interface MeView extends UserView {
  projects: { project_id: string; role: ProjectRole }[];
}

export const USER_COLUMNS = [
  'id',
  'email',
  'name',
  'role',
  'password_hash',
  'created_at',
  'disabled_at',
] as const;

type UserRow = {
  id: string;
  email: string;
  name: string;
  role: OrgRole;
  password_hash: string | null;
  created_at: number;
  disabled_at: number | null;
};

export function userView(row: UserRow): UserView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabled: row.disabled_at !== null,
    has_password: row.password_hash !== null,
    created_at: formatV2(row.created_at),
    disabled_at: row.disabled_at === null ? null : formatV2(row.disabled_at),
  };
}

/** A user of the actor's organization; another organization's user is NOT_FOUND like a missing one. */
export async function findUser(db: Db | Tx, actor: Actor, id: string): Promise<UserRow> {
  const row = await db
    .selectFrom('users')
    .where('id', '=', id)
    .where('org_id', '=', actor.orgId)
    .select(USER_COLUMNS)
    .executeTakeFirst();
  if (!row) throw notFound('user', id);
  return row;
}

export async function getUser(store: Store, actor: Actor, id: string): Promise<UserView> {
  return userView(await findUser(store.db, actor, id));
}

export async function getMe(store: Store, actor: Actor): Promise<MeView> {
  const user = await findUser(store.db, actor, actor.userId);
  const projects = await store.db
    .selectFrom('project_members')
    .innerJoin('projects', 'projects.id', 'project_members.project_id')
    .where('project_members.user_id', '=', actor.userId)
    .where('project_members.org_id', '=', actor.orgId)
    .where('projects.deleted_at', 'is', null)
    .select(['project_members.project_id', 'project_members.role'])
    .orderBy('project_members.project_id')
    .execute();
  return { ...userView(user), projects };
}

export async function listUsers(
  store: Store,
  actor: Actor,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<UserView>> {
  let q = store.db.selectFrom('users').where('org_id', '=', actor.orgId).select(USER_COLUMNS);
  if (page.cursor) q = q.where('id', '>', String(decodeCursor(page.cursor, ['string'])[0]));
  const rows = await q
    .orderBy('id')
    .limit(page.limit + 1)
    .execute();
  return pageFrom(rows, page.limit, (r) => [r.id], userView);
}

export interface CreateUserInput {
  email: string;
  name?: string | undefined;
  role?: OrgRole | undefined;
  password?: string | undefined;
}

/** Creates a user of the actor's organization; an email already taken anywhere is a 409. */
export async function createUser(
  store: Store,
  actor: Actor,
  input: CreateUserInput,
  now = Date.now(),
): Promise<UserView> {
  if (input.password !== undefined) checkPasswordPolicy(input.password);
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  const name = input.name?.trim();
  return store.write(async (tx) => {
    const lower = input.email.trim().toLowerCase();
    const taken = await tx
      .selectFrom('users')
      .where('email_lower', '=', lower)
      .select('id')
      .executeTakeFirst();
    if (taken) throw new AppError('CONFLICT', `a user with the email ${input.email.trim()} already exists`);
    const { id } = await ensureUser(tx, actor.orgId, input.email, name || undefined, now);
    await tx
      .updateTable('users')
      .set({
        role: input.role ?? 'member',
        password_hash: passwordHash,
        password_changed_at: passwordHash === null ? null : now,
      })
      .where('id', '=', id)
      .execute();
    return userView(await findUser(tx, actor, id));
  });
}

export interface UpdateUserInput {
  role?: OrgRole | undefined;
  disabled?: boolean | undefined;
  name?: string | undefined;
  /** Set by an admin (a reset): ends the user's sessions. */
  password?: string | undefined;
}

/**
 * Changes a user's role, name, password or disabled state. The organization always keeps one
 * enabled admin: demoting or disabling the last one is a 409. Disabling ends the user's sessions;
 * their keys stop working at once too (authenticate checks `disabled_at`).
 */
export async function updateUser(
  store: Store,
  actor: Actor,
  id: string,
  input: UpdateUserInput,
  now = Date.now(),
): Promise<UserView> {
  if (input.password !== undefined) checkPasswordPolicy(input.password);
  const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
  const name = input.name?.trim();
  if (name === '')
    throw new AppError('VALIDATION_FAILED', 'name must not be empty', [
      { path: '$.name', message: 'must not be empty' },
    ]);
  return store.write(async (tx) => {
    const user = await findUser(tx, actor, id);
    const losesAdmin =
      user.role === 'admin' &&
      user.disabled_at === null &&
      (input.role === 'member' || input.disabled === true);
    if (losesAdmin) {
      // The enabled admins, locked on PostgreSQL so two admins demoting each other at once
      // cannot both succeed (SQLite writers are serialized already).
      const admins = await tx
        .selectFrom('users')
        .where('org_id', '=', actor.orgId)
        .where('role', '=', 'admin')
        .where('disabled_at', 'is', null)
        .select('id')
        .$if(store.backend === 'postgres', (q) => q.forUpdate())
        .execute();
      if (admins.length <= 1) {
        throw new AppError('CONFLICT', 'the organization must keep at least one enabled admin');
      }
    }
    const disabledAt =
      input.disabled === undefined ? user.disabled_at : input.disabled ? (user.disabled_at ?? now) : null;
    await tx
      .updateTable('users')
      .set({
        role: input.role ?? user.role,
        name: name ?? user.name,
        disabled_at: disabledAt,
        ...(passwordHash === undefined ? {} : { password_hash: passwordHash, password_changed_at: now }),
      })
      .where('id', '=', id)
      .execute();
    if (disabledAt !== null || passwordHash !== undefined) {
      await deleteUserSessions(tx, id);
      // An open invite link would otherwise outlive the disabling or set a second password.
      await tx.deleteFrom('user_invites').where('user_id', '=', id).execute();
    }
    return userView(await findUser(tx, actor, id));
  });
}
