/** Test side of an export sink: chunks of `\n`-ended lines back into lines. */
import type { ChunkSink } from '../../src/exports/v2/line-buffer.ts';

export function splitLines(chunk: Buffer): string[] {
  const text = chunk.toString('utf8');
  if (!text.endsWith('\n')) throw new Error('a chunk must end with a newline');
  return text.slice(0, -1).split('\n');
}

/** A sink that hands each line to `onLine` (awaited, in order). */
export function lineSink(onLine: (line: string) => void | Promise<void>): ChunkSink {
  return async (chunk, lines) => {
    const list = splitLines(chunk);
    if (list.length !== lines) throw new Error(`chunk of ${lines} lines held ${list.length}`);
    for (const line of list) await onLine(line);
  };
}
