/** API keys: created (shown once), listed (never the key itself) and revoked. */
import { z } from 'zod';
import type { Client } from './client.ts';
import { type PageOptions, paginate } from './paging.ts';

const keySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  user_id: z.string(),
  user_email: z.string(),
  state: z.enum(['active', 'revoked', 'expired']),
  created_at: z.string(),
  expires_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
  last_used_at: z.string().nullable(),
});
type KeyWire = z.infer<typeof keySchema>;

const createdKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  key: z.string(),
  prefix: z.string(),
  expires_at: z.string(),
});

const date = (iso: string | null) => (iso === null ? null : new Date(iso));

export class ApiKey {
  readonly id: string;
  readonly name: string;
  /** Recognises the key: `prefer_<prefix>_…`. */
  readonly prefix: string;
  readonly userId: string;
  readonly userEmail: string;
  readonly state: 'active' | 'revoked' | 'expired';
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
  readonly lastUsedAt: Date | null;

  constructor(wire: KeyWire) {
    this.id = wire.id;
    this.name = wire.name;
    this.prefix = wire.prefix;
    this.userId = wire.user_id;
    this.userEmail = wire.user_email;
    this.state = wire.state;
    this.createdAt = new Date(wire.created_at);
    this.expiresAt = date(wire.expires_at);
    this.revokedAt = date(wire.revoked_at);
    this.lastUsedAt = date(wire.last_used_at);
  }
}

/** A key just created: `key` is shown this once and never again. */
export interface CreatedApiKey {
  id: string;
  name: string;
  key: string;
  prefix: string;
  expiresAt: Date;
}

export async function createApiKey(
  client: Client,
  input: { name: string; expiresInDays?: number },
): Promise<CreatedApiKey> {
  const body: Record<string, unknown> = { name: input.name };
  if (input.expiresInDays !== undefined) body.expires_in_days = input.expiresInDays;
  const wire = await client.requestJson('POST', '/keys', createdKeySchema, { body });
  return {
    id: wire.id,
    name: wire.name,
    key: wire.key,
    prefix: wire.prefix,
    expiresAt: new Date(wire.expires_at),
  };
}

export function getApiKeys(
  client: Client,
  options: PageOptions & { userId?: string } = {},
): AsyncGenerator<ApiKey> {
  const path = options.userId === undefined ? '/keys' : `/keys?user_id=${encodeURIComponent(options.userId)}`;
  return paginate(client, path, keySchema, (w) => new ApiKey(w), options);
}

export async function revokeApiKey(client: Client, id: string): Promise<void> {
  const res = await client.request('DELETE', `/keys/${encodeURIComponent(id)}`);
  await res.body?.cancel();
}
