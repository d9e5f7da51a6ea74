/**
 * A request with an API key that names a project reads the key and the caller's access to that
 * project in one query (auth/api-key.service.ts `authenticateFor`): the answers are those of
 * the two reads it replaces, and the project is not read again.
 */
import { beforeAll, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/api-key.service.ts';
import { projectInPath } from '../src/auth/require-actor.ts';
import { createApp } from '../src/http/app.ts';
import { describeBackends } from './support/backends.ts';
import { statementsOf } from './support/statement-count.ts';
import { colleague } from './workflow-helpers.ts';
import { caller, type Team, team } from './workflow-http-helpers.ts';

it('the project a path names is a hint only', () => {
  expect(projectInPath('/api/v1/projects/p1/labels')).toBe('p1');
  expect(projectInPath('/api/v1/projects/p%201')).toBe('p 1');
  expect(projectInPath('/api/v1/projects/%E0%A4%A')).toBeUndefined();
  expect(projectInPath('/api/v1/datasets')).toBeUndefined();
});

describeBackends('API key and project access in one query', (ctx) => {
  let as: ReturnType<typeof caller>;
  let t: Team;
  let outsider: string;
  beforeAll(async () => {
    as = caller(createApp({ store: ctx.store, logError: () => {} }));
    t = await team(ctx.store, 2);
    // In the organization, with no role in the project.
    outsider = (await createApiKey(ctx.store, await colleague(ctx.store, t.owner, 'outsider'), { name: 'o' }))
      .key;
  });

  it('a member is answered from the key query alone; the project is not read again', async () => {
    let status = 0;
    const statements = await statementsOf(async () => {
      status = (await as(t.labeler.key).get(`/projects/${t.projectId}/queue/stats`)).status;
    });
    expect(status).toBe(200);
    // (A key's first use also writes its last-seen time: an update, not a read.)
    expect(statements.filter((s) => /^select .* from "api_keys"/.test(s))).toHaveLength(1);
    expect(statements[0]).toContain('"project_members"');
    expect(statements.filter((s) => /from "projects" left join "project_members"/.test(s))).toHaveLength(0);
  });

  it('refusals answer as before: no role and no project are the same 404, a role not allowed 403', async () => {
    const missing = await as(t.labeler.key).get('/projects/no-such-project');
    const noRole = await as(outsider).get(`/projects/${t.projectId}`);
    expect(missing.status).toBe(404);
    expect(noRole.status).toBe(404);
    expect(noRole.json.error.message).toBe(
      missing.json.error.message.replace('no-such-project', t.projectId),
    );
    // A reviewer may not take rows from the labeling queue.
    expect((await as(t.reviewer.key).post(`/projects/${t.projectId}/queue/next`)).status).toBe(403);
    // The organization's admin holds every role without a membership row.
    expect((await as(t.admin.key).get(`/projects/${t.projectId}`)).status).toBe(200);
    expect((await as(t.labeler.key).get(`/projects/${t.projectId}`)).json.id).toBe(t.projectId);
  });

  it('a bad key is refused before its project is looked at', async () => {
    const res = await as(`${t.labeler.key.slice(0, -2)}xx`).get(`/projects/${t.projectId}`);
    expect(res.status).toBe(401);
  });
});
