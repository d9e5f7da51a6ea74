import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { WIDE_COLUMNS } from '../src/store/migrations/0021_lz4_wide_columns.ts';
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

  it('stores wide text compressed with lz4 on PostgreSQL (where the server has it)', async () => {
    const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(ctx.store.db);
    expect(applied.rows.map((r) => r.name)).toContain('0021_lz4_wide_columns');
    if (ctx.backend === 'sqlite') return; // SQLite does not compress: the migration changes nothing there.
    const lz4 = await sql<{ lz4: boolean }>`
      select 'lz4' = any(enumvals) as lz4 from pg_settings where name = 'default_toast_compression'`.execute(
      ctx.store.db,
    );
    const method = lz4.rows[0]!.lz4 ? 'l' : '';
    const { rows } = await sql<{ table: string; column: string; method: string }>`
      select c.relname as table, a.attname as column, a.attcompression as method
      from pg_attribute a join pg_class c on c.oid = a.attrelid
      where c.relnamespace = current_schema()::text::regnamespace and not a.attisdropped`.execute(
      ctx.store.db,
    );
    for (const [table, columns] of Object.entries(WIDE_COLUMNS)) {
      for (const column of columns) {
        expect(rows.find((r) => r.table === table && r.column === column)?.method, `${table}.${column}`).toBe(
          method,
        );
      }
    }
    // A value PostgreSQL compresses (over ~2 KB) is stored with that method.
    const normalized = JSON.stringify({
      classifications: Array.from({ length: 400 }, (_, i) => ({ name: `q${i}` })),
    });
    await ctx.store.write((tx) =>
      tx
        .insertInto('ontologies')
        .values({
          id: 'lz4-ontology',
          org_id: 'org-lz4',
          name: 'lz4',
          normalized,
          created_at: 1,
          updated_at: 1,
        })
        .execute(),
    );
    const stored = await sql<{ method: string | null }>`
      select pg_column_compression(normalized) as method from ontologies where id = 'lz4-ontology'`.execute(
      ctx.store.db,
    );
    expect(stored.rows[0]!.method).toBe(lz4.rows[0]!.lz4 ? 'lz4' : 'pglz');
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
