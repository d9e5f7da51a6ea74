/**
 * `npm run bench -- cli-start [--runs 20]`
 *
 * How long the installed `prefer` executable (bin/prefer.js, the compiled dist) takes to start
 * and answer, spawned again and again as a shell would: `--help`, and `keys list --url` against a
 * real server on loopback (remote mode: the SDK only, no server code loaded). Prints min, median
 * and p95 per command. Targets: `--help` < 300 ms, `keys list --url` < 400 ms (median).
 * Run `npm run build` first: the executable runs dist.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiKey } from '../packages/server/src/auth/api-key.service.ts';
import { createLogger } from '../packages/server/src/http/log.ts';
import { startServer } from '../packages/server/src/http/server.ts';
import { localActor } from '../packages/server/src/orgs/org.service.ts';
import { openStore } from '../packages/server/src/store/store.ts';

const BIN = fileURLToPath(new URL('../packages/cli/bin/prefer.js', import.meta.url));
const TARGETS_MS: Record<string, number> = { '--help': 300, 'keys list --url': 400 };

const TIME = '/usr/bin/time';

/**
 * One spawn after another; asynchronous, since the server answering them runs in this process.
 * Answers the wall times and, under `/usr/bin/time` when present, the CPU times (user + sys) of
 * the process: steadier than wall time on a shared machine.
 */
async function timeRuns(
  args: string[],
  env: NodeJS.ProcessEnv,
  runs: number,
): Promise<{ wall: number[]; cpu: number[] }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  const withTime = existsSync(TIME);
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const [cmd, argv] = withTime
      ? [TIME, ['-f', 'CPU %U %S', process.execPath, BIN, ...args]]
      : [process.execPath, [BIN, ...args]];
    const stderr = await new Promise<string>((resolve, reject) =>
      execFile(cmd, argv, { env }, (err, _stdout, stderr) =>
        err ? reject(new Error(`prefer ${args.join(' ')} failed: ${stderr}`)) : resolve(stderr),
      ),
    );
    wall.push(Number(process.hrtime.bigint() - started) / 1e6);
    const m = /CPU ([\d.]+) ([\d.]+)\s*$/.exec(stderr);
    if (m) cpu.push((Number(m[1]) + Number(m[2])) * 1000);
  }
  return { wall: wall.sort((a, b) => a - b), cpu: cpu.sort((a, b) => a - b) };
}

const at = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

export async function run(args: string[]): Promise<void> {
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 20;
  if (!existsSync(join(BIN, '../../dist/bin.js'))) throw new Error('run `npm run build` first');
  const dir = mkdtempSync(join(tmpdir(), 'prefer-cli-start-'));
  const store = await openStore(join(dir, 'prefer.db'));
  const server = await startServer({
    store,
    port: 0,
    host: '127.0.0.1',
    logger: createLogger({ level: 'silent' }),
    logError: () => {},
  });
  try {
    const { key } = await createApiKey(store, await localActor(store), { name: 'bench' });
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PREFER_')));
    const cases: [string, string[], NodeJS.ProcessEnv][] = [
      ['--help', ['--help'], env],
      ['keys list --url', ['keys', 'list', '--url', server.url], { ...env, PREFER_API_KEY: key }],
    ];
    console.log(`prefer start-up, ${runs} spawns each (load average ${loadavg()[0]!.toFixed(2)})`);
    console.log('| command | min ms | median ms | p95 ms | CPU median ms | target (median) | result |');
    console.log('| --- | ---: | ---: | ---: | ---: | --- | --- |');
    for (const [name, argv, caseEnv] of cases) {
      await timeRuns(argv, caseEnv, 1); // warm the file cache
      const { wall: t, cpu } = await timeRuns(argv, caseEnv, runs);
      const median = at(t, 0.5);
      const target = TARGETS_MS[name]!;
      const cpuMedian = cpu.length > 0 ? at(cpu, 0.5).toFixed(0) : 'n/a';
      console.log(
        `| \`prefer ${name}\` | ${t[0]!.toFixed(0)} | ${median.toFixed(0)} | ${at(t, 0.95).toFixed(0)} | ` +
          `${cpuMedian} | < ${target} ms | ${median < target ? 'PASS' : 'FAIL'} |`,
      );
    }
  } finally {
    await server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
