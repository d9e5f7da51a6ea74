/**
 * The contract between export tasks and the engines that fill them. The worker owns files,
 * progress and crash safety; an engine only turns a task into lines, so engines stay testable
 * without a worker and the worker is tested with a stand-in engine.
 */

import type { ExportTaskType } from '@prefer/schemas';
import type { Actor } from '../../orgs/actor.ts';
import type { Store } from '../../store/store.ts';
import type { ChunkSink } from '../v2/line-buffer.ts';

export { EXPORT_TASK_TYPES, type ExportTaskType } from '@prefer/schemas';

export type ExportStreamName = 'result' | 'errors';

/**
 * Where an engine writes: chunks of whole UTF-8 lines, each ending in `\n` (a `LineBuffer` makes
 * them); awaiting a returned promise is the backpressure.
 */
export interface ExportTaskSink {
  result: ChunkSink;
  errors: ChunkSink;
  progress?(rowsDone: number, rowsTotal: number): void;
}

/** A claimed task as an engine sees it: params and filters parsed back from their stored JSON. */
export interface ExportTaskRecord {
  id: string;
  orgId: string;
  projectId: string;
  type: ExportTaskType;
  name: string | null;
  params: unknown;
  filters: unknown;
  /** 1 on the first run, 2 after one crash, and so on. */
  attempt: number;
  /** V1: the origin its `View Label` links use; null for the runner's own. */
  linkBase: string | null;
}

export type ExportRunner = (
  store: Store,
  actor: Actor,
  task: ExportTaskRecord,
  sink: ExportTaskSink,
) => Promise<{ rows: number; errors: number }>;

/** Limits of running (IN_PROGRESS) exports, as in Labelbox. */
export const MAX_RUNNING_PER_PROJECT = 10;
export const MAX_RUNNING_PER_ORG = 20;
/** A task whose worker died this many times is failed instead of being retried again. */
export const MAX_ATTEMPTS = 3;
