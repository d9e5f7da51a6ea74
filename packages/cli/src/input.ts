/**
 * Input files of imports. A missing file is reported before any database work; when stderr is a
 * terminal a progress bar (bytes read, or records reported by the importer) runs on it.
 */
import { createReadStream, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { type Readable, Transform } from 'node:stream';
import { AppError } from '@prefer/server/settings';
import cliProgress from 'cli-progress';
import type { CliIo } from './io.ts';

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

const barOptions = (stderr: CliIo['stderr']) => ({ stream: stderr, hideCursor: true, clearOnComplete: true });

export interface ByteProgress {
  /** The path itself (no terminal) or a stream that advances the bar as it is read. */
  input: string | Readable;
  stop(): void;
}

/** For importers without progress reports: a bar of the bytes read so far. */
export function byteProgress(path: string, label: string, stderr: CliIo['stderr']): ByteProgress {
  const size = requireFile(path);
  if (!stderr.isTTY) return { input: path, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { ...barOptions(stderr), format: `${label} |{bar}| {percentage}%` },
    cliProgress.Presets.shades_classic,
  );
  bar.start(size, 0);
  let read = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      read += chunk.length;
      bar.update(read);
      done(null, chunk);
    },
  });
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  file.on('error', (err) => counter.destroy(err));
  return { input: file.pipe(counter), stop: () => bar.stop() };
}

export interface RecordProgress {
  onProgress(p: { records: number }): void;
  stop(): void;
}

/**
 * For importers that report records: a running count. The file itself goes to the importer by
 * path, so it may parse it on a worker thread.
 */
export function recordProgress(label: string, stderr: CliIo['stderr']): RecordProgress {
  if (!stderr.isTTY) return { onProgress: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar({
    ...barOptions(stderr),
    format: `${label}: {value} records ({duration}s)`,
  });
  bar.start(0, 0);
  return { onProgress: (p) => bar.update(p.records), stop: () => bar.stop() };
}

/** A whole text file (checked first with `requireFile`), without a byte order mark. */
export async function readTextFile(path: string): Promise<string> {
  requireFile(path);
  return (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
}

/** A list file: one value per line (blank lines skipped), or a JSON array of strings. */
export async function readList(path: string, what: string): Promise<string[]> {
  const text = await readTextFile(path);
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

/**
 * True when an import file holds no record: empty, blank lines only, or an empty JSON array. Read
 * only until the first character that could start a record, so a large file costs one chunk.
 */
export async function holdsNoRecords(path: string): Promise<boolean> {
  let seen = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024 })) {
    seen += (chunk as string).replace(/^\uFEFF/, '').replace(/\s+/g, '');
    // Anything but an opening bracket starts a record; `[` may still be an empty array.
    if (seen !== '' && seen !== '[' && seen !== '[]') return false;
    if (seen.length > 2) return false;
  }
  return seen === '' || seen === '[]';
}

export const NO_RECORDS = 'the file holds no records';
