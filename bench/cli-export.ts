/**
 * `npm run bench -- cli-export --rows N [--db postgres://...] [--baseline DIR] [--data URL]`
 *
 * The export as a user runs it: builds N seed-shaped rows (the export benchmark's data set), then
 * runs `prefer export --project P --params <the seed page's six> --out FILE` as a process,
 * measured from start to exit (wall time, and peak RSS from `/usr/bin/time -v`), and in the same
 * run the parse+stringify loop over that output, also as a process from start to exit. With
 * `--baseline DIR`, the CLI of another checkout (e.g. `git archive` of an older commit, with its
 * node_modules) runs on the same data in the same run.
 * The CLI runs as installed: `packages/cli/bin/prefer.js`, the compiled dist (run `npm run build`
 * first); a baseline checkout without dist runs its source through tsx.
 * Targets: SQLite <= 0.6x the loop at 100,000 rows and <= 0.5x from 1,000,000; PostgreSQL
 * <= 0.75x (the issue sets it at 1,000,000 rows); peak RSS < 200 MB.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { isPostgresUrl, openStore } from '../packages/server/src/store/store.ts';
import { SEED_PARAMS as SEED } from '../packages/server/test/support/seed-params.ts';
import { build, freshDatabase, PROJECT } from './export-data.ts';
import { settle } from './export-measure.ts';

// The seed page's params, as the CLI's --params list.
const SEED_PARAMS = Object.keys(SEED).join(',');
const TIME = '/usr/bin/time';
const REPO = fileURLToPath(new URL('../', import.meta.url));
// By URL: the processes run in an empty directory, where the bare name would not resolve.
const TSX = import.meta.resolve('tsx');

interface Run {
  ms: number;
  /** User + system CPU time (steadier than wall time on a shared machine). */
  cpuMs: number | null;
  peakRssKb: number | null;
}

export async function run(args: string[]): Promise<void> {
  const get = (name: string) => {
    const k = args.indexOf(`--${name}`);
    return k === -1 ? undefined : args[k + 1];
  };
  const rows = Number(get('rows') ?? 100_000);
  if (!Number.isInteger(rows) || rows < 100) throw new Error('--rows must be an integer >= 100');
  const dir = mkdtempSync(join(tmpdir(), 'prefer-bench-'));
  // `--data URL`: a database this benchmark's build made before (N rows, e.g. by a helper that
  // calls `build`), used as it is and not dropped: building 1,000,000 rows takes about half an hour
  // under load on either backend.
  const data = get('data');
  const { url, drop } = data
    ? { url: data, drop: async () => {} }
    : await freshDatabase(get('db') ?? process.env.PREFER_BENCH_DB, dir);
  try {
    if (!data) {
      const t = performance.now();
      await build(url, rows);
      settle();
      console.error(`built ${rows} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    const out = join(dir, 'cli.ndjson');
    const load = loadavg()[0]!;
    // The CLI runs in an empty directory, so anything it leaves behind (./data/exports) shows.
    const cwd = mkdtempSync(join(dir, 'cwd-'));
    await warm(url);
    const cli = await timed(cliArgs(REPO, url, out), cwd);
    const leftovers = readdirSync(cwd, { recursive: true }).filter((f) => String(f).endsWith('.ndjson'));
    settle();
    // `--baseline DIR`: another checkout's CLI (e.g. the commit before a change) on the same data.
    const baselineDir = get('baseline');
    if (baselineDir) {
      await forgetNewerMigrations(url, baselineDir);
      await warm(url);
    }
    const baseline = baselineDir
      ? await timed(cliArgs(baselineDir, url, join(dir, 'baseline.ndjson')), mkdtempSync(join(dir, 'cwd-')))
      : null;
    if (baseline) settle();
    const loop = await timed(
      ['--import', TSX, join(REPO, 'bench/support/parse-stringify-loop.ts'), out, join(dir, 'loop.ndjson')],
      cwd,
    );
    const bytes = statSync(out).size;
    const backend = isPostgresUrl(url) ? 'PostgreSQL' : 'SQLite';
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    const rss = (kb: number | null) => (kb === null ? 'n/a' : `${(kb / 1024).toFixed(0)} MB`);
    console.log(
      `\ncli-export benchmark: ${rows} rows on ${backend}, output ${(bytes / 2 ** 20).toFixed(0)} MB, ` +
        `load average ${load.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after`,
    );
    const row = (name: string, r: Run) =>
      `| ${name} | ${s(r.ms)} | ${r.cpuMs === null ? 'n/a' : s(r.cpuMs)} | ${rss(r.peakRssKb)} | ${(r.ms / loop.ms).toFixed(2)} | ${r.cpuMs && loop.cpuMs ? (r.cpuMs / loop.cpuMs).toFixed(2) : 'n/a'} |`;
    console.log(
      '| process | wall, start to exit | CPU (user + sys) | peak RSS | / loop: wall | / loop: CPU |',
    );
    console.log(
      '| ------- | ------------------- | ---------------- | -------- | ------------ | ----------- |',
    );
    console.log(row('prefer export --out (seed params)', cli));
    if (baseline) console.log(row(`baseline: ${baselineDir}`, baseline));
    console.log(row('parse+stringify loop', loop));
    const ratio = cli.ms / loop.ms;
    const maxRatio = isPostgresUrl(url) ? 0.75 : rows >= 1_000_000 ? 0.5 : 0.6;
    const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
    console.log(`\n| target | measured | result |\n| --- | --- | --- |`);
    console.log(
      `| prefer export / loop, wall <= ${maxRatio} | ${ratio.toFixed(2)} (CPU ${
        cli.cpuMs && loop.cpuMs ? (cli.cpuMs / loop.cpuMs).toFixed(2) : 'n/a'
      }) | ${verdict(ratio <= maxRatio)} |`,
    );
    console.log(
      `| peak RSS < 200 MB | ${rss(cli.peakRssKb)} | ${
        cli.peakRssKb === null ? 'n/a' : verdict(cli.peakRssKb < 200 * 1024)
      } |`,
    );
    console.log(
      `| no file left beside the CLI | ${leftovers.length === 0 ? 'none' : leftovers.join(', ')} | ${verdict(leftovers.length === 0)} |`,
    );
  } finally {
    await drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * SQLite: reads the database file once, so each timed export starts from the page cache, as the
 * loop does (its input is the file the export just wrote). Without it the 1,000,000-row export
 * read 12 GB from disk or from the cache depending on what the previous runs had evicted, and
 * its wall time moved between 0.40x and 0.56x the loop from one run to the next.
 */
async function warm(url: string): Promise<void> {
  if (isPostgresUrl(url)) return;
  for (const file of [url, `${url}-wal`]) {
    if (!existsSync(file)) continue;
    for await (const _ of createReadStream(file, { highWaterMark: 1 << 20 })) {
      // read and dropped
    }
  }
}

/** Runs node with `args` under `/usr/bin/time -v` when present: wall time and peak RSS. */
async function timed(args: string[], cwd: string): Promise<Run> {
  const withTime = existsSync(TIME);
  const [cmd, argv] = withTime ? [TIME, ['-v', process.execPath, ...args]] : [process.execPath, args];
  const t = performance.now();
  const proc = spawn(cmd, argv, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const [code] = await once(proc, 'exit');
  const ms = performance.now() - t;
  if (code !== 0) throw new Error(`${args.slice(2, 5).join(' ')} exited with ${code}:\n${stderr}`);
  const peak = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  const user = /User time \(seconds\): ([\d.]+)/.exec(stderr);
  const system = /System time \(seconds\): ([\d.]+)/.exec(stderr);
  const cpuMs = user && system ? (Number(user[1]) + Number(system[1])) * 1000 : null;
  return { ms, cpuMs, peakRssKb: peak ? Number(peak[1]) : null };
}

/**
 * `prefer export` of `repo`'s CLI with the seed page's params into `out`: its compiled executable,
 * or its source through tsx when it has no dist (an older checkout).
 */
function cliArgs(repo: string, url: string, out: string): string[] {
  const bin = join(repo, 'packages/cli/bin/prefer.js');
  const compiled = existsSync(bin) && existsSync(join(repo, 'packages/cli/dist/bin.js'));
  const source = ['bin.ts', 'main.ts']
    .map((f) => join(repo, 'packages/cli/src', f))
    .find((f) => existsSync(f))!;
  return [
    ...(compiled ? [bin] : ['--import', TSX, source]),
    '--db',
    url,
    'export',
    '--project',
    PROJECT,
    '--params',
    SEED_PARAMS,
    '--out',
    out,
  ];
}

/**
 * An older checkout refuses a database that ran migrations it does not know: they are struck from
 * the bookkeeping (not undone) so it runs on the same data. Only for benchmarks of older code.
 */
async function forgetNewerMigrations(url: string, baselineDir: string): Promise<void> {
  // The migrations as the baseline lists them: store.ts's `migrations` (a file per migration
  // under store/migrations/), or an older checkout's single store/migrations.ts.
  const single = join(baselineDir, 'packages/server/src/store/migrations.ts');
  const from = existsSync(single) ? single : join(baselineDir, 'packages/server/src/store/store.ts');
  const known = Object.keys(((await import(from)) as { migrations: object }).migrations);
  const store = await openStore(url, { migrate: false });
  try {
    await sql`delete from kysely_migration where name not in (${sql.join(known)})`.execute(store.db);
  } finally {
    await store.close();
  }
}
