/**
 * Every write is an audit entry, whatever the channel: the CLI's local mode (straight on the
 * database, no HTTP) and the Labelbox SDK's GraphQL mutations appear in `GET /audit` under the
 * action of the REST route that does the same thing, and no secret (API keys, passwords) is in
 * any row of the table.
 */
import { type RunningServer, startServer } from '@prefer/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { exportInput, Q, v1Mutation } from '../../server/test/graphql-helpers.ts';
import { describeBackends } from '../../server/test/support/backends.ts';
import { ID, runCli } from './support/run-cli.ts';

interface Entry {
  actor_email: string;
  via: string;
  action: string;
  method: string;
  path: string;
  target_type: string | null;
  target_id: string | null;
  summary: string;
  status: number;
  address: string;
}

describeBackends('audit of the CLI local mode and GraphQL', (ctx) => {
  let server: RunningServer;
  let key: string;
  const ids: Record<string, string> = {};
  const USER_PASSWORD = 'user password kept out 12345';
  const ADMIN_PASSWORD = 'admin password kept out 12345';

  const local = async (args: string[], env: Record<string, string> = {}, input?: string) => {
    const r = await runCli(['--db', ctx.url, ...args], env, input);
    return { ...r, out: r.stdout.trim() };
  };
  const graphql = async (query: string, variables: Record<string, unknown>) => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return {
      status: res.status,
      body: (await res.json()) as { data?: Record<string, { taskId?: string }>; errors?: unknown[] },
    };
  };
  const audit = async (query: string): Promise<Entry[]> => {
    const res = await fetch(`${server.url}/api/v1/audit?limit=200&${query}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: Entry[] }).items;
  };

  beforeAll(async () => {
    server = await startServer({ store: ctx.store, port: 0, host: '127.0.0.1', logError: () => {} });
    const created = await local(['keys', 'create', '--name', 'audit']);
    expect(created.code, created.stderr).toBe(0);
    key = created.out;
    ids.dataset = (await local(['dataset', 'create', '--name', 'Audited rows'])).out;
    expect(
      (await local(['data-rows', 'import', '--dataset', ids.dataset, 'examples/conversations.ndjson'])).code,
    ).toBe(0);
    ids.ontology = (await local(['ontology', 'create', '--name', 'Audited', 'examples/ontology.json'])).out;
    ids.project = (
      await local(['project', 'create', '--name', 'Audited project', '--ontology', ids.ontology])
    ).out;
    expect(ids.project).toMatch(ID);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('records local writes as the REST routes would, refused ones with their status', async () => {
    const refused = await local(['project', 'create', '--name', 'Nowhere', '--ontology', 'missing-ontology']);
    expect(refused.code).toBe(1);
    const user = await local(
      ['users', 'add', '--email', 'audited@example.com', '--password-stdin'],
      {},
      USER_PASSWORD,
    );
    expect(user.code, user.stderr).toBe(0);
    const admin = await local(['admin', 'create', '--email', 'second-admin@example.com'], {
      PREFER_ADMIN_PASSWORD: ADMIN_PASSWORD,
    });
    expect(admin.code, admin.stderr).toBe(0);
    const badImport = await local(['labels', 'import', '--project', ids.project!, 'examples/ontology.json']);
    expect(badImport.code).toBe(1);

    const projects = await audit('action=post_projects');
    expect(projects).toHaveLength(2);
    const [failed, made] = projects;
    expect(made).toMatchObject({
      actor_email: 'owner@localhost',
      via: 'cli',
      method: 'POST',
      path: 'prefer project create',
      target_type: 'project',
      target_id: ids.project,
      summary: 'options: --name, --ontology',
      status: 201,
    });
    expect(made!.address).toMatch(/^local \(OS user .+\)$/);
    expect(failed).toMatchObject({ via: 'cli', target_id: null, status: 404 });
    expect(await audit('action=post_datasets_datasetId_data_rows')).toMatchObject([
      { via: 'cli', target_type: 'dataset', target_id: ids.dataset, status: 200 },
    ]);
    expect(await audit('action=post_projects_projectId_label_imports')).toMatchObject([
      { via: 'cli', path: 'prefer labels import', target_id: ids.project, status: 422 },
    ]);
    const users = await audit('action=post_users');
    expect(users.map((e) => [e.path, e.status, e.summary])).toEqual([
      ['prefer admin create', 201, 'options: --email'],
      ['prefer users add', 201, 'options: --email, --password-stdin'],
    ]);
    const keys = await audit('action=post_keys');
    expect(keys).toMatchObject([{ via: 'cli', path: 'prefer keys create', target_type: 'key' }]);
    expect(keys[0]!.target_id).toMatch(/\S/);
  });

  it('records GraphQL mutations under the REST action, a V1 poll only once', async () => {
    const started = await graphql(Q.exportV2, { input: exportInput(ids.project!, []) });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const taskId = started.body.data!.exportDataRowsInProject!.taskId!;
    expect(await audit('action=post_projects_projectId_exports')).toMatchObject([
      {
        via: 'key',
        method: 'POST',
        path: '/graphql',
        target_type: 'export',
        target_id: taskId,
        status: 202,
        summary:
          'mutation exportDataRowsInProject; input fields: filters, isStreamableReady, params, streamable, taskName',
      },
    ]);
    const refused = await graphql(Q.exportV2, { input: exportInput('no-such-project', []) });
    expect(refused.body.errors).toHaveLength(1);
    const exports = await audit('action=post_projects_projectId_exports');
    expect(exports.map((e) => [e.status, e.target_id])).toEqual([
      [404, 'no-such-project'],
      [202, taskId],
    ]);

    // The SDK's V1 export sends the mutation again until done: the first call starts a task.
    for (let i = 0; i < 2; i++) {
      const polled = await graphql(v1Mutation(), { projectId: ids.project });
      expect(polled.status, JSON.stringify(polled.body)).toBe(200);
    }
    expect(await audit('action=post_projects_projectId_label_exports')).toMatchObject([
      { via: 'key', path: '/graphql', target_type: 'label-export', status: 202 },
    ]);
  });

  it('leaves every secret out of the table', async () => {
    const rows = await ctx.store.db.selectFrom('audit_log').selectAll().execute();
    expect(rows.length).toBeGreaterThan(8);
    const dump = JSON.stringify(rows);
    for (const secret of [key, USER_PASSWORD, ADMIN_PASSWORD]) expect(dump).not.toContain(secret);
    const keys = await ctx.store.db.selectFrom('api_keys').selectAll().execute();
    for (const k of keys) {
      for (const [column, value] of Object.entries(k)) {
        if (/hash|secret/.test(column) && typeof value === 'string') expect(dump).not.toContain(value);
      }
    }
  });
});
