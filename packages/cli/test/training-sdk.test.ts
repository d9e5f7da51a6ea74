/**
 * Conversions and analytics through the API and the SDK (`project.convert`, `project.stats`)
 * against the real server in-process with a real export worker, on both backends: every result
 * must equal what `prefer convert` / `prefer stats --json` give for the same project, byte for
 * byte (the tar archives are unpacked with the system's `tar`, an independent reader).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Client,
  ExportTask,
  ExportTaskError,
  type Project,
  readStatsReport,
  ValidationError,
} from '@prefer/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { exportRunner } from '../../server/src/exports/worker/worker.runners.ts';
import { type ExportWorker, startExportWorker } from '../../server/src/exports/worker/worker.ts';
import { type RunningServer, startServer } from '../../server/src/http/server.ts';
import { localActor } from '../../server/src/orgs/org.service.ts';
import { addComment } from '../../server/src/workflow/comment.service.ts';
import { describeBackends } from '../../server/test/support/backends.ts';
import { FIXTURE_ROWS } from '../../training/test/fixtures/build-export.ts';
import { exportRow, ndjson } from '../../training/test/support/export-rows.ts';
import { runCli } from './support/run-cli.ts';

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

/** Every file under `dir`, by its path relative to it, with its bytes. */
function filesOf(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path.slice(dir.length + 1)] = readFileSync(path);
  }
  return out;
}

describeBackends('conversions and stats through the API and the SDK', (ctx) => {
  const cli = (args: string[]) =>
    runCli(['--db', ctx.url, ...args], { PREFER_DATA_DIR: join(ctx.dir, 'data') });
  let server: RunningServer;
  let worker: ExportWorker;
  let project: Project;
  let client: Client;
  let apiKey: string;

  beforeAll(async () => {
    const file = join(ctx.dir, 'export.ndjson');
    writeFileSync(file, EXPORT);
    expect((await cli(['import', 'labelbox-export', file])).code).toBe(0);
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
      text: 'check the <b>slicing</b> answer',
    });
    worker = startExportWorker(ctx.store, {
      dataDir: join(ctx.dir, 'server-data'),
      runner: exportRunner,
      pollMs: 20,
      progressMs: 0,
      log: () => {},
    });
    server = await startServer({ store: ctx.store, port: 0, host: '127.0.0.1', logError: () => {} });
    const { key } = JSON.parse((await cli(['--json', 'keys', 'create', '--name', 'training'])).stdout) as {
      key: string;
    };
    apiKey = key;
    client = new Client({ endpoint: server.url, apiKey: key });
    project = await client.getProject(PROJECT);
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await worker?.stop();
  });

  it.each([
    ['trl', []],
    ['prefer', []],
    ['arena', ['--labels', 'all', '--aggregate', 'unanimous']],
    ['kto', ['--ties', 'keep']],
  ] as const)(
    'convert %s: the JSONL equals prefer convert on the project',
    async (format, extra) => {
      const expected = await cli(['convert', '--project', PROJECT, '--format', format, ...extra]);
      expect(expected.code).toBe(0);
      const options = Object.fromEntries(
        Array.from({ length: extra.length / 2 }, (_, i) => [extra[2 * i]!.slice(2), extra[2 * i + 1]]),
      );
      const conversion = await project.convert({ format, ...options });
      expect(conversion.task.status).toBe('COMPLETE');
      expect(conversion.task.type).toBe('training-conversion');
      expect(conversion.task.completionPercentage).toBe(100);
      const text = new TextDecoder().decode(await conversion.bytes());
      expect(text.length).toBeGreaterThan(0);
      expect(text).toBe(expected.stdout);
      expect(conversion.records).toBe(expected.stdout.split('\n').filter((l) => l !== '').length);
      const lines: string[] = [];
      for await (const line of conversion.lines()) lines.push(line);
      expect(lines.map((l) => `${l}\n`).join('')).toBe(text);
    },
    60_000,
  );

  it('a filtered prefer conversion carries the extras no export has (reasons, comments, order)', async () => {
    const filters = { data_row_ids: [cuid('row-majority-a'), cuid('row-displayed-b-first')] };
    const conversion = await project.convert({ format: 'prefer', filters });
    const records: Record<string, unknown>[] = [];
    for await (const r of conversion.recordsStream()) records.push(r);
    expect(records).toHaveLength(2);
    expect(records[0]!.comments).toEqual([
      expect.objectContaining({ text: 'check the <b>slicing</b> answer' }),
    ]);
    expect(records[1]).toMatchObject({ displayed_order: ['Response B', 'Response A'] });
    const expected = await cli([
      'convert',
      '--project',
      PROJECT,
      '--format',
      'prefer',
      '--filter',
      `data_row_ids=${filters.data_row_ids.join(',')}`,
    ]);
    expect(new TextDecoder().decode(await conversion.bytes())).toBe(expected.stdout);
  }, 60_000);

  it.each([
    ['parquet', ['--parquet']],
    ['jsonl-dataset', []],
  ] as const)(
    'convert to %s: the tar unpacks to the CLI dataset directory, file for file',
    async (output, flag) => {
      const cliDir = join(ctx.dir, `cli-${output}`);
      const r = await cli([
        'convert',
        '--project',
        PROJECT,
        '--format',
        'kto',
        '--out-dir',
        cliDir,
        ...flag,
        '--test-fraction',
        '0.4',
      ]);
      expect(r.code).toBe(0);
      const conversion = await project.convert({ format: 'kto', output, testFraction: 0.4 });
      expect(conversion.records).toBeNull();
      expect(conversion.fileName).toMatch(/\.tar$/);
      const tar = join(ctx.dir, `${output}.tar`);
      const chunks: Uint8Array[] = [];
      for await (const chunk of conversion.stream()) chunks.push(chunk);
      writeFileSync(tar, Buffer.concat(chunks));
      const apiDir = join(ctx.dir, `api-${output}`);
      mkdirSync(apiDir);
      execFileSync('tar', ['-xf', tar, '-C', apiDir]);
      const got = filesOf(apiDir);
      const want = filesOf(cliDir);
      expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
      expect(Object.keys(got).some((f) => f.startsWith('data/test'))).toBe(true);
      for (const name of Object.keys(want)) expect(got[name]!.equals(want[name]!), name).toBe(true);
      // The download itself: a tar, named as one.
      const res = await client.request('GET', `/export-tasks/${conversion.task.id}/result`);
      expect(res.headers.get('content-type')).toBe('application/x-tar');
      expect(res.headers.get('content-disposition')).toContain(`training-${conversion.task.id}-result.tar`);
      expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(tar))).toBe(true);
    },
    60_000,
  );

  it('stats equals prefer stats --json for the same seed and options', async () => {
    const expected = await cli([
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
    ]);
    expect(expected.code).toBe(0);
    const report = await project.stats({ seed: 7, bootstrap: 50, minComparisons: 1, anchor: 'model-b' });
    expect(report).toEqual(JSON.parse(expected.stdout));
    expect(report.models.find((m) => m.model === 'model-b')?.rating).toBe(1000);
    expect(report.comparisons).toBeGreaterThan(0);
    const mapped = await project.stats({ seed: 7, mapping: { tie: ['Tie'] } });
    expect(mapped.mapping.tie).toEqual(['Tie']);
    // Remote mode runs the same task: the same object as local mode.
    const remote = await runCli(
      [
        '--json',
        'stats',
        '--url',
        server.url,
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
      ],
      { PREFER_API_KEY: apiKey },
    );
    expect(remote.code, remote.stderr).toBe(0);
    expect(JSON.parse(remote.stdout)).toEqual(JSON.parse(expected.stdout));
  }, 60_000);

  it('stats is a task: startStats, progress while waiting, the report read from the task', async () => {
    const task = await project.startStats({ seed: 7, bootstrap: 50, minComparisons: 1, anchor: 'model-b' });
    expect(task.status).toBe('IN_PROGRESS');
    const seen: number[] = [];
    await task.waitTillDone({ onProgress: (t) => seen.push(t.completionPercentage ?? -1) });
    expect([task.status, task.type]).toEqual(['COMPLETE', 'training-stats']);
    expect(seen.at(-1)).toBe(100);
    const report = await readStatsReport(task);
    expect(report).toEqual(
      await project.stats({ seed: 7, bootstrap: 50, minComparisons: 1, anchor: 'model-b' }),
    );
    // A failed task says why, through the SDK and in remote mode.
    const failed = await project.stats({ anchor: 'no-such-model', minComparisons: 1 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failed).toBeInstanceOf(ExportTaskError);
    expect((failed as Error).message).toMatch(/stats task failed: .*"no-such-model" is not a model/);
    const remote = await runCli(
      ['stats', '--url', server.url, '--project', PROJECT, '--anchor', 'no-such-model'],
      { PREFER_API_KEY: apiKey },
    );
    expect(remote.code).toBe(1);
    expect(remote.stderr).toMatch(/"no-such-model" is not a model/);
  }, 60_000);

  it('bad options are refused with the field and the valid values, and start nothing', async () => {
    const before = await ctx.store.db.selectFrom('export_tasks').select('id').execute();
    const refused = async (promise: Promise<unknown>) => {
      const err = await promise.then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ValidationError);
      return (err as Error).message;
    };
    expect(await refused(project.convert({ format: 'dpo' as 'trl' }))).toMatch(
      /format: .*"trl".*"trl-string".*"prefer"/,
    );
    expect(await refused(project.convert({ format: 'trl', output: 'zip' as 'jsonl' }))).toMatch(
      /output: .*"jsonl".*"jsonl-dataset".*"parquet"/,
    );
    expect(await refused(project.convert({ format: 'trl', testFraction: 0.1 }))).toMatch(
      /test_fraction: needs output jsonl-dataset or parquet/,
    );
    expect(await refused(project.convert({ format: 'trl', testFraction: 1 }))).toMatch(/test_fraction/);
    expect(await refused(project.convert({ format: 'trl', mapping: { preferense: 'x' } }))).toMatch(
      /mapping: .*preferense.*valid keys/,
    );
    expect(
      await refused(
        client.request('POST', `/projects/${PROJECT}/conversions`, { body: { format: 'trl', fromat: 1 } }),
      ),
    ).toMatch(/unknown key "fromat".*valid keys are: format, labels/);
    expect(
      await refused(project.convert({ format: 'trl', filters: { workflow_status: 'Finished' as 'Done' } })),
    ).toMatch(/workflow_status/);
    expect(await refused(project.stats({ bootstrap: 5000 }))).toMatch(/bootstrap/);
    expect(
      await refused(client.request('POST', `/projects/${PROJECT}/stats`, { body: { seed: 1, sed: 2 } })),
    ).toMatch(
      /unknown key "sed".*valid keys are: anchor, bootstrap, seed, min_comparisons, mapping, filters/,
    );
    expect(await refused(project.stats({ mapping: { preference: '' } }))).toMatch(/preference/);
    expect(await ctx.store.db.selectFrom('export_tasks').select('id').execute()).toEqual(before);
  }, 60_000);

  it('a conversion is an export task: re-attached by id, its state and progress readable', async () => {
    const task = await project.startConversion({ format: 'helpsteer', taskName: 'HelpSteer <script>' });
    expect(task.status).toBe('IN_PROGRESS');
    expect(task.name).toBe('HelpSteer <script>');
    const again = await ExportTask.getTask(client, task.id);
    await again.waitTillDone();
    expect([again.status, again.type, again.completionPercentage]).toEqual([
      'COMPLETE',
      'training-conversion',
      100,
    ]);
    expect(again.getTotalLines('result')).toBeGreaterThan(0);
  }, 60_000);
});
