import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { openStore } from '../src/store/store.ts';
import { describeBackends } from './support/backends.ts';

describeBackends('store', (ctx) => {
  it('reads back durable settings', () => {
    if (ctx.backend === 'sqlite') {
      expect(ctx.store.durability).toEqual({
        journal_mode: 'wal',
        synchronous: '1',
        wal_autocheckpoint: '0',
        busy_timeout: '10000',
        commit_sync: 'fdatasync',
      });
    } else {
      expect(ctx.store.durability).toEqual({ fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on' });
    }
  });

  it('migrates idempotently', async () => {
    const again = await openStore(ctx.url);
    const { rows } = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(again.db);
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
    await again.close();
  });

  it('rolls back a failed write transaction completely', async () => {
    await expect(
      ctx.store.write(async (tx) => {
        await tx
          .insertInto('organizations')
          .values({ id: 'org-rollback', name: 'x', created_at: 1 })
          .execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const row = await ctx.store.db
      .selectFrom('organizations')
      .where('id', '=', 'org-rollback')
      .selectAll()
      .executeTakeFirst();
    expect(row).toBeUndefined();
  });

  it('keeps one snapshot for the whole read while writes commit', async () => {
    await ctx.store.db
      .insertInto('organizations')
      .values({ id: 'org-snap-1', name: 'a', created_at: 1 })
      .execute();
    const counts = await ctx.store.snapshot(async (db) => {
      const count = async () =>
        Number(
          (
            await db
              .selectFrom('organizations')
              .select((e) => e.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      await ctx.store.write((tx) =>
        tx.insertInto('organizations').values({ id: 'org-snap-2', name: 'b', created_at: 2 }).execute(),
      );
      return [before, await count()];
    });
    expect(counts[0]).toBe(counts[1]);
    const now = await ctx.store.db
      .selectFrom('organizations')
      .where('id', '=', 'org-snap-2')
      .select('id')
      .execute();
    expect(now).toHaveLength(1);
  });

  it('survives the database closing an idle connection (no unhandled pool error)', async () => {
    if (ctx.backend !== 'postgres') return;
    const other = await openStore(ctx.url);
    try {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(other.db);
      // That connection is idle in the pool now; the server ends it, as a restart would.
      await sql`select pg_terminate_backend(${rows[0]!.pid})`.execute(ctx.store.db);
      let answered = false;
      for (let i = 0; i < 50 && !answered; i++) {
        answered = await sql`select 1`.execute(other.db).then(
          () => true,
          () => false,
        );
        if (!answered) await new Promise((r) => setTimeout(r, 50));
      }
      expect(answered).toBe(true);
    } finally {
      await other.close();
    }
  });
});
