/**
 * A stats task's options: what `POST /projects/:projectId/stats` takes and the task stores (the
 * same choices as `prefer stats` and `GET /projects/:projectId/stats`). Light on purpose (no
 * statistics loaded): the route, the worker and the download route read it.
 */
import { z } from 'zod';

/** The type analytics tasks have among export tasks; the result is the report as one JSON line. */
export const STATS_TASK_TYPE = 'training-stats';

/** Resamples a request may ask for: each refits every model and question, so it bounds the CPU. */
export const MAX_BOOTSTRAP = 2000;
/** Seeds as `--seed` takes them (a random one is drawn at the start when none is given). */
export const MAX_SEED = 2 ** 31 - 1;

/** The options of the report, as the POST body names them (the filters come beside them). */
export const statsOptionsSchema = z.strictObject({
  /** The model rated 1000 (default: the most compared); one that is no model fails the task. */
  anchor: z.string().min(1).max(512).optional(),
  bootstrap: z.number().int().min(0).max(MAX_BOOTSTRAP).default(200),
  /** Default: a random seed, drawn when the task is started and stored with it. */
  seed: z.number().int().min(0).max(MAX_SEED).optional(),
  min_comparisons: z.number().int().min(0).default(5),
  /** A mapping file's content (`prefer stats --mapping`); what it leaves out is inferred. */
  mapping: z.record(z.string(), z.unknown()).optional(),
});
export type StatsTaskOptions = z.output<typeof statsOptionsSchema>;

/** How the result file of a stats task is served. */
export const STATS_FILE_KIND = { contentType: 'application/json; charset=utf-8', ext: 'json' } as const;
