/**
 * One-time invite links: an admin invites an email; the user is created without a password and
 * the answer carries a link, shown once, where the person sets their password and is signed in.
 *
 * The token is 256 random bits; the table keeps only its SHA-256 (like sessions), so a database
 * dump holds no usable link. One open invite per user: inviting again replaces the link, and
 * disabling the user or giving them a password (PATCH /users/:id) withdraws it. A link works once,
 * for INVITE_TTL_MS. Every refusal of a link says the same thing, so a link tells nobody which
 * users exist or why it failed.
 */
import { randomBytes } from 'node:crypto';
import { createSession, hashSessionToken, type NewSession } from '../auth/session.service.ts';
import type { Actor } from '../orgs/actor.ts';
import { AppError } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { OrgRole } from '../store/schema.ts';
import type { Db, Store, Tx } from '../store/store.ts';
import { checkPasswordPolicy, hashPassword } from './password.ts';
import { createUser, findUser, USER_COLUMNS, type UserView, userView } from './user.service.ts';

export const INVITE_TTL_MS = 7 * 86_400_000;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
export const INVITE_INVALID = 'this invite link is not valid: it was used, it expired or it was withdrawn';

export interface NewInvite {
  user: UserView;
  /** The raw token, for the link: never stored, never logged. */
  token: string;
  expiresAt: number;
}

export interface InviteInput {
  email: string;
  name?: string | undefined;
  role?: OrgRole | undefined;
}

/**
 * Invites `email` into the actor's organization. A new email makes a user without a password; a
 * user of the organization who has no password yet (invited before, or named by a label import)
 * gets a fresh link that replaces the old one. A user with a password or a disabled user is a
 * CONFLICT: an admin resets a password or enables the user instead.
 */
export async function inviteUser(
  store: Store,
  actor: Actor,
  input: InviteInput,
  now = Date.now(),
): Promise<NewInvite> {
  const lower = input.email.trim().toLowerCase();
  const existing = await store.db
    .selectFrom('users')
    .where('email_lower', '=', lower)
    .where('org_id', '=', actor.orgId)
    .select(USER_COLUMNS)
    .executeTakeFirst();
  if (existing && existing.password_hash !== null)
    throw new AppError(
      'CONFLICT',
      `${existing.email} already has a password: an admin can set a new one (PATCH /users/:userId)`,
    );
  if (existing && existing.disabled_at !== null)
    throw new AppError('CONFLICT', `${existing.email} is disabled: enable the user before inviting them`);
  // createUser refuses an email another organization holds without saying whose it is.
  const userId = existing?.id ?? (await createUser(store, actor, input, now)).id;
  const token = randomBytes(32).toString('base64url');
  const expiresAt = now + INVITE_TTL_MS;
  const user = await store.write(async (tx) => {
    const row = await findUser(tx, actor, userId);
    if (existing && (input.role !== undefined || input.name?.trim())) {
      await tx
        .updateTable('users')
        .set({ role: input.role ?? row.role, name: input.name?.trim() || row.name })
        .where('id', '=', userId)
        .execute();
    }
    await tx.deleteFrom('user_invites').where('user_id', '=', userId).execute();
    await tx
      .insertInto('user_invites')
      .values({
        token_hash: hashSessionToken(token),
        user_id: userId,
        org_id: actor.orgId,
        created_by: actor.userId,
        created_at: now,
        expires_at: expiresAt,
      })
      .execute();
    return userView(await findUser(tx, actor, userId));
  });
  return { user, token, expiresAt };
}

async function liveInvite(db: Db | Tx, token: string, now: number) {
  if (!TOKEN_PATTERN.test(token)) return undefined;
  const row = await db
    .selectFrom('user_invites')
    .innerJoin('users', 'users.id', 'user_invites.user_id')
    .where('user_invites.token_hash', '=', hashSessionToken(token))
    .select([
      'user_invites.token_hash',
      'user_invites.expires_at',
      'users.id',
      'users.org_id',
      'users.email',
      'users.role',
      'users.password_hash',
      'users.disabled_at',
    ])
    .executeTakeFirst();
  const live = row && row.expires_at > now && row.password_hash === null && row.disabled_at === null;
  return live ? row : undefined;
}

/** Whom a live link invites (the invited person sees their email before choosing a password). */
export async function describeInvite(
  store: Store,
  token: string,
  now = Date.now(),
): Promise<{ email: string; expiresAt: number }> {
  const row = await liveInvite(store.db, token, now);
  if (!row) throw new AppError('NOT_FOUND', INVITE_INVALID);
  return { email: row.email, expiresAt: Number(row.expires_at) };
}

/**
 * Sets the invited user's first password and opens a session for them. The invite is deleted in
 * the same transaction that checks it, so two uses of one link cannot both succeed (the second
 * finds no row; on PostgreSQL the row lock makes it wait for the first).
 */
export async function acceptInvite(
  store: Store,
  input: { token: string; password: string; address: string },
  now = Date.now(),
): Promise<{ user: UserView; session: NewSession; actor: Actor }> {
  // The token first: a stranger's guesses cost a lookup, never the scrypt work.
  if (!(await liveInvite(store.db, input.token, now))) throw new AppError('NOT_FOUND', INVITE_INVALID);
  checkPasswordPolicy(input.password);
  const hash = await hashPassword(input.password);
  return store.write(async (tx) => {
    const row = await liveInvite(tx, input.token, now);
    if (!row) throw new AppError('NOT_FOUND', INVITE_INVALID);
    const taken = await tx
      .deleteFrom('user_invites')
      .where('token_hash', '=', row.token_hash)
      .executeTakeFirst();
    if (Number(taken.numDeletedRows) !== 1) throw new AppError('NOT_FOUND', INVITE_INVALID);
    await tx
      .updateTable('users')
      .set({ password_hash: hash, password_changed_at: now })
      .where('id', '=', row.id)
      .execute();
    const actor: Actor = { orgId: row.org_id, userId: row.id, email: row.email, role: row.role };
    await tx
      .insertInto('audit_log')
      .values({
        id: newId(now),
        org_id: row.org_id,
        at: now,
        actor_id: row.id,
        actor_email: row.email,
        via: 'invite',
        action: 'post_auth_invite',
        method: 'POST',
        path: '/auth/invite',
        target_type: 'user',
        target_id: row.id,
        summary: 'invite accepted: first password set',
        status: 200,
        address: input.address,
      })
      .execute();
    const session = await createSession(tx, { id: row.id, org_id: row.org_id }, now);
    return { user: userView(await findUser(tx, actor, row.id)), session, actor };
  });
}
