/**
 * What every credential (session cookie, API key) asks of its user, in one place so the two
 * cannot drift apart: the user still active, and the credential's last-seen time kept as a hint.
 */
import type { Store, Tx } from '../store/store.ts';

/** Last-seen times are hints, not an audit log: written at most once a minute per credential. */
const LAST_SEEN_GRANULARITY_MS = 60_000;

/** The credential's row joined to its user (`users.org_id as user_org_id`). */
export interface CredentialUser {
  org_id: string;
  user_org_id: string;
  disabled_at: number | null;
}

/**
 * A credential acts only while its user is enabled and still in the organization it was issued
 * in: disabling a user (or moving them out) stops their sessions and keys at once.
 */
export function userStillActive(row: CredentialUser): boolean {
  return row.disabled_at === null && row.user_org_id === row.org_id;
}

/** Runs `update` (writing the credential's last-seen time) unless it was written under a minute ago. */
export async function touchLastSeen(
  store: Store,
  lastSeen: number | null,
  now: number,
  update: (tx: Tx) => Promise<unknown>,
): Promise<void> {
  if (lastSeen !== null && now - lastSeen < LAST_SEEN_GRANULARITY_MS) return;
  await store.write(update);
}
