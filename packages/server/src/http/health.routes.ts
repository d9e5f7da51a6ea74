import { sql } from 'kysely';
import { z } from 'zod';
import { AppError } from '../shared/errors.ts';
import type { Store } from '../store/store.ts';
import type { ApiRouter } from './api-router.ts';
import { openApiDocument } from './openapi.ts';

export interface Health {
  status: 'ok';
  database: Store['backend'];
  /** The durability settings read back from the database when the store opened. */
  durability: Record<string, string>;
}

const healthSchema = z.object({
  status: z.literal('ok'),
  database: z.enum(['sqlite', 'postgres']),
  durability: z.record(z.string(), z.string()),
});

/** `GET /health` (ok only when the database answers a query) and `GET /openapi.json`. */
export function healthRoutes(api: ApiRouter): void {
  api.publicRoute({
    method: 'get',
    path: '/health',
    summary: 'Health and durability settings',
    tag: 'meta',
    responses: { 200: { description: 'The server and its database answer', schema: healthSchema } },
    handler: async (c) => {
      try {
        await sql`select 1`.execute(api.store.db);
      } catch {
        throw new AppError('UNAVAILABLE', 'the database is not answering');
      }
      const body: Health = { status: 'ok', database: api.store.backend, durability: api.store.durability };
      return c.json(body);
    },
  });
  api.publicRoute({
    method: 'get',
    path: '/openapi.json',
    summary: 'This API described as OpenAPI 3.1',
    tag: 'meta',
    responses: { 200: { description: 'The OpenAPI document', contentType: 'application/json' } },
    handler: (c) => c.json(openApiDocument(api.routes)),
  });
}
