/**
 * Remote mode: with `--url` (or PREFER_URL) a command talks to a prefer server through the SDK
 * instead of opening a database, authenticated by PREFER_API_KEY.
 */
import { Client, PreferError } from '@prefer/sdk';
import { AppError, type ErrorCode, HTTP_STATUS } from '@prefer/server';
import { Option } from 'commander';
import { UsageError } from './failure.ts';

export const urlOption = () =>
  new Option('--url <url>', 'a prefer server to use instead of a local database (remote mode)').env(
    'PREFER_URL',
  );

/** The SDK client of remote mode, or undefined in local mode. */
export function remoteClient(url: string | undefined): Client | undefined {
  if (!url) return undefined;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new UsageError(`--url must be an http(s) URL, got ${JSON.stringify(url)}`);
  }
  const apiKey = process.env.PREFER_API_KEY;
  if (!apiKey) throw new UsageError('remote mode (--url) needs an API key in PREFER_API_KEY');
  return new Client({ endpoint: url, apiKey });
}

/**
 * Runs a remote command, turning SDK errors into AppErrors so they are reported like local ones
 * (the server's message and code, exit 1, no stack-trace hint).
 */
export async function withRemoteErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof PreferError)) throw err;
    const known = err.code !== undefined && err.code in HTTP_STATUS;
    const code: ErrorCode = known
      ? (err.code as ErrorCode)
      : err.status === undefined
        ? 'UNAVAILABLE'
        : 'INTERNAL';
    throw new AppError(code, err.message, err.details);
  }
}
