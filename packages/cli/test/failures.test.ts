/** How the CLI fails: exit codes, messages on stderr, --json output, nothing written. */
import { expect, it } from 'vitest';
import { describeBackends } from '../../server/test/support/backends.ts';
import { ID, runCli } from './support/run-cli.ts';

const FIX = 'packages/cli/test/fixtures';

describeBackends('prefer CLI failures', (ctx) => {
  const cli = (...args: string[]) => runCli(['--db', ctx.url, ...args]);

  const countRows = async (datasetId: string) =>
    Number(
      (
        await ctx.store.db
          .selectFrom('data_rows')
          .where('dataset_id', '=', datasetId)
          .select((e) => e.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('a broken import exits 1, lists each fault with its line, and writes nothing', async () => {
    const ds = (await cli('dataset', 'create', '--name', 'broken')).stdout.trim();
    expect(ds).toMatch(ID);
    const r = await cli('data-rows', 'import', '--dataset', ds, `${FIX}/data-rows-broken.ndjson`);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^line 3, \$\.row_data\.messages: .+$/m);
    expect(r.stderr).toMatch(/^line 4, \$[^:]*: .+$/m);
    expect(r.stderr).toContain('2 faults found; nothing was imported');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await countRows(ds)).toBe(0);
  });

  it('--json prints one parseable object, for results and for failures', async () => {
    const created = await cli('--json', 'dataset', 'create', '--name', 'json');
    expect(created.code).toBe(0);
    const dataset = JSON.parse(created.stdout);
    expect(dataset).toEqual({ id: expect.stringMatching(ID), name: 'json' });

    const imported = await cli(
      'data-rows',
      'import',
      '--json',
      '--dataset',
      dataset.id,
      `${FIX}/data-rows.ndjson`,
    );
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toEqual({
      ok: true,
      counts: { dataRows: 3, attachments: 0, metadata: 0, embeddings: 0 },
    });

    const ds2 = JSON.parse((await cli('--json', 'dataset', 'create', '--name', 'json2')).stdout).id;
    const failed = await cli(
      '--json',
      'data-rows',
      'import',
      '--dataset',
      ds2,
      `${FIX}/data-rows-broken.ndjson`,
    );
    expect(failed.code).toBe(1);
    const body = JSON.parse(failed.stdout);
    expect(body).toMatchObject({ ok: false, errorCount: 2 });
    expect(body.errors.map((f: { line: number }) => f.line)).toEqual([3, 4]);
    // The JSON object is the whole report: the faults are not also printed as text.
    expect(failed.stderr).toBe('');

    const missing = await cli(
      '--json',
      'data-rows',
      'import',
      '--dataset',
      'c000000000000000000000000',
      `${FIX}/data-rows.ndjson`,
    );
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).error.code).toBe('NOT_FOUND');
    expect(missing.stderr).toBe('');
  });

  it('an unknown id fails with exit 1 and a message, no stack trace', async () => {
    const r = await cli(
      'data-rows',
      'import',
      '--dataset',
      'c000000000000000000000000',
      `${FIX}/data-rows.ndjson`,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: .*not found/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a missing input file fails with exit 1 before touching the database', async () => {
    const r = await cli(
      'data-rows',
      'import',
      '--dataset',
      'c000000000000000000000000',
      `${FIX}/nope.ndjson`,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot read packages/cli/test/fixtures/nope.ndjson: ENOENT');
  });

  it('usage errors exit 2', async () => {
    const [missing, noSource, badNumber, unknown] = await Promise.all([
      cli('dataset', 'create'),
      cli('batch', 'create', '--project', 'c000000000000000000000000', '--name', 'b'),
      cli('project', 'create', '--name', 'p', '--ontology', 'x', '--consensus-labels', 'two'),
      cli('no-such-command'),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--name <name>' not specified");
    expect(noSource.code).toBe(2);
    expect(noSource.stderr).toContain('give exactly one of --dataset, --global-keys or --data-row-ids');
    expect(badNumber.code).toBe(2);
    expect(unknown.code).toBe(2);
  });

  it('invalid configuration exits 2 naming the variable, before serving anything', async () => {
    const port = await runCli(['--db', ctx.url, 'serve'], { PREFER_PORT: '74OO' });
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('PREFER_PORT: invalid port "74OO"');
    const db = await runCli(['--db', 'mysql://root:hunter2@db/prefer', 'dataset', 'create', '--name', 'x']);
    expect(db.code).toBe(2);
    expect(db.stderr).toContain('PREFER_DATABASE_URL: unsupported database URL');
    expect(db.stderr).not.toContain('hunter2');
  });
});
