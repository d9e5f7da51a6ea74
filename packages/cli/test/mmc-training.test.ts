/**
 * `prefer convert` and `prefer stats` on multimodal chat evaluation (conversation v2) data: a
 * Labelbox v2 export file and the project made by importing it give the same ranking pairs.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { describeBackends } from '../../server/test/support/backends.ts';
import { REPO, runCli } from './support/run-cli.ts';

const FIXTURE = new URL('../../training/test/fixtures/mmc-export.ndjson', import.meta.url).pathname;
const PROJECT = 'cmmcfix000000000000000003';
const lines = (text: string) => text.split('\n').filter((l) => l !== '');

describeBackends('prefer convert and stats on multimodal chat rows (CLI)', (ctx) => {
  const cli = (args: string[]) =>
    runCli(['--db', ctx.url, ...args], { PREFER_DATA_DIR: join(ctx.dir, 'data') });
  let file = '';

  beforeAll(async () => {
    file = join(ctx.dir, 'mmc.ndjson');
    copyFileSync(FIXTURE, file);
    const r = await cli(['import', 'labelbox-export', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 180_000);

  it('a v2 project and its export file give the same TRL pairs: n(n-1)/2 per ranking, or best-vs-rest', async () => {
    const fromFile = await cli(['convert', '--from-file', file, '--format', 'trl', '--labels', 'all']);
    expect(fromFile.code).toBe(0);
    expect(lines(fromFile.stdout)).toHaveLength(4);
    expect(fromFile.stderr).toMatch(/preference: "\(message tools\)"/);
    const fromProject = await cli(['convert', '--project', PROJECT, '--format', 'trl', '--labels', 'all']);
    expect(fromProject.code).toBe(0);
    expect(fromProject.stdout).toBe(fromFile.stdout);
    const best = await cli([
      'convert',
      '--from-file',
      file,
      '--format',
      'trl',
      '--labels',
      'all',
      '--ranking-pairs',
      'best',
    ]);
    expect(lines(best.stdout)).toHaveLength(3);
  }, 60_000);

  it('stats rates the models by Bradley-Terry over the rankings’ pairs', async () => {
    const r = await cli([
      '--json',
      'stats',
      '--project',
      PROJECT,
      '--seed',
      '1',
      '--bootstrap',
      '20',
      '--min-comparisons',
      '0',
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { comparisons: number; models: { model: string }[] };
    expect(report.comparisons).toBe(9);
    expect(report.models.map((m) => m.model)).toEqual(['Model C', 'Model A', 'Model B']);
  }, 60_000);

  it('runs the README "Multimodal chat evaluation projects" commands on examples/ as written', async () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const env = {
      PREFER_DATABASE_URL: join(ctx.dir, 'readme.db'),
      PREFER_DATA_DIR: join(ctx.dir, 'readme-data'),
    };
    const ok = async (args: string[]) => {
      const r = await runCli(args, env);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return r.stdout.trim();
    };
    const ds = await ok(['dataset', 'create', '--name', 'Chat evaluation']);
    await ok(['data-rows', 'import', '--dataset', ds, 'examples/mmc-conversations.ndjson']);
    const ont = await ok(['ontology', 'create', '--name', 'Chat evaluation', 'examples/mmc-ontology.json']);
    const mmc = await ok([
      'project',
      'create',
      '--name',
      'Chat evaluation',
      '--ontology',
      ont,
      '--editor-task-type',
      'OFFLINE_MODEL_CHAT_EVALUATION',
    ]);
    const keys = join(ctx.dir, 'mmc-keys.txt');
    writeFileSync(keys, 'mmc-example-0001\nmmc-example-0002\n');
    await ok(['batch', 'create', '--project', mmc, '--name', 'First batch', '--global-keys', keys]);
    const labels = await ok([
      'labels',
      'import',
      '--project',
      mmc,
      '--as',
      'rater@example.com',
      'examples/mmc-labels.ndjson',
    ]);
    expect(readme).toContain(`# ${labels}\n`);
    const trl = await runCli(['convert', '--project', mmc, '--format', 'trl', '--labels', 'all'], env);
    expect(lines(trl.stdout)).toHaveLength(3);
  }, 120_000);
});
