/**
 * The SDK calls the web app leans on, against a real server on a port: the order the model
 * outputs were shown in, the review queue, lease renewal and loss, the rework list and the
 * caller's home figures.
 */
import { Client, type Project } from '@prefer/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/http/server.ts';
import { describeBackends } from './support/backends.ts';
import { answers } from './workflow-helpers.ts';
import { type Member, team } from './workflow-http-helpers.ts';
import { withModelOutputs } from './workflow-model-outputs.ts';

describeBackends('SDK calls of the web app', (ctx) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ store: ctx.store, port: 0, host: '127.0.0.1', logError: () => {} });
  });
  afterAll(async () => {
    await server?.close();
  });
  const projectAs = (m: Member, projectId: string): Promise<Project> =>
    new Client({ endpoint: server.url, apiKey: m.key }).getProject(projectId);

  it('submits the displayed order and reads it back as Label.displayedOrder', async () => {
    const t = await team(ctx.store, 2);
    await withModelOutputs(ctx.store, t.rowIds);
    const labeler = await projectAs(t.labeler, t.projectId);
    const row = await labeler.nextRow();
    const { labelId } = await labeler.submitLabel({
      dataRowId: row!.dataRowId,
      classifications: answers(),
      secondsToCreate: 4,
      displayedOrder: ['Response B', 'Response A'],
    });
    expect((await labeler.getLabel(labelId)).displayedOrder).toEqual(['Response B', 'Response A']);
    const second = await labeler.nextRow();
    const bad = labeler.submitLabel({
      dataRowId: second!.dataRowId,
      classifications: answers(),
      secondsToCreate: 4,
      displayedOrder: ['Response B'],
    });
    await expect(bad).rejects.toMatchObject({
      name: 'ValidationError',
      status: 422,
      faults: [{ path: '$.displayed_order', message: expect.stringContaining('missing: "Response A"') }],
    });
    const plain = await labeler.submitLabel({
      dataRowId: second!.dataRowId,
      classifications: answers(),
      secondsToCreate: 4,
    });
    expect((await labeler.getLabel(plain.labelId)).displayedOrder).toBeNull();
  });
});
