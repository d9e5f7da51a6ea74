/**
 * Concurrent writers (store.write): on SQLite they share one transaction and one commit
 * (store/group-commit.ts); on both backends each writer must keep the guarantees it has alone.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { newId } from '../src/shared/ids.ts';
import { describeBackends } from './support/backends.ts';

describeBackends('concurrent writers', (ctx) => {
  const orgsNamed = async (prefix: string) =>
    (
      await ctx.store.db
        .selectFrom('organizations')
        .where('name', 'like', `${prefix}%`)
        .select('name')
        .orderBy('name')
        .execute()
    ).map((o) => o.name);

  it('stores every writer of a concurrent burst and answers each its own value', async () => {
    const prefix = `burst-${newId().slice(-6)}-`;
    const names = Array.from({ length: 40 }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);
    const answers = await Promise.all(
      names.map((name) =>
        ctx.store.write(async (tx) => {
          await tx.insertInto('organizations').values({ id: newId(), name, created_at: 1 }).execute();
          return name.toUpperCase();
        }),
      ),
    );
    expect(answers).toEqual(names.map((n) => n.toUpperCase()));
    expect(await orgsNamed(prefix)).toEqual(names);
  });

  it('rolls back only the writers that fail, each rejecting with its own error', async () => {
    const prefix = `mixed-${newId().slice(-6)}-`;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        ctx.store.write(async (tx) => {
          const name = `${prefix}${String(i).padStart(2, '0')}`;
          await tx.insertInto('organizations').values({ id: newId(), name, created_at: 1 }).execute();
          if (i % 3 === 1) throw new Error(`writer ${i} failed after writing`);
          // A later statement failing (a duplicate primary key) rolls back the earlier one too.
          if (i % 3 === 2) {
            await tx.insertInto('organizations').values({ id: 'dup', name: 'dup', created_at: 1 }).execute();
            await tx.insertInto('organizations').values({ id: 'dup', name: 'dup', created_at: 1 }).execute();
          }
          return i;
        }),
      ),
    );
    outcomes.forEach((o, i) => {
      if (i % 3 === 0) expect(o).toEqual({ status: 'fulfilled', value: i });
      else if (i % 3 === 1)
        expect(o).toMatchObject({
          status: 'rejected',
          reason: { message: `writer ${i} failed after writing` },
        });
      else expect(o.status).toBe('rejected');
    });
    expect(await orgsNamed(prefix)).toEqual(
      [0, 3, 6, 9].map((i) => `${prefix}${String(i).padStart(2, '0')}`),
    );
    expect(
      await ctx.store.db.selectFrom('organizations').where('id', '=', 'dup').selectAll().execute(),
    ).toEqual([]);
  });

  it('runs SQLite writers one after another: each sees what the previous ones wrote', async () => {
    if (ctx.backend !== 'sqlite') return; // PostgreSQL writers run concurrently, ordered by row locks.
    const prefix = `serial-${newId().slice(-6)}-`;
    const seen = await Promise.all(
      Array.from({ length: 20 }, () =>
        ctx.store.write(async (tx) => {
          const { rows } = await sql<{
            n: number;
          }>`select count(*) as n from organizations where name like ${`${prefix}%`}`.execute(tx);
          const n = Number(rows[0]!.n);
          // Yield mid-transaction: no other writer may run in between.
          await new Promise((r) => setTimeout(r, 1));
          await tx
            .insertInto('organizations')
            .values({ id: newId(), name: `${prefix}${n}`, created_at: 1 })
            .execute();
          return n;
        }),
      ),
    );
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('fails every queued writer when the transaction cannot even begin, instead of retrying for ever', async () => {
    if (ctx.backend !== 'sqlite') return; // the group commit is SQLite's; PostgreSQL has a pool.
    // query_only: BEGIN IMMEDIATE itself fails, as on a read-only or damaged database.
    await sql`pragma query_only = on`.execute(ctx.store.db);
    try {
      const outcomes = await Promise.allSettled(
        Array.from({ length: 5 }, () =>
          ctx.store.write((tx) =>
            tx.insertInto('organizations').values({ id: newId(), name: 'never', created_at: 1 }).execute(),
          ),
        ),
      );
      expect(outcomes.map((o) => o.status)).toEqual(Array(5).fill('rejected'));
      expect(String((outcomes[0] as PromiseRejectedResult).reason)).toContain('readonly database');
    } finally {
      await sql`pragma query_only = off`.execute(ctx.store.db);
    }
    expect(await ctx.store.write(async () => 'written again')).toBe('written again');
  });
});
