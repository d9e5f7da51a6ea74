/**
 * Prepared queries (store/prepared.ts): built and compiled once per dialect, run with new values;
 * on PostgreSQL as named prepared statements.
 */
import { sql } from 'kysely';
import { beforeAll, expect, expectTypeOf, it } from 'vitest';
import { newId } from '../src/shared/ids.ts';
import { prepared, statementName } from '../src/store/prepared.ts';
import { describeBackends } from './support/backends.ts';

const orgsFrom = prepared((db, p: { prefix: string; since: number }) =>
  db
    .selectFrom('organizations')
    .where('name', 'like', p.prefix)
    .where('created_at', '>=', p.since)
    .select(['id', 'name'])
    .orderBy('name'),
);

const rename = prepared((db, p: { id: string; name: string }) =>
  db.updateTable('organizations').set({ name: p.name }).where('id', '=', p.id),
);

describeBackends('prepared queries', (ctx) => {
  const prefix = `prep-${newId().slice(-6)}-`;
  const ids: string[] = [];
  beforeAll(async () => {
    await ctx.store.write(async (tx) => {
      for (let i = 0; i < 10; i++) {
        const id = newId();
        ids.push(id);
        await tx
          .insertInto('organizations')
          .values({ id, name: `${prefix}${i}`, created_at: i })
          .execute();
      }
    });
  });

  const plain = (like: string, since: number) =>
    ctx.store.db
      .selectFrom('organizations')
      .where('name', 'like', like)
      .where('created_at', '>=', since)
      .select(['id', 'name'])
      .orderBy('name')
      .execute();

  it('answers the rows the plain query answers, and new values give new rows', async () => {
    for (const since of [0, 3, 7, 10]) {
      const rows = await orgsFrom.rows(ctx.store.db, { prefix: `${prefix}%`, since });
      expect(rows).toEqual(await plain(`${prefix}%`, since));
      expect(rows).toHaveLength(10 - since);
    }
    expect(await orgsFrom.first(ctx.store.db, { prefix: `${prefix}5`, since: 0 })).toEqual({
      id: ids[5],
      name: `${prefix}5`,
    });
    const none = await orgsFrom.first(ctx.store.db, { prefix: 'nobody-%', since: 0 });
    expect(none).toBeUndefined();
    // The row type is the built query's, the values' type the build's `p`.
    expectTypeOf(none).toEqualTypeOf<{ id: string; name: string } | undefined>();
    expectTypeOf(orgsFrom.rows).parameter(1).toEqualTypeOf<{ prefix: string; since: number }>();
  });

  it('runs many times on one connection inside a transaction, each run with its own values', async () => {
    const names = await ctx.store.write(async (tx) => {
      const seen: string[] = [];
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 10; i++) {
          expect(await rename.affected(tx, { id: ids[i]!, name: `${prefix}${i}-r${round}` })).toBe(1);
          const row = await orgsFrom.first(tx, { prefix: `${prefix}${i}-r${round}`, since: 0 });
          seen.push(row?.name ?? 'missing');
        }
      }
      if (ctx.backend === 'postgres') {
        // The transaction's connection holds both statements, prepared once each.
        const held = await sql<{ name: string; statement: string }>`
          select name, statement from pg_prepared_statements`.execute(tx);
        const byName = new Map(held.rows.map((r) => [r.name, r.statement]));
        const texts = [...byName.values()];
        const named = texts.filter(
          (t) => statementName(t) !== undefined && byName.get(statementName(t)!) === t,
        );
        expect(named.some((t) => t.includes('update "organizations"'))).toBe(true);
        expect(named.some((t) => t.includes('select "id", "name" from "organizations"'))).toBe(true);
      }
      return seen;
    });
    expect(names).toEqual([0, 1, 2].flatMap((r) => ids.map((_, i) => `${prefix}${i}-r${r}`)));
    expect(await rename.affected(ctx.store.db, { id: 'no-such-org', name: 'x' })).toBe(0);
  });

  it('runs concurrently across the pool with no value of one run leaking into another', async () => {
    const runs = await Promise.all(
      Array.from({ length: 60 }, (_, k) =>
        orgsFrom.rows(ctx.store.db, { prefix: `${prefix}%`, since: k % 11 }),
      ),
    );
    for (const [k, rows] of runs.entries()) expect(rows).toHaveLength(10 - (k % 11));
  });

  it("inserts with an insert's row of values (a list as long as its columns, allowed)", async () => {
    const addOrg = prepared((db, p: { id: string; name: string; at: number }) =>
      db.insertInto('organizations').values({ id: p.id, name: p.name, created_at: p.at }),
    );
    const fresh = [newId(), newId()];
    await ctx.store.write(async (tx) => {
      for (const [i, id] of fresh.entries()) {
        expect(await addOrg.affected(tx, { id, name: `${prefix}new-${i}`, at: 100 + i })).toBe(1);
      }
    });
    expect(await orgsFrom.rows(ctx.store.db, { prefix: `${prefix}new-%`, since: 0 })).toEqual(
      fresh.map((id, i) => ({ id, name: `${prefix}new-${i}` })),
    );
  });

  it('refuses a value that shaped the query, is used twice, sits in a list or is missing', async () => {
    const steered = prepared((db, p: { flag: boolean; id: string }) =>
      db
        .selectFrom('organizations')
        .where('id', '=', p.id)
        .$if(p.flag, (q) => q.where('created_at', '>', 0))
        .select('id'),
    );
    await expect(steered.rows(ctx.store.db, { flag: true, id: 'x' })).rejects.toThrow(
      /"flag" is 0 parameters/,
    );
    const twice = prepared((db, p: { id: string }) =>
      db.selectFrom('organizations').where('id', '=', p.id).where('name', '<>', p.id).select('id'),
    );
    await expect(twice.rows(ctx.store.db, { id: 'x' })).rejects.toThrow(/"id" is 2 parameters/);
    const listed = prepared((db, p: { a: string; b: string }) =>
      db.selectFrom('organizations').where('id', 'in', [p.a, p.b]).select('id'),
    );
    await expect(listed.rows(ctx.store.db, { a: 'x', b: 'y' })).rejects.toThrow(/inside a list/);
    const compared = prepared((db, p: { n: number }) =>
      db.selectFrom('organizations').where('name', '=', `org-${p.n}`).select('id'),
    );
    await expect(compared.rows(ctx.store.db, { n: 1 })).rejects.toThrow(/used while building/);
    const list = ['a', 'b'] as unknown as string;
    await expect(orgsFrom.rows(ctx.store.db, { prefix: list, since: 0 })).rejects.toThrow(
      /"prefix" is a list/,
    );
    const missing = { prefix: 'x' } as { prefix: string; since: number };
    await expect(orgsFrom.rows(ctx.store.db, missing)).rejects.toThrow(/"since" is missing/);
  });
});
