/**
 * Every command of the walk-through in remote mode (`--url` + PREFER_API_KEY) against a real
 * server: the same stdout (ids alone, counts, `--json`), the same failure reports and exit codes
 * as local mode, which runs beside it on the same database for comparison.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApiKey, localActor, type RunningServer, startServer } from '@prefer/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../server/test/support/backends.ts';
import { orgAdmin } from '../../server/test/support/org-admin.ts';
import { ID, runCli, UUID } from './support/run-cli.ts';

const FIX = 'packages/cli/test/fixtures';

describeBackends('prefer CLI remote mode', (ctx) => {
  let server: RunningServer;
  let key: string;
  let localKey: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const admin = await orgAdmin(ctx.store.db, 'Remote org', 'remote-admin@example.com');
    key = (await createApiKey(ctx.store, admin, { name: 'cli' })).key;
    // The local mode's own organization, for commands compared across both modes.
    localKey = (await createApiKey(ctx.store, await localActor(ctx.store), { name: 'cli local' })).key;
    server = await startServer({ store: ctx.store, port: 0, host: '127.0.0.1', logError: () => {} });
  });
  afterAll(async () => {
    await server?.close();
  });

  const remote = (...args: string[]) => runCli([...args, '--url', server.url], { PREFER_API_KEY: key });
  const local = (...args: string[]) => runCli(['--db', ctx.url, ...args]);
  const ok = async (...args: string[]) => {
    const r = await remote(...args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return r.stdout;
  };

  it('runs the walk-through remotely: ids alone on stdout, counts as one line', async () => {
    ids.dataset = (await ok('dataset', 'create', '--name', 'Remote conversations')).trim();
    expect(ids.dataset).toMatch(ID);
    expect(await ok('data-rows', 'import', '--dataset', ids.dataset, `${FIX}/data-rows.ndjson`)).toBe(
      'imported 3 data rows (0 attachments, 0 metadata, 0 embeddings)\n',
    );
    ids.ontology = (await ok('ontology', 'create', '--name', 'Preference', 'examples/ontology.json')).trim();
    expect(ids.ontology).toMatch(ID);
    ids.project = (
      await ok(
        'project',
        'create',
        '--name',
        'Remote project',
        '--ontology',
        ids.ontology,
        '--consensus-labels',
        '1',
      )
    ).trim();
    expect(ids.project).toMatch(ID);
    const batch = await ok(
      'batch',
      'create',
      '--project',
      ids.project,
      '--name',
      'first',
      '--priority',
      '2',
      '--global-keys',
      `${FIX}/global-keys.txt`,
    );
    expect(batch.trim()).toMatch(UUID);
    const json = await ok(
      '--json',
      'batch',
      'create',
      '--project',
      ids.project,
      '--name',
      'second',
      '--global-keys',
      `${FIX}/global-keys.json`,
    );
    expect(JSON.parse(json)).toEqual({ id: expect.stringMatching(UUID), dataRows: 1 });
    expect(await ok('labels', 'import', '--project', ids.project, `${FIX}/labels.ndjson`)).toMatch(
      /^imported \d+ labels? \(\d+ annotations?\)\n$/,
    );
    const stored = await ctx.store.db
      .selectFrom('batches')
      .where('project_id', '=', ids.project)
      .select(['name', 'priority'])
      .orderBy('name')
      .execute();
    expect(stored).toEqual([
      { name: 'first', priority: 2 },
      { name: 'second', priority: 5 },
    ]);
  });

  it('prints the same --json objects as local mode', async () => {
    const r = JSON.parse(await ok('--json', 'dataset', 'create', '--name', 'json'));
    const l = JSON.parse((await local('--json', 'dataset', 'create', '--name', 'json')).stdout);
    expect(Object.keys(r)).toEqual(Object.keys(l));
    expect(r.name).toBe('json');
    const rows = JSON.parse(
      await ok('--json', 'data-rows', 'import', '--dataset', r.id, 'examples/conversations.ndjson'),
    );
    expect(rows).toEqual({ ok: true, counts: { dataRows: 5, attachments: 0, metadata: 0, embeddings: 0 } });
  });

  it('reports an import’s faults exactly as local mode does: line and path on stderr, exit 1, nothing stored', async () => {
    const remoteDs = (await ok('dataset', 'create', '--name', 'broken')).trim();
    const localDs = (await local('dataset', 'create', '--name', 'broken')).stdout.trim();
    const r = await remote('data-rows', 'import', '--dataset', remoteDs, `${FIX}/data-rows-broken.ndjson`);
    const l = await local('data-rows', 'import', '--dataset', localDs, `${FIX}/data-rows-broken.ndjson`);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(l.stderr);
    expect(r.stderr).toMatch(/^line 3, \$\.row_data\.messages: .+$/m);
    expect(r.stderr).toContain('2 faults found; nothing was imported');
    const rj = await remote(
      '--json',
      'data-rows',
      'import',
      '--dataset',
      remoteDs,
      `${FIX}/data-rows-broken.ndjson`,
    );
    const lj = await local(
      '--json',
      'data-rows',
      'import',
      '--dataset',
      localDs,
      `${FIX}/data-rows-broken.ndjson`,
    );
    expect(rj.code).toBe(1);
    expect(JSON.parse(rj.stdout)).toEqual(JSON.parse(lj.stdout));
    const stored = await ctx.store.db
      .selectFrom('data_rows')
      .where('dataset_id', 'in', [remoteDs, localDs])
      .select('id')
      .execute();
    expect(stored).toEqual([]);
    const labels = await remote('labels', 'import', '--project', ids.project!, `${FIX}/labels-broken.ndjson`);
    expect(labels.code).toBe(1);
    expect(labels.stderr).toMatch(/^line 2, \$\.name: .+$/m);
    expect(labels.stderr).toContain('nothing was imported');
  });

  it('fails like local mode on unknown ids (exit 1, the server’s message) and refuses bad input before sending', async () => {
    const missing = await remote(
      'batch',
      'create',
      '--project',
      'cmissingmissingmissing0000',
      '--name',
      'x',
      '--dataset',
      ids.dataset!,
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('project cmissingmissingmissing0000 not found');
    expect(missing.stderr).not.toMatch(/\n\s+at /);
    const conflict = await remote(
      'batch',
      'create',
      '--project',
      ids.project!,
      '--name',
      'again',
      '--dataset',
      ids.dataset!,
    );
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toMatch(/already in project/);
    const noFile = await remote('data-rows', 'import', '--dataset', ids.dataset!, 'no/such/file.ndjson');
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toContain('cannot read no/such/file.ndjson');
    const noKey = await runCli(['dataset', 'create', '--name', 'x', '--url', server.url]);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('PREFER_API_KEY');
    const badKey = await runCli(['dataset', 'create', '--name', 'x', '--url', server.url], {
      PREFER_API_KEY: 'prefer_bad_key',
    });
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toContain('a valid API key is required');
    const env = await runCli(['dataset', 'create', '--name', 'from env'], {
      PREFER_URL: server.url,
      PREFER_API_KEY: key,
    });
    expect(env.code).toBe(0);
    expect(env.stdout.trim()).toMatch(ID);
  });

  it('migrates a Labelbox export remotely; --ontology is local only (usage error)', async () => {
    const seed = readFileSync('packages/server/test/fixtures/seed-sample-export-row.json', 'utf8');
    const file = join(ctx.dir, 'seed-export.ndjson');
    writeFileSync(file, `${JSON.stringify(JSON.parse(seed))}\n`);
    const usage = await remote('import', 'labelbox-export', file, '--ontology', 'examples/ontology.json');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--ontology works in local mode only');
    const r = await runCli(['--json', 'import', 'labelbox-export', file, '--url', server.url], {
      PREFER_API_KEY: localKey,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, counts: { dataRows: 1, projects: 1, labels: 1 } });
  });
});
