/**
 * Runs a conversion task: the project exported and read back with its extras (training-source.ts),
 * converted by `@prefer/training` exactly as `prefer convert` does, into the task's result file:
 * JSONL lines, or a tar of the dataset directory (data files and README.md) built in scratch.
 * Progress: the export is the first half, the conversion the second.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordSink, RowRecord } from '@prefer/training';
import type { ExportTaskRecord, ExportTaskSink } from '../exports/tasks/export-task.types.ts';
import { LineBuffer } from '../exports/v2/line-buffer.ts';
import type { Actor } from '../orgs/actor.ts';
import type { Store } from '../store/store.ts';
import { parseConversionOptions } from './conversion.service.ts';
import { writeTar } from './tar.ts';
import { loadTraining, mappingOf, withProjectTrainingSource } from './training-source.ts';

export async function runConversion(
  store: Store,
  actor: Actor,
  task: ExportTaskRecord,
  sink: ExportTaskSink,
): Promise<{ rows: number; errors: number }> {
  const options = parseConversionOptions(task.params);
  const training = await loadTraining();
  const mapping = mappingOf(training, options.mapping && JSON.stringify(options.mapping));
  const source = {
    filters: task.filters,
    mapping,
    progress: (d: number, t: number) => sink.progress?.(d, 2 * t),
  };
  return withProjectTrainingSource(store, actor, task.projectId, source, async (src) => {
    const rows = counted(src.rows(), (n) => sink.progress?.(src.total + n, 2 * src.total));
    const convert = {
      format: options.format,
      mapping: src.mapping,
      labels: options.labels,
      aggregate: options.aggregate,
      ties: options.ties,
      testFraction: options.test_fraction,
      rankingPairs: options.ranking_pairs,
    };
    if (options.output === 'jsonl') {
      const summary = await training.convertRows(rows, linesSink(sink), convert);
      return { rows: summary.records.train + summary.records.test, errors: 0 };
    }
    const dir = await mkdtemp(join(tmpdir(), 'prefer-dataset-'));
    try {
      const records =
        options.output === 'parquet'
          ? training.parquetDirSink(dir, training.COLUMNS[options.format])
          : training.jsonlDirSink(dir);
      const summary = await training.convertRows(rows, records, convert);
      await writeFile(
        join(dir, 'README.md'),
        training.datasetCard(summary, src.mapping, src.name, src.notes),
      );
      const names = ['README.md', ...summary.files];
      await writeTar(
        names.map((name) => ({ name, path: join(dir, name) })),
        (chunk) => sink.result(chunk, 0),
        Math.floor(Date.now() / 1000),
      );
      return { rows: summary.records.train + summary.records.test, errors: 0 };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}

/** Records as JSONL lines into the task's result, byte for byte what `prefer convert --out` writes. */
function linesSink(sink: ExportTaskSink): RecordSink {
  const out = new LineBuffer((chunk, lines) => sink.result(chunk, lines));
  return {
    async write(_split, record) {
      await out.line(JSON.stringify(record));
    },
    async finish() {
      await out.finish();
      return [];
    },
    async abort() {
      out.abandon();
    },
  };
}

export async function* counted(
  rows: AsyncIterable<RowRecord>,
  seen: (n: number) => void,
): AsyncGenerator<RowRecord> {
  let n = 0;
  for await (const row of rows) {
    yield row;
    seen(++n);
  }
}
