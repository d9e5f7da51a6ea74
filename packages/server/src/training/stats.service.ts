/**
 * A project's preference analytics: the report `prefer stats --json` prints, from the same rows
 * (training-source.ts) with the same options. Two ways in:
 * - `POST /projects/:projectId/stats` starts an export task of type `training-stats` (stats.runner.ts)
 *   that a worker runs like a conversion; its result file is the report. Large projects go here:
 *   the read and the bootstrap take minutes there, and the bootstrap yields to the event loop.
 * - `GET /projects/:projectId/stats` computes it in the request, for projects up to a row limit
 *   (`PREFER_STATS_SYNC_MAX_ROWS`): past it, a proxy would time out before the answer.
 */
import { randomInt } from 'node:crypto';
import type { RowRecord, StatsReport } from '@prefer/training';
import { CONFIG_DEFAULTS } from '../config.ts';
import { parseExportRequest } from '../exports/request/export.request.ts';
import { storedRequest } from '../exports/tasks/export-start.service.ts';
import type { CreatedExportTask, CreateExportTaskInput } from '../exports/tasks/export-task.service.ts';
import { createExportTask } from '../exports/tasks/export-task.service.ts';
import type { Actor } from '../orgs/actor.ts';
import { AppError } from '../shared/errors.ts';
import type { Store } from '../store/store.ts';
import { MAX_SEED, STATS_TASK_TYPE, type StatsTaskOptions, statsOptionsSchema } from './stats.options.ts';
import {
  loadTraining,
  mappingOf,
  type Training,
  type TrainingSource,
  withProjectTrainingSource,
} from './training-source.ts';

export interface ProjectStatsOptions {
  anchor?: string | undefined;
  bootstrap: number;
  /** Default: a random seed (the report says which, so a run can be repeated). */
  seed?: number | undefined;
  minComparisons: number;
  /** A mapping file's JSON text; what it leaves out is inferred. */
  mapping?: string | undefined;
  filters?: unknown;
  /** Labelled rows above which the request is refused for the task (default 20,000). */
  maxRows?: number | undefined;
}

/** `GET /projects/:projectId/stats`: the report, computed in the request (small projects only). */
export async function projectStats(
  store: Store,
  actor: Actor,
  projectId: string,
  options: ProjectStatsOptions,
): Promise<StatsReport> {
  const training = await loadTraining();
  const mapping = mappingOf(training, options.mapping);
  const max = options.maxRows ?? CONFIG_DEFAULTS.statsSyncMaxRows;
  const rows = await labelledRows(store, actor, projectId);
  if (rows > max) {
    throw new AppError(
      'CONFLICT',
      `project ${projectId} has ${rows} labelled rows, more than the ${max} GET /api/v1/projects/:projectId/stats ` +
        'computes in a request (PREFER_STATS_SYNC_MAX_ROWS): start a stats task with ' +
        `POST /api/v1/projects/${projectId}/stats (the SDK's project.stats does), then read ` +
        'GET /api/v1/export-tasks/{id} and its /result',
    );
  }
  const seed = options.seed ?? randomInt(2 ** 31);
  return withProjectTrainingSource(store, actor, projectId, { mapping, filters: options.filters }, (src) =>
    reportOf(training, src, { ...options, seed }),
  );
}

export interface StartStatsInput {
  projectId: string;
  /** The body without `filters`: anchor, bootstrap, seed, min_comparisons, mapping. */
  options: unknown;
  /** Export filters in the SDK's shape: which data rows count. */
  filters?: unknown;
}

/** `POST /projects/:projectId/stats`: a `training-stats` task, run by a worker. */
export async function startStats(
  store: Store,
  actor: Actor,
  input: StartStatsInput,
): Promise<CreatedExportTask> {
  return createExportTask(store, actor, await statsJob(input));
}

/**
 * The task a stats request is stored as; throws BAD_REQUEST naming the field for bad options.
 * What only the rows can tell (an anchor that is no model) fails the task with the same words.
 */
export async function statsJob(input: StartStatsInput): Promise<CreateExportTaskInput> {
  const options = parseStatsOptions(input.options);
  if (options.mapping) mappingOf(await loadTraining(), JSON.stringify(options.mapping));
  const request = parseExportRequest({ filters: input.filters ?? {} });
  return {
    projectId: input.projectId,
    type: STATS_TASK_TYPE,
    name: null,
    // The seed is drawn now, so a task run again after a worker died gives the same report.
    params: { ...options, seed: options.seed ?? randomInt(MAX_SEED + 1) },
    filters: storedRequest(request).filters,
  };
}

/** Options as stored; the worker parses them again with this. */
export function parseStatsOptions(value: unknown): StatsTaskOptions {
  const parsed = statsOptionsSchema.safeParse(value ?? {});
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    const where = first.path.length > 0 ? `${first.path.join('.')}: ` : '';
    const keys =
      first.code === 'unrecognized_keys'
        ? `; valid keys are: ${[...Object.keys(statsOptionsSchema.shape), 'filters'].join(', ')}`
        : '';
    throw new AppError('BAD_REQUEST', `stats ${where}${first.message}${keys}`);
  }
  return parsed.data;
}

/** Computes the report of a source; `progress` gets resamples done of those expected. */
export async function reportOf(
  training: Training,
  src: TrainingSource,
  options: Pick<ProjectStatsOptions, 'anchor' | 'bootstrap' | 'minComparisons'> & { seed: number },
  progress?: (done: number, total: number) => void,
  rows: AsyncIterable<RowRecord> = src.rows(),
): Promise<StatsReport> {
  try {
    return await training.computeStats(rows, src.mapping, {
      bootstrap: options.bootstrap,
      seed: options.seed,
      anchor: options.anchor,
      minComparisons: options.minComparisons,
      progress,
    });
  } catch (err) {
    // An anchor that is no model, say: the user's input, answered as such.
    if (err instanceof training.TrainingInputError) throw new AppError('BAD_REQUEST', err.message);
    throw err;
  }
}

/** Data rows of the project with at least one label (what the row limit counts). */
async function labelledRows(store: Store, actor: Actor, projectId: string): Promise<number> {
  const row = await store.db
    .selectFrom('labels')
    .where('org_id', '=', actor.orgId)
    .where('project_id', '=', projectId)
    .select((eb) => eb.fn.count<number | string | bigint>('data_row_id').distinct().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
