/** API keys: created (shown once), listed (never the key itself) and revoked. */
import { type ApiKeyWire, apiKeySchema, createdApiKeySchema } from '@prefer/schemas';
import type { Client } from './client.ts';
import { type PageOptions, paginate } from './paging.ts';

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

  constructor(wire: ApiKeyWire) {
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
  const wire = await client.requestJson('POST', '/keys', createdApiKeySchema, { body });
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
  return paginate(client, path, apiKeySchema, (w) => new ApiKey(w), options);
}

export async function revokeApiKey(client: Client, id: string): Promise<void> {
  const res = await client.request('DELETE', `/keys/${encodeURIComponent(id)}`);
  await res.body?.cancel();
}
