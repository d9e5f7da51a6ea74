/**
 * The engines behind each task type. A task stores its request in the SDK's shape, already
 * validated when it was created; it is parsed again here so the engine gets the same typed
 * request whichever process created the task.
 */
import { AppError } from '../../shared/errors.ts';
import { parseExportRequest, type TimeRange } from '../request/export.request.ts';
import type { ExportRunner } from '../tasks/export-task.types.ts';
import { writeExportV1Array } from '../v1/export-v1.ts';
import { runExportV2 } from '../v2/export-v2.engine.ts';
import { LineBuffer } from '../v2/line-buffer.ts';

export interface ExportRunnerOptions {
  /** Base URL of prefer's web app, for the V1 `View Label` links (default http://localhost:7400). */
  baseUrl?: string;
}

export function createExportRunner(options: ExportRunnerOptions = {}): ExportRunner {
  const baseUrl = options.baseUrl ?? 'http://localhost:7400';
  return async (store, actor, task, sink) => {
    if (task.type === 'training-conversion') {
      // Loaded by the first conversion: the converters are not needed to serve exports.
      const { runConversion } = await import('../../training/conversion.runner.ts');
      return runConversion(store, actor, task, sink);
    }
    if (task.type === 'training-stats') {
      const { runStatsTask } = await import('../../training/stats.runner.ts');
      return runStatsTask(store, actor, task, sink);
    }
    const request = parseExportRequest({ params: task.params, filters: task.filters });
    switch (task.type) {
      case 'export-data-rows':
        return runExportV2(store, actor, task.projectId, request, sink);
      case 'export-labels': {
        // The V1 file is one JSON array written a label per line ("[", "{..}", ",{..}", "]"):
        // valid JSON for `download: true`, and still line-aligned for chunked reads.
        const created = bounds(request.filters.labelCreatedAt);
        const activity = bounds(request.filters.lastActivityAt);
        const out = new LineBuffer((chunk, lines) => sink.result(chunk, lines));
        const { labels } = await writeExportV1Array(
          store,
          actor,
          task.projectId,
          {
            start: created[0],
            end: created[1],
            lastActivityStart: activity[0],
            lastActivityEnd: activity[1],
          },
          (line) => out.line(line),
          { baseUrl: task.linkBase ?? baseUrl },
        );
        await out.finish();
        return { rows: labels, errors: 0 };
      }
      default: {
        const never: never = task.type;
        throw new AppError('BAD_REQUEST', `unknown export type ${String(never)}`);
      }
    }
  };
}

/** The default runner (V1 links point at http://localhost:7400). */
export const exportRunner: ExportRunner = createExportRunner();

/** Exact instants back to ISO text with milliseconds and `Z`, which parses to the same instant. */
function bounds(range: TimeRange | undefined): [string | null, string | null] {
  const iso = (ms: number | null | undefined) => (ms == null ? null : new Date(ms).toISOString());
  return [iso(range?.[0]), iso(range?.[1])];
}
