/**
 * The README walk-through, run through the real CLI on a fresh SQLite file and a fresh PostgreSQL
 * database: dataset -> data rows -> ontology -> project -> batches -> labels.
 */
import { expect, it } from 'vitest';
import { describeBackends } from '../../server/test/support/backends.ts';
import { ID, runCli, UUID } from './support/run-cli.ts';

const FIX = 'packages/cli/test/fixtures';

describeBackends('prefer CLI walk-through', (ctx) => {
  const ids: Record<string, string> = {};
  const cli = (...args: string[]) => runCli(['--db', ctx.url, ...args]);
  /** Runs a step that must succeed quietly: exit 0, nothing on stderr. */
  const ok = async (...args: string[]) => {
    const r = await cli(...args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return r;
  };

  it('creates a dataset and prints only its id', async () => {
    const r = await ok('dataset', 'create', '--name', 'CLI walk-through');
    expect(r.stdout).toMatch(/^c[0-9a-z]{24}\n$/);
    ids.dataset = r.stdout.trim();
  });

  it('imports data rows and prints the counts', async () => {
    const r = await ok('data-rows', 'import', '--dataset', ids.dataset!, `${FIX}/data-rows.ndjson`);
    expect(r.stdout).toBe('imported 3 data rows (0 attachments, 0 metadata, 0 embeddings)\n');
    const rows = await ctx.store.db
      .selectFrom('data_rows')
      .where('dataset_id', '=', ids.dataset!)
      .select('global_key')
      .orderBy('global_key')
      .execute();
    expect(rows.map((r) => r.global_key)).toEqual(['cli-fixture-1', 'cli-fixture-2', 'cli-fixture-3']);
  });

  it('creates an ontology from a file', async () => {
    const r = await ok('ontology', 'create', '--name', 'Preference', 'examples/ontology.json');
    ids.ontology = r.stdout.trim();
    expect(ids.ontology).toMatch(ID);
  });

  it('creates a project on the ontology', async () => {
    const r = await ok(
      'project',
      'create',
      '--name',
      'CLI project',
      '--ontology',
      ids.ontology!,
      '--consensus-labels',
      '1',
    );
    ids.project = r.stdout.trim();
    expect(ids.project).toMatch(ID);
  });

  it('creates batches from a key list file (lines, CRLF, blank lines) and from a JSON array', async () => {
    const first = await ok(
      'batch',
      'create',
      '--project',
      ids.project!,
      '--name',
      'first',
      '--global-keys',
      `${FIX}/global-keys.txt`,
    );
    expect(first.stdout.trim()).toMatch(UUID);
    const second = await cli(
      'batch',
      'create',
      '--project',
      ids.project!,
      '--name',
      'second',
      '--priority',
      '2',
      '--global-keys',
      `${FIX}/global-keys.json`,
    );
    expect(second.code).toBe(0);
    expect(second.stdout.trim()).toMatch(UUID);
    const batches = await ctx.store.db
      .selectFrom('project_data_rows')
      .innerJoin('data_rows', 'data_rows.id', 'project_data_rows.data_row_id')
      .where('project_data_rows.project_id', '=', ids.project!)
      .select(['project_data_rows.batch_id', 'data_rows.global_key', 'project_data_rows.priority'])
      .orderBy('data_rows.global_key')
      .execute();
    expect(batches).toEqual([
      { batch_id: first.stdout.trim(), global_key: 'cli-fixture-1', priority: expect.any(Number) },
      { batch_id: first.stdout.trim(), global_key: 'cli-fixture-2', priority: expect.any(Number) },
      { batch_id: second.stdout.trim(), global_key: 'cli-fixture-3', priority: 2 },
    ]);
  });

  it('imports labels as the named labeler and prints the counts', async () => {
    const r = await ok(
      'labels',
      'import',
      '--project',
      ids.project!,
      '--as',
      'rater@example.com',
      `${FIX}/labels.ndjson`,
    );
    expect(r.stdout).toBe('imported 2 labels (4 annotations)\n');
    const labels = await ctx.store.db
      .selectFrom('labels')
      .innerJoin('users', 'users.id', 'labels.created_by')
      .where('labels.project_id', '=', ids.project!)
      .select('users.email')
      .execute();
    expect(labels.map((l) => l.email)).toEqual(['rater@example.com', 'rater@example.com']);
  });

  it('refuses a broken label file whole, naming the line', async () => {
    const before = await countLabels();
    const r = await cli(
      'labels',
      'import',
      '--project',
      ids.project!,
      '--as',
      'rater@example.com',
      `${FIX}/labels-broken.ndjson`,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^line 2, \$[^:]*: /m);
    expect(await countLabels()).toBe(before);
  });

  async function countLabels() {
    const { n } = await ctx.store.db
      .selectFrom('labels')
      .where('project_id', '=', ids.project!)
      .select((e) => e.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(n);
  }
});
