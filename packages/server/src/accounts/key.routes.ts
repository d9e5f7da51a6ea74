/** API keys over HTTP: `POST /keys` (shown once), `GET /keys`, `DELETE /keys/:keyId`. */
import { apiKeySchema, createdApiKeySchema } from '@prefer/schemas';
import { z } from 'zod';
import { createApiKey, DEFAULT_KEY_DAYS, MAX_KEY_DAYS, revokeApiKey } from '../auth/api-key.service.ts';
import type { ApiRouter } from '../http/api-router.ts';
import { pageOf, pageQuery } from '../shared/cursor.ts';
import { formatV2 } from '../shared/time.ts';
import { listKeyPage } from './api-key.list.ts';

const DAY_MS = 86_400_000;

export function keyRoutes(api: ApiRouter): void {
  const { store } = api;
  api.route({
    method: 'post',
    path: '/keys',
    summary: `Create an API key acting as the caller (shown once; expires in ${DEFAULT_KEY_DAYS} days by default, ${MAX_KEY_DAYS} at most)`,
    tag: 'keys',
    permission: 'self',
    body: z.strictObject({
      name: z.string().min(1).max(200),
      expires_in_days: z.number().int().min(1).max(MAX_KEY_DAYS).optional(),
    }),
    responses: { 201: { description: 'The key, shown this once', schema: createdApiKeySchema } },
    handler: async (c, { actor, body }) => {
      const now = Date.now();
      const created = await createApiKey(
        store,
        actor,
        { name: body.name, expiresAt: now + (body.expires_in_days ?? DEFAULT_KEY_DAYS) * DAY_MS },
        now,
      );
      c.header('Cache-Control', 'no-store');
      return c.json(
        {
          id: created.id,
          name: body.name.trim(),
          key: created.key,
          prefix: created.prefix,
          expires_at: formatV2(created.expiresAt),
        },
        201,
      );
    },
  });
  api.route({
    method: 'get',
    path: '/keys',
    summary: "List one's API keys (an admin may pass user_id); never the keys themselves",
    tag: 'keys',
    permission: 'self',
    query: z.strictObject({ user_id: z.string().min(1).max(64).optional(), ...pageQuery }),
    responses: { 200: { description: 'A page of keys', schema: pageOf(apiKeySchema) } },
    handler: async (c, { actor, query }) =>
      c.json(
        await listKeyPage(store, actor, { userId: query.user_id, limit: query.limit, cursor: query.cursor }),
      ),
  });
  api.route({
    method: 'delete',
    path: '/keys/:keyId',
    summary: "Revoke an API key (one's own; an admin any of the organization): refused from the next request",
    tag: 'keys',
    permission: 'self',
    params: z.object({ keyId: z.string().min(1).max(64) }),
    responses: { 204: { description: 'Revoked' } },
    handler: async (c, { actor, params }) => {
      await revokeApiKey(store, actor, params.keyId);
      return c.body(null, 204);
    },
  });
}
