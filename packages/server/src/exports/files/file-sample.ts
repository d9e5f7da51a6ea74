/**
 * A cheap fingerprint of a final export file, recorded when its task completes and checked
 * before every read (streams.ts): SHA-256 of the size and of four fixed 64 KiB windows (the
 * start, a third, two thirds and the end; the whole file when it is under 256 KiB). A file cut
 * short or changed in those windows is refused instead of served under its old SHA-256; a
 * change elsewhere needs the full hash, which `prefer doctor` computes. Reading 256 KiB at most,
 * through one reused buffer, keeps the check under a millisecond for any file size.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

export const SAMPLE_WINDOW_BYTES = 64 * 1024;
const WINDOWS = 4;

/** The window starts for a file of `size` bytes, in order, without overlap. */
export function sampleWindows(size: number): number[] {
  if (size <= WINDOWS * SAMPLE_WINDOW_BYTES) {
    const starts: number[] = [];
    for (let at = 0; at < size; at += SAMPLE_WINDOW_BYTES) starts.push(at);
    return starts;
  }
  const last = size - SAMPLE_WINDOW_BYTES;
  return [0, Math.floor(size / 3), Math.floor((2 * size) / 3), last];
}

/**
 * The fingerprint of the file at `path` as if it had `size` bytes; undefined when it has fewer
 * (a read came up short), so a truncated file never matches.
 */
export async function fileSample(path: string, size: number): Promise<string | undefined> {
  const hash = createHash('sha256').update(`${size}\n`);
  const buffer = Buffer.allocUnsafe(SAMPLE_WINDOW_BYTES);
  const file = await open(path, 'r');
  try {
    for (const start of sampleWindows(size)) {
      const want = Math.min(SAMPLE_WINDOW_BYTES, size - start);
      let got = 0;
      while (got < want) {
        const { bytesRead } = await file.read(buffer, got, want - got, start + got);
        if (bytesRead === 0) return undefined;
        got += bytesRead;
      }
      hash.update(buffer.subarray(0, want));
    }
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}
