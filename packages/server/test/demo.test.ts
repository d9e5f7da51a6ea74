import { expect, it } from 'vitest';
import { demoDataRows } from '../src/demo/conversations.ts';
import { DEMO_PROJECT_NAME, seedDemo } from '../src/demo/seed.ts';
import { localActor } from '../src/orgs/org.service.ts';
import { ID_PATTERN } from '../src/shared/ids.ts';
import { describeBackends } from './support/backends.ts';

it('the demo conversations are varied two-response conversations', () => {
  const rows = demoDataRows();
  expect(rows.length).toBeGreaterThanOrEqual(20);
  expect(new Set(rows.map((r) => r.global_key)).size).toBe(rows.length);
  for (const { row_data: c } of rows) {
    expect(c.modelOutputs?.map((o) => o.title)).toEqual(['Response A', 'Response B']);
    expect(c.modelOutputs?.every((o) => o.modelConfigName !== '' && o.content.length > 0)).toBe(true);
    expect(c.messages.at(-1)?.user.userId).toBe('user');
  }
  expect(rows.filter((r) => r.row_data.messages.length > 1).length).toBeGreaterThanOrEqual(3);
  expect(rows.filter((r) => r.row_data.messages.some((m) => m.canLabel)).length).toBeGreaterThanOrEqual(3);
});

describeBackends('demo seeding', (ctx) => {
  it('creates the dataset, ontology, project and one batch of every row', async () => {
    const actor = await localActor(ctx.store);
    const demo = await seedDemo(ctx.store, actor);
    expect(demo.created).toBe(true);
    expect(demo.projectId).toMatch(ID_PATTERN);
    expect(demo.datasetId).toMatch(ID_PATTERN);
    expect(demo.ontologyId).toMatch(ID_PATTERN);
    expect(demo.dataRows).toBe(demoDataRows().length);
    const inBatch = await ctx.store.db
      .selectFrom('project_data_rows')
      .where('batch_id', '=', demo.batchId)
      .where('project_id', '=', demo.projectId)
      .select(['data_row_id', 'workflow_status'])
      .execute();
    expect(inBatch).toHaveLength(demo.dataRows);
    expect(new Set(inBatch.map((r) => r.workflow_status))).toEqual(new Set(['TO_LABEL']));
    const labelable = await ctx.store.db
      .selectFrom('data_rows')
      .where('dataset_id', '=', demo.datasetId)
      .where('labelable_ids', '!=', '[]')
      .select('id')
      .execute();
    expect(labelable.length).toBe(
      demoDataRows().filter((r) => r.row_data.messages.some((m) => m.canLabel)).length,
    );
  });

  it('is idempotent: seeding again creates nothing and answers the same ids', async () => {
    const actor = await localActor(ctx.store);
    const before = await counts();
    const first = await seedDemo(ctx.store, actor);
    const again = await seedDemo(ctx.store, actor);
    expect(again).toEqual({ ...first, created: false });
    expect(await counts()).toEqual(before);
    const projects = await ctx.store.db
      .selectFrom('projects')
      .where('name', '=', DEMO_PROJECT_NAME)
      .select('id')
      .execute();
    expect(projects).toHaveLength(1);
  });

  async function counts() {
    const n = async (table: 'projects' | 'datasets' | 'data_rows' | 'batches' | 'ontologies') =>
      Number(
        (
          await ctx.store.db
            .selectFrom(table)
            .select((e) => e.fn.countAll<number | string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      projects: await n('projects'),
      datasets: await n('datasets'),
      dataRows: await n('data_rows'),
      batches: await n('batches'),
      ontologies: await n('ontologies'),
    };
  }
});
