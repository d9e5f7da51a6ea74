/** Remote mode of the export commands: the SDK against a prefer server (`--url`, PREFER_API_KEY). */
import { type Client, type ExportTask, ExportTaskError } from '@prefer/sdk';
import type { Output } from '../output.ts';
import { openLineSink } from './export-sink.ts';

const SHOWN_ERRORS = 20;

/** Waits for a started task and copies its result lines, exactly as the server has them. */
export async function copyRemoteTask(
  task: ExportTask,
  out: Output,
  options: { out?: string; label: string },
): Promise<{ taskId: string; lines: number; bytes: number }> {
  await task.waitTillDone();
  if (task.status === 'FAILED')
    throw new ExportTaskError(`Task failed: ${task.failureReason ?? 'no reason given'}`);
  const sink = openLineSink(options.out, options.label);
  let written: { lines: number; bytes: number };
  try {
    for await (const line of task.getLineStream({ streamType: 'result' })) await sink.write(line);
    written = await sink.finish();
  } catch (err) {
    await sink.abort();
    throw err;
  }
  if (task.hasErrors()) {
    const lines: string[] = [];
    for await (const line of task.getLineStream({ streamType: 'errors' })) lines.push(line);
    out.error(lines.slice(0, SHOWN_ERRORS).join('\n'));
    if (lines.length > SHOWN_ERRORS) out.error(`... and ${lines.length - SHOWN_ERRORS} more`);
    throw new ExportTaskError(
      `${lines.length} data ${lines.length === 1 ? 'row' : 'rows'} could not be exported (listed above); the other ${written.lines} were written`,
    );
  }
  return { taskId: task.id, ...written };
}

export async function startRemoteExport(
  client: Client,
  input: { projectId: string; params: unknown; filters: unknown; timezone?: string; taskName?: string },
): Promise<ExportTask> {
  const project = await client.getProject(input.projectId);
  return project.exportV2({
    params: input.params as Record<string, boolean>,
    filters: input.filters as Record<string, never>,
    timezone: input.timezone,
    taskName: input.taskName,
  });
}
