/**
 * `prefer convert` and `prefer stats` through the real CLI: on a Labelbox export file, and on a
 * project made by importing that same file, which must give the same records (one path).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRunner } from '../../server/src/exports/worker/worker.runners.ts';
import { startExportWorker } from '../../server/src/exports/worker/worker.ts';
import { startServer } from '../../server/src/http/server.ts';
import { localActor } from '../../server/src/orgs/org.service.ts';
import { addComment } from '../../server/src/workflow/comment.service.ts';
import { describeBackends } from '../../server/test/support/backends.ts';
import { FIXTURE_ROWS } from '../../training/test/fixtures/build-export.ts';
import { exportRow, ndjson } from '../../training/test/support/export-rows.ts';
import { runCli } from './support/run-cli.ts';

/** Labelbox ids are cuids: the fixture's readable ids become stable ones. */
const cuid = (s: string) =>
  `c${BigInt(`0x${createHash('sha256').update(s).digest('hex')}`)
    .toString(36)
    .slice(0, 24)
    .padStart(24, '0')}`;
const PROJECT = cuid('proj1');
const IDS = new Set(['id', 'feature_id', 'feature_schema_id']);
const EXPORT = ndjson(
  FIXTURE_ROWS.map((spec) =>
    JSON.parse(
      JSON.stringify(exportRow({ ...spec, project: PROJECT }), (k, v) =>
        IDS.has(k) && typeof v === 'string' ? cuid(v) : v,
      ),
    ),
  ),
);
const lines = (text: string) => text.split('\n').filter((l) => l !== '');

describeBackends('prefer convert and stats on a project (CLI)', (ctx) => {
  const cli = (args: string[]) =>
    runCli(['--db', ctx.url, ...args], { PREFER_DATA_DIR: join(ctx.dir, 'data') });
  let file = '';

  beforeAll(async () => {
    file = join(ctx.dir, 'export.ndjson');
    writeFileSync(file, EXPORT);
    const r = await cli(['import', 'labelbox-export', file]);
    expect(r.code).toBe(0);
    // What no export carries: a review reason, a comment, the order the editor showed.
    const actor = await localActor(ctx.store);
    await ctx.store.db
      .updateTable('reviews')
      .set({ reason: 'agreed' })
      .where('id', '=', cuid('review-1-0'))
      .execute();
    await ctx.store.db
      .updateTable('labels')
      .set({ displayed_order: '["Response B","Response A"]' })
      .where('id', '=', cuid('l9'))
      .execute();
    await addComment(ctx.store, actor, {
      projectId: PROJECT,
      dataRowId: cuid('row-majority-a'),
      text: 'check the slicing answer',
    });
  }, 180_000);

  it('a project and its export file give the same TRL records', async () => {
    const fromProject = await cli(['convert', '--project', PROJECT, '--format', 'trl']);
    expect(fromProject.code).toBe(0);
    const fromFile = await cli(['convert', '--from-file', file, '--format', 'trl']);
    expect(fromFile.stdout).toBe(fromProject.stdout);
    expect(lines(fromProject.stdout)).toHaveLength(4);
    expect(fromProject.stderr).toMatch(/preference: "Choose the best response"/);
  }, 60_000);

  it('prefer records of a project carry review reasons, comments and the displayed order', async () => {
    const r = await cli([
      'convert',
      '--project',
      PROJECT,
      '--format',
      'prefer',
      '--filter',
      `data_row_ids=${cuid('row-majority-a')},${cuid('row-displayed-b-first')}`,
    ]);
    expect(r.code).toBe(0);
    const [first, second] = lines(r.stdout).map((l) => JSON.parse(l));
    expect(first.comments).toEqual([
      expect.objectContaining({ text: 'check the slicing answer', author: expect.stringContaining('@') }),
    ]);
    expect(first.labels[0].reviews[0]).toMatchObject({ score: 1, reason: 'agreed' });
    expect(second).toMatchObject({
      displayed_order: ['Response B', 'Response A'],
      displayed_order_recorded: true,
    });
  }, 60_000);

  it('--url: the server converts (its conversion task); the same bytes as local --project', async () => {
    const worker = startExportWorker(ctx.store, {
      dataDir: join(ctx.dir, 'server-data'),
      runner: exportRunner,
      pollMs: 20,
      log: () => {},
    });
    const server = await startServer({ store: ctx.store, port: 0, host: '127.0.0.1', logError: () => {} });
    try {
      const { key } = JSON.parse((await cli(['--json', 'keys', 'create', '--name', 'training'])).stdout) as {
        key: string;
      };
      const remote = (args: string[]) =>
        runCli(['convert', '--url', server.url, '--project', PROJECT, ...args], { PREFER_API_KEY: key });
      const local = (args: string[]) => cli(['convert', '--project', PROJECT, ...args]);
      const r = await remote(['--format', 'trl']);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe((await local(['--format', 'trl'])).stdout);
      expect(lines(r.stdout)).toHaveLength(4);
      expect(r.stderr).toMatch(/wrote 4 records \(conversion /);

      // prefer records carry what only the server's database has (review reasons, comments).
      const out = join(ctx.dir, 'remote-prefer.jsonl');
      expect((await remote(['--format', 'prefer', '--out', out])).code).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe((await local(['--format', 'prefer'])).stdout);

      for (const extra of [[], ['--parquet']]) {
        const args = ['--format', 'kto', '--test-fraction', '0.3', ...extra];
        const [a, b] = [mkdtempSync(join(tmpdir(), 'remote-')), mkdtempSync(join(tmpdir(), 'local-'))];
        expect((await remote([...args, '--out-dir', a])).code).toBe(0);
        expect((await local([...args, '--out-dir', b])).code).toBe(0);
        const files = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
        expect(files(a)).toEqual(files(b));
        expect(files(a)).toContain('README.md');
        for (const f of files(b).filter((f) => f.includes('.')))
          expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f).toBe(true);
      }
    } finally {
      await server.close();
      await worker.stop();
    }
  }, 240_000);

  it('stats --json prints one object with models, agreement and annotators; a seed repeats it', async () => {
    const args = [
      '--json',
      'stats',
      '--project',
      PROJECT,
      '--seed',
      '7',
      '--bootstrap',
      '50',
      '--min-comparisons',
      '1',
      '--anchor',
      'model-b',
    ];
    const r = await cli(args);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.comparisons).toBeGreaterThan(0);
    expect(report.models.find((m: { model: string }) => m.model === 'model-b')).toMatchObject({
      rating: 1000,
    });
    expect(report.models[0]).toEqual(
      expect.objectContaining({ model: expect.any(String), ci: expect.any(Array), wins: expect.any(Number) }),
    );
    expect(report.agreement[0]).toEqual(
      expect.objectContaining({ question: 'Choose the best response', percent: expect.any(Number) }),
    );
    expect(report.annotators[0]).toEqual(
      expect.objectContaining({ email: expect.any(String), left_pick_rate: expect.anything() }),
    );
    expect((await cli(args)).stdout).toBe(r.stdout);
  }, 60_000);
});

describe('prefer convert and stats on a file (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prefer-training-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'export.ndjson');
  writeFileSync(file, EXPORT);

  it('writes a Parquet dataset directory with a card, and charts', async () => {
    const out = join(dir, 'dataset');
    const r = await runCli([
      'convert',
      '--from-file',
      file,
      '--format',
      'kto',
      '--out-dir',
      out,
      '--parquet',
      '--test-fraction',
      '0.2',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote 7 records \(\d+ train, \d+ test\) from 5 comparisons of 8 rows to /);
    expect(
      readdirSync(join(out, 'data')).every((f) => /^(train|test)-00000-of-00001\.parquet$/.test(f)),
    ).toBe(true);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain(
      'labels counted: `done`; consensus: `majority`',
    );
    const charts = join(dir, 'charts');
    const s = await runCli([
      'stats',
      '--from-file',
      file,
      '--charts',
      charts,
      '--seed',
      '1',
      '--bootstrap',
      '20',
    ]);
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/Models \(Bradley-Terry/);
    expect(readdirSync(charts).sort()).toEqual(['agreement.svg', 'leaderboard.svg', 'win-rate.svg']);
  }, 60_000);

  it('bad input: usage errors exit 2, bad files exit 1 naming the line or path', async () => {
    const both = await runCli(['convert', '--from-file', file, '--project', PROJECT, '--format', 'trl']);
    expect([both.code, both.stderr]).toEqual([
      2,
      expect.stringContaining('give either --project ID or --from-file'),
    ]);
    const parquet = await runCli(['convert', '--from-file', file, '--format', 'trl', '--parquet']);
    expect(parquet.code).toBe(2);
    const mapping = join(dir, 'mapping.json');
    writeFileSync(mapping, '{"preferense": "x"}');
    const badMap = await runCli([
      '--json',
      'convert',
      '--from-file',
      file,
      '--format',
      'trl',
      '--mapping',
      mapping,
    ]);
    expect(badMap.code).toBe(1);
    // With --json the fault is in the JSON only.
    expect(badMap.stderr).toBe('');
    const badMapError = JSON.parse(badMap.stdout).error;
    expect(badMapError.code).toBe('BAD_REQUEST');
    expect(JSON.stringify(badMapError)).toContain(
      'unknown key \\"preferense\\"; valid keys: preference, options',
    );
    const broken = join(dir, 'broken.ndjson');
    writeFileSync(broken, `${lines(EXPORT)[0]}\n{"data_row": {"id": 5}}\n`);
    const badLine = await runCli(['stats', '--from-file', broken]);
    expect(badLine.code).toBe(1);
    expect(badLine.stderr).toContain('line 2: data_row.id: expected a string');
    expect(badLine.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
