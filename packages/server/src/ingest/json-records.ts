/**
 * Streams the records of an import file: NDJSON (one value per line) or one JSON array. The file is
 * never read whole: NDJSON is split on newline bytes, an array on its top-level commas. Every
 * record carries the line it starts on, so faults can name it.
 *
 * Framing rules (documented in the README):
 * - a UTF-8 byte order mark at the very start is skipped; anywhere else it is a fault;
 * - CRLF and LF both end lines; a missing final newline is fine;
 * - blank (whitespace-only) lines are skipped but still counted;
 * - invalid UTF-8 is a fault naming the line and byte column, never replaced by U+FFFD;
 * - a record over `maxRecordBytes` is a fault and is skipped without being buffered.
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Fault } from '../shared/errors.ts';
import { parseStrictJson, StrictJsonError } from './strict-json.ts';

export type JsonRecord = { line: number; value: unknown; fault?: undefined } | { line: number; fault: Fault };

export interface ReadOptions {
  /** Largest record accepted, in bytes. */
  maxRecordBytes?: number;
}

export const DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;

const NL = 0x0a;
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function openInput(input: string | Readable): Readable {
  return typeof input === 'string' ? createReadStream(input, { highWaterMark: 1 << 20 }) : input;
}

/** Reads NDJSON or a JSON array, deciding by the first non-blank byte (`[` means an array). */
export async function* readJsonRecords(
  input: string | Readable,
  options: ReadOptions = {},
): AsyncGenerator<JsonRecord> {
  const max = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const chunks = byteChunks(openInput(input));
  // Peek at the start (at least 3 bytes, for the BOM, however the stream is chunked) to skip a
  // BOM and choose the framing, then replay what was peeked.
  const peeked: Buffer[] = [];
  // Whole chunks of blanks before the first value are kept only as their line count, so a body
  // of nothing but whitespace holds no memory however long it is.
  let blankLines = 0;
  let first = -1;
  let bomChecked = false;
  // Pulled by hand: breaking out of a for-await loop would close the generator, and the rest of
  // the file with it.
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
    let chunk = next.value;
    if (!bomChecked) {
      chunk = peeked.length === 0 ? chunk : Buffer.concat([peeked.pop()!, chunk]);
      if (chunk.length < 3) {
        peeked.push(chunk);
        continue;
      }
      bomChecked = true;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    peeked.push(chunk);
    const at = chunk.findIndex((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
    if (at >= 0) {
      first = chunk[at]!;
      break;
    }
    peeked.pop();
    for (let i = chunk.indexOf(NL); i >= 0; i = chunk.indexOf(NL, i + 1)) blankLines++;
  }
  if (!bomChecked && peeked[0]?.[0] === 0x5b) first = 0x5b;
  const all = replay(newlines(blankLines), peeked, chunks);
  if (first === 0x5b) yield* arrayRecords(all, max);
  else yield* lineRecords(all, max);
}

async function* byteChunks(stream: Readable): AsyncGenerator<Buffer> {
  for await (const chunk of stream) yield typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
}

async function* replay(
  blanks: Iterable<Buffer>,
  head: Buffer[],
  rest: AsyncGenerator<Buffer>,
): AsyncGenerator<Buffer> {
  yield* blanks;
  yield* head;
  yield* rest;
}

/** `count` line ends in bounded pieces: the blank lines skipped while peeking, for line numbers. */
function* newlines(count: number): Generator<Buffer> {
  const piece = 1 << 16;
  for (let left = count; left > 0; left -= piece) yield Buffer.alloc(Math.min(left, piece), NL);
}

/** NDJSON: one record per line. */
async function* lineRecords(chunks: AsyncIterable<Buffer>, max: number): AsyncGenerator<JsonRecord> {
  let parts: Buffer[] = [];
  let size = 0;
  let oversized = false;
  let line = 1;
  for await (const chunk of chunks) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NL, start);
      const end = nl < 0 ? chunk.length : nl;
      if (!oversized) {
        if (size + (end - start) > max) {
          oversized = true;
          parts = [];
        } else if (end > start) {
          parts.push(chunk.subarray(start, end));
          size += end - start;
        }
      }
      if (nl < 0) break;
      const record = finishLine(parts, size, oversized, line, max);
      if (record) yield record;
      parts = [];
      size = 0;
      oversized = false;
      line++;
      start = nl + 1;
    }
  }
  const record = finishLine(parts, size, oversized, line, max);
  if (record) yield record;
}

function finishLine(
  parts: Buffer[],
  size: number,
  oversized: boolean,
  line: number,
  max: number,
): JsonRecord | null {
  if (oversized) return { line, fault: { line, path: '$', message: `record is larger than ${max} bytes` } };
  if (size === 0) return null;
  let bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
  if (bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, -1);
  return parseRecord(bytes, line);
}

function parseRecord(bytes: Buffer, line: number): JsonRecord | null {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return {
      line,
      fault: { line, path: '$', message: `invalid UTF-8 at byte ${invalidUtf8Offset(bytes) + 1}` },
    };
  }
  if (text.trim() === '') return null;
  if (text.includes('\uFEFF')) {
    return {
      line,
      fault: {
        line,
        path: '$',
        message: 'byte order mark (U+FEFF) inside the file; only the very start may have one',
      },
    };
  }
  try {
    return { line, value: parseStrictJson(text) };
  } catch (err) {
    if (err instanceof StrictJsonError) {
      return { line, fault: { line, path: err.path, message: `${err.message} (column ${err.column})` } };
    }
    throw err;
  }
}

/**
 * A JSON array: the top-level elements are cut out at the byte level (the structural characters
 * are ASCII, so multi-byte text cannot be mistaken for them) and each is parsed strictly.
 */
async function* arrayRecords(chunks: AsyncIterable<Buffer>, max: number): AsyncGenerator<JsonRecord> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let line = 1;
  let element: { line: number; parts: Buffer[]; size: number } | null = null;
  let afterComma = false;
  let closed = false;
  const fault = (at: number, message: string): JsonRecord => ({
    line: at,
    fault: { line: at, path: '$', message },
  });
  const finish = (el: NonNullable<typeof element>): JsonRecord =>
    el.size > max
      ? fault(el.line, `record is larger than ${max} bytes`)
      : (parseRecord(Buffer.concat(el.parts), el.line) ?? fault(el.line, 'empty array element'));

  for await (const chunk of chunks) {
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      const blank = b === 0x20 || b === NL || b === 0x0d || b === 0x09;
      if (closed) {
        if (!blank) {
          yield fault(line, 'unexpected text after the closing "]" of the array');
          return;
        }
      } else if (inString) {
        if (escaped) escaped = false;
        else if (b === 0x5c) escaped = true;
        else if (b === 0x22) inString = false;
      } else if (depth === 0) {
        if (b === 0x5b) depth = 1;
      } else if (depth === 1 && (b === 0x2c || b === 0x5d)) {
        // The end of an element (or of the array).
        if (element) {
          if (element.size + (i - from) <= max) element.parts.push(chunk.subarray(from, i));
          element.size += i - from;
          yield finish(element);
          element = null;
        } else if (b === 0x2c || afterComma) {
          yield fault(line, 'empty array element (two commas, or a comma before "]")');
        }
        afterComma = b === 0x2c;
        if (b === 0x5d) closed = true;
      } else {
        if (depth === 1 && !element && !blank) {
          element = { line, parts: [], size: 0 };
          from = i;
        }
        if (b === 0x22) inString = true;
        else if (b === 0x7b || b === 0x5b) depth++;
        else if (b === 0x7d || b === 0x5d) depth--;
      }
      if (b === NL) line++;
    }
    if (element) {
      if (element.size + (chunk.length - from) <= max) element.parts.push(chunk.subarray(from));
      element.size += chunk.length - from;
    }
  }
  if (!closed) {
    // The last element may be whole or cut off: parse it, so a cut is reported where it is.
    if (element) yield finish(element);
    yield fault(line, 'the JSON array is not closed: the file is truncated');
  }
}

/** Offset of the first byte that breaks UTF-8 (called only after the decoder refused the bytes). */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const n =
      b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (n === 0) return i;
    if (n > 1) {
      try {
        decoder.decode(bytes.subarray(i, i + n));
      } catch {
        return i;
      }
    }
    i += n;
  }
  return 0;
}
