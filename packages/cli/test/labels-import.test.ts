/**
 * `prefer labels import` twice imports once (local and remote), `--pre-labels` never changes an
 * export (byte compare of `prefer export`), and empty files succeed saying so on stderr.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApiKey, localActor, type RunningServer, startServer } from '@prefer/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../server/test/support/backends.ts';
import { runCli } from './support/run-cli.ts';

const FIX = 'packages/cli/test/fixtures';

describeBackends('prefer labels import: idempotent, pre-labels, empty files', (ctx) => {
  const ids: Record<string, string> = {};
  let server: RunningServer;
  let key: string;
  const cli = (...args: string[]) => runCli(['--db', ctx.url, ...args]);
  const remote = (...args: string[]) => runCli([...args, '--url', server.url], { PREFER_API_KEY: key });
  const countOf = async (table: 'labels' | 'pre_labels') =>
    Number(
      (
        await ctx.store.db
          .selectFrom(table)
          .where('project_id', '=', ids.project!)
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const exportBytes = async (name: string) => {
    const out = join(ctx.dir, `${name}.ndjson`);
    const r = await cli('export', '--project', ids.project!, '--all-params', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    return readFileSync(out);
  };

  beforeAll(async () => {
    key = (await createApiKey(ctx.store, await localActor(ctx.store), { name: 'labels' })).key;
    server = await startServer({ store: ctx.store, port: 0, host: '127.0.0.1', logError: () => {} });
    ids.dataset = (await cli('dataset', 'create', '--name', 'd')).stdout.trim();
    await cli('data-rows', 'import', '--dataset', ids.dataset, `${FIX}/data-rows.ndjson`);
    ids.ontology = (await cli('ontology', 'create', '--name', 'o', 'examples/ontology.json')).stdout.trim();
    ids.project = (await cli('project', 'create', '--name', 'p', '--ontology', ids.ontology)).stdout.trim();
    const batch = await cli(
      'batch',
      'create',
      '--project',
      ids.project,
      '--name',
      'b',
      '--dataset',
      ids.dataset,
    );
    expect(batch.code, batch.stderr).toBe(0);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('imports the same file once, locally and remotely', async () => {
    const args = [
      'labels',
      'import',
      '--project',
      ids.project!,
      '--as',
      'rater@example.com',
      `${FIX}/labels.ndjson`,
    ];
    const first = await cli(...args);
    expect(first).toEqual({ code: 0, stdout: 'imported 2 labels (4 annotations)\n', stderr: '' });
    const second = await cli(...args);
    expect(second).toEqual({
      code: 0,
      stdout: 'imported 0 labels (0 annotations); skipped 2 already imported\n',
      stderr: '',
    });
    const third = await remote('--json', ...args);
    expect(third.stderr).toBe('');
    expect(JSON.parse(third.stdout)).toEqual({
      ok: true,
      pre_labels: false,
      counts: { labels: 0, annotations: 0, skipped: 2 },
    });
    expect(await countOf('labels')).toBe(2);
  });

  it('--pre-labels adds pre-labels that no export shows', async () => {
    const before = await exportBytes('before');
    const args = ['labels', 'import', '--project', ids.project!, '--pre-labels', `${FIX}/labels.ndjson`];
    const r = await cli(...args);
    expect(r).toEqual({ code: 0, stdout: 'imported 2 pre-labels (4 annotations)\n', stderr: '' });
    const again = await remote(...args);
    expect(again.stdout).toBe('imported 0 pre-labels (0 annotations); skipped 2 already imported\n');
    expect(await countOf('pre_labels')).toBe(2);
    expect(await countOf('labels')).toBe(2);
    const after = await exportBytes('after');
    expect(before.length).toBeGreaterThan(0);
    expect(after.equals(before)).toBe(true);
  });

  it('an empty or blank-only file succeeds and says it holds no records', async () => {
    for (const [name, text] of [
      ['empty', ''],
      ['blank', '\n  \n\t\n'],
      ['array', ' [ ] '],
    ] as const) {
      const file = join(ctx.dir, `${name}.ndjson`);
      writeFileSync(file, text);
      const labels = await cli('labels', 'import', '--project', ids.project!, file);
      expect(labels, name).toEqual({
        code: 0,
        stdout: 'imported 0 labels (0 annotations)\n',
        stderr: 'the file holds no records\n',
      });
      const rows = await remote('data-rows', 'import', '--dataset', ids.dataset!, file);
      expect(rows, name).toEqual({
        code: 0,
        stdout: 'imported 0 data rows (0 attachments, 0 metadata, 0 embeddings)\n',
        stderr: 'the file holds no records\n',
      });
    }
  });
});
