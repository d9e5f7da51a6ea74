/** Remote mode of the export commands: the SDK against a prefer server (`--url`, PREFER_API_KEY). */
import type { ExportTask } from '@prefer/sdk';
import type { ExportOutput } from '@prefer/server';
import { AppError } from '@prefer/server/settings';
import type { Output } from '../output.ts';
import { copyLines, failOnRowErrors } from './export-sink.ts';

/**
 * Waits for a started task and copies its result lines, exactly as the server has them. The SDK's
 * line stream resumes a dropped connection with `Range` from the last complete line.
 */
export async function copyRemoteTask(
  task: ExportTask,
  out: Output,
  output: ExportOutput,
): Promise<{ taskId: string; lines: number; bytes: number }> {
  try {
    await task.waitTillDone();
    if (task.status === 'FAILED')
      throw new AppError('TASK_FAILED', `Task failed: ${task.failureReason ?? 'no reason given'}`);
  } catch (err) {
    await output.abort();
    throw err;
  }
  const written = await copyLines(task.getLineStream({ streamType: 'result' }), output);
  if (task.hasErrors()) {
    const lines: string[] = [];
    for await (const line of task.getLineStream({ streamType: 'errors' })) lines.push(line);
    failOnRowErrors(out, lines, lines.length, written.lines);
  }
  return { taskId: task.id, ...written };
}
