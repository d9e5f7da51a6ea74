/**
 * The data lifecycle verbs (`project edit|archive|unarchive|delete|restore`, `dataset ...`,
 * `batch ...`, `data-row ...`, `label ...`), in local mode and remote mode (`--url`) on both
 * backends: one-line results, `--json` objects, usage errors, and the database as they leave it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApiKey, localActor, type RunningServer, startServer } from '@prefer/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../server/test/support/backends.ts';
import { runCli } from './support/run-cli.ts';

const FIX = 'packages/cli/test/fixtures';

describeBackends('prefer CLI data lifecycle', (ctx) => {
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
    ids.dataset = (await ok(local('dataset', 'create', '--name', 'Chats'))).trim();
    await ok(local('data-rows', 'import', '--dataset', ids.dataset, `${FIX}/data-rows.ndjson`));
    ids.ontology = (await ok(local('ontology', 'create', '--name', 'P', 'examples/ontology.json'))).trim();
    ids.project = (
      await ok(local('project', 'create', '--name', 'Lifecycle', '--ontology', ids.ontology))
    ).trim();
    ids.batch = (
      await ok(
        local(
          'batch',
          'create',
          '--project',
          ids.project,
          '--name',
          'b',
          '--global-keys',
          `${FIX}/global-keys.txt`,
        ),
      )
    ).trim();
    await ok(local('labels', 'import', '--project', ids.project, `${FIX}/labels.ndjson`));
    key = (await createApiKey(ctx.store, await localActor(ctx.store), { name: 'cli' })).key;
    server = await startServer({ store: ctx.store, port: 0, host: '127.0.0.1', logError: () => {} });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('names an unknown global key by its wire path, locally and remotely alike', async () => {
    const keys = join(ctx.dir, 'unknown-keys.txt');
    writeFileSync(keys, 'no-such-key\n');
    const args = ['batch', 'create', '--project', ids.project!, '--name', 'unknown', '--global-keys', keys];
    for (const r of [await local(...args), await remote(...args)]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('$.global_keys[0]');
      expect(r.stderr).not.toContain('globalKeys');
    }
  });

  it('names a bad consensus by its wire path on project create, locally and remotely alike', async () => {
    const args = ['project', 'create', '--name', 'Too many', '--ontology', 'x', '--consensus-labels', '11'];
    for (const r of [await local(...args), await remote(...args)]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('$.consensus_expected_label_count');
      expect(r.stderr).not.toMatch(/consensusLabels|ontologyId/);
    }
  });

  it('edits a project locally and remotely, refusing an empty edit without changing it', async () => {
    expect(await ok(local('project', 'edit', ids.project!, '--instructions', '# Be kind'))).toBe(
      `${ids.project}\n`,
    );
    const json = JSON.parse(await ok(remote('--json', 'project', 'edit', ids.project!, '--name', 'Renamed')));
    expect(json).toEqual({ id: ids.project, name: 'Renamed', instructions: '# Be kind' });
    const empty = await local('project', 'edit', ids.project!);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('nothing to change');
    const row = await ctx.store.db
      .selectFrom('projects')
      .where('id', '=', ids.project!)
      .select(['name', 'instructions'])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ name: 'Renamed', instructions: '# Be kind' });
  });

  it('renames an ontology, and refuses an ontology file dropping answered questions', async () => {
    expect(await ok(local('ontology', 'edit', ids.ontology!, '--name', 'Preference v2'))).toBe(
      `${ids.ontology}\n`,
    );
    const row = await ctx.store.db
      .selectFrom('ontologies')
      .where('id', '=', ids.ontology!)
      .select('name')
      .executeTakeFirstOrThrow();
    expect(row.name).toBe('Preference v2');
    const empty = join(ctx.dir, 'empty-ontology.json');
    writeFileSync(empty, JSON.stringify({ tools: [], classifications: [] }));
    const emptied = await remote('ontology', 'edit', ids.ontology!, empty);
    expect(emptied.code).toBe(1);
    expect(emptied.stderr).toMatch(/cannot be removed: labels c[0-9a-z]{24}/);
  });

  it('archives and unarchives; an archived project refuses a label import', async () => {
    expect(await ok(local('project', 'archive', ids.project!))).toBe(`archived project ${ids.project}\n`);
    const refused = await local('labels', 'import', '--project', ids.project!, `${FIX}/labels.ndjson`);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('archived');
    expect(JSON.parse(await ok(remote('--json', 'project', 'unarchive', ids.project!)))).toEqual({
      id: ids.project,
      archived: false,
    });
  });

  it('deletes and restores a data row (alias data-row), printing the way back', async () => {
    const rowId = (
      await ctx.store.db
        .selectFrom('project_data_rows')
        .where('project_id', '=', ids.project!)
        .select('data_row_id')
        .orderBy('data_row_id')
        .executeTakeFirstOrThrow()
    ).data_row_id;
    const out = await ok(local('data-row', 'delete', rowId));
    expect(out).toMatch(
      new RegExp(
        `^deleted data row ${rowId} \\(\\d+ rows; restore with: prefer data-rows restore ${rowId}\\)\\n$`,
      ),
    );
    expect(await ctx.store.db.selectFrom('data_rows').where('id', '=', rowId).select('id').execute()).toEqual(
      [],
    );
    const restored = JSON.parse(await ok(remote('--json', 'data-rows', 'restore', rowId)));
    expect(restored).toMatchObject({ kind: 'data_row', id: rowId, skipped: 0 });
    expect(restored.restored).toBeGreaterThan(1);
    const again = await remote('data-rows', 'restore', rowId);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('not found');
  });

  it('deletes a label remotely with --json and restores it locally', async () => {
    const labelId = (
      await ctx.store.db
        .selectFrom('labels')
        .where('project_id', '=', ids.project!)
        .select('id')
        .executeTakeFirstOrThrow()
    ).id;
    const del = JSON.parse(await ok(remote('--json', 'label', 'delete', labelId, '--project', ids.project!)));
    expect(del).toEqual({
      kind: 'label',
      id: labelId,
      state: 'deleted',
      deleted_at: expect.any(String),
      rows: expect.any(Number),
    });
    expect(await ok(local('labels', 'restore', labelId, '--project', ids.project!))).toMatch(
      /^restored label /,
    );
  });

  it('needs --labels to delete a batch (usage error, exit 2), then deletes and restores it', async () => {
    const missing = await local('batch', 'delete', ids.batch!, '--project', ids.project!);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--labels');
    const before = await ctx.store.db
      .selectFrom('project_data_rows')
      .where('batch_id', '=', ids.batch!)
      .select('data_row_id')
      .execute();
    expect(before.length).toBeGreaterThan(0);
    await ok(local('batch', 'delete', ids.batch!, '--project', ids.project!, '--labels', 'keep'));
    expect(
      await ctx.store.db
        .selectFrom('project_data_rows')
        .where('batch_id', '=', ids.batch!)
        .select('data_row_id')
        .execute(),
    ).toEqual([]);
    await ok(remote('batch', 'restore', ids.batch!, '--project', ids.project!));
    const after = await ctx.store.db
      .selectFrom('project_data_rows')
      .where('batch_id', '=', ids.batch!)
      .select('data_row_id')
      .execute();
    expect(after.length).toBe(before.length);
    expect(await ok(local('batch', 'edit', ids.batch!, '--project', ids.project!, '--priority', '1'))).toBe(
      `${ids.batch}\n`,
    );
  });

  it('edits, deletes and restores a dataset; deletes and restores a project', async () => {
    expect(await ok(remote('dataset', 'edit', ids.dataset!, '--name', 'Chats 2'))).toBe(`${ids.dataset}\n`);
    await ok(local('dataset', 'delete', ids.dataset!));
    expect((await remote('dataset', 'edit', ids.dataset!, '--name', 'x')).code).toBe(1);
    await ok(local('dataset', 'restore', ids.dataset!));
    const del = await ok(remote('project', 'delete', ids.project!));
    expect(del).toContain(`restore with: prefer project restore ${ids.project}`);
    await ok(remote('project', 'restore', ids.project!));
    const erased = JSON.parse(await ok(local('--json', 'project', 'delete', ids.project!, '--erase')));
    expect(erased.state).toBe('erased');
    expect(
      await ctx.store.db.selectFrom('projects').where('id', '=', ids.project!).select('id').execute(),
    ).toEqual([]);
  });
});
