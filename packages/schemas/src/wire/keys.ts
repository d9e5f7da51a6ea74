/** Answers of the API key routes (`/keys`) as JSON, shared by the server and the SDK. */
import { z } from 'zod';

/** A key as listed: never the key itself. */
export const apiKeySchema = z.object({
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
export type ApiKeyWire = z.infer<typeof apiKeySchema>;

export const createdApiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The key: shown in this answer only. */
  key: z.string(),
  prefix: z.string(),
  expires_at: z.string(),
});
export type CreatedApiKeyWire = z.infer<typeof createdApiKeySchema>;
