/**
 * An export task on the server, mirroring Labelbox's `ExportTask` in TypeScript naming. The task's
 * state is what the last fetch saw: `waitTillDone()` and `refresh()` update it.
 */
import { exportTaskSchema, streamInfoSchema } from '@prefer/schemas';
import { z } from 'zod';
import type { Client } from './client.ts';
import { ExportTaskError } from './errors.ts';
import { readNdjson, readNdjsonText } from './ndjson-stream.ts';
import type { ExportErrorRow, ExportV2Row, StreamType, TaskStatus } from './types.ts';

export interface WaitOptions {
  /** Longest wait in seconds (default 7,200). On timeout the task is returned still `IN_PROGRESS`. */
  timeoutSeconds?: number;
  /** Longest pause between polls in seconds (default 2); the first polls come sooner. */
  pollIntervalSeconds?: number;
  /** Called after each poll with the task (its `completionPercentage`), for a progress bar. */
  onProgress?: (task: ExportTask) => void;
}

/**
 * A task as the SDK reads it: the shared `exportTaskSchema`, tolerant of what another server
 * version answers differently (fields missing, a task type this SDK does not know). The 202
 * answer of a start (`createdTaskSchema`) is one too, until the first fetch.
 */
export const taskAnswerSchema = exportTaskSchema.partial().extend({
  ...exportTaskSchema.pick({ id: true, name: true, status: true, created_at: true }).shape,
  type: z.string().optional(),
  result: streamInfoSchema.partial({ sha256: true }).nullable().optional(),
  errors: streamInfoSchema.partial({ sha256: true }).nullable().optional(),
});
type TaskState = z.infer<typeof taskAnswerSchema>;

export class ExportTask {
  readonly #client: Client;
  #wire: TaskState;

  constructor(client: Client, wire: TaskState) {
    this.#client = client;
    this.#wire = wire;
  }

  /**
   * Re-attaches to an existing task by id.
   * @example
   * const task = await ExportTask.getTask(client, taskId);
   * await task.waitTillDone();
   */
  static async getTask(client: Client, id: string): Promise<ExportTask> {
    return new ExportTask(client, await fetchTask(client, id));
  }

  get id(): string {
    return this.#wire.id;
  }
  get name(): string | null {
    return this.#wire.name;
  }
  /**
   * `export-data-rows` (v2), `export-labels` (V1), `training-conversion` (`project.convert`) or
   * `training-stats` (`project.stats`).
   */
  get type(): string | undefined {
    return this.#wire.type;
  }
  get status(): TaskStatus {
    return this.#wire.status;
  }
  get createdAt(): Date {
    return new Date(this.#wire.created_at);
  }
  get updatedAt(): Date | undefined {
    return this.#wire.updated_at === undefined ? undefined : new Date(this.#wire.updated_at);
  }
  get completionPercentage(): number | null {
    return this.#wire.completion_percentage ?? null;
  }
  /** Why the task failed, when it did. */
  get failureReason(): string | null {
    return this.#wire.failure_reason ?? null;
  }

  /** Fetches the task's current state. */
  async refresh(): Promise<this> {
    this.#wire = await fetchTask(this.#client, this.id);
    return this;
  }

  /**
   * Polls until the task is `COMPLETE` or `FAILED`, or the timeout passes (then it returns with
   * the status still `IN_PROGRESS`, as Labelbox does).
   * @example
   * await task.waitTillDone({ timeoutSeconds: 600 });
   * if (task.status === 'COMPLETE') console.log(await task.result());
   */
  async waitTillDone(options: WaitOptions = {}): Promise<void> {
    const deadline = Date.now() + (options.timeoutSeconds ?? 7200) * 1000;
    const maxPauseMs = (options.pollIntervalSeconds ?? 2) * 1000;
    let pauseMs = Math.min(100, maxPauseMs);
    while (this.status === 'IN_PROGRESS') {
      const left = deadline - Date.now();
      if (left <= 0) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(pauseMs, left)));
      pauseMs = Math.min(pauseMs * 2, maxPauseMs);
      await this.refresh();
      options.onProgress?.(this);
    }
  }

  /** Hex SHA-256 of a stream's file, or null when it is empty (or unknown). Throws unless `COMPLETE`. */
  getSha256(stream: StreamType): string | null {
    return this.#stream(stream)?.sha256 ?? null;
  }

  /** True once retention deleted the task's files. */
  get filesDeleted(): boolean {
    return this.#wire.files_deleted ?? false;
  }

  /** Whether the result stream has at least one row. Throws unless the task is `COMPLETE`. */
  hasResult(): boolean {
    return (this.getTotalFileSize('result') ?? 0) > 0;
  }

  /** Whether the errors stream has at least one row. Throws unless the task is `COMPLETE`. */
  hasErrors(): boolean {
    return (this.getTotalFileSize('errors') ?? 0) > 0;
  }

  /** Size in bytes of a stream, or null when it is empty. Throws unless the task is `COMPLETE`. */
  getTotalFileSize(stream: StreamType): number | null {
    const info = this.#stream(stream);
    return info ? info.total_bytes : null;
  }

  /** Number of lines of a stream, or null when it is empty. Throws unless the task is `COMPLETE`. */
  getTotalLines(stream: StreamType): number | null {
    const info = this.#stream(stream);
    return info ? info.total_lines : null;
  }

  /**
   * All result rows (Labelbox's `task.result`). For large exports prefer `getBufferedStream()`.
   * @throws ExportTaskError "Task failed" or "Task is not ready yet".
   * @example
   * await task.waitTillDone();
   * const rows = await task.result();
   */
  async result(): Promise<ExportV2Row[]> {
    return collect(this.getBufferedStream<ExportV2Row>({ streamType: 'result' }));
  }

  /**
   * The rows that could not be exported, or null when there are none (Labelbox's `task.errors`).
   * @example
   * const errors = await task.errors();
   * if (errors) console.error(errors);
   */
  async errors(): Promise<ExportErrorRow[] | null> {
    if (!this.hasErrors()) return null;
    return collect(this.getBufferedStream<ExportErrorRow>({ streamType: 'errors' }));
  }

  /**
   * Streams the parsed rows of a stream one by one, resuming by byte offset if a read breaks.
   * An empty stream yields nothing.
   * @example
   * for await (const row of task.getBufferedStream()) console.log(row.data_row.id);
   */
  getBufferedStream<T = ExportV2Row>(options: { streamType?: StreamType } = {}): AsyncIterable<T> {
    const { path, total } = this.#file(options.streamType);
    const client = this.#client;
    return { [Symbol.asyncIterator]: () => readNdjson<T>(client, path, total)[Symbol.asyncIterator]() };
  }

  /**
   * The lines of a stream as text, byte-exact (no parse and re-serialize), resuming like
   * `getBufferedStream()`. For copying an export to a file.
   * @example
   * for await (const line of task.getLineStream()) out.write(`${line}\n`);
   */
  getLineStream(options: { streamType?: StreamType } = {}): AsyncIterable<string> {
    const { path, total } = this.#file(options.streamType);
    const client = this.#client;
    return { [Symbol.asyncIterator]: () => readNdjsonText(client, path, total)[Symbol.asyncIterator]() };
  }

  /** Where a stream is read from and its size (checks that the task is `COMPLETE`). */
  #file(streamType: StreamType = 'result'): { path: string; total: number } {
    return {
      path: `/export-tasks/${encodeURIComponent(this.id)}/${streamType}`,
      total: this.getTotalFileSize(streamType) ?? 0,
    };
  }

  #stream(stream: StreamType): { total_bytes: number; total_lines: number; sha256?: string | null } | null {
    this.#assertComplete();
    const info = stream === 'result' ? this.#wire.result : this.#wire.errors;
    return info && info.total_bytes > 0 ? info : null;
  }

  #assertComplete(): void {
    if (this.status === 'FAILED') throw new ExportTaskError('Task failed', { details: this.failureReason });
    if (this.status !== 'COMPLETE') throw new ExportTaskError('Task is not ready yet');
  }
}

async function fetchTask(client: Client, id: string): Promise<TaskState> {
  return client.requestJson('GET', `/export-tasks/${encodeURIComponent(id)}`, taskAnswerSchema);
}

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) out.push(row);
  return out;
}
