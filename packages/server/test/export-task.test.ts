import { expect, it } from 'vitest';
import { createExportTask, getExportTask } from '../src/exports/tasks/export-task.service.ts';
import type { Actor } from '../src/orgs/actor.ts';
import { AppError } from '../src/shared/errors.ts';
import { openStore, type Store } from '../src/store/store.ts';
import { describeBackends } from './support/backends.ts';
import { seedOrg, seedProject } from './support/export-child-fixtures.ts';

const PROJECT_LIMIT = 'Too many exports running for this project (10). Try again when one finishes.';

const create = (store: Store, actor: Actor, projectId: string, name?: string) =>
  createExportTask(store, actor, { projectId, type: 'export-data-rows', name, params: {}, filters: {} });

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    return err instanceof AppError ? err.code : `unexpected ${String(err)}`;
  }
}

describeBackends('export tasks: create and read', (ctx) => {
  it('returns an IN_PROGRESS task at once and persists it', async () => {
    const actor = await seedOrg(ctx.store);
    const projectId = await seedProject(ctx.store, actor, 'Chat prefs');
    const created = await create(ctx.store, actor, projectId, 'my export');
    expect(created).toEqual({
      id: expect.stringMatching(/^c[0-9a-z]{24}$/),
      name: 'my export',
      status: 'IN_PROGRESS',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/),
    });
    const row = await ctx.store.db
      .selectFrom('export_tasks')
      .where('id', '=', created.id)
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      org_id: actor.orgId,
      project_id: projectId,
      status: 'IN_PROGRESS',
      worker_id: null,
      attempts: 0,
      created_by: actor.userId,
    });
    const view = await getExportTask(ctx.store, actor, created.id);
    expect(view).toMatchObject({ id: created.id, status: 'IN_PROGRESS', completion_percentage: 0 });
    expect(view.result).toBeNull();
    const unnamed = await create(ctx.store, actor, projectId);
    expect(unnamed.name).toBe('Export v2: Chat prefs');
  });

  it("answers another organization's project and task as missing", async () => {
    const a = await seedOrg(ctx.store, 'A');
    const b = await seedOrg(ctx.store, 'B');
    const projectA = await seedProject(ctx.store, a);
    expect(await codeOf(create(ctx.store, b, projectA))).toBe('NOT_FOUND');
    expect(await codeOf(create(ctx.store, a, 'cnonexistentproject000000'))).toBe('NOT_FOUND');
    const task = await create(ctx.store, a, projectA);
    await expect(getExportTask(ctx.store, b, task.id)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `export task ${task.id} not found`,
    });
  });

  it('rejects an unknown type and params that are not an object', async () => {
    const actor = await seedOrg(ctx.store);
    const projectId = await seedProject(ctx.store, actor);
    const bad = (input: object) =>
      codeOf(
        createExportTask(ctx.store, actor, {
          projectId,
          type: 'export-data-rows',
          params: {},
          filters: {},
          ...input,
        } as never),
      );
    expect(await bad({ type: 'export-everything' })).toBe('BAD_REQUEST');
    expect(await bad({ params: [1] })).toBe('BAD_REQUEST');
    expect(await bad({ filters: 'x' })).toBe('BAD_REQUEST');
    expect(await bad({ params: { attachmentz: true } })).toBe('BAD_REQUEST');
    expect(await bad({ filters: { workflow_status: 'Nope' } })).toBe('BAD_REQUEST');
    await expect(
      createExportTask(ctx.store, actor, {
        projectId,
        type: 'export-data-rows',
        params: {},
        filters: { data_row_ids: ['a'], global_keys: ['b'] },
      }),
    ).rejects.toMatchObject({
      message: 'data_rows and global_keys cannot both be present in export filters',
    });
    const { n } = await ctx.store.db
      .selectFrom('export_tasks')
      .where('project_id', '=', projectId)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBe(0);
  });

  it('refuses an 11th running export of a project and a 21st of an organization', async () => {
    const actor = await seedOrg(ctx.store);
    const [p1, p2, p3] = [
      await seedProject(ctx.store, actor),
      await seedProject(ctx.store, actor),
      await seedProject(ctx.store, actor),
    ];
    for (let i = 0; i < 10; i++) await create(ctx.store, actor, p1!);
    await expect(create(ctx.store, actor, p1!)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      message: PROJECT_LIMIT,
    });
    for (let i = 0; i < 10; i++) await create(ctx.store, actor, p2!);
    await expect(create(ctx.store, actor, p3!)).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      message: 'Too many exports running in this organization (20). Try again when one finishes.',
    });
    // Finished tasks do not count: one COMPLETE frees a slot in the project and the organization.
    const one = await ctx.store.db
      .selectFrom('export_tasks')
      .where('project_id', '=', p1!)
      .select('id')
      .executeTakeFirstOrThrow();
    await ctx.store.db
      .updateTable('export_tasks')
      .set({ status: 'COMPLETE' })
      .where('id', '=', one.id)
      .execute();
    await create(ctx.store, actor, p3!);
    // Another organization has its own budget.
    const other = await seedOrg(ctx.store, 'Other');
    await create(ctx.store, other, await seedProject(ctx.store, other));
  });

  it('lets exactly 10 of 16 concurrent creates through, across connections', async () => {
    const actor = await seedOrg(ctx.store);
    const projectId = await seedProject(ctx.store, actor);
    // PostgreSQL: several pools, so creates really overlap. SQLite: one store, as a server runs it
    // (better-sqlite3 blocks the thread on a lock, so two connections in one process would deadlock
    // until busy_timeout); its creates still interleave at every await outside the transaction.
    const stores =
      ctx.backend === 'postgres'
        ? [ctx.store, await openStore(ctx.url), await openStore(ctx.url), await openStore(ctx.url)]
        : [ctx.store];
    try {
      const codes = await Promise.all(
        Array.from({ length: 16 }, (_, i) => codeOf(create(stores[i % stores.length]!, actor, projectId))),
      );
      expect(codes.filter((c) => c === 'resolved')).toHaveLength(10);
      expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(6);
    } finally {
      await Promise.all(stores.slice(1).map((s) => s.close()));
    }
    const { n } = await ctx.store.db
      .selectFrom('export_tasks')
      .where('project_id', '=', projectId)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(n)).toBe(10);
  });
});
