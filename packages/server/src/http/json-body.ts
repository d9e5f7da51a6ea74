/**
 * JSON request bodies: size-limited before anything is parsed (413), decoded as strict UTF-8,
 * parsed strictly (duplicate keys and `__proto__` refused), then checked by a strict zod object
 * whose unknown-key message names the valid keys.
 */
import { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod';
import { parseStrictJson, StrictJsonError } from '../ingest/strict-json.ts';
import { AppError } from '../shared/errors.ts';

export const MAX_JSON_BODY_BYTES = 1024 * 1024;

const tooLarge = () =>
  new AppError('PAYLOAD_TOO_LARGE', `the request body is larger than ${MAX_JSON_BODY_BYTES} bytes`);

const honoBodyLimit: MiddlewareHandler = bodyLimit({
  maxSize: MAX_JSON_BODY_BYTES,
  onError: () => {
    throw tooLarge();
  },
});

/**
 * The node request of a body with a Content-Length that nobody has started reading, when the app
 * runs under @hono/node-server; undefined otherwise (tests' `app.request()`, chunked bodies, a
 * body already read). Its body is read from the socket directly: through `c.req.raw` the adapter
 * first builds a full web `Request` (undici object, AbortController, a web stream over the
 * socket), about a tenth of the server's CPU per request under the API load benchmark. Node's
 * HTTP parser ends the body at Content-Length, so checking that header bounds the read.
 */
function unreadNodeBody(c: Context): IncomingMessage | undefined {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
  if (!(incoming instanceof IncomingMessage)) return undefined;
  if (incoming.readableFlowing !== null || incoming.readableEnded) return undefined;
  if (c.req.header('content-length') === undefined || c.req.header('transfer-encoding') !== undefined) {
    return undefined;
  }
  return incoming;
}

/** Refuses bodies over 1 MB from Content-Length, or while reading a chunked body. */
export const jsonBodyLimit: MiddlewareHandler = async (c, next) => {
  if (!unreadNodeBody(c)) return honoBodyLimit(c, next);
  if (Number(c.req.header('content-length')) > MAX_JSON_BODY_BYTES) throw tooLarge();
  return next();
};

async function bodyBytes(c: Context): Promise<Uint8Array> {
  const incoming = unreadNodeBody(c);
  if (!incoming) return new Uint8Array(await c.req.arrayBuffer());
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of incoming as AsyncIterable<Buffer>) {
      size += chunk.length;
      // Content-Length was checked (jsonBodyLimit); this guards a route without that middleware.
      if (size > MAX_JSON_BODY_BYTES) throw tooLarge();
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('BAD_REQUEST', 'the request body could not be read');
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Reads and validates the body; an empty body reads as `{}`. */
export async function readJsonBody<S extends z.ZodObject>(c: Context, schema: S): Promise<z.output<S>> {
  const type = c.req.header('content-type');
  const bytes = await bodyBytes(c);
  let value: unknown = {};
  if (bytes.length > 0) {
    if (type && !/^application\/json\s*(;|$)/i.test(type)) {
      throw new AppError('BAD_REQUEST', 'the request body must be JSON (Content-Type: application/json)');
    }
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      throw new AppError('BAD_REQUEST', 'the request body is not valid UTF-8');
    }
    try {
      value = parseStrictJson(text);
    } catch (err) {
      if (err instanceof StrictJsonError) {
        throw new AppError(
          'BAD_REQUEST',
          `invalid JSON body at ${err.path} (column ${err.column}): ${err.message}`,
        );
      }
      throw new AppError('BAD_REQUEST', 'the request body is not valid JSON');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AppError('BAD_REQUEST', 'the request body must be a JSON object');
  }
  rejectUnknownKeys(Object.keys(value), schema, 'in the request body');
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
  throw new AppError('BAD_REQUEST', `${where}${first?.message ?? 'invalid request body'}`);
}

/** Unknown keys are errors that list the valid ones. */
export function rejectUnknownKeys(keys: readonly string[], schema: z.ZodObject, where: string): void {
  const valid = Object.keys(schema.shape);
  const unknown = keys.filter((k) => !Object.hasOwn(schema.shape, k));
  if (unknown.length === 0) return;
  const names = unknown.map((k) => JSON.stringify(k)).join(', ');
  const list = valid.length > 0 ? `valid keys are: ${valid.join(', ')}` : 'it takes none';
  throw new AppError('BAD_REQUEST', `unknown key ${names} ${where}; ${list}`);
}
