/**
 * Where an export's lines go: stdout, or `--out FILE` (the server's `openExportFile`: written to
 * `FILE.partial` and renamed only once complete, so a failed export never leaves a file that
 * looks whole). Progress (rows, MB, rate) goes to stderr, only when stderr is a terminal.
 */
import type { ExportOutput } from '@prefer/server';
import { AppError } from '@prefer/server/settings';
import type { CliIo } from '../io.ts';
import type { Output } from '../output.ts';
import { loadServer } from '../server.ts';

/** Opens `--out` (a missing directory fails here, before any work) or the run's stdout. */
export async function openOutput(out: string | undefined, label: string, cli: Output): Promise<ExportOutput> {
  const { exportToStream, openExportFile } = await loadServer();
  const output = out ? await openExportFile(out) : exportToStream(cli.io.stdout);
  const progress = progressLine(label, cli.io.stderr);
  let lines = 0;
  let bytes = 0;
  return {
    write(chunk, n) {
      lines += n;
      bytes += chunk.length;
      progress.update(lines, bytes);
      return output.write(chunk, n);
    },
    async finish() {
      progress.done(lines, bytes);
      return output.finish();
    },
    async abort() {
      progress.done(lines, bytes);
      await output.abort();
    },
  };
}

/** Copies text lines (a remote task's) into `output` and finishes it; on failure it is aborted. */
export async function copyLines(
  source: AsyncIterable<string>,
  output: ExportOutput,
): Promise<{ lines: number; bytes: number }> {
  try {
    for await (const line of source) {
      const pending = output.write(Buffer.from(`${line}\n`), 1);
      if (pending) await pending;
    }
    return await output.finish();
  } catch (err) {
    await output.abort();
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

const SHOWN_ERRORS = 20;

/** Lists the rows that could not be exported (the first 20) and fails the command. */
export function failOnRowErrors(
  out: Output,
  errorLines: string[],
  errorCount: number,
  written: number,
): void {
  if (errorCount === 0) return;
  out.error(errorLines.slice(0, SHOWN_ERRORS).join('\n'));
  const shown = Math.min(errorLines.length, SHOWN_ERRORS);
  if (errorCount > shown) out.error(`... and ${errorCount - shown} more`);
  throw new AppError(
    'TASK_FAILED',
    `${errorCount} data ${errorCount === 1 ? 'row' : 'rows'} could not be exported (listed above); the other ${written} were written`,
  );
}
