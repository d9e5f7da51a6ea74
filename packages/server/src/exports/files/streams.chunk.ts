/**
 * `readChunk`: a piece of an NDJSON file for clients that page by byte offset (Labelbox's
 * `exportFileFromOffset`). A chunk starts exactly at the offset asked for and ends on a `\n`,
 * so it never splits a line or a UTF-8 character; a line longer than `maxBytes` is returned
 * whole rather than cut, so a client always advances.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { AppError } from '../../shared/errors.ts';
import { lineAt, newlinesIn } from './streams.line-index.ts';

/** Where a chunk lies in the file, for callers that only link to it (GraphQL signed URLs). */
export interface ChunkRange {
  /** Byte range of the chunk in the file, 0-based inclusive (end = start - 1 when empty). */
  offsets: { start: number; end: number };
  /** Lines of the file that the chunk covers, 0-based inclusive (end = start - 1 when empty). */
  lines: { start: number; end: number };
}

export interface Chunk extends ChunkRange {
  text: string;
}

const EXTEND_BYTES = 64 * 1024;

export async function readChunk(path: string, offset: number, maxBytes: number): Promise<Chunk> {
  const { bytes, offsets, lines } = await readChunkRange(path, offset, maxBytes);
  return { text: bytes.toString('utf8'), offsets, lines };
}

/** `readChunk` without decoding the bytes as text. */
export async function readChunkRange(
  path: string,
  offset: number,
  maxBytes: number,
): Promise<ChunkRange & { bytes: Buffer }> {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new AppError('BAD_REQUEST', 'the chunk size must be a positive integer');
  }
  const file = await open(path, 'r');
  try {
    const size = (await file.stat()).size;
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > size) {
      throw new AppError('RANGE_NOT_SATISFIABLE', `offset ${offset} is outside the file (0 to ${size})`);
    }
    const firstLine = await lineAt(file, path, offset);
    if (offset === size) {
      return {
        bytes: Buffer.alloc(0),
        offsets: { start: offset, end: offset - 1 },
        lines: { start: firstLine, end: firstLine - 1 },
      };
    }
    let buf = Buffer.alloc(Math.min(maxBytes, size - offset));
    await readFully(file, buf, offset);
    if ((buf[0]! & 0xc0) === 0x80) {
      throw new AppError('RANGE_NOT_SATISFIABLE', `offset ${offset} is inside a UTF-8 character`);
    }
    let end = buf.lastIndexOf(10);
    // No line end within maxBytes: extend to the end of the line (or of the file).
    while (end === -1 && offset + buf.length < size) {
      const more = Buffer.alloc(Math.min(EXTEND_BYTES, size - offset - buf.length));
      await readFully(file, more, offset + buf.length);
      const nl = more.indexOf(10);
      buf = Buffer.concat([buf, more]);
      if (nl !== -1) end = buf.length - more.length + nl;
    }
    const chunk = end === -1 ? buf : buf.subarray(0, end + 1);
    const newlines = newlinesIn(chunk);
    // A file without a final newline ends with one more (unterminated) line.
    const lastLine = firstLine + newlines - (end === -1 ? 0 : 1);
    return {
      bytes: chunk,
      offsets: { start: offset, end: offset + chunk.length - 1 },
      lines: { start: firstLine, end: lastLine },
    };
  } finally {
    await file.close();
  }
}

async function readFully(file: FileHandle, buf: Buffer, at: number): Promise<void> {
  for (let done = 0; done < buf.length; ) {
    const { bytesRead } = await file.read(buf, done, buf.length - done, at + done);
    if (bytesRead === 0) throw new AppError('INTERNAL', 'the export file ended early');
    done += bytesRead;
  }
}
