/**
 * The HTTP answer carrying an opened export stream, and the `Range` header it may serve, shared
 * by the authenticated download (`/export-tasks/:id/result|errors`) and the signed GraphQL file
 * links.
 */
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { AppError } from '../../shared/errors.ts';
import type { OpenedExportStream } from './streams.ts';

export function streamResponse(
  c: Context,
  opened: OpenedExportStream,
  status: 200 | 206,
  headers: Record<string, string>,
): Response {
  if (c.req.method === 'HEAD') {
    // hono answers HEAD with the GET handler and drops the body unread: close the file here.
    opened.stream.destroy();
    return c.body(null, status, headers);
  }
  // The file descriptor is released even when the client goes away mid-download.
  c.req.raw.signal.addEventListener('abort', () => opened.stream.destroy(), { once: true });
  return c.body(Readable.toWeb(opened.stream) as ReadableStream<Uint8Array>, status, headers);
}

/**
 * `bytes=a-b` or `bytes=a-`. Other forms (suffix `bytes=-n`, several ranges, other units) are
 * ignored and the whole file is served, which HTTP allows.
 */
export function parseRange(header: string | undefined): { start: number; end?: number } | undefined {
  const m = header ? /^\s*bytes\s*=\s*(\d+)\s*-\s*(\d*)\s*$/i.exec(header) : null;
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = m[2] ? Number(m[2]) : undefined;
  if (!Number.isSafeInteger(start) || (end !== undefined && !Number.isSafeInteger(end))) return undefined;
  if (end !== undefined && end < start) {
    throw new AppError('RANGE_NOT_SATISFIABLE', `invalid byte range ${header}: it ends before it starts`);
  }
  return end === undefined ? { start } : { start, end };
}
