/**
 * The lists (`projects`, `datasets`, `batches`, `tasks`, `users`, `audit`): local mode on `--db`
 * and remote mode (`--url`) against a real server on the same database print the same items,
 * text and `--json`; and the installed executable, run from another folder, says which
 * database its default names.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey, localActor, type RunningServer, startExport, startServer } from '@prefer/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../server/test/support/backends.ts';
import { ID, runBin, runCli } from './support/run-cli.ts';

const FIX = 'packages/cli/test/fixtures';

describeBackends('prefer CLI lists', (ctx) => {
  let server: RunningServer;
  let key: string;
  const ids: Record<string, string> = {};

  const local = (...args: string[]) => runCli(['--db', ctx.url, ...args]);
  const remote = (...args: string[]) => runCli([...args, '--url', server.url], { PREFER_API_KEY: key });
  const ok = async (r: Promise<{ code: number | null; stdout: string; stderr: string }>) => {
    const done = await r;
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    return done.stdout;
  };

  beforeAll(async () => {
    // The local user's key: remote mode then acts as the same user local mode does.
    key = (await createApiKey(ctx.store, await localActor(ctx.store), { name: 'lists' })).key;
    server = await startServer({ store: ctx.store, port: 0, host: '127.0.0.1', logError: () => {} });
    ids.dataset = (await ok(local('dataset', 'create', '--name', 'Listed conversations'))).trim();
    await ok(local('data-rows', 'import', '--dataset', ids.dataset, `${FIX}/data-rows.ndjson`));
    ids.ontology = (
      await ok(local('ontology', 'create', '--name', 'Listed', 'examples/ontology.json'))
    ).trim();
    ids.project = (
      await ok(local('project', 'create', '--name', 'Listed project', '--ontology', ids.ontology))
    ).trim();
    ids.batch = (
      await ok(
        local(
          'batch',
          'create',
          '--project',
          ids.project,
          '--name',
          'b1',
          '--global-keys',
          `${FIX}/global-keys.txt`,
        ),
      )
    ).trim();
    ids.task = (await startExport(ctx.store, await localActor(ctx.store), { projectId: ids.project })).id;
    // Without a password: the command notes on stderr that they cannot log in.
    expect((await local('users', 'add', '--email', `listed-${Date.now()}@example.com`)).code).toBe(0);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('lists each kind with --json, the same locally and remotely', async () => {
    const lists: [string, string[]][] = [
      ['projects', ['projects', 'list']],
      ['datasets', ['datasets', 'list']],
      ['batches', ['batches', 'list', '--project', ids.project!]],
      ['tasks', ['tasks', 'list', '--project', ids.project!]],
      ['users', ['users', 'list']],
    ];
    for (const [name, args] of lists) {
      const mine = JSON.parse(await ok(local('--json', ...args))) as { items: { id: string }[] };
      const theirs = JSON.parse(await ok(remote('--json', ...args)));
      expect(theirs, name).toEqual(mine);
      expect(mine.items.length, name).toBeGreaterThan(0);
    }
    const projects = JSON.parse(await ok(local('--json', 'projects', 'list'))).items;
    expect(projects).toContainEqual(
      expect.objectContaining({ id: ids.project, name: 'Listed project', role: 'admin', data_row_count: 2 }),
    );
    const datasets = JSON.parse(await ok(local('--json', 'datasets', 'list'))).items;
    expect(datasets).toContainEqual(
      expect.objectContaining({ id: ids.dataset, name: 'Listed conversations', row_count: 3 }),
    );
    const batches = JSON.parse(await ok(local('--json', 'batches', 'list', '--project', ids.project!))).items;
    expect(batches).toEqual([expect.objectContaining({ id: ids.batch, name: 'b1', data_row_count: 2 })]);
    const tasks = JSON.parse(await ok(local('--json', 'tasks', 'list', '--project', ids.project!))).items;
    expect(tasks).toEqual([
      expect.objectContaining({ id: ids.task, status: 'IN_PROGRESS', type: 'export-data-rows' }),
    ]);
  });

  it('prints one tab-separated line per item in text mode', async () => {
    const text = await ok(local('batches', 'list', '--project', ids.project!));
    expect(text).toBe(`${ids.batch}\tb1\t5\t2\n`);
    const projects = (await ok(remote('projects', 'list'))).trim().split('\n');
    expect(projects.some((l) => l.startsWith(`${ids.project}\tListed project\tadmin\t2`))).toBe(true);
  });

  it('lists the audit log of the writes made remotely, for admins', async () => {
    const dataset = (await ok(remote('dataset', 'create', '--name', 'Audited'))).trim();
    expect(dataset).toMatch(ID);
    const entries = JSON.parse(
      await ok(remote('--json', 'audit', 'list', '--action', 'post_datasets')),
    ).items;
    expect(entries[0]).toMatchObject({
      action: 'post_datasets',
      method: 'POST',
      target_type: 'dataset',
      target_id: dataset,
      status: 201,
      via: 'key',
      summary: 'body fields: name',
    });
    expect(entries[0].address).toMatch(/127\.0\.0\.1/);
    expect(JSON.parse(await ok(local('--json', 'audit', 'list', '--action', 'post_datasets')))).toEqual({
      items: entries,
    });
    const text = await ok(local('audit', 'list', '--action', 'post_datasets'));
    expect(text.split('\n')[0]).toContain(`\tpost_datasets\tdataset\t${dataset}\t201`);
  });

  it('refuses a batches list without --project (usage, exit 2)', async () => {
    const r = await local('batches', 'list');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--project');
  });
});

it('run from another folder, local mode says which new database its default made', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prefer-elsewhere-'));
  try {
    const r = await runBin(['--json', 'projects', 'list'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ items: [] });
    const file = join(dir, 'data', 'prefer.db');
    expect(existsSync(file)).toBe(true);
    expect(r.stderr).toContain(`created a new, empty database at ${file}`);
    // The second run finds it and says nothing.
    const again = await runBin(['projects', 'list'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('nothing to list\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
