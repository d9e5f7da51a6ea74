/**
 * Local mode of the export commands: the task is created in the database given by `--db` and run
 * by an export worker inside this process, then its file is copied byte for byte to stdout or
 * `--out`. The worker is an ordinary one: if older tasks are waiting it may run those too.
 */
import type { Actor, Store } from '@prefer/server';
import { AppError } from '@prefer/server/settings';
import type { Output } from '../output.ts';
import type { Server } from '../server.ts';
import { copyToSink, failOnRowErrors } from './export-sink.ts';

export interface LocalExportOptions {
  dataDir: string;
  out?: string;
  label: string;
}

const POLL_MS = 50;

export async function runLocalExport(
  ctx: { store: Store; actor: Actor; out: Output; server: Server },
  taskId: string,
  options: LocalExportOptions,
): Promise<{ taskId: string; lines: number; bytes: number }> {
  const { store, actor, out } = ctx;
  const { exportRunner, getExportTask, openExportStream, startExportWorker } = ctx.server;
  const worker = startExportWorker(store, {
    dataDir: options.dataDir,
    runner: exportRunner,
    pollMs: POLL_MS,
    concurrency: 2,
    retentionEveryMs: 0,
    log: (message) => out.error(`export worker: ${message}`),
  });
  let task: Awaited<ReturnType<typeof getExportTask>>;
  try {
    let shown = -1;
    for (;;) {
      task = await getExportTask(store, actor, taskId);
      if (task.status !== 'IN_PROGRESS') break;
      if (Math.floor(task.completion_percentage) !== shown) {
        shown = Math.floor(task.completion_percentage);
        out.note(`${options.label}: ${shown}%`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    await worker.stop();
  }
  if (task.status === 'FAILED') {
    throw new AppError('TASK_FAILED', `Task failed: ${task.failure_reason ?? 'no reason was recorded'}`);
  }

  // Opened inside the copy, so a failure to open it also removes the partial file.
  async function* result() {
    const { stream } = await openExportStream(store, actor, taskId, 'result');
    for await (const chunk of stream) yield chunk as Buffer;
  }
  const written = await copyToSink(result(), options.out, options.label, out.io);

  if ((task.errors?.total_lines ?? 0) > 0) {
    const { stream } = await openExportStream(store, actor, taskId, 'errors');
    let text = '';
    for await (const chunk of stream) text += (chunk as Buffer).toString('utf8');
    failOnRowErrors(
      out,
      text.split('\n').filter((l) => l !== ''),
      written.lines,
    );
  }
  return { taskId, ...written };
}
