/**
 * Where an export's lines go: stdout, or `--out FILE` written to `FILE.partial` and renamed
 * only once complete, so a failed export never leaves a file that looks whole. Progress (rows,
 * MB, rate) goes to stderr, only when stderr is a terminal.
 */

import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { AppError } from '@prefer/server/settings';
import type { CliIo } from '../io.ts';
import type { Output } from '../output.ts';

export interface LineSink {
  /** Whole lines: a line's text (a newline is added) or raw bytes already ending in `\n`. */
  write(data: string | Uint8Array): Promise<void>;
  /** Makes the file final (rename) and ends the progress line. */
  finish(): Promise<{ lines: number; bytes: number }>;
  /** Removes the partial file. */
  abort(): Promise<void>;
}

function openLineSink(out: string | undefined, label: string, io: CliIo): LineSink {
  const partial = out ? `${out}.partial` : undefined;
  const dest: Writable = partial ? createWriteStream(partial, { flags: 'w', mode: 0o644 }) : io.stdout;
  const progress = progressLine(label, io.stderr);
  let lines = 0;
  let bytes = 0;
  return {
    async write(data) {
      const chunk = typeof data === 'string' ? Buffer.from(`${data}\n`) : data;
      bytes += chunk.length;
      lines += countNewlines(chunk);
      progress.update(lines, bytes);
      if (!dest.write(chunk)) await once(dest, 'drain');
    },
    async finish() {
      progress.done(lines, bytes);
      if (partial && out) {
        const file = dest as WriteStream;
        await new Promise<void>((resolve, reject) =>
          file.end((err?: Error | null) => (err ? reject(err) : resolve())),
        );
        await rename(partial, out);
      }
      return { lines, bytes };
    },
    async abort() {
      progress.done(lines, bytes);
      if (partial) {
        (dest as WriteStream).destroy();
        await rm(partial, { force: true });
      }
    },
  };
}

/** Copies `source` to stdout or `out` through a line sink; on failure the partial file is removed. */
export async function copyToSink(
  source: AsyncIterable<string | Uint8Array>,
  out: string | undefined,
  label: string,
  io: CliIo,
): Promise<{ lines: number; bytes: number }> {
  const sink = openLineSink(out, label, io);
  try {
    for await (const data of source) await sink.write(data);
    return await sink.finish();
  } catch (err) {
    await sink.abort();
    throw err;
  }
}

function progressLine(label: string, stderr: CliIo['stderr']) {
  const tty = stderr.isTTY === true;
  const started = Date.now();
  let shown = 0;
  const text = (lines: number, bytes: number) => {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    const mb = bytes / 1e6;
    return `${label}: ${lines} rows, ${mb.toFixed(1)} MB, ${Math.round(lines / seconds)} rows/s`;
  };
  return {
    update(lines: number, bytes: number) {
      if (!tty || Date.now() - shown < 200) return;
      shown = Date.now();
      stderr.write(`\r${text(lines, bytes)}\x1b[K`);
    },
    done(lines: number, bytes: number) {
      if (tty) stderr.write(`\r${text(lines, bytes)}\x1b[K\n`);
    },
  };
}

function countNewlines(chunk: Uint8Array): number {
  let n = 0;
  for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) n++;
  return n;
}

const SHOWN_ERRORS = 20;

/** Lists the rows that could not be exported (the first 20) and fails the command. */
export function failOnRowErrors(out: Output, errorLines: string[], written: number): void {
  if (errorLines.length === 0) return;
  out.error(errorLines.slice(0, SHOWN_ERRORS).join('\n'));
  if (errorLines.length > SHOWN_ERRORS) out.error(`... and ${errorLines.length - SHOWN_ERRORS} more`);
  const n = errorLines.length;
  throw new AppError(
    'TASK_FAILED',
    `${n} data ${n === 1 ? 'row' : 'rows'} could not be exported (listed above); the other ${written} were written`,
  );
}
