/**
 * The HTTP answer carrying an opened export stream, shared by the authenticated download
 * (`/export-tasks/:id/result|errors`) and the signed GraphQL file links.
 */
import { Readable } from 'node:stream';
import type { Context } from 'hono';
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
