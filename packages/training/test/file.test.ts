/** `convertExportFile` and `exportFileStats`: the CLI's `--from-file` path as two library calls. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it, onTestFinished } from 'vitest';
import { runCli } from '../../cli/test/support/run-cli.ts';
import { convertExportFile, exportFileStats } from '../src/index.ts';

const FILE = new URL('./fixtures/export.ndjson', import.meta.url).pathname;

it('converts a Labelbox file to the same JSONL and dataset directory as prefer convert', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prefer-training-file-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const summary = await convertExportFile(FILE, { format: 'trl', out: join(dir, 'dpo.jsonl') });
  const cli = await runCli(['convert', '--from-file', FILE, '--format', 'trl']);
  expect(readFileSync(join(dir, 'dpo.jsonl'), 'utf8')).toBe(cli.stdout);
  expect(summary.records.train).toBe(cli.stdout.split('\n').filter((l) => l !== '').length);
  await convertExportFile(FILE, {
    format: 'kto',
    outDir: join(dir, 'lib'),
    parquet: true,
    testFraction: 0.3,
  });
  await runCli([
    'convert',
    '--from-file',
    FILE,
    '--format',
    'kto',
    '--out-dir',
    join(dir, 'cli'),
    '--parquet',
    '--test-fraction',
    '0.3',
  ]);
  const files = readdirSync(join(dir, 'cli', 'data')).sort();
  expect(readdirSync(join(dir, 'lib', 'data')).sort()).toEqual(files);
  for (const f of [...files.map((x) => join('data', x)), 'README.md'])
    expect(readFileSync(join(dir, 'lib', f)).equals(readFileSync(join(dir, 'cli', f))), f).toBe(true);
  await expect(convertExportFile(FILE, { format: 'trl', parquet: true, out: 'x' })).rejects.toThrow(/outDir/);
});

it('computes the report prefer stats --json prints for the same seed', async () => {
  const report = await exportFileStats(FILE, { seed: 3, bootstrap: 30, minComparisons: 1 });
  const cli = await runCli([
    '--json',
    'stats',
    '--from-file',
    FILE,
    '--seed',
    '3',
    '--bootstrap',
    '30',
    '--min-comparisons',
    '1',
  ]);
  expect(report).toEqual(JSON.parse(cli.stdout));
  expect(report.comparisons).toBeGreaterThan(0);
});
