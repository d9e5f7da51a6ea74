import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_PARAMS } from '../packages/server/test/support/seed-params.ts';
import { actor, build, freshDatabase, HOT_FILTERS, PROJECT } from './export-data.ts';
import { child, inChild, settle } from './export-measure.ts';
import { report } from './export-report.ts';

export async function run(args: string[]): Promise<void> {
  const opt = options(args);
  if (opt.child) return child(opt);
  const dir = mkdtempSync(join(tmpdir(), 'prefer-bench-'));
  const { url, drop } = await freshDatabase(opt.db, dir);
  try {
    const t = performance.now();
    await build(url, opt.rows);
    settle();
    console.error(`built ${opt.rows} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const fullFile = join(dir, 'full.ndjson');
    const full = await inChild([
      '--child',
      'export',
      '--url',
      url,
      '--out',
      fullFile,
      '--page-size',
      String(opt.pageSize),
    ]);
    settle();
    const filtered = await inChild([
      '--child',
      'export',
      '--url',
      url,
      '--out',
      join(dir, 'hot.ndjson'),
      '--page-size',
      String(opt.pageSize),
      '--hot',
    ]);
    settle();
    const loop = await inChild(['--child', 'loop', '--in', fullFile, '--out', join(dir, 'loop.ndjson')]);
    settle();
    // Imported here: the server it starts has no business in the measuring children's memory.
    const { measureTtfb } = await import('./support/ttfb.ts');
    const ttfb = await measureTtfb(url, actor, PROJECT, { params: ALL_PARAMS });
    const ttfbHot = await measureTtfb(url, actor, PROJECT, { params: ALL_PARAMS, filters: HOT_FILTERS });
    report(opt.rows, url, { full, filtered, loop, ttfb, ttfbHot });
  } finally {
    if (opt.keep) console.error(`kept ${dir} (${url})`);
    else {
      await drop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

export interface Options {
  rows: number;
  db?: string;
  pageSize: number;
  child?: 'export' | 'loop';
  url?: string;
  out?: string;
  in?: string;
  hot: boolean;
  /** Keep the database and files (and print where) for profiling. */
  keep: boolean;
}

function options(args: string[]): Options {
  const get = (name: string) => {
    const k = args.indexOf(`--${name}`);
    return k === -1 ? undefined : args[k + 1];
  };
  const rows = Number(get('rows') ?? 10_000);
  if (!Number.isInteger(rows) || rows < 100) throw new Error('--rows must be an integer >= 100');
  const db = get('db') ?? process.env.PREFER_BENCH_DB;
  return {
    rows,
    pageSize: Number(get('page-size') ?? 250),
    hot: args.includes('--hot'),
    keep: args.includes('--keep'),
    ...(db ? { db } : {}),
    ...(get('child') ? { child: get('child') as 'export' | 'loop' } : {}),
    ...(get('url') ? { url: get('url')! } : {}),
    ...(get('out') ? { out: get('out')! } : {}),
    ...(get('in') ? { in: get('in')! } : {}),
  };
}
