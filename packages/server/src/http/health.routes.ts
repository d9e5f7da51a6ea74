import { Hono } from 'hono';
import { sql } from 'kysely';
import { AppError } from '../shared/errors.ts';
import type { Store } from '../store/store.ts';
import type { AppEnv } from './context.ts';

export interface Health {
  status: 'ok';
  database: Store['backend'];
  /** The durability settings read back from the database when the store opened. */
  durability: Record<string, string>;
}

/** `GET /health`: answers ok only when the database answers a query. */
export function healthRoutes(store: Store) {
  return new Hono<AppEnv>().get('/health', async (c) => {
    try {
      await sql`select 1`.execute(store.db);
    } catch {
      throw new AppError('UNAVAILABLE', 'the database is not answering');
    }
    const body: Health = { status: 'ok', database: store.backend, durability: store.durability };
    return c.json(body);
  });
}
