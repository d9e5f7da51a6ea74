/**
 * Runs a stats task (`training-stats`): the project exported and read back with its extras
 * (training-source.ts), the report computed by `@prefer/training` exactly as `prefer stats` and
 * the GET route do, and written as the task's result: one line, the report's JSON.
 * Progress: the export is the first 30%, reading its rows the next 20%, the bootstrap the rest.
 */
import type { ExportTaskRecord, ExportTaskSink } from '../exports/tasks/export-task.types.ts';
import type { Actor } from '../orgs/actor.ts';
import type { Store } from '../store/store.ts';
import { counted } from './conversion.runner.ts';
import { parseStatsOptions, reportOf } from './stats.service.ts';
import { loadTraining, mappingOf, withProjectTrainingSource } from './training-source.ts';

const STEPS = 1000;

export async function runStatsTask(
  store: Store,
  actor: Actor,
  task: ExportTaskRecord,
  sink: ExportTaskSink,
): Promise<{ rows: number; errors: number }> {
  const options = parseStatsOptions(task.params);
  const training = await loadTraining();
  const mapping = mappingOf(training, options.mapping && JSON.stringify(options.mapping));
  const at = (share: number) => sink.progress?.(Math.floor(share * STEPS), STEPS);
  const source = {
    filters: task.filters,
    mapping,
    progress: (done: number, total: number) => at(0.3 * (total > 0 ? done / total : 1)),
  };
  return withProjectTrainingSource(store, actor, task.projectId, source, async (src) => {
    const rows = counted(src.rows(), (n) => at(0.3 + 0.2 * (src.total > 0 ? n / src.total : 1)));
    const report = await reportOf(
      training,
      src,
      {
        anchor: options.anchor,
        bootstrap: options.bootstrap,
        // Drawn when the task was started (stats.service.ts); stored with it.
        seed: options.seed ?? 0,
        minComparisons: options.min_comparisons,
      },
      (done, total) => at(0.5 + 0.5 * (done / total)),
      rows,
    );
    await sink.result(Buffer.from(`${JSON.stringify(report)}\n`), 1);
    return { rows: src.total, errors: 0 };
  });
}
