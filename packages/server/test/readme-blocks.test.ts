/**
 * Every ```ts block of the README runs as written: each is claimed by a runner (support/
 * readme-blocks.ts), and this file runs the export, conversion and training blocks against a real
 * server on a port with a real export worker, on data made from examples/ (both backends).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXPORT_PARAM_KEYS } from '@prefer/schemas/export-keys';
import { Client } from '@prefer/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRunner } from '../src/exports/worker/worker.runners.ts';
import { type ExportWorker, startExportWorker } from '../src/exports/worker/worker.ts';
import { type RunningServer, startServer } from '../src/http/server.ts';
import { adminOf, type Caller, EXAMPLES } from './api-resources-helpers.ts';
import { describeBackends } from './support/backends.ts';
import { REPO, RUNNERS, readmeBlocks, runReadmeBlock } from './support/readme-blocks.ts';

describe('README ts blocks', () => {
  it('are each claimed by a runner, or marked as a fragment with a reason', () => {
    const blocks = readmeBlocks();
    const unmarked = blocks.filter((b) => b.name === null).map((b) => `README.md line ${b.line}`);
    expect(
      unmarked,
      'a ```ts block needs <!-- readme-ts: NAME --> (and a runner in support/readme-blocks.ts) or <!-- not-run: reason -->',
    ).toEqual([]);
    const named = blocks.filter((b) => b.name !== 'not-run').map((b) => b.name!);
    expect(new Set(named).size, 'two blocks share a name').toBe(named.length);
    expect(named.sort()).toEqual(Object.keys(RUNNERS).sort());
    for (const [name, file] of Object.entries(RUNNERS)) {
      expect(readFileSync(join(REPO, file), 'utf8'), `${file} should run ${name}`).toContain(`'${name}'`);
    }
    // Today every block runs: none is a fragment.
    expect(blocks.filter((b) => b.name === 'not-run')).toEqual([]);
    expect(blocks.length).toBe(6);
  });
});

describeBackends('README ts blocks run as written', (ctx) => {
  let server: RunningServer;
  let worker: ExportWorker;
  let admin: Caller;
  let projectId: string;
  let env: Record<string, string>;
  const keys = readFileSync(join(EXAMPLES, 'global-keys.txt'), 'utf8').split('\n').filter(Boolean);

  beforeAll(async () => {
    admin = await adminOf(ctx.store, 'README blocks');
    worker = startExportWorker(ctx.store, {
      dataDir: ctx.dir,
      runner: exportRunner,
      pollMs: 20,
      log: () => {},
    });
    server = await startServer({ store: ctx.store, port: 0, host: '127.0.0.1', logError: () => {} });
    // The walk-through's data: 5 rows, 4 in the project's batch, 4 preference labels.
    const client = new Client({ endpoint: server.url, apiKey: admin.key });
    const dataset = await client.createDataset({ name: 'README rows' });
    await dataset.createDataRows({ file: join(EXAMPLES, 'conversations.ndjson') });
    const ontology = await client.createOntology(
      'Preference',
      JSON.parse(readFileSync(join(EXAMPLES, 'ontology.json'), 'utf8')),
    );
    const project = await client.createProject({ name: 'README project', ontologyId: ontology.id });
    await project.createBatch({ name: 'b', globalKeys: keys, priority: 1 });
    await project.importLabels({ file: join(EXAMPLES, 'labels.ndjson') });
    // The conversions' default keeps rows in the Done step (`labels: 'done'`): a manager's move.
    const rowIds: string[] = [];
    for await (const row of dataset.dataRows()) if (keys.includes(row.globalKey ?? '')) rowIds.push(row.id);
    expect(await project.moveRows(rowIds, { toStatus: 'DONE' })).toMatchObject({ moved: keys.length });
    projectId = project.id;
    env = { PREFER_URL: server.url, PREFER_API_KEY: admin.key, PROJECT_ID: projectId };
  });
  afterAll(async () => {
    await server?.close();
    await worker?.stop();
  });

  it('sdk-export: exports the project and prints a row id a line', { timeout: 120_000 }, async () => {
    const printed = await runReadmeBlock('sdk-export', { dir: ctx.dir, cwd: ctx.dir, env });
    expect(printed).toHaveLength(keys.length);
    for (const [id] of printed) expect(id).toMatch(/^c[0-9a-z]{24}$/);
  });

  it('sdk-convert: prints the chosen answers and writes the KTO dataset as a tar', {
    timeout: 180_000,
  }, async () => {
    const printed = await runReadmeBlock('sdk-convert', { dir: ctx.dir, cwd: ctx.dir, env });
    expect(printed.length).toBeGreaterThan(0);
    for (const [chosen] of printed) expect(Array.isArray(chosen) || typeof chosen === 'string').toBe(true);
    const tar = join(ctx.dir, 'kto.tar');
    expect(statSync(tar).size).toBeGreaterThan(0);
    const listed = execFileSync('tar', ['-tf', tar], { encoding: 'utf8' });
    expect(listed).toContain('README.md');
    expect(listed).toMatch(/data\/train-00000-of-00001\.parquet/);
  });

  it('training blocks: convert an export file to DPO JSONL and a KTO Parquet dataset', {
    timeout: 120_000,
  }, async () => {
    const dir = join(ctx.dir, 'training');
    const res = await fetch(`${server.url}/api/v1/projects/${projectId}/exports/stream`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ params: Object.fromEntries(EXPORT_PARAM_KEYS.map((k) => [k, true])) }),
    });
    expect(res.status).toBe(200);
    execFileSync('mkdir', ['-p', dir]);
    writeFileSync(join(dir, 'export.ndjson'), await res.text());

    await runReadmeBlock('training-convert-rows', { dir, cwd: dir, env: {} });
    const dpo = readFileSync(join(dir, 'dpo.jsonl'), 'utf8').trim().split('\n');
    expect(dpo.length).toBeGreaterThan(0);
    for (const line of dpo)
      expect(Object.keys(JSON.parse(line))).toEqual(expect.arrayContaining(['chosen', 'rejected']));

    await runReadmeBlock('training-convert-file', { dir, cwd: dir, env: {} });
    expect(existsSync(join(dir, 'kto', 'README.md'))).toBe(true);
    expect(readdirSync(join(dir, 'kto', 'data')).some((f) => f.endsWith('.parquet'))).toBe(true);
  });
});
