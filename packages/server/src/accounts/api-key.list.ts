/** API keys as the HTTP API lists them: one's own, or (admins) any user's of the organization. */

import type { Actor } from '../orgs/actor.ts';
import { decodeCursor, type Page, pageFrom } from '../shared/cursor.ts';
import { AppError } from '../shared/errors.ts';
import { formatV2 } from '../shared/time.ts';
import type { Store } from '../store/store.ts';
import { findUser } from './user.service.ts';

export type KeyState = 'active' | 'revoked' | 'expired';

export interface ApiKeyView {
  id: string;
  name: string;
  /** Recognises the key (`prefer_<prefix>_…`); the rest is never shown again. */
  prefix: string;
  user_id: string;
  user_email: string;
  state: KeyState;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : formatV2(ms));

export async function listKeyPage(
  store: Store,
  actor: Actor,
  input: { userId?: string | undefined; limit: number; cursor?: string | undefined },
  now = Date.now(),
): Promise<Page<ApiKeyView>> {
  const userId = input.userId ?? actor.userId;
  if (userId !== actor.userId) {
    if (actor.role !== 'admin')
      throw new AppError('FORBIDDEN', "only an organization admin may list another user's keys");
    await findUser(store.db, actor, userId);
  }
  let q = store.db
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .where('api_keys.org_id', '=', actor.orgId)
    .where('api_keys.user_id', '=', userId)
    .select([
      'api_keys.id',
      'api_keys.name',
      'api_keys.prefix',
      'api_keys.user_id',
      'users.email as user_email',
      'api_keys.created_at',
      'api_keys.expires_at',
      'api_keys.revoked_at',
      'api_keys.last_used_at',
    ]);
  if (input.cursor) q = q.where('api_keys.id', '>', String(decodeCursor(input.cursor, ['string'])[0]));
  const rows = await q
    .orderBy('api_keys.id')
    .limit(input.limit + 1)
    .execute();
  return pageFrom(
    rows,
    input.limit,
    (r) => [r.id],
    (r) => ({
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      user_id: r.user_id,
      user_email: r.user_email,
      state:
        r.revoked_at !== null
          ? 'revoked'
          : r.expires_at !== null && r.expires_at <= now
            ? 'expired'
            : 'active',
      created_at: formatV2(r.created_at),
      expires_at: iso(r.expires_at),
      revoked_at: iso(r.revoked_at),
      last_used_at: iso(r.last_used_at),
    }),
  );
}
