/**
 * The export commands through the real CLI: local mode on a fresh SQLite file and a fresh
 * PostgreSQL database, and remote mode against a server running in this process.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { authenticate } from '../../server/src/auth/api-key.service.ts';
import { exportRunner } from '../../server/src/exports/worker/worker.runners.ts';
import { type ExportWorker, startExportWorker } from '../../server/src/exports/worker/worker.ts';
import { type RunningServer, startServer } from '../../server/src/http/server.ts';
import { describeBackends } from '../../server/test/support/backends.ts';
import { SEED_PARAMS as SEED_PAGE_PARAMS } from '../../server/test/support/seed-params.ts';
import { ID, REPO, runCli } from './support/run-cli.ts';

const SEED = JSON.parse(
  readFileSync(join(REPO, 'packages/server/test/fixtures/seed-sample-export-row.json'), 'utf8'),
);
/** The seed row as one NDJSON line: what an export with the seed page's params must print. */
const SEED_LINE = `${JSON.stringify(SEED)}\n`;
const PROJECT = 'clpiy2itz08vg0705akh60zc1';
const SEED_PARAMS = Object.keys(SEED_PAGE_PARAMS).join(',');
const DATE_MESSAGE =
  'Incorrect format for: 2024-13-45. Format must be "YYYY-MM-DD" or "YYYY-MM-DD hh:mm:ss" or ISO 8061 format "YYYY-MM-DDThh:mm:ss±hhmm" (that is ISO 8601; prefer also accepts Z, ±hh:mm and fractions of a second)';

describeBackends('prefer export (CLI)', (ctx) => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    runCli(['--db', ctx.url, ...args], { PREFER_DATA_DIR: join(ctx.dir, 'data'), ...env });
  let server: RunningServer | undefined;
  let worker: ExportWorker | undefined;

  beforeAll(async () => {
    const file = join(ctx.dir, 'seed.ndjson');
    writeFileSync(file, SEED_LINE);
    const r = await cli(['import', 'labelbox-export', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^imported: dataRows 1, datasets 1, projects 1/);
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await worker?.stop();
  }, 180_000);

  it('exports with the seed page params and filter to stdout, identical to the seed row', async () => {
    const r = await cli([
      'export',
      '--project',
      PROJECT,
      '--params',
      SEED_PARAMS,
      '--filter',
      'last_activity_at=2000-01-01 00:00:00,2050-01-01 00:00:00',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(SEED_LINE);
  }, 180_000);

  it('writes --out, prints a summary, and honours open ranges and list filters', async () => {
    const out = join(ctx.dir, 'export.ndjson');
    const r = await cli([
      'export',
      '--project',
      PROJECT,
      '--params',
      SEED_PARAMS,
      '--filter',
      'last_activity_at=,2050-01-01',
      '--filter',
      'data_row_ids=clpiqgsvn4lxr079096g5mt9v,cnotthere000000000000000',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`wrote 1 lines (${Buffer.byteLength(SEED_LINE)} bytes) to ${out}\n`);
    expect(readFileSync(out, 'utf8')).toBe(SEED_LINE);
    // Run in this process straight into --out: no task file, no partial file left.
    expect(existsSync(join(ctx.dir, 'data', 'exports'))).toBe(false);
    expect(readdirSync(ctx.dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
    const none = await cli(['export', '--project', PROJECT, '--filter', 'workflow_status=Done']);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('');
    const later = await cli(['export', '--project', PROJECT, '--filter', 'last_activity_at=2024-01-01,']);
    expect(later.stdout).toBe('');
  }, 180_000);

  it('fails in one line, leaving no file, on a missing directory or an unknown project', async () => {
    const missing = await cli([
      'export',
      '--project',
      PROJECT,
      '--out',
      join(ctx.dir, 'missing', 'x.ndjson'),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      `error: cannot write ${join(ctx.dir, 'missing', 'x.ndjson')}: the directory ${join(ctx.dir, 'missing')} does not exist\n`,
    );
    const out = join(ctx.dir, 'nothing.ndjson');
    const unknown = await cli(['export', '--project', 'cnotthere000000000000000', '--out', out]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: .*cnotthere000000000000000/);
    expect(existsSync(out) || existsSync(`${out}.partial`)).toBe(false);
  }, 180_000);

  it('refuses a bad filter with exit 1 and the exact message', async () => {
    const cases: [string[], string][] = [
      [['--filter', 'last_activity_at=2024-13-45,'], DATE_MESSAGE],
      [['--filter', 'data_row_ids='], 'data_row_id filter expects a non-empty list.'],
      [
        ['--filter', 'workflow_status=Reviewing'],
        "`workflow_status` filter expects one of 'InReview', 'InRework', or 'Done'. prefer also accepts 'ToLabel'.",
      ],
      [
        ['--filter', 'data_row_ids=a', '--filter', 'global_keys=b'],
        'data_rows and global_keys cannot both be present in export filters',
      ],
      [['--filter', 'last_activity_at=2024-01-01'], 'last_activity_at filter expects START,END'],
      [['--filter', 'color=red'], 'unknown export filter "color"; valid filters are:'],
    ];
    for (const [args, message] of cases) {
      const r = await cli(['export', '--project', PROJECT, ...args]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain(`error: ${message}`);
      expect(r.stdout).toBe('');
    }
    const both = await cli(['export', '--project', PROJECT, '--params', 'attachments', '--all-params']);
    expect(both.code).toBe(2);
  }, 180_000);

  it('export-labels writes the V1 JSON array, bounded by --start/--end', async () => {
    const r = await cli(['export-labels', '--project', PROJECT]);
    expect(r.code).toBe(0);
    const labels = JSON.parse(r.stdout) as { ID: string; 'DataRow ID': string; 'View Label': string }[];
    expect(labels.map((l) => [l.ID, l['DataRow ID']])).toEqual([
      ['clpiyah63071f07e4756yer2d', 'clpiqgsvn4lxr079096g5mt9v'],
    ]);
    expect(labels[0]!['View Label']).toMatch(/^http:\/\/localhost:7400\//);
    // PREFER_PUBLIC_URL (--public-url) is where the links point, as through a server.
    const behindProxy = await cli(['export-labels', '--project', PROJECT], {
      PREFER_PUBLIC_URL: 'https://prefer.example.com/',
    });
    expect(behindProxy.code).toBe(0);
    const proxied = JSON.parse(behindProxy.stdout) as { 'View Label': string }[];
    expect(proxied[0]!['View Label']).toMatch(/^https:\/\/prefer\.example\.com\//);
    const outside = await cli([
      'export-labels',
      '--project',
      PROJECT,
      '--start',
      '2022-09-28',
      '--end',
      '2022-10-04',
    ]);
    expect(outside.code).toBe(0);
    expect(JSON.parse(outside.stdout)).toEqual([]);
    const bad = await cli(['export-labels', '--project', PROJECT, '--start', 'yesterday']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('error: Incorrect format for: yesterday.');
  }, 180_000);

  it('creates, lists and revokes API keys, printing the key once', async () => {
    const created = await cli(['--json', 'keys', 'create', '--name', 'ci', '--expires-in', '30']);
    expect(created.code).toBe(0);
    const { id, key, prefix } = JSON.parse(created.stdout) as { id: string; key: string; prefix: string };
    expect(id).toMatch(ID);
    expect(key.startsWith(`prefer_${prefix}_`)).toBe(true);
    expect((await authenticate(ctx.store, key)).email).toBe('owner@localhost');
    const listed = await cli(['keys', 'list']);
    expect(listed.stdout).toContain(id);
    expect(listed.stdout).not.toContain(key);
    expect((await cli(['keys', 'revoke', id])).code).toBe(0);
    await expect(authenticate(ctx.store, key)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  }, 180_000);

  it('exports remotely (--url, PREFER_API_KEY) through the SDK with the same output and messages', async () => {
    worker = startExportWorker(ctx.store, {
      dataDir: join(ctx.dir, 'server-data'),
      runner: exportRunner,
      pollMs: 20,
      log: () => {},
    });
    server = await startServer({ store: ctx.store, port: 0, host: '127.0.0.1', logError: () => {} });
    const created = await cli(['--json', 'keys', 'create', '--name', 'remote']);
    const { key } = JSON.parse(created.stdout) as { key: string };
    const remote = (args: string[], apiKey = key) =>
      runCli(['export', '--url', server!.url, '--project', PROJECT, ...args], { PREFER_API_KEY: apiKey });
    const r = await remote(['--params', SEED_PARAMS, '--filter', 'last_activity_at=2000-01-01,2050-01-01']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(SEED_LINE);
    const bad = await remote(['--filter', 'last_activity_at=2024-13-45,']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`error: ${DATE_MESSAGE}`);
    const labels = await runCli(['export-labels', '--url', server!.url, '--project', PROJECT], {
      PREFER_API_KEY: key,
    });
    expect(labels.code).toBe(0);
    expect((JSON.parse(labels.stdout) as { ID: string }[]).map((l) => l.ID)).toEqual([
      'clpiyah63071f07e4756yer2d',
    ]);
    const unauthenticated = await remote([], 'prefer_nope');
    expect(unauthenticated.code).toBe(1);
    expect(unauthenticated.stderr).toContain('a valid API key is required');
  }, 180_000);
});
