/**
 * A project as the training converters read it: exported by the ordinary export engine (with its
 * filters) to a scratch file and read back, plus what no export carries (review reasons,
 * comments, displayed orders) added a page of rows at a time. One path for `prefer convert` /
 * `prefer stats` in local mode, the conversion task and the stats route, so all give the same
 * bytes. The converters are loaded only when a conversion runs (server start stays light).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Mapping, MappingFile, RowRecord } from '@prefer/training';
import { openExportFile, runExportNow } from '../exports/tasks/export-now.service.ts';
import { exportJob } from '../exports/tasks/export-start.service.ts';
import type { ExportRunner } from '../exports/tasks/export-task.types.ts';
import { exportRunner } from '../exports/worker/worker.runners.ts';
import type { Actor } from '../orgs/actor.ts';
import { AppError } from '../shared/errors.ts';
import type { Store } from '../store/store.ts';
import { type TrainingExtras, trainingExtras } from './training-extras.ts';

export type Training = typeof import('@prefer/training');
/** The converters, statistics and Parquet writer: loaded by the first conversion, not at start. */
export const loadTraining = (): Promise<Training> => import('@prefer/training');

/** A mapping file's JSON text, parsed; its faults are the caller's (BAD_REQUEST). */
export function mappingOf(training: Training, text: string | undefined): MappingFile {
  try {
    return text === undefined ? {} : training.parseMappingFile(text, 'mapping');
  } catch (err) {
    if (err instanceof training.TrainingInputError) throw new AppError('BAD_REQUEST', err.message);
    throw err;
  }
}

/** What an export must include for the preference model: who, when, reviews, timings, status. */
export const TRAINING_EXPORT_PARAMS = {
  label_details: true,
  performance_details: true,
  project_details: true,
};
const PAGE = 500;

export interface TrainingSource {
  /** A fresh pass over the rows (the mapping inference reads them once more). */
  rows: () => AsyncIterable<RowRecord>;
  mapping: Mapping;
  /** The inferred choices, in words, for the user to see and pin. */
  notes: string[];
  /** For messages and the dataset card. */
  name: string;
  /** Data rows exported. */
  total: number;
}

export interface ProjectSourceOptions {
  /** Export filters in the SDK's shape (already validated or not: they are parsed here). */
  filters?: unknown;
  mapping?: MappingFile;
  /** Rows exported so far, of the rows to export. */
  progress?: (done: number, total: number) => void;
}

/** Runs `fn` on a project's rows; the scratch export is removed afterwards, whatever happens. */
export async function withProjectTrainingSource<T>(
  store: Store,
  actor: Actor,
  projectId: string,
  options: ProjectSourceOptions,
  fn: (source: TrainingSource) => Promise<T>,
): Promise<T> {
  const training = await loadTraining();
  const file = options.mapping ?? {};
  const dir = await mkdtemp(join(tmpdir(), 'prefer-training-'));
  try {
    const path = join(dir, 'export.ndjson');
    const job = exportJob({ projectId, params: TRAINING_EXPORT_PARAMS, filters: options.filters ?? {} });
    const runner: ExportRunner = (s, a, task, sink) =>
      exportRunner(s, a, task, { ...sink, progress: options.progress });
    const exported = await runExportNow(store, actor, job, await openExportFile(path), runner);
    const plain = () => training.readExportFile(path, file.roles);
    const rows = () => withExtras(training, plain(), (ids) => trainingExtras(store, actor, projectId, ids));
    // The inference needs only the answers: it reads the rows without the database extras.
    const resolved = await mappedRows(training, file, plain);
    return await fn({ ...resolved, rows, name: `project ${projectId}`, total: exported.lines });
  } catch (err) {
    if (err instanceof training.TrainingInputError) throw new AppError('BAD_REQUEST', err.message);
    throw err;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Infers what the mapping file leaves open, reading the rows once (skipped when it is complete). */
export async function mappedRows(
  training: Training,
  file: MappingFile,
  rows: () => AsyncIterable<RowRecord>,
): Promise<{ mapping: Mapping; notes: string[] }> {
  const complete =
    file.preference !== undefined &&
    file.options !== undefined &&
    file.tie !== undefined &&
    file.both_bad !== undefined &&
    file.strength !== undefined &&
    file.rubric !== undefined &&
    file.reason !== undefined;
  return training.resolveMapping(file, await training.surveyRows(complete ? [] : rows()));
}

async function* withExtras(
  training: Training,
  rows: AsyncIterable<RowRecord>,
  load: (ids: string[]) => Promise<TrainingExtras>,
): AsyncGenerator<RowRecord> {
  let page: RowRecord[] = [];
  const flush = async function* () {
    const extras = await load([...new Set(page.map((r) => r.data_row_id))]);
    for (const row of page) {
      row.comments = extras.comments.get(row.data_row_id) ?? [];
      for (const label of row.labels) {
        const order = extras.displayedOrder.get(label.id);
        if (order !== undefined && label.displayed_order === null)
          label.displayed_order = training.readOrder(order, row.line, `label ${label.id} displayed_order`);
        for (const review of label.reviews) {
          if (review.id !== null && review.reason === null)
            review.reason = extras.reviewReasons.get(review.id) ?? null;
        }
      }
      yield row;
    }
    page = [];
  };
  for await (const row of rows) {
    page.push(row);
    if (page.length >= PAGE) yield* flush();
  }
  if (page.length > 0) yield* flush();
}
