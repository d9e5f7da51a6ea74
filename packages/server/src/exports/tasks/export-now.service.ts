/**
 * An export run in the caller's process, straight into a file or a stream: no task row, no task
 * file, no copy. This is the CLI's local mode; the server's own exports go through tasks
 * (`export-task.service.ts`) so that a worker anywhere may run them and clients may resume.
 *
 * A file is written as `FILE.partial`, fsynced, then renamed (and its directory fsynced), so a
 * name that looks whole always is; on any failure the partial file is removed.
 */
import { once } from 'node:events';
import { rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import type { Actor } from '../../orgs/actor.ts';
import { AppError } from '../../shared/errors.ts';
import type { Store } from '../../store/store.ts';
import type { ChunkSink } from '../v2/line-buffer.ts';
import { NdjsonFileWriter, syncDir } from '../worker/worker.files.ts';
import { exportRunner } from '../worker/worker.runners.ts';
import type { CreateExportTaskInput } from './export-task.service.ts';
import type { ExportRunner } from './export-task.types.ts';

/** Where an export run in this process writes. */
export interface ExportOutput {
  /** Whole lines, as engines hand them (the chunk is valid during the call only). */
  write: ChunkSink;
  /** Makes the output final (a file: synced, renamed from `.partial`). */
  finish(): Promise<{ lines: number; bytes: number }>;
  /** Gives up: removes a partial file. */
  abort(): Promise<void>;
}

export interface ExportNowResult {
  lines: number;
  bytes: number;
  /** Rows that could not be assembled: how many, and the first `ERROR_LINES_KEPT` error lines. */
  errorCount: number;
  errorLines: string[];
}

const ERROR_LINES_KEPT = 100;

/**
 * Runs `job` (from `exportJob` or `labelExportJob`) into `output`, which it finishes, or aborts
 * when anything fails. Rows that cannot be assembled do not fail the run: they are answered,
 * and the caller decides.
 */
export async function runExportNow(
  store: Store,
  actor: Actor,
  job: CreateExportTaskInput,
  output: ExportOutput,
  runner: ExportRunner = exportRunner,
): Promise<ExportNowResult> {
  const errorLines: string[] = [];
  let errorCount = 0;
  try {
    await runner(
      store,
      actor,
      {
        id: 'in-process',
        orgId: actor.orgId,
        projectId: job.projectId,
        type: job.type,
        name: job.name ?? null,
        params: job.params,
        filters: job.filters,
        attempt: 1,
        linkBase: job.linkBase ?? null,
      },
      {
        result: output.write,
        errors: (chunk) => {
          for (const line of chunk.toString('utf8').split('\n')) {
            if (line === '') continue;
            errorCount++;
            if (errorLines.length < ERROR_LINES_KEPT) errorLines.push(line);
          }
        },
      },
    );
    return { ...(await output.finish()), errorCount, errorLines };
  } catch (err) {
    await output.abort();
    throw err;
  }
}

/**
 * A file written as `path.partial` and renamed once whole. Opened at once, so a directory that
 * does not exist is a plain error before any work is done.
 */
export async function openExportFile(path: string): Promise<ExportOutput> {
  let writer: NdjsonFileWriter;
  try {
    // No line index and no hash: nobody reads this file by ranges, and nobody asked for its digest.
    writer = await NdjsonFileWriter.create(path, {
      temp: `${path}.partial`,
      lineIndex: false,
      sha256: false,
    });
  } catch (err) {
    throw cannotWrite(path, err);
  }
  let done = false;
  return {
    write: (chunk, lines) => writer.write(chunk, lines),
    async finish() {
      const stats = await writer.finish();
      await rename(writer.temp, path);
      done = true;
      await syncDir(dirname(path));
      return { lines: stats.lines, bytes: stats.bytes };
    },
    async abort() {
      if (done) return;
      await writer.close();
      await rm(writer.temp, { force: true });
    },
  };
}

/** A stream such as stdout: chunks are copied (the engine reuses its buffer), `drain` is awaited. */
export function exportToStream(stream: Writable): ExportOutput {
  let lines = 0;
  let bytes = 0;
  let failed: Error | null = null;
  const onError = (err: Error) => {
    failed ??= err;
  };
  stream.on('error', onError);
  return {
    write(chunk, n) {
      if (failed) throw failed;
      lines += n;
      bytes += chunk.length;
      if (!stream.write(Buffer.from(chunk))) return once(stream, 'drain').then(() => undefined);
    },
    async finish() {
      stream.off('error', onError);
      if (failed) throw failed;
      return { lines, bytes };
    },
    async abort() {
      stream.off('error', onError);
    },
  };
}

function cannotWrite(path: string, err: unknown): AppError {
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? `the directory ${dirname(path)} does not exist`
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : (code ?? String(err));
  return new AppError('BAD_REQUEST', `cannot write ${path}: ${why}`);
}
