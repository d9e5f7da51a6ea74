/**
 * Browser sessions. The cookie holds 256 random bits; the table keeps only their SHA-256 hash, so
 * a database dump holds no usable session. Each login makes a new session (no fixation), logout
 * deletes it, a password change deletes the user's other sessions, and a disabled user's sessions
 * stop working at once (checked on every request).
 *
 * Lifetime: a session ends 12 hours after its last request (idle) and 7 days after login
 * (absolute), whichever comes first.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Actor } from '../orgs/actor.ts';
import type { Db, Store, Tx } from '../store/store.ts';
import { touchLastSeen, userStillActive } from './credential-user.ts';

export const SESSION_IDLE_MS = 12 * 3_600_000;
export const SESSION_ABSOLUTE_MS = 7 * 86_400_000;

export interface NewSession {
  /** The cookie value: shown to the browser only. */
  token: string;
  csrfToken: string;
  expiresAt: number;
}

export interface SessionInfo {
  idHash: string;
  csrfToken: string;
}

export const hashSessionToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export async function createSession(
  tx: Tx,
  user: { id: string; org_id: string },
  now = Date.now(),
): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = now + SESSION_ABSOLUTE_MS;
  // Old sessions of this user that ended are cleared here, so the table does not grow forever.
  await tx
    .deleteFrom('sessions')
    .where('user_id', '=', user.id)
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', now - SESSION_IDLE_MS)]))
    .execute();
  await tx
    .insertInto('sessions')
    .values({
      id_hash: hashSessionToken(token),
      user_id: user.id,
      org_id: user.org_id,
      csrf_token: csrfToken,
      created_at: now,
      expires_at: expiresAt,
      last_seen_at: now,
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

/** The actor of a live session cookie, or undefined (unknown, ended, idle, or user disabled). */
export async function sessionActor(
  store: Store,
  token: string,
  now = Date.now(),
): Promise<{ actor: Actor; session: SessionInfo } | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  const idHash = hashSessionToken(token);
  const row = await store.db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .where('sessions.id_hash', '=', idHash)
    .select([
      'sessions.org_id',
      'sessions.user_id',
      'sessions.csrf_token',
      'sessions.expires_at',
      'sessions.last_seen_at',
      'users.email',
      'users.role',
      'users.disabled_at',
      'users.org_id as user_org_id',
    ])
    .executeTakeFirst();
  // Looked up by the hash of 256 random bits: timing of the lookup reveals nothing usable.
  if (!row) return undefined;
  const live = row.expires_at > now && row.last_seen_at > now - SESSION_IDLE_MS && userStillActive(row);
  if (!live) {
    await store.write((tx) => tx.deleteFrom('sessions').where('id_hash', '=', idHash).execute());
    return undefined;
  }
  await touchLastSeen(store, row.last_seen_at, now, (tx) =>
    tx.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute(),
  );
  return {
    actor: { orgId: row.org_id, userId: row.user_id, email: row.email, role: row.role },
    session: { idHash, csrfToken: row.csrf_token },
  };
}

export async function deleteSession(store: Store, idHash: string): Promise<void> {
  await store.write((tx) => tx.deleteFrom('sessions').where('id_hash', '=', idHash).execute());
}

/** Ends every session of a user but `keep` (the one changing the password, if any). */
export async function deleteUserSessions(db: Db | Tx, userId: string, keep?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keep) q = q.where('id_hash', '!=', keep);
  await q.execute();
}
