/**
 * The README's SDK walk-through, run exactly as the README shows it (the code block between the
 * `sdk-walkthrough` markers; only its `@prefer/sdk` import is pointed at the package's file)
 * against a real server with a real export worker. README and tested code cannot drift.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { exportRunner } from '../src/exports/worker/worker.runners.ts';
import { type ExportWorker, startExportWorker } from '../src/exports/worker/worker.ts';
import { type RunningServer, startServer } from '../src/http/server.ts';
import { adminOf, type Caller } from './api-resources-helpers.ts';
import { describeBackends } from './support/backends.ts';
import { readmeBlock } from './support/readme-blocks.ts';

const REPO = join(import.meta.dirname, '../../..');
const SDK = join(REPO, 'packages/sdk/src/index.ts');

describeBackends('README SDK walk-through', (ctx) => {
  let server: RunningServer;
  let worker: ExportWorker;
  let admin: Caller;

  beforeAll(async () => {
    admin = await adminOf(ctx.store, 'README');
    worker = startExportWorker(ctx.store, {
      dataDir: ctx.dir,
      runner: exportRunner,
      pollMs: 20,
      log: () => {},
    });
    server = await startServer({ store: ctx.store, port: 0, host: '127.0.0.1', logError: () => {} });
  });
  afterAll(async () => {
    await server?.close();
    await worker?.stop();
  });

  it('runs as written and prints what its comments say', async () => {
    const code = readmeBlock('sdk-walkthrough');
    expect(code.match(/from '@prefer\/sdk'/g)).toHaveLength(1);
    const dir = join(ctx.dir, 'readme');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'walkthrough.ts');
    writeFileSync(
      file,
      code.replace("from '@prefer/sdk'", `from ${JSON.stringify(pathToFileURL(SDK).href)}`),
    );
    const printed: unknown[][] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args);
    });
    const saved = { url: process.env.PREFER_URL, key: process.env.PREFER_API_KEY, cwd: process.cwd() };
    process.env.PREFER_URL = server.url;
    process.env.PREFER_API_KEY = admin.key;
    process.chdir(REPO);
    try {
      await import(pathToFileURL(file).href);
    } finally {
      log.mockRestore();
      process.chdir(saved.cwd);
      if (saved.url === undefined) delete process.env.PREFER_URL;
      else process.env.PREFER_URL = saved.url;
      if (saved.key === undefined) delete process.env.PREFER_API_KEY;
      else process.env.PREFER_API_KEY = saved.key;
    }
    expect(printed[0]).toEqual([{ dataRows: 5, attachments: 0, metadata: 0, embeddings: 0 }]);
    expect(printed[1]).toEqual([4]);
    expect(printed[2]).toEqual([{ labels: 4, annotations: 12, skipped: 0 }]);
    const exported = new Map(printed.slice(3).map(([key, n]) => [key, n]));
    expect(exported.size).toBe(4);
    for (const key of readFileSync(join(REPO, 'examples/global-keys.txt'), 'utf8').trim().split('\n')) {
      expect(exported.get(key)).toBe(1);
    }
    const project = await ctx.store.db
      .selectFrom('projects')
      .where('org_id', '=', admin.actor.orgId)
      .select(['name'])
      .executeTakeFirstOrThrow();
    expect(project.name).toBe('Assistant preference');
  });
});
