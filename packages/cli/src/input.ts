/**
 * Input files of imports. A missing file is reported before any database work; when stderr is a
 * terminal the file is read through a byte counter that drives a progress bar.
 */
import { createReadStream, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { type Readable, Transform } from 'node:stream';
import { AppError } from '@prefer/server';
import cliProgress from 'cli-progress';

export function requireFile(path: string): number {
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new AppError('BAD_REQUEST', `${path} is not a file`);
    return stat.size;
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(
      'BAD_REQUEST',
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
}

export interface TrackedInput {
  /** The path itself (no terminal) or a stream that advances the bar as it is read. */
  input: string | Readable;
  /** Shows how many records were read so far next to the bar. */
  records(n: number): void;
  stop(): void;
}

export function trackedInput(path: string, label: string): TrackedInput {
  const size = requireFile(path);
  if (!process.stderr.isTTY) return { input: path, records: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} |{bar}| {percentage}% | {records} records`,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(size, 0, { records: 0 });
  let read = 0;
  let records = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      read += chunk.length;
      bar.update(read, { records });
      done(null, chunk);
    },
  });
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  file.on('error', (err) => counter.destroy(err));
  return {
    input: file.pipe(counter),
    records(n) {
      records = n;
    },
    stop: () => bar.stop(),
  };
}

/** A list file: one value per line (blank lines skipped), or a JSON array of strings. */
export async function readList(path: string, what: string): Promise<string[]> {
  requireFile(path);
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  if (text.trimStart().startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new AppError('BAD_REQUEST', `${path}: not a valid JSON array (${(err as Error).message})`);
    }
    if (!Array.isArray(parsed) || !parsed.every((v) => typeof v === 'string')) {
      throw new AppError('BAD_REQUEST', `${path}: expected a JSON array of ${what} (strings)`);
    }
    return parsed;
  }
  return text
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line.trim() !== '');
}
