/**
 * Runs the SDK example of the README's "Labeling workflow over the API" section as written
 * (only the endpoint and the environment are supplied), against a real server on a port.
 */
import { readFileSync } from 'node:fs';
import { Client } from '@prefer/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/http/server.ts';
import { describeBackends } from './support/backends.ts';
import { historyOf, projectRow } from './workflow-helpers.ts';
import { type Team, team } from './workflow-http-helpers.ts';

const README = new URL('../../../README.md', import.meta.url);

/** The first ```ts block after the section's heading, import lines removed. */
function readmeExample(heading: string): string {
  const text = readFileSync(README, 'utf8');
  const at = text.indexOf(`\n${heading}\n`);
  if (at < 0) throw new Error(`README has no section ${heading}`);
  const block = /```ts\n([\s\S]*?)```/.exec(text.slice(at));
  if (!block) throw new Error(`no ts block under ${heading}`);
  return block[1]!.replace(/^import .*$/gm, '');
}

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
    const code = readmeExample('## Labeling workflow over the API');
    expect(code).toContain("'http://127.0.0.1:7400'");
    const source = code.replace("'http://127.0.0.1:7400'", JSON.stringify(server.url));
    const printed: string[] = [];
    const log = { log: (line: string) => printed.push(line) };
    const env = { env: { LABELER_KEY: t.labeler.key, REVIEWER_KEY: t.reviewer.key } };
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
    await new AsyncFunction('Client', 'process', 'console', 'projectId', source)(
      Client,
      env,
      log,
      t.projectId,
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
