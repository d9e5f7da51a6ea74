/**
 * NDJSON uploads (data rows, label imports): the request body is the file itself, read as a
 * stream by the importer, never buffered. The size limit is the route's `rawBody.maxBytes`
 * (api-router.ts); an import's faults become one 422 listing them by line and field.
 */
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { AppError, formatFault } from '../shared/errors.ts';
import type { ImportResult } from '../shared/result.ts';

/** 512 MiB: about 200,000 conversations of typical size in one request. */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

export const ndjsonUpload = (description: string) => ({
  contentType: 'application/x-ndjson',
  description: `${description}: NDJSON (application/x-ndjson) or one JSON array (application/json)`,
  maxBytes: MAX_UPLOAD_BYTES,
});

const UPLOAD_TYPE = /^application\/(x-ndjson|json)\s*(;|$)/i;

/** The body as a Node stream for `readJsonRecords`; 400 for another content type. */
export function uploadStream(c: Context): Readable {
  const type = c.req.header('content-type');
  if (!type || !UPLOAD_TYPE.test(type)) {
    throw new AppError(
      'BAD_REQUEST',
      'the request body must be NDJSON (Content-Type: application/x-ndjson) or a JSON array (application/json)',
    );
  }
  const body = c.req.raw.body;
  return body ? Readable.fromWeb(body as import('node:stream/web').ReadableStream) : Readable.from([]);
}

/** The counts of a successful import, or a 422 carrying every listed fault. */
export function importedOrFail<C>(result: ImportResult<C>): C {
  if (result.ok) return result.counts;
  const first = result.errors[0];
  const example = first ? `; first: ${formatFault(first)}` : '';
  const n = result.errorCount;
  throw new AppError(
    'VALIDATION_FAILED',
    `${n} fault${n === 1 ? '' : 's'} found; nothing was imported${example}`,
    {
      errors: result.errors,
      errorCount: n,
    },
  );
}

/** The 422 answer of an import, for the OpenAPI document. */
export { importFaultsSchema } from '@prefer/schemas';
