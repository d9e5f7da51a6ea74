/**
 * Runs the `prefer` CLI for tests. `runCli` calls `main` in this process with its own stdout,
 * stderr, stdin and env (what a user's shell would give a child process), so a command costs no
 * Node start-up; `spawnCli` and `runBin` start real processes, for what only a process shows
 * (signals, the executable, exit codes as the shell sees them).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/main.ts';

export const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
/** The installed executable, as `npx prefer` runs it. */
export const BIN = `${REPO}packages/cli/bin/prefer.js`;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment without any PREFER_* setting of the machine running the tests, except the test
 * harness's own password cost (vitest.config.ts), so spawned commands hash as cheaply as in-process ones.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('PREFER_') || k === 'PREFER_PASSWORD_COST') env[k] = v;
  }
  return { ...env, ...extra };
}

/** Collects what a command writes; decoded at the end so no UTF-8 character is split. */
class Capture extends Writable {
  private readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    done();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/**
 * One command line, in-process: `env` is the whole environment of the run (on top of the
 * machine's, PREFER_* removed), `input` its stdin (empty when not given; never a terminal).
 */
export async function runCli(
  args: string[],
  env: Record<string, string> = {},
  input?: string,
): Promise<CliResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const stdin = Readable.from(input === undefined ? [] : [Buffer.from(input)]);
  const code = await main(['node', 'prefer', ...args], { stdout, stderr, stdin, env: cleanEnv(env) });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** The executable itself (`bin/prefer.js`) in a child process, its stdout and stderr pipes. */
export function runBin(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: options.cwd ?? REPO, env: cleanEnv(options.env), maxBuffer: 16 << 20, timeout: 100_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/**
 * Starts a long-running command (serve) of the executable in a child process; `lines` collects
 * stdout as it arrives. The compiled executable (build-setup.ts rebuilt a stale dist) starts in
 * a third of the CPU that the source through tsx took (0.7 s against 2.0-2.3 s to listening).
 */
export function spawnCli(args: string[], env: Record<string, string> = {}) {
  const child: ChildProcess = spawn(process.execPath, [BIN, ...args], {
    cwd: REPO,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => ({ stdout, stderr }),
    /** Resolves with the first stdout match of `pattern`, or rejects if the process ends first. */
    waitFor(pattern: RegExp): Promise<RegExpMatchArray> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = stdout.match(pattern);
          if (m) {
            child.stdout?.off('data', check);
            resolve(m);
          }
        };
        child.stdout?.on('data', check);
        check();
        exited.then(() => reject(new Error(`exited before printing ${pattern}: ${stderr}`)));
      });
    },
  };
}

export const ID = /^c[0-9a-z]{24}$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
