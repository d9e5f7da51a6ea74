/**
 * The export benchmark's measurements, each in its own child process so peak RSS (VmHWM) is the
 * measured work's own: the export engine into the task file writer, or the bare parse+stringify loop.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { renameSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseExportRequest } from '../packages/server/src/exports/request/export.request.ts';
import { runExportV2 } from '../packages/server/src/exports/v2/export-v2.engine.ts';
import { NdjsonFileWriter, tempPath } from '../packages/server/src/exports/worker/worker.files.ts';
import { openStore } from '../packages/server/src/store/store.ts';
import { ALL_PARAMS } from '../packages/server/test/support/seed-params.ts';
import type { Options } from './export.ts';
import { actor, HOT_FILTERS, PROJECT } from './export-data.ts';
import { vmHwm } from './support/memory.ts';
import { parseStringifyLoop } from './support/parse-stringify-loop.ts';

export interface Measure {
  ms: number;
  cpuMs: number;
  rows: number;
  bytes: number;
  peakRssKb: number;
}

/**
 * Writes back every dirty page of the machine before a measurement, so none pays for the disk
 * work of the one before (the build leaves gigabytes for the kernel to write back).
 */
export function settle(): void {
  spawnSync('sync');
}

// ---------------------------------------------------------------------------------------------
// Child processes: one measurement each, answering JSON on stdout.

export async function inChild(args: string[]): Promise<Measure> {
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  const proc = spawn(process.execPath, [...process.execArgv, main, 'export', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  proc.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
  });
  const [code] = await once(proc, 'exit');
  if (code !== 0) throw new Error(`bench child ${args[1]} exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop()!) as Measure;
}

/** CPU time (user + system) since `from`: steadier than wall time on a shared machine. */
function cpuMsSince(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

function peakRssKb(): number {
  return Math.round((vmHwm() ?? process.memoryUsage().rss) / 1024);
}

export async function child(opt: Options): Promise<void> {
  if (opt.child === 'loop') {
    const t = performance.now();
    const cpu = process.cpuUsage();
    const rows = await parseStringifyLoop(opt.in!, opt.out!);
    const ms = performance.now() - t;
    const cpuMs = cpuMsSince(cpu);
    console.log(JSON.stringify({ ms, cpuMs, rows, bytes: statSync(opt.out!).size, peakRssKb: peakRssKb() }));
    return;
  }
  const store = await openStore(opt.url!, { migrate: false });
  const request = parseExportRequest({
    params: ALL_PARAMS,
    filters: opt.hot ? HOT_FILTERS : {},
  });
  // The export task's own file writer: line index, SHA-256 and fsync included.
  const writer = await NdjsonFileWriter.create(opt.out!);
  const t = performance.now();
  const cpu = process.cpuUsage();
  const result = await runExportV2(
    store,
    actor,
    PROJECT,
    request,
    {
      result: (chunk, lines) => writer.write(chunk, lines),
      errors: (chunk) => void process.stderr.write(chunk),
    },
    { pageSize: opt.pageSize },
  );
  await writer.finish();
  const ms = performance.now() - t;
  renameSync(tempPath(opt.out!), opt.out!);
  await store.close();
  if (result.errors > 0) console.error(`${result.errors} rows went to the errors stream`);
  const cpuMs = cpuMsSince(cpu);
  console.log(
    JSON.stringify({ ms, cpuMs, rows: result.rows, bytes: statSync(opt.out!).size, peakRssKb: peakRssKb() }),
  );
}
