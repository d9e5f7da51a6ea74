/**
 * A sparse line index beside each export file (`<file>.idx`): the byte offset where line
 * 1000, 2000, ... starts, as 8-byte little-endian integers. It turns "which line is at byte N"
 * into a binary search plus a scan of at most 1,000 lines, whatever the file size.
 */
import { type FileHandle, open } from 'node:fs/promises';

export const LINE_INDEX_EVERY = 1000;
const ENTRY_BYTES = 8;
const SCAN_BYTES = 64 * 1024;

export const lineIndexPath = (path: string) => `${path}.idx`;

export function encodeIndexEntry(offset: number): Buffer {
  const buf = Buffer.allocUnsafe(ENTRY_BYTES);
  buf.writeBigUInt64LE(BigInt(offset));
  return buf;
}

/** The 0-based number of the line holding byte `offset` (or of the line that would start there). */
export async function lineAt(file: FileHandle, path: string, offset: number): Promise<number> {
  const base = await nearestIndexEntry(path, offset);
  return base.line + (await countNewlines(file, base.offset, offset));
}

/**
 * The byte offset where 0-based line `line` starts, found from the nearest indexed line before
 * it; undefined when the file has fewer lines.
 */
export async function offsetOfLine(path: string, line: number): Promise<number | undefined> {
  const base = await indexedLineStart(path, line);
  let remaining = line - base.line;
  if (remaining === 0) return base.offset;
  const file = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(SCAN_BYTES);
    for (let pos = base.offset; ; ) {
      const { bytesRead } = await file.read(buf, 0, SCAN_BYTES, pos);
      if (bytesRead === 0) return undefined;
      const view = buf.subarray(0, bytesRead);
      for (let i = view.indexOf(10); i !== -1; i = view.indexOf(10, i + 1)) {
        if (--remaining === 0) return pos + i + 1;
      }
      pos += bytesRead;
    }
  } finally {
    await file.close();
  }
}

/** Counts `\n` bytes in [from, to) of the file. */
export async function countNewlines(file: FileHandle, from: number, to: number): Promise<number> {
  let count = 0;
  const buf = Buffer.allocUnsafe(SCAN_BYTES);
  for (let pos = from; pos < to; ) {
    const { bytesRead } = await file.read(buf, 0, Math.min(SCAN_BYTES, to - pos), pos);
    if (bytesRead === 0) break;
    count += newlinesIn(buf.subarray(0, bytesRead));
    pos += bytesRead;
  }
  return count;
}

export function newlinesIn(buf: Buffer): number {
  let count = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) count++;
  return count;
}

/** The last indexed line start at or before `offset`; line 0 at byte 0 without an index. */
async function nearestIndexEntry(path: string, offset: number): Promise<{ line: number; offset: number }> {
  let idx: FileHandle;
  try {
    idx = await open(lineIndexPath(path), 'r');
  } catch {
    return { line: 0, offset: 0 }; // no index: correct, only slower
  }
  try {
    const entries = Math.floor((await idx.stat()).size / ENTRY_BYTES);
    const buf = Buffer.allocUnsafe(ENTRY_BYTES);
    const entryAt = async (k: number) => {
      await idx.read(buf, 0, ENTRY_BYTES, k * ENTRY_BYTES);
      return Number(buf.readBigUInt64LE());
    };
    let best = { line: 0, offset: 0 };
    let lo = 0;
    let hi = entries - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = await entryAt(mid);
      if (at <= offset) {
        best = { line: (mid + 1) * LINE_INDEX_EVERY, offset: at };
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  } finally {
    await idx.close();
  }
}

/** The last indexed line start at or before line `line`; line 0 at byte 0 without an index. */
async function indexedLineStart(path: string, line: number): Promise<{ line: number; offset: number }> {
  const wanted = Math.floor(line / LINE_INDEX_EVERY) - 1;
  if (wanted < 0) return { line: 0, offset: 0 };
  let idx: FileHandle;
  try {
    idx = await open(lineIndexPath(path), 'r');
  } catch {
    return { line: 0, offset: 0 };
  }
  try {
    const k = Math.min(wanted, Math.floor((await idx.stat()).size / ENTRY_BYTES) - 1);
    if (k < 0) return { line: 0, offset: 0 };
    const buf = Buffer.allocUnsafe(ENTRY_BYTES);
    await idx.read(buf, 0, ENTRY_BYTES, k * ENTRY_BYTES);
    return { line: (k + 1) * LINE_INDEX_EVERY, offset: Number(buf.readBigUInt64LE()) };
  } finally {
    await idx.close();
  }
}
