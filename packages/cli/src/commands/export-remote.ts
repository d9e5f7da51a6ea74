/** Remote mode of the export commands: the SDK against a prefer server (`--url`, PREFER_API_KEY). */
import type { ExportTask } from '@prefer/sdk';
import { AppError } from '@prefer/server/settings';
import type { Output } from '../output.ts';
import { copyToSink, failOnRowErrors } from './export-sink.ts';

/** Waits for a started task and copies its result lines, exactly as the server has them. */
export async function copyRemoteTask(
  task: ExportTask,
  out: Output,
  options: { out?: string; label: string },
): Promise<{ taskId: string; lines: number; bytes: number }> {
  await task.waitTillDone();
  if (task.status === 'FAILED')
    throw new AppError('TASK_FAILED', `Task failed: ${task.failureReason ?? 'no reason given'}`);
  const written = await copyToSink(
    task.getLineStream({ streamType: 'result' }),
    options.out,
    options.label,
    out.io,
  );
  if (task.hasErrors()) {
    const lines: string[] = [];
    for await (const line of task.getLineStream({ streamType: 'errors' })) lines.push(line);
    failOnRowErrors(out, lines, written.lines);
  }
  return { taskId: task.id, ...written };
}
