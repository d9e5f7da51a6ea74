/**
 * Logging in and changing one's password. A failed login answers one 401 whatever went wrong
 * (unknown email, no password, wrong password, disabled user), after the same scrypt work, and
 * counts against the login rate limit (login-limit.ts): every attempt is counted before the hash
 * is checked and forgiven only when it was right.
 */

import { createSession, deleteUserSessions, type NewSession } from '../auth/session.service.ts';
import type { Actor } from '../orgs/actor.ts';
import { AppError } from '../shared/errors.ts';
import type { Store } from '../store/store.ts';
import type { LoginLimiter } from './login-limit.ts';
import {
  checkPasswordPolicy,
  hashPassword,
  MAX_PASSWORD_LENGTH,
  verifyDummy,
  verifyPassword,
} from './password.ts';
import { findUser, USER_COLUMNS, type UserView, userView } from './user.service.ts';

const LOGIN_FAILED = 'the email or the password is wrong';

export interface LoginResult {
  user: UserView;
  session: NewSession;
}

export async function login(
  store: Store,
  limiter: LoginLimiter,
  input: { email: string; password: string; address: string },
): Promise<LoginResult> {
  const email = input.email.trim().toLowerCase();
  const reservation = await limiter.reserve(email, input.address);
  const user = await store.db
    .selectFrom('users')
    .where('email_lower', '=', email)
    .select([...USER_COLUMNS, 'org_id'])
    .executeTakeFirst();
  const ok =
    user?.password_hash != null && input.password.length <= MAX_PASSWORD_LENGTH * 4
      ? await verifyPassword(input.password, user.password_hash)
      : await verifyDummy(input.password);
  if (!ok || !user || user.disabled_at !== null) throw new AppError('UNAUTHENTICATED', LOGIN_FAILED);
  const session = await store.write(async (tx) => {
    await limiter.forgive(tx, reservation);
    return createSession(tx, user, limiter.now());
  });
  return { user: userView(user), session };
}

/**
 * Changes the actor's own password after checking the current one, and ends every other session
 * of the user (`keepSession`: the hash of the session making the change, kept). API keys stay
 * valid: they are separate credentials, revoked on their own.
 */
export async function changeOwnPassword(
  store: Store,
  limiter: LoginLimiter,
  actor: Actor,
  input: { currentPassword: string; newPassword: string; keepSession?: string | undefined; address: string },
): Promise<void> {
  checkPasswordPolicy(input.newPassword, 'new_password');
  const reservation = await limiter.reserve(actor.email, input.address);
  const user = await findUser(store.db, actor, actor.userId);
  const ok =
    user.password_hash !== null
      ? await verifyPassword(input.currentPassword, user.password_hash)
      : await verifyDummy(input.currentPassword);
  if (!ok) throw new AppError('FORBIDDEN', 'current_password is wrong');
  const hash = await hashPassword(input.newPassword);
  const now = Date.now();
  await store.write(async (tx) => {
    await limiter.forgive(tx, reservation);
    await tx
      .updateTable('users')
      .set({ password_hash: hash, password_changed_at: now })
      .where('id', '=', actor.userId)
      .where('org_id', '=', actor.orgId)
      .execute();
    await deleteUserSessions(tx, actor.userId, input.keepSession);
  });
}
