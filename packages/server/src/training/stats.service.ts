/**
 * A project's preference analytics (`GET /projects/:projectId/stats`): the report `prefer stats
 * --json` prints, from the same rows (training-source.ts) with the same options.
 */
import { randomInt } from 'node:crypto';
import type { StatsReport } from '@prefer/training';
import type { Actor } from '../orgs/actor.ts';
import { AppError } from '../shared/errors.ts';
import type { Store } from '../store/store.ts';
import { loadTraining, withProjectTrainingSource } from './training-source.ts';

export interface ProjectStatsOptions {
  anchor?: string | undefined;
  bootstrap: number;
  /** Default: a random seed (the report says which, so a run can be repeated). */
  seed?: number | undefined;
  minComparisons: number;
  /** A mapping file's JSON text; what it leaves out is inferred. */
  mapping?: string | undefined;
  filters?: unknown;
}

export async function projectStats(
  store: Store,
  actor: Actor,
  projectId: string,
  options: ProjectStatsOptions,
): Promise<StatsReport> {
  const training = await loadTraining();
  let mapping = {};
  try {
    if (options.mapping !== undefined) mapping = training.parseMappingFile(options.mapping, 'mapping');
  } catch (err) {
    if (err instanceof training.TrainingInputError) throw new AppError('BAD_REQUEST', err.message);
    throw err;
  }
  const seed = options.seed ?? randomInt(2 ** 31);
  return withProjectTrainingSource(
    store,
    actor,
    projectId,
    { mapping, filters: options.filters },
    async (src) => {
      try {
        return await training.computeStats(src.rows(), src.mapping, {
          bootstrap: options.bootstrap,
          seed,
          anchor: options.anchor,
          minComparisons: options.minComparisons,
        });
      } catch (err) {
        // An anchor that is no model, say: the user's input, answered as such.
        if (err instanceof training.TrainingInputError) throw new AppError('BAD_REQUEST', err.message);
        throw err;
      }
    },
  );
}
