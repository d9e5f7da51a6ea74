/** The dataset service: created, listed and read within one organization only. */
import { expect, it } from 'vitest';
import { createDataset, getDataset, listDatasets } from '../src/datasets/dataset.service.ts';
import { freshDataset, ndjson, runImport, spec } from './data-rows-helpers.ts';
import { describeBackends } from './support/backends.ts';

describeBackends('datasets', (ctx) => {
  it('creates, reads and lists datasets with their row counts', async () => {
    const { actor, datasetId } = await freshDataset(ctx.store);
    const created = await createDataset(ctx.store, actor, { name: '  Chat prefs  ', description: 'round 2' });
    expect(created).toEqual({ id: expect.stringMatching(/^c[0-9a-z]{24}$/), name: 'Chat prefs' });
    await runImport(ctx.store, actor, created.id, ndjson(spec('d-1'), spec('d-2')));
    expect(await getDataset(ctx.store, actor, created.id)).toMatchObject({
      id: created.id,
      name: 'Chat prefs',
      description: 'round 2',
      createdBy: actor.userId,
      rowCount: 2,
    });
    const list = await listDatasets(ctx.store, actor);
    expect(list.map((d) => [d.id, d.rowCount])).toEqual([
      [datasetId, 0],
      [created.id, 2],
    ]);
  });

  it("answers another organization's dataset as not found, and lists only its own", async () => {
    const mine = await freshDataset(ctx.store);
    const theirs = await freshDataset(ctx.store);
    await expect(getDataset(ctx.store, mine.actor, theirs.datasetId)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(getDataset(ctx.store, mine.actor, 'c0000000000000000000000000')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await listDatasets(ctx.store, mine.actor)).map((d) => d.id)).toEqual([mine.datasetId]);
  });

  it('refuses an empty name or unknown keys', async () => {
    const { actor } = await freshDataset(ctx.store);
    await expect(createDataset(ctx.store, actor, { name: '   ' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(
      createDataset(ctx.store, actor, { name: 'x', colour: 'red' } as { name: string }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/valid keys: name, description/),
    });
  });
});
