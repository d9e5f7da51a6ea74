/**
 * `npm run bench -- convert --rows N [--formats trl,kto] [--no-parquet] [--stats-only] [--bootstrap B]`
 *
 * Generates N deterministic preference rows (export v2) into `.bench/`, converts them to every
 * format as JSONL (and Parquet), and measures the bare loop beside it: readline, JSON.parse,
 * JSON.stringify, write. The analytics (`prefer stats`: mapping survey, then the report) run in a
 * child process of their own, as the command does, so their peak RSS (the child's VmHWM) is not
 * the garbage of earlier phases. Targets: every conversion and the statistics in flat memory,
 * peak RSS < 250 MB. Seconds are wall time, and for the statistics CPU time too, printed with the
 * load average: on a shared machine RSS and CPU time compare across runs, wall time hardly.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { convertRows, surveyRows } from '../packages/training/src/convert.ts';
import { COLUMNS, FORMATS, type Format } from '../packages/training/src/formats/formats.ts';
import { resolveMapping } from '../packages/training/src/mapping/mapping.infer.ts';
import type { Mapping } from '../packages/training/src/mapping/mapping.schema.ts';
import { jsonlFileSink } from '../packages/training/src/output/jsonl-sink.ts';
import { parquetDirSink } from '../packages/training/src/output/parquet-sink.ts';
import { readExportFile } from '../packages/training/src/source/export-file.ts';
import { computeStats } from '../packages/training/src/stats/report.ts';
import { mb, RssSampler, resetVmHwm, vmHwm } from './support/memory.ts';
import { writePreferenceExport } from './support/preference-export.ts';

const BENCH_DIR = resolve('.bench');
const RSS_TARGET = 250 * 2 ** 20;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

interface Phase {
  phase: string;
  seconds: number;
  records: number;
  rss: number;
  hwm: number | undefined;
}

async function measure(phase: string, fn: () => Promise<number>): Promise<Phase> {
  (globalThis as { gc?: () => void }).gc?.();
  resetVmHwm();
  const sampler = new RssSampler().start();
  const t0 = performance.now();
  const records = await fn();
  const seconds = (performance.now() - t0) / 1000;
  return { phase, seconds, records, rss: sampler.stop(), hwm: vmHwm() };
}

/** The floor: read each line, parse it, write it back out. */
async function bareLoop(file: string, out: string): Promise<number> {
  const dest = createWriteStream(out);
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (!dest.write(`${JSON.stringify(JSON.parse(line))}\n`)) await once(dest, 'drain');
    n++;
  }
  await new Promise<void>((r) => dest.end(r));
  return n;
}

/** The stats child: survey, report, then its own figures as one JSON line on stdout. */
async function statsChild(file: string, bootstrap: number): Promise<void> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const mapping = resolveMapping({}, await surveyRows(readExportFile(file))).mapping;
  const report = await computeStats(readExportFile(file), mapping, { bootstrap, seed: 1, minComparisons: 5 });
  const seconds = (performance.now() - t0) / 1000;
  // CPU time suffers less from a loaded machine than wall time.
  const { user, system } = process.cpuUsage(cpu0);
  const cpu = (user + system) / 1e6;
  console.log(
    JSON.stringify({ items: report.items, comparisons: report.comparisons, seconds, cpu, hwm: vmHwm() }),
  );
}

interface StatsRun {
  items: number;
  comparisons: number;
  seconds: number;
  cpu: number;
  hwm: number | undefined;
}

async function statsInChild(file: string, bootstrap: number): Promise<StatsRun> {
  const main = resolve('bench/main.ts');
  const child = spawn(
    process.execPath,
    [...process.execArgv, main, 'convert', '--stats-child', file, '--bootstrap', String(bootstrap)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`the stats child exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop()!) as StatsRun;
}

export async function run(args: string[]): Promise<void> {
  const child = option(args, 'stats-child');
  if (child) return statsChild(child, Number(option(args, 'bootstrap') ?? 200));
  const rows = Number(option(args, 'rows') ?? process.env.BENCH_ROWS ?? 100_000);
  if (!Number.isSafeInteger(rows) || rows < 1) throw new Error('--rows must be a positive integer');
  const formats = (option(args, 'formats')?.split(',') ?? [...FORMATS]) as Format[];
  for (const f of formats)
    if (!FORMATS.includes(f)) throw new Error(`--formats: unknown ${f}; valid: ${FORMATS.join(', ')}`);
  const parquet = !args.includes('--no-parquet');
  const statsOnly = args.includes('--stats-only');
  const bootstrap = Number(option(args, 'bootstrap') ?? 200);
  mkdirSync(BENCH_DIR, { recursive: true });
  const file = join(BENCH_DIR, `convert-${rows}.ndjson`);
  process.stderr.write(`generating ${file} ...\n`);
  await writePreferenceExport(file, rows);
  const bytes = statSync(file).size;
  const out = join(BENCH_DIR, 'convert-out');

  const phases: Phase[] = [];
  let m: Mapping | undefined;
  if (!statsOnly) {
    phases.push(
      await measure('bare readline + parse + stringify', () => bareLoop(file, `${out}.bare.jsonl`)),
    );
    phases.push(
      await measure('mapping inference (survey pass)', async () => {
        const survey = await surveyRows(readExportFile(file));
        m = resolveMapping({}, survey).mapping;
        return survey.rows;
      }),
    );
  }
  process.stderr.write(`prefer stats (bootstrap ${bootstrap}) in a child process ...\n`);
  const stats = await statsInChild(file, bootstrap);
  for (const format of statsOnly ? [] : formats) {
    phases.push(
      await measure(`${format} -> JSONL`, async () => {
        const s = await convertRows(readExportFile(file), jsonlFileSink(`${out}.${format}.jsonl`), {
          format,
          mapping: m!,
          labels: 'all',
        });
        return s.records.train + s.records.test;
      }),
    );
    if (!parquet) continue;
    phases.push(
      await measure(`${format} -> Parquet`, async () => {
        rmSync(`${out}-${format}`, { recursive: true, force: true });
        const s = await convertRows(
          readExportFile(file),
          parquetDirSink(`${out}-${format}`, COLUMNS[format]),
          { format, mapping: m!, labels: 'all' },
        );
        return s.records.train + s.records.test;
      }),
    );
  }
  console.log(`\nconvert benchmark: ${rows} rows, file ${mb(bytes)} (${(bytes / rows).toFixed(0)} B/row)\n`);
  let worst = 0;
  if (phases.length > 0) {
    const bare = phases[0]!;
    console.log(
      `${'phase'.padEnd(36)}${'records'.padStart(10)}${'seconds'.padStart(10)}${'rows/s'.padStart(10)}${'x bare'.padStart(8)}${'peak RSS'.padStart(11)}${'VmHWM'.padStart(10)}`,
    );
    for (const p of phases) {
      worst = Math.max(worst, p.rss, p.hwm ?? 0);
      console.log(
        `${p.phase.padEnd(36)}${String(p.records).padStart(10)}${p.seconds.toFixed(2).padStart(10)}${(rows / p.seconds).toFixed(0).padStart(10)}${(p.seconds / bare.seconds).toFixed(2).padStart(8)}${mb(p.rss).padStart(11)}${mb(p.hwm).padStart(10)}`,
      );
    }
    console.log(
      `\npeak RSS of any conversion phase: ${mb(worst)} (target < 250 MB) ${worst < RSS_TARGET ? 'PASS' : 'MISS'}`,
    );
  }
  const ok = stats.hwm !== undefined && stats.hwm < RSS_TARGET;
  console.log(
    `prefer stats (child process, bootstrap ${bootstrap}): ${stats.items} rows, ${stats.comparisons} comparisons, ${stats.seconds.toFixed(1)} s wall, ${stats.cpu.toFixed(1)} s CPU (load average ${loadavg()[0]!.toFixed(1)}), peak RSS ${mb(stats.hwm)} (target < 250 MB) ${ok ? 'PASS' : 'FAIL'}`,
  );
}
