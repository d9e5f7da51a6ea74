import { sql } from 'kysely';
import { z } from 'zod';
import type { StreamGate } from '../exports/tasks/stream-gate.ts';
import { AppError } from '../shared/errors.ts';
import { walFileBytes } from '../store/sqlite-wal.ts';
import type { Store } from '../store/store.ts';
import { writeProblem } from '../store/write-probe.ts';
import type { ApiRouter } from './api-router.ts';
import { openApiDocument } from './openapi.ts';

export interface Health {
  status: 'ok';
  database: Store['backend'];
  /** The durability settings read back from the database when the store opened. */
  durability: Record<string, string>;
  /** Bytes of the SQLite `-wal` file (null on PostgreSQL): it grows while long reads pin it. */
  wal_bytes: number | null;
  /** Streamed exports running in this process, and the caps (exports/tasks/stream-gate.ts). */
  streams: { active: number; max: number; per_user: number; idle_seconds: number };
}

const healthSchema = z.object({
  status: z.literal('ok'),
  database: z.enum(['sqlite', 'postgres']),
  durability: z.record(z.string(), z.string()),
  wal_bytes: z.number().int().nullable(),
  streams: z.object({
    active: z.number().int(),
    max: z.number().int(),
    per_user: z.number().int(),
    idle_seconds: z.number(),
  }),
});

/**
 * `GET /health` (ok only when the database answers a query and takes a write, which is made and
 * rolled back: a database that answers reads but cannot be written is a 503) and
 * `GET /openapi.json`.
 */
export function healthRoutes(api: ApiRouter, streams: StreamGate): void {
  api.publicRoute({
    method: 'get',
    path: '/health',
    summary: 'Health, durability settings, WAL size and streamed exports',
    tag: 'meta',
    responses: {
      200: { description: 'The server and its database answer and take writes', schema: healthSchema },
    },
    handler: async (c) => {
      const { store } = api;
      try {
        await sql`select 1`.execute(store.db);
      } catch {
        throw new AppError('UNAVAILABLE', 'the database is not answering');
      }
      const problem = await writeProblem(store);
      // The database's own reason (e.g. "attempt to write a readonly database"), never SQL.
      if (problem !== null) throw new AppError('UNAVAILABLE', `the database cannot be written: ${problem}`);
      const body: Health = {
        status: 'ok',
        database: store.backend,
        durability: store.durability,
        wal_bytes: store.backend === 'sqlite' ? walFileBytes(store.url) : null,
        streams: {
          active: streams.active,
          max: streams.limits.max,
          per_user: streams.limits.perUser,
          idle_seconds: streams.limits.idleMs / 1000,
        },
      };
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
