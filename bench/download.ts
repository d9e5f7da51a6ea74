/**
 * `npm run bench -- download [--mb N]`
 *
 * How fast an export leaves the server: a task whose result is N MB of seed-like rows (~2.7 KB
 * each, default 200 MB) is produced by a stand-in engine, then read over loopback HTTP by
 * (1) a bare fetch draining the body, (2) the SDK's `getLineStream()` (byte-exact lines, what
 * `prefer export --url` uses) and (3) the SDK's `getBufferedStream()` (parsed rows).
 * Target: the SDK line stream within 2x of the bare fetch.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, ExportTask } from '../packages/sdk/src/index.ts';
import { createApiKey } from '../packages/server/src/auth/api-key.service.ts';
import { startExport } from '../packages/server/src/exports/tasks/export-start.service.ts';
import type { ExportRunner } from '../packages/server/src/exports/tasks/export-task.types.ts';
import { lineChunk } from '../packages/server/src/exports/v2/line-buffer.ts';
import { startExportWorker } from '../packages/server/src/exports/worker/worker.ts';
import { startServer } from '../packages/server/src/http/server.ts';
import { openStore } from '../packages/server/src/store/store.ts';
import { seedOrg, seedProject } from '../packages/server/test/support/export-child-fixtures.ts';

export async function run(args: string[]): Promise<void> {
  const mbArg = args.indexOf('--mb');
  const mb = mbArg >= 0 ? Number(args[mbArg + 1]) : 200;
  const seed = JSON.stringify(
    JSON.parse(
      readFileSync(
        new URL('../packages/server/test/fixtures/seed-sample-export-row.json', import.meta.url),
        'utf8',
      ),
    ),
  );
  const rows = Math.ceil((mb * 1e6) / (seed.length + 1));
  const dir = mkdtempSync(join(tmpdir(), 'prefer-bench-download-'));
  const store = await openStore(join(dir, 'bench.db'));
  const runner: ExportRunner = async (_s, _a, _t, sink) => {
    for (let i = 0; i < rows; i++) {
      const p = sink.result(
        ...lineChunk(seed.replace('clpiqgsvn4lxr079096g5mt9v', `c${i.toString(36).padStart(24, '0')}`)),
      );
      if (p) await p;
    }
    return { rows, errors: 0 };
  };
  const worker = startExportWorker(store, { dataDir: dir, runner, pollMs: 20, retentionEveryMs: 0 });
  const server = await startServer({ store, port: 0, host: '127.0.0.1' });
  try {
    const actor = await seedOrg(store, 'bench');
    const projectId = await seedProject(store, actor, 'bench');
    const { key } = await createApiKey(store, actor, { name: 'bench' });
    const client = new Client({ endpoint: server.url, apiKey: key });
    const created = await startExport(store, actor, { projectId });
    const task = await ExportTask.getTask(client, created.id);
    let t = performance.now();
    await task.waitTillDone({ pollIntervalSeconds: 0.05 });
    const produced = performance.now() - t;
    const bytes = task.getTotalFileSize('result') ?? 0;
    const table: [string, number, number][] = [['stand-in engine writes the file', produced, rows]];

    t = performance.now();
    const res = await fetch(`${server.url}/api/v1/export-tasks/${task.id}/result`, {
      headers: { Authorization: `Bearer ${key}` },
    });
    let got = 0;
    for await (const chunk of res.body!) got += (chunk as Uint8Array).length;
    if (got !== bytes) throw new Error(`fetch read ${got} of ${bytes} bytes`);
    table.push(['bare fetch, body drained', performance.now() - t, rows]);

    t = performance.now();
    let lines = 0;
    for await (const _ of task.getLineStream()) lines++;
    table.push(['SDK getLineStream()', performance.now() - t, lines]);

    t = performance.now();
    let parsed = 0;
    for await (const _ of task.getBufferedStream()) parsed++;
    table.push(['SDK getBufferedStream() (parsed)', performance.now() - t, parsed]);

    console.log(`download of ${rows} rows, ${(bytes / 1e6).toFixed(1)} MB, loopback, SQLite`);
    for (const [name, ms, n] of table) {
      const rate = bytes / 1e6 / (ms / 1000);
      console.log(
        `${name.padEnd(36)} ${(ms / 1000).toFixed(2).padStart(7)} s ${rate.toFixed(0).padStart(6)} MB/s ${n} rows`,
      );
    }
  } finally {
    await server.close();
    await worker.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
