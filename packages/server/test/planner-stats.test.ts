/**
 * Planner statistics kept current where autovacuum is off or behind (projects/planner-stats.ts):
 * a table that outgrew its statistics is analyzed, one that did not is left alone; the queues check in
 * the background, and a batch analyzes what it added.
 */
import { sql } from 'kysely';
import { expect, it, onTestFinished } from 'vitest';
import {
  analyzeStaleTables,
  keepPlannerStatsFresh,
  setPlannerStatsInterval,
  settlePlannerStats,
} from '../src/projects/planner-stats.ts';
import { newId } from '../src/shared/ids.ts';
import type { Store } from '../src/store/store.ts';
import { describeBackends } from './support/backends.ts';
import { workflowProject } from './workflow-helpers.ts';

/** What the planner believes of a table (PostgreSQL): -1 tuples until it was first analyzed. */
async function believed(store: Store, table: string): Promise<{ pages: number; tuples: number }> {
  const { rows } = await sql<{ pages: number; tuples: number }>`
    select relpages as pages, reltuples::float8 as tuples from pg_class
    where relname = ${table} and relnamespace = current_schema()::text::regnamespace`.execute(store.db);
  return rows[0]!;
}

async function addOrganizations(store: Store, n: number): Promise<void> {
  await store.write(async (tx) => {
    for (let i = 0; i < n; i += 500) {
      const values = Array.from({ length: Math.min(500, n - i) }, (_, j) => ({
        id: newId(),
        name: `planner-stats ${i + j} ${'x'.repeat(200)}`,
        created_at: i + j,
      }));
      await tx.insertInto('organizations').values(values).execute();
    }
  });
}

describeBackends('planner statistics', (ctx) => {
  it('analyzes a table that grew past twice its statistics, and leaves it once they are current', async () => {
    if (ctx.backend === 'sqlite') {
      // SQLite plans without table statistics: nothing to refresh, and nothing is written.
      await analyzeStaleTables(ctx.store);
      const stat = await sql<{
        n: number;
      }>`select count(*) as n from sqlite_master where name = 'sqlite_stat1'`.execute(ctx.store.db);
      expect(stat.rows[0]!.n).toBe(0);
      return;
    }
    await analyzeStaleTables(ctx.store);
    const before = await believed(ctx.store, 'organizations');
    expect(before.tuples).toBeLessThan(100);

    // A few rows (under 8 pages): not worth an ANALYZE.
    await addOrganizations(ctx.store, 20);
    await analyzeStaleTables(ctx.store);
    expect(await believed(ctx.store, 'organizations')).toEqual(before);

    // 2,000 rows of ~250 bytes: about 70 pages, far past what the statistics say.
    await addOrganizations(ctx.store, 2000);
    await analyzeStaleTables(ctx.store);
    const after = await believed(ctx.store, 'organizations');
    expect(after.tuples).toBeGreaterThanOrEqual(2020);
    expect(after.pages).toBeGreaterThan(8);

    // 10% more rows is not twice the size: the statistics stay as they were.
    await addOrganizations(ctx.store, 200);
    await analyzeStaleTables(ctx.store);
    expect(await believed(ctx.store, 'organizations')).toEqual(after);
  });

  it('analyzes only the tables it is given, when given some', async () => {
    if (ctx.backend === 'sqlite') return; // nothing to refresh (above)
    await analyzeStaleTables(ctx.store);
    const before = await believed(ctx.store, 'organizations');
    await addOrganizations(ctx.store, 2 * Math.max(before.tuples, 1000));
    await analyzeStaleTables(ctx.store, ctx.store.db, ['users']);
    expect(await believed(ctx.store, 'organizations')).toEqual(before);
    await analyzeStaleTables(ctx.store, ctx.store.db, ['users', 'organizations']);
    expect((await believed(ctx.store, 'organizations')).tuples).toBeGreaterThan(before.tuples * 2);
  });

  it("counts a writer's own uncommitted rows, so its next lookups use the partial index they filled", async () => {
    if (ctx.backend === 'sqlite') return;
    // A table shaped like labels' identity index: partial, empty when last analyzed.
    await sql`create table identities (project text, row_key text, hash text, pad text)`.execute(
      ctx.store.db,
    );
    await sql`create index identities_hash on identities (project, row_key) where hash is not null`.execute(
      ctx.store.db,
    );
    await sql`insert into identities select 'p', 'old-' || g, null, repeat('x', 200) from generate_series(1, 40000) g`.execute(
      ctx.store.db,
    );
    await sql`analyze identities`.execute(ctx.store.db);
    const keys = Array.from({ length: 50 }, (_, i) => `k-${i * 97}`);
    const lookup = (tx: Parameters<typeof analyzeStaleTables>[1]) =>
      sql<{ 'QUERY PLAN': string }>`explain select row_key from identities
        where project = 'p' and row_key in (${sql.join(keys)}) and hash is not null`.execute(tx!);
    const indexCondition = (plan: { 'QUERY PLAN': string }[]) =>
      plan.map((r) => r['QUERY PLAN']).find((l) => l.includes('Index Cond')) ?? '';
    await ctx.store.write(async (tx) => {
      // A bulk writer fills the partial index: 30,000 entries the statistics do not know (the
      // table grows by less than twice, its index from empty).
      await sql`insert into identities select 'p', 'k-' || g, md5(g::text), null from generate_series(1, 30000) g`.execute(
        tx,
      );
      // Planned from the old figures, the lookup walks the whole project in the index.
      expect(indexCondition((await lookup(tx)).rows)).not.toContain('row_key');
      await analyzeStaleTables(ctx.store, tx);
      expect(indexCondition((await lookup(tx)).rows)).toContain('row_key');
    });
    await sql`drop table identities`.execute(ctx.store.db);
  });

  it("the queues' check runs in the background, at most once per interval", async () => {
    if (ctx.backend === 'sqlite') return;
    const interval = setPlannerStatsInterval(3_600_000);
    onTestFinished(() => {
      setPlannerStatsInterval(interval);
    });
    await analyzeStaleTables(ctx.store);
    const before = await believed(ctx.store, 'organizations');
    await addOrganizations(ctx.store, 2 * before.tuples + 2000);
    // The first check of a store is due: it starts (the caller does not wait for it).
    keepPlannerStatsFresh(ctx.store);
    await settlePlannerStats(ctx.store);
    const after = await believed(ctx.store, 'organizations');
    expect(after.tuples).toBeGreaterThan(2 * before.tuples + 2000);

    // Within the interval no check starts, however stale the statistics are.
    await addOrganizations(ctx.store, 2 * after.tuples + 2000);
    keepPlannerStatsFresh(ctx.store);
    await settlePlannerStats(ctx.store);
    expect(await believed(ctx.store, 'organizations')).toEqual(after);
    setPlannerStatsInterval(0);
    keepPlannerStatsFresh(ctx.store);
    await settlePlannerStats(ctx.store);
    expect((await believed(ctx.store, 'organizations')).tuples).toBeGreaterThan(after.tuples);
  });

  it('a batch leaves the statistics of the project rows it added current', async () => {
    if (ctx.backend === 'sqlite') return;
    const before = await believed(ctx.store, 'project_data_rows');
    const project = await workflowProject(ctx.store, 600);
    expect(project.rowIds).toHaveLength(600);
    expect((await believed(ctx.store, 'project_data_rows')).tuples).toBeGreaterThanOrEqual(
      Math.max(before.tuples, 0) + 600,
    );
  });
});
