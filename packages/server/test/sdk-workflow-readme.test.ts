/**
 * Runs the SDK example of the README's "Labeling workflow over the API" section as written
 * (only the environment is supplied: PREFER_URL, PROJECT_ID and the two keys), against a real
 * server on a port.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/http/server.ts';
import { describeBackends } from './support/backends.ts';
import { runReadmeBlock } from './support/readme-blocks.ts';
import { historyOf, projectRow } from './workflow-helpers.ts';
import { type Team, team } from './workflow-http-helpers.ts';

describeBackends('README labeling workflow example', (ctx) => {
  let server: RunningServer;
  let t: Team;
  beforeAll(async () => {
    t = await team(ctx.store, 2);
    server = await startServer({ store: ctx.store, port: 0, host: '127.0.0.1', logError: () => {} });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('runs as written: label, renew, review queue, reject, rework, approve, comment, home figures', async () => {
    const env = {
      PREFER_URL: server.url,
      PROJECT_ID: t.projectId,
      LABELER_KEY: t.labeler.key,
      REVIEWER_KEY: t.reviewer.key,
    };
    const printed = (await runReadmeBlock('sdk-workflow', { dir: ctx.dir, cwd: ctx.dir, env })).map(
      ([line]) => line,
    );

    const rowId = [...t.rowIds].sort()[0]!;
    expect(printed[0]).toBe(`label ${rowId}: 3 messages`);
    expect(printed[1]).toBe(`review ${rowId}: 1 label(s)`);
    expect(printed[2]).toMatch(/^rework c[0-9a-z]{24}: A answers the question; B does not$/);
    expect(printed[3]).toBe('today 1 of 2 rows');
    expect(printed).toHaveLength(4);
    expect((await projectRow(ctx.store, t.projectId, rowId)).workflow_status).toBe('DONE');
    const labels = await ctx.store.db
      .selectFrom('labels')
      .where('project_id', '=', t.projectId)
      .selectAll()
      .execute();
    expect(labels).toHaveLength(1);
    expect(labels[0]).toMatchObject({
      seconds_to_create: 57,
      seconds_to_review: 30,
      created_by: t.labeler.actor.userId,
    });
    expect(labels[0]!.annotations).toContain('"Response A"');
    expect(labels[0]!.annotations).not.toContain('Response B');
    const history = await historyOf(ctx.store, t.projectId, rowId);
    expect(history.map((h) => h.action)).toEqual(['Move', 'Move', 'Reject', 'Move', 'Approve']);
    const comments = await ctx.store.db
      .selectFrom('comments')
      .where('data_row_id', '=', rowId)
      .selectAll()
      .execute();
    expect(comments).toMatchObject([
      { text: 'Good catch on the rework.', author_id: t.reviewer.actor.userId },
    ]);
  });
});
