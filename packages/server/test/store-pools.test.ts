/**
 * The PostgreSQL pools' settings stay the store's own: bigint columns read as numbers on its
 * pools only, and an error of a connection, idle or checked out, is reported, never thrown.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { expect, it, vi } from 'vitest';
import { openStore } from '../src/store/store.ts';
import { describeBackends } from './support/backends.ts';

describeBackends('store pools', (ctx) => {
  it('reads a bigint as a number', async () => {
    const r = await sql<{ n: unknown }>`select cast(1700000000123 as bigint) as n`.execute(ctx.store.db);
    expect(r.rows[0]!.n).toBe(1700000000123);
    const s = await ctx.store.snapshot((db) =>
      sql<{ n: unknown }>`select cast(1700000000123 as bigint) as n`.execute(db),
    );
    expect(s.rows[0]!.n).toBe(1700000000123);
  });

  it('leaves the pg module as it was for every other client in the process', async () => {
    if (ctx.backend !== 'postgres') return;
    const client = new pg.Client({ connectionString: ctx.url });
    await client.connect();
    try {
      const r = await client.query('select cast(1700000000123 as bigint) as n');
      expect(r.rows[0].n).toBe('1700000000123');
    } finally {
      await client.end();
    }
  });

  it('reports an idle connection the server ended, and the next query still runs', async () => {
    if (ctx.backend !== 'postgres') return;
    const seen: string[] = [];
    const store = await openStore(ctx.url, {
      migrate: false,
      onPoolError: (pool) => (err) => seen.push(`${pool}: ${err.message}`),
    });
    try {
      const pid = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(store.db);
      const admin = new pg.Client({ connectionString: ctx.url });
      await admin.connect();
      await admin.query('select pg_terminate_backend($1)', [pid.rows[0]!.pid]);
      await admin.end();
      await vi.waitFor(() => expect(seen).toHaveLength(1), { timeout: 5000, interval: 20 });
      expect(seen[0]).toMatch(/^request: /);
      const again = await sql<{ one: number }>`select 1 as one`.execute(store.db);
      expect(again.rows[0]!.one).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('reports a connection the server ended while a transaction held it, and fails only that transaction', async () => {
    if (ctx.backend !== 'postgres') return;
    const seen: string[] = [];
    const store = await openStore(ctx.url, {
      migrate: false,
      onPoolError: (pool) => (err) => seen.push(`${pool}: ${err.message}`),
    });
    try {
      const held = store.db.transaction().execute(async (tx) => {
        const pid = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(tx);
        const admin = new pg.Client({ connectionString: ctx.url });
        await admin.connect();
        await admin.query('select pg_terminate_backend($1)', [pid.rows[0]!.pid]);
        await admin.end();
        // Checked out and between two queries when the server ends it: heard, not thrown.
        await vi.waitFor(() => expect(seen).toHaveLength(1), { timeout: 5000, interval: 20 });
        await sql`select 1`.execute(tx);
      });
      await expect(held).rejects.toThrow();
      expect(seen[0]).toMatch(/^request: /);
      const again = await sql<{ one: number }>`select 1 as one`.execute(store.db);
      expect(again.rows[0]!.one).toBe(1);
    } finally {
      await store.close();
    }
  });
});
