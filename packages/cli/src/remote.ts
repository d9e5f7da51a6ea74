/**
 * Remote mode: with `--url` (or PREFER_URL) a command talks to a prefer server through the SDK
 * instead of opening a database, authenticated by PREFER_API_KEY.
 * The SDK (and the zod schemas under it) is imported only when a command runs remotely: `--help`,
 * usage errors and local commands never load it (about 200 modules).
 */
import type { Client } from '@prefer/sdk';
import { AppError, type ErrorCode, HTTP_STATUS } from '@prefer/server/settings';
import { type Command, Option } from 'commander';
import { outputOf } from './context.ts';
import { ImportFailed, UsageError } from './failure.ts';
import { type CliIo, runOf } from './io.ts';
import type { Output } from './output.ts';

export const urlOption = () =>
  new Option('--url <url>', 'a prefer server to use instead of a local database (remote mode)').env(
    'PREFER_URL',
  );

/** The SDK client of remote mode, or undefined in local mode. */
export async function remoteClient(url: string | undefined, env: CliIo['env']): Promise<Client | undefined> {
  if (!url) return undefined;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new UsageError(`--url must be an http(s) URL, got ${JSON.stringify(url)}`);
  }
  const apiKey = env.PREFER_API_KEY;
  if (!apiKey) throw new UsageError('remote mode (--url) needs an API key in PREFER_API_KEY');
  const { Client } = await import('@prefer/sdk');
  return new Client({ endpoint: url, apiKey });
}

/**
 * Runs a remote command, turning SDK errors into AppErrors so they are reported like local ones
 * (the server's message and code, exit 1, no stack-trace hint); an import's faults become
 * `ImportFailed`, listed line by line exactly as in local mode.
 */
export async function withRemoteErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    // Loaded already: a remote command got here through remoteClient.
    const { PreferError, ValidationError } = await import('@prefer/sdk');
    if (!(err instanceof PreferError)) throw err;
    const details = err.details as { errors?: unknown; errorCount?: unknown } | undefined;
    if (
      err instanceof ValidationError &&
      Array.isArray(details?.errors) &&
      typeof details.errorCount === 'number'
    ) {
      throw new ImportFailed(err.faults, err.errorCount);
    }
    const known = err.code !== undefined && err.code in HTTP_STATUS;
    const code: ErrorCode = known
      ? (err.code as ErrorCode)
      : err.status === undefined
        ? 'UNAVAILABLE'
        : 'INTERNAL';
    throw new AppError(code, err.message, err.details);
  }
}

/**
 * The command's remote mode: with `--url` (or PREFER_URL) runs `fn` on the SDK client and
 * answers true; without, answers false and the command runs locally.
 */
export async function runRemote(
  cmd: Command,
  fn: (client: Client, out: Output) => Promise<void>,
): Promise<boolean> {
  const client = await remoteClient(cmd.opts<{ url?: string }>().url, runOf(cmd).io.env);
  if (!client) return false;
  await withRemoteErrors(() => fn(client, outputOf(cmd)));
  return true;
}
