/**
 * Reads one NDJSON stream of an export task, line by line, without holding the file in memory.
 * If the connection breaks mid-file, the read resumes with `Range: bytes=<offset>-` from the first
 * byte of the line that was not complete, so no row is lost or repeated.
 */
import type { Client } from './client.ts';
import { NetworkError, PreferError } from './errors.ts';

const NL = 0x0a;
const decoder = new TextDecoder('utf-8', { fatal: true });

export interface NdjsonReadOptions {
  /** Resumes allowed in a row without progress before giving up (default 5). */
  maxResumes?: number;
}

/** Parsed rows of the stream. */
export async function* readNdjson<T>(
  client: Client,
  path: string,
  totalBytes: number,
  options: NdjsonReadOptions = {},
): AsyncGenerator<T> {
  for await (const { bytes, endOffset } of readLines(client, path, totalBytes, options)) {
    yield parseLine<T>(bytes, endOffset);
  }
}

/** The lines of the stream as text, exactly as the file has them (without the `\n`). */
export async function* readNdjsonText(
  client: Client,
  path: string,
  totalBytes: number,
  options: NdjsonReadOptions = {},
): AsyncGenerator<string> {
  for await (const { bytes, endOffset } of readLines(client, path, totalBytes, options)) {
    try {
      yield decoder.decode(bytes);
    } catch (cause) {
      throw new PreferError(`the export file has invalid UTF-8 in the line ending at byte ${endOffset}`, {
        cause,
      });
    }
  }
}

async function* readLines(
  client: Client,
  path: string,
  totalBytes: number,
  options: NdjsonReadOptions,
): AsyncGenerator<{ bytes: Uint8Array; endOffset: number }> {
  const maxResumes = options.maxResumes ?? 5;
  let offset = 0;
  let failures = 0;
  while (offset < totalBytes) {
    const res = await client.request('GET', path, {
      headers: offset > 0 ? { Range: `bytes=${offset}-` } : {},
    });
    if (!res.body) throw new PreferError(`empty answer for ${path}`);
    // A server that ignores Range answers 200 from byte 0: skip what was already read.
    const startOffset = offset;
    let skip = offset > 0 && res.status !== 206 ? offset : 0;
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const reader = res.body.getReader();
    try {
      for (;;) {
        let read: { done: boolean; value?: Uint8Array } | undefined;
        try {
          read = await reader.read();
        } catch (cause) {
          if (++failures > maxResumes) {
            throw new NetworkError(`reading ${path} failed ${failures} times at byte ${offset}`, { cause });
          }
        }
        // A broken read ends this response; the outer loop resumes at `offset`.
        if (!read || read.done || !read.value) break;
        let chunk = read.value;
        if (skip > 0) {
          const drop = Math.min(skip, chunk.length);
          chunk = chunk.subarray(drop);
          skip -= drop;
        }
        let start = 0;
        for (let nl = chunk.indexOf(NL); nl >= 0; nl = chunk.indexOf(NL, start)) {
          const line = join(pending, pendingBytes, chunk.subarray(start, nl));
          offset += line.length + 1;
          failures = 0;
          pending = [];
          pendingBytes = 0;
          start = nl + 1;
          if (line.length > 0) yield { bytes: line, endOffset: offset };
        }
        if (start < chunk.length) {
          pending.push(chunk.subarray(start));
          pendingBytes += chunk.length - start;
        }
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
    // A last line without "\n" counts only when it reaches the announced end of the file.
    if (pendingBytes > 0 && offset + pendingBytes === totalBytes) {
      const line = join(pending, pendingBytes, new Uint8Array(0));
      offset += line.length;
      yield { bytes: line, endOffset: offset };
    }
    // An answer that ended early without a single complete line counts as a failure too.
    if (offset === startOffset && offset < totalBytes && ++failures > maxResumes) {
      throw new NetworkError(`reading ${path} made no progress at byte ${offset}`);
    }
  }
}

function join(parts: Uint8Array[], size: number, tail: Uint8Array): Uint8Array {
  if (parts.length === 0) return tail;
  const out = new Uint8Array(size + tail.length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  out.set(tail, at);
  return out;
}

function parseLine<T>(bytes: Uint8Array, endOffset: number): T {
  try {
    return JSON.parse(decoder.decode(bytes)) as T;
  } catch (cause) {
    throw new PreferError(`the export file has an invalid line ending at byte ${endOffset}`, { cause });
  }
}
