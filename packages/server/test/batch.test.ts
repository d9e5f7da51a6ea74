import { CANONICAL_PREFERENCE_ONTOLOGY } from '@prefer/schemas';
import { expect, it } from 'vitest';
import { createBatch, listBatches } from '../src/batches/batch.service.ts';
import { createOntology } from '../src/ontologies/ontology.service.ts';
import type { Actor } from '../src/orgs/actor.ts';
import { createProject, getProject } from '../src/projects/project.service.ts';
import { AppError } from '../src/shared/errors.ts';
import { describeBackends } from './support/backends.ts';
import { seedActor, seedDataset } from './support/seed-rows.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(e instanceof AppError)) throw new Error(`expected an AppError, got ${String(e)}`);
  return e;
}

describeBackends('batches', (ctx) => {
  const setup = async (rows = 3) => {
    const actor = await seedActor(ctx.store);
    const ontology = await createOntology(ctx.store, actor, {
      name: 'o',
      ontology: CANONICAL_PREFERENCE_ONTOLOGY,
    });
    const project = await createProject(ctx.store, actor, { name: 'p', ontologyId: ontology.id });
    const dataset = await seedDataset(ctx.store, actor, rows);
    return { actor, projectId: project.id, ...dataset };
  };

  const projectRows = (projectId: string) =>
    ctx.store.db
      .selectFrom('project_data_rows')
      .where('project_id', '=', projectId)
      .selectAll()
      .orderBy('data_row_id')
      .execute();

  it('adds rows by id at the initial labeling task with history and activity', async () => {
    const { actor, projectId, rows, datasetId } = await setup(3);
    // An old stamp, so a moved one is told apart without relying on the clock.
    await ctx.store.db
      .updateTable('data_rows')
      .set({ last_activity_at: 1 })
      .where('dataset_id', '=', datasetId)
      .execute();
    const before = Date.now();
    const ids = [rows[0]!.id, rows[2]!.id];
    const batch = await createBatch(ctx.store, actor, {
      projectId,
      name: 'b1',
      priority: 2,
      dataRowIds: ids,
    });
    expect(batch.id).toMatch(UUID);
    expect(batch.dataRows).toBe(2);
    const project = await getProject(ctx.store, actor, projectId);
    const labelTask = project.tasks[0]!;
    const inProject = await projectRows(projectId);
    expect(inProject.map((r) => r.data_row_id)).toEqual([...ids].sort());
    for (const r of inProject) {
      expect(r).toMatchObject({
        batch_id: batch.id,
        task_id: labelTask.id,
        workflow_status: 'TO_LABEL',
        priority: 2,
        org_id: actor.orgId,
        lease_user_id: null,
      });
    }
    const history = await ctx.store.db
      .selectFrom('workflow_history')
      .where('project_id', '=', projectId)
      .selectAll()
      .execute();
    expect(history).toHaveLength(2);
    for (const h of history) {
      expect(h).toMatchObject({
        action: 'Move',
        created_by: actor.userId,
        previous_task_id: null,
        previous_task_name: null,
        next_task_id: labelTask.id,
        next_task_name: 'Initial labeling task',
      });
    }
    const activity = await ctx.store.db
      .selectFrom('data_rows')
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .select(['id', 'last_activity_at'])
      .execute();
    expect(activity).toHaveLength(3);
    for (const a of activity) {
      if (ids.includes(a.id)) expect(a.last_activity_at).toBeGreaterThanOrEqual(before);
      else expect(a.last_activity_at).toBe(1);
    }
    expect(await listBatches(ctx.store, actor, projectId)).toMatchObject([
      { id: batch.id, name: 'b1', priority: 2, dataRows: 2 },
    ]);
  });

  it('adds rows by global key, case-insensitively, with the default priority 5', async () => {
    const { actor, projectId, rows } = await setup(2);
    const keys = rows.map((r) => r.globalKey!.toUpperCase());
    const batch = await createBatch(ctx.store, actor, { projectId, name: 'keys', globalKeys: keys });
    expect(batch.dataRows).toBe(2);
    const inProject = await projectRows(projectId);
    expect(inProject.map((r) => r.data_row_id).sort()).toEqual(rows.map((r) => r.id).sort());
    expect(inProject.every((r) => r.priority === 5)).toBe(true);
  });

  it('adds a whole dataset across several pages', async () => {
    const { actor, projectId, datasetId, rows } = await setup(2345);
    const batch = await createBatch(ctx.store, actor, { projectId, name: 'all', datasetId });
    expect(batch.dataRows).toBe(2345);
    const inProject = await projectRows(projectId);
    expect(inProject.map((r) => r.data_row_id)).toEqual(rows.map((r) => r.id).sort());
    const history = await ctx.store.db
      .selectFrom('workflow_history')
      .where('project_id', '=', projectId)
      .select((e) => e.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(history.n)).toBe(2345);
  });

  it('lists every unknown id and key in one VALIDATION_FAILED and writes nothing', async () => {
    const { actor, projectId, rows } = await setup(2);
    const other = await seedActor(ctx.store);
    const foreign = await seedDataset(ctx.store, other, 1);
    const byId = await errorOf(
      createBatch(ctx.store, actor, {
        projectId,
        name: 'x',
        dataRowIds: [rows[0]!.id, 'cnope000000000000000000000', foreign.rows[0]!.id],
      }),
    );
    expect(byId.code).toBe('VALIDATION_FAILED');
    expect(byId.details).toEqual([
      { path: '$.dataRowIds[1]', message: 'unknown data row id "cnope000000000000000000000"' },
      { path: '$.dataRowIds[2]', message: `unknown data row id "${foreign.rows[0]!.id}"` },
    ]);
    const byKey = await errorOf(
      createBatch(ctx.store, actor, { projectId, name: 'x', globalKeys: ['missing', rows[1]!.globalKey!] }),
    );
    expect(byKey.details).toEqual([{ path: '$.globalKeys[0]', message: 'unknown global key "missing"' }]);
    expect(await projectRows(projectId)).toEqual([]);
    expect(await listBatches(ctx.store, actor, projectId)).toEqual([]);
  });

  it('refuses rows already in the project with CONFLICT listing them', async () => {
    const { actor, projectId, datasetId, rows } = await setup(3);
    await createBatch(ctx.store, actor, { projectId, name: 'first', dataRowIds: [rows[1]!.id] });
    const again = await errorOf(createBatch(ctx.store, actor, { projectId, name: 'second', datasetId }));
    expect(again.code).toBe('CONFLICT');
    expect(again.details).toEqual([
      { path: '$.datasetId', message: `data row ${rows[1]!.id} is already in the project` },
    ]);
    const byKey = await errorOf(
      createBatch(ctx.store, actor, {
        projectId,
        name: 'third',
        globalKeys: [rows[0]!.globalKey!, rows[1]!.globalKey!],
      }),
    );
    expect(byKey.details).toEqual([
      { path: '$.globalKeys[1]', message: `data row ${rows[1]!.id} is already in the project` },
    ]);
    expect((await projectRows(projectId)).map((r) => r.data_row_id)).toEqual([rows[1]!.id]);
    expect((await listBatches(ctx.store, actor, projectId)).map((b) => b.name)).toEqual(['first']);
  });

  it('refuses duplicates within the request, keys compared case-insensitively', async () => {
    const { actor, projectId, rows } = await setup(2);
    const e = await errorOf(
      createBatch(ctx.store, actor, {
        projectId,
        name: 'd',
        globalKeys: [rows[0]!.globalKey!, rows[0]!.globalKey!.toUpperCase()],
      }),
    );
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.details).toMatchObject([{ path: '$.globalKeys[1]' }]);
    const ids = await errorOf(
      createBatch(ctx.store, actor, { projectId, name: 'd', dataRowIds: [rows[0]!.id, rows[0]!.id] }),
    );
    expect(ids.details).toMatchObject([{ path: '$.dataRowIds[1]' }]);
  });

  it('checks priority bounds, the single source and the name', async () => {
    const { actor, projectId, rows, datasetId } = await setup(1);
    const dataRowIds = [rows[0]!.id];
    for (const priority of [0, 6, 1.5]) {
      const e = await errorOf(createBatch(ctx.store, actor, { projectId, name: 'p', priority, dataRowIds }));
      expect(e.details).toEqual([
        { path: '$.priority', message: 'must be an integer from 1 (highest) to 5 (lowest)' },
      ]);
    }
    const two = await errorOf(createBatch(ctx.store, actor, { projectId, name: 'p', dataRowIds, datasetId }));
    expect(two.details).toMatchObject([{ path: '$', message: expect.stringMatching(/exactly one source/) }]);
    const none = await errorOf(createBatch(ctx.store, actor, { projectId, name: 'p' }));
    expect(none.details).toMatchObject([{ path: '$' }]);
    const empty = await errorOf(createBatch(ctx.store, actor, { projectId, name: 'p', dataRowIds: [] }));
    expect(empty.details).toMatchObject([{ path: '$.dataRowIds' }]);
    for (const priority of [1, 5]) {
      const ok = await createBatch(ctx.store, actor, {
        projectId,
        name: `ok${priority}`,
        priority,
        dataRowIds: priority === 1 ? dataRowIds : undefined,
        datasetId: priority === 5 ? (await seedDataset(ctx.store, actor, 1)).datasetId : undefined,
      });
      expect(ok.dataRows).toBe(1);
    }
    const dup = await errorOf(createBatch(ctx.store, actor, { projectId, name: 'ok1', datasetId }));
    expect(dup.code).toBe('CONFLICT');
  });

  it("answers another organization's project or dataset as not found", async () => {
    const { projectId, datasetId } = await setup(1);
    const other: Actor = await seedActor(ctx.store);
    await expect(createBatch(ctx.store, other, { projectId, name: 'x', datasetId })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const mine = await setup(1);
    await expect(
      createBatch(ctx.store, mine.actor, { projectId: mine.projectId, name: 'x', datasetId }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await projectRows(projectId)).toEqual([]);
  });

  it('refuses an empty dataset', async () => {
    const { actor, projectId } = await setup(0);
    const empty = await seedDataset(ctx.store, actor, 0);
    const e = await errorOf(
      createBatch(ctx.store, actor, { projectId, name: 'e', datasetId: empty.datasetId }),
    );
    expect(e.code).toBe('VALIDATION_FAILED');
  });
});
