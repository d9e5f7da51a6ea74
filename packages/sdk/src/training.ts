/**
 * Training data and analytics of a project: a conversion runs on the server as an export task
 * (`POST /projects/:id/conversions`) whose result is the dataset, byte for byte what
 * `prefer convert` writes; so do analytics (`POST /projects/:id/stats`), whose result is the
 * object `prefer stats --json` prints: a large project's bootstrap takes minutes.
 * To convert a Labelbox export file without a server, use `@prefer/training` (`convertExportFile`).
 */
import {
  type StatsReportWire,
  statsReportSchema,
  type TRAINING_AGGREGATES,
  type TRAINING_LABEL_POLICIES,
  type TRAINING_TIE_POLICIES,
  type TrainingFormat,
  type TrainingOutput,
} from '@prefer/schemas';
import type { Client } from './client.ts';
import { ExportTaskError, NetworkError, PreferError, TimeoutError } from './errors.ts';
import { ExportTask, taskAnswerSchema, type WaitOptions } from './export-task.ts';
import { readNdjson, readNdjsonText } from './ndjson-stream.ts';
import type { ExportFilters } from './types.ts';

export {
  TRAINING_AGGREGATES,
  TRAINING_FORMATS,
  TRAINING_LABEL_POLICIES,
  TRAINING_OUTPUTS,
  TRAINING_TIE_POLICIES,
} from '@prefer/schemas';
export type { TrainingFormat, TrainingOutput };
/** `prefer stats --json`: models with Bradley-Terry ratings and intervals, agreement, annotators. */
export type StatsReport = StatsReportWire;

export interface ConvertOptions {
  format: TrainingFormat;
  /** Which labels count (default `done`). */
  labels?: (typeof TRAINING_LABEL_POLICIES)[number];
  /** How several labels of a row become one (default `majority`). */
  aggregate?: (typeof TRAINING_AGGREGATES)[number];
  /** Ties and both-bad (default: keep for arena and prefer, else drop). */
  ties?: (typeof TRAINING_TIE_POLICIES)[number];
  /** `jsonl` (default): one JSONL file; `jsonl-dataset` / `parquet`: a dataset directory as a tar. */
  output?: TrainingOutput;
  /** Share of prompts in the test split, for a dataset output. */
  testFraction?: number;
  /** A ranking of n replies: all n(n-1)/2 pairs (default), or the best against each other. */
  rankingPairs?: 'all' | 'best';
  /** A mapping file's content; what it leaves out is inferred from the answers. */
  mapping?: Record<string, unknown>;
  /** Which data rows are converted, as for `exportV2`. */
  filters?: ExportFilters;
  timezone?: string;
  taskName?: string;
}

export interface StatsOptions {
  /** The model rated 1000 (default: the most compared). */
  anchor?: string;
  /** Bootstrap resamples for the 95% intervals (default 200, at most 2,000). */
  bootstrap?: number;
  /** Seed of the bootstrap; the same seed gives the same report (default: random). */
  seed?: number;
  /** Comparisons a model needs before its rating is shown (default 5). */
  minComparisons?: number;
  /** A mapping file's content. */
  mapping?: Record<string, unknown>;
  /** Which data rows count, as for `exportV2`. */
  filters?: ExportFilters;
}

/** A finished conversion: its task, and its result to read (streamed, resumed by byte offset). */
export class Conversion {
  readonly task: ExportTask;
  readonly output: TrainingOutput;
  readonly #client: Client;

  constructor(client: Client, task: ExportTask, output: TrainingOutput) {
    this.#client = client;
    this.task = task;
    this.output = output;
  }

  /** Size of the result in bytes. */
  get totalBytes(): number {
    return this.task.getTotalFileSize('result') ?? 0;
  }

  /** JSONL records written (for `jsonl`); null for an archive. */
  get records(): number | null {
    return this.output === 'jsonl' ? (this.task.getTotalLines('result') ?? 0) : null;
  }

  /** The file name the server suggests (`training-<id>-result.jsonl` or `.tar`). */
  get fileName(): string {
    return `training-${this.task.id}-result.${this.output === 'jsonl' ? 'jsonl' : 'tar'}`;
  }

  /**
   * The result's bytes in order, resuming with `Range` if a read breaks.
   * @example
   * for await (const chunk of conversion.stream()) file.write(chunk);
   */
  stream(): AsyncIterable<Uint8Array> {
    return readBytes(this.#client, this.#path, this.totalBytes);
  }

  /** The whole result in memory (small datasets; prefer `stream()` for large ones). */
  async bytes(): Promise<Uint8Array> {
    const out = new Uint8Array(this.totalBytes);
    let at = 0;
    for await (const chunk of this.stream()) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }

  /** The JSONL lines as text, exactly as written (for `jsonl`). */
  lines(): AsyncIterable<string> {
    this.#assertJsonl();
    return readNdjsonText(this.#client, this.#path, this.totalBytes);
  }

  /** The parsed records (for `jsonl`). */
  recordsStream<T = Record<string, unknown>>(): AsyncIterable<T> {
    this.#assertJsonl();
    return readNdjson<T>(this.#client, this.#path, this.totalBytes);
  }

  get #path(): string {
    return `/export-tasks/${encodeURIComponent(this.task.id)}/result`;
  }

  #assertJsonl(): void {
    if (this.output !== 'jsonl')
      throw new PreferError(`a ${this.output} conversion is a tar archive: read it with stream() or bytes()`);
  }
}

/** Starts a conversion task; `convert` also waits for it. */
export async function startConversion(
  client: Client,
  projectId: string,
  options: ConvertOptions,
): Promise<ExportTask> {
  const body: Record<string, unknown> = { format: options.format };
  if (options.labels !== undefined) body.labels = options.labels;
  if (options.aggregate !== undefined) body.aggregate = options.aggregate;
  if (options.ties !== undefined) body.ties = options.ties;
  if (options.output !== undefined) body.output = options.output;
  if (options.testFraction !== undefined) body.test_fraction = options.testFraction;
  if (options.rankingPairs !== undefined) body.ranking_pairs = options.rankingPairs;
  if (options.mapping !== undefined) body.mapping = options.mapping;
  if (options.filters !== undefined) body.filters = options.filters;
  if (options.timezone !== undefined) body.timezone = options.timezone;
  if (options.taskName !== undefined) body.task_name = options.taskName;
  const wire = await client.requestJson(
    'POST',
    `/projects/${encodeURIComponent(projectId)}/conversions`,
    taskAnswerSchema,
    { body },
  );
  return new ExportTask(client, wire);
}

export async function convert(
  client: Client,
  projectId: string,
  options: ConvertOptions & WaitOptions,
): Promise<Conversion> {
  const task = await startConversion(client, projectId, options);
  await task.waitTillDone(options);
  if (task.status === 'FAILED')
    throw new ExportTaskError('Task failed', { details: task.failureReason ?? undefined });
  if (task.status !== 'COMPLETE')
    throw new TimeoutError(
      `conversion ${task.id} is still running after the wait; re-attach with ExportTask.getTask`,
    );
  return new Conversion(client, task, options.output ?? 'jsonl');
}

/** Starts a stats task (`training-stats`); `projectStats` also waits for it and reads the report. */
export async function startStats(
  client: Client,
  projectId: string,
  options: StatsOptions = {},
): Promise<ExportTask> {
  const body: Record<string, unknown> = {};
  if (options.anchor !== undefined) body.anchor = options.anchor;
  if (options.bootstrap !== undefined) body.bootstrap = options.bootstrap;
  if (options.seed !== undefined) body.seed = options.seed;
  if (options.minComparisons !== undefined) body.min_comparisons = options.minComparisons;
  if (options.mapping !== undefined) body.mapping = options.mapping;
  if (options.filters !== undefined) body.filters = options.filters;
  const wire = await client.requestJson(
    'POST',
    `/projects/${encodeURIComponent(projectId)}/stats`,
    taskAnswerSchema,
    { body },
  );
  return new ExportTask(client, wire);
}

/**
 * The report of a finished stats task (its result: one JSON line), typed.
 * @throws ExportTaskError when the task failed (the reason as message) or is not done.
 */
export async function readStatsReport(task: ExportTask): Promise<StatsReport> {
  if (task.status === 'FAILED') throw statsFailed(task);
  const [report] = await collect(task.getBufferedStream<unknown>());
  const parsed = statsReportSchema.safeParse(report);
  if (!parsed.success) throw new PreferError(`stats task ${task.id} has no report as its result`);
  return parsed.data;
}

export async function projectStats(
  client: Client,
  projectId: string,
  options: StatsOptions & WaitOptions = {},
): Promise<StatsReport> {
  const task = await startStats(client, projectId, options);
  await task.waitTillDone(options);
  if (task.status === 'FAILED') throw statsFailed(task);
  if (task.status !== 'COMPLETE')
    throw new TimeoutError(
      `stats task ${task.id} is still running after the wait; re-attach with ExportTask.getTask`,
    );
  return readStatsReport(task);
}

/** A failed stats task says why in its message (an anchor that is no model, say). */
function statsFailed(task: ExportTask): ExportTaskError {
  const reason = task.failureReason ?? 'no reason given';
  return new ExportTaskError(`stats task failed: ${reason}`, { details: reason });
}

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

/** The bytes of a stream from byte 0, resuming at the byte reached when a read breaks. */
async function* readBytes(client: Client, path: string, totalBytes: number): AsyncGenerator<Uint8Array> {
  let offset = 0;
  let failures = 0;
  while (offset < totalBytes) {
    const res = await client.request('GET', path, {
      headers: offset > 0 ? { Range: `bytes=${offset}-` } : {},
    });
    if (!res.body) throw new PreferError(`empty answer for ${path}`);
    // A server that ignores Range answers 200 from byte 0: skip what was already read.
    let skip = offset > 0 && res.status !== 206 ? offset : 0;
    const before = offset;
    const reader = res.body.getReader();
    try {
      for (;;) {
        let read: { done: boolean; value?: Uint8Array };
        try {
          read = await reader.read();
        } catch (cause) {
          if (++failures > 5)
            throw new NetworkError(`reading ${path} failed ${failures} times at byte ${offset}`, { cause });
          break;
        }
        if (read.done || !read.value) break;
        let chunk = read.value;
        if (skip > 0) {
          const drop = Math.min(skip, chunk.length);
          chunk = chunk.subarray(drop);
          skip -= drop;
        }
        if (chunk.length === 0) continue;
        offset += chunk.length;
        failures = 0;
        yield chunk;
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
    if (offset === before && offset < totalBytes && ++failures > 5)
      throw new NetworkError(`reading ${path} made no progress at byte ${offset}`);
  }
}
