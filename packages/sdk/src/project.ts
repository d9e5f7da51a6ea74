/** A project as the SDK sees it, with the export entry points of Labelbox's `Project`. */
import {
  batchSchema,
  createdTaskSchema,
  labelImportSchema,
  type MmcEditorTaskType,
  type ProjectWire,
} from '@prefer/schemas';
import { Batch, type CreateBatchInput } from './batch.ts';
import type { Client } from './client.ts';
import type { OverviewOptions, ProjectOverview, ProjectRow, ProjectRowFilters } from './console.ts';
import * as consoleReads from './console.ts';
import { ExportTaskError, TimeoutError } from './errors.ts';
import { ExportTask, taskAnswerSchema, type WaitOptions } from './export-task.ts';
import type { AddMemberInput, ProjectMember } from './members.ts';
import * as members from './members.ts';
import type { MyStats, MyStatsOptions, ReworkLabel } from './my-work.ts';
import * as myWork from './my-work.ts';
import { type PageOptions, paginate } from './paging.ts';
import type { Lease, LeaseOptions, ReviewRow } from './review-queue.ts';
import * as reviewQueue from './review-queue.ts';
import type { Conversion, ConvertOptions, StatsOptions, StatsReport } from './training.ts';
import * as training from './training.ts';
import type { ExportFilters, ExportParams, ExportV1Label } from './types.ts';
import { type UploadSource, uploadBody } from './upload.ts';
import type { ProjectRole } from './users.ts';
import {
  type Comment,
  type Label,
  type LabelFilters,
  type LeasedRow,
  type MoveTarget,
  type NextRowOptions,
  ProjectWorkflow,
  type QueueStats,
  type ReviewResult,
  type SubmitLabelInput,
  type SubmitOptions,
  type SubmitResult,
} from './workflow.ts';

export interface CreateProjectInput {
  name: string;
  ontologyId: string;
  description?: string;
  /** The one media type prefer labels (the default). */
  mediaType?: 'CONVERSATIONAL';
  /** Labels wanted per data row (consensus), 1 (default) to 10; a batch may ask for its own. */
  consensusExpectedLabelCount?: number;
  /**
   * A multimodal chat evaluation project (conversation v2 rows, message tools), as Labelbox's
   * `create_offline_model_evaluation_project` (`OFFLINE_MODEL_CHAT_EVALUATION`) or
   * `create_model_evaluation_project` (`MODEL_CHAT_EVALUATION`). Absent: a conversation-v1 project.
   */
  editorTaskType?: MmcEditorTaskType;
}

export interface LabelImportCounts {
  /** Labels (or pre-labels) written. */
  labels: number;
  annotations: number;
  /** Labels of the file already imported (same `labelExternalId`, or same answers by the same labeler on the row). */
  skipped: number;
}

export interface ExportV2Options {
  params?: ExportParams;
  filters?: ExportFilters;
  taskName?: string;
  /** IANA time zone of dates without an offset in `filters` (default UTC). */
  timezone?: string;
}

export interface ExportLabelsOptions {
  /** true: answer the parsed JSON array; false: answer the URL of the JSON file. */
  download?: boolean;
  /** Label creation bounds: `YYYY-MM-DD`, `YYYY-MM-DD hh:mm:ss` or ISO. */
  start?: string;
  end?: string;
  lastActivityStart?: string;
  lastActivityEnd?: string;
  /** IANA time zone of dates without an offset (default UTC). */
  timezone?: string;
  /** Longest wait for the export in seconds (default 7,200). */
  timeoutSeconds?: number;
}

export class Project {
  readonly #client: Client;
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly mediaType: string;
  /** `OFFLINE_MODEL_CHAT_EVALUATION` / `MODEL_CHAT_EVALUATION`; null for a conversation-v1 project. */
  readonly editorTaskType: string | null;
  readonly ontologyId: string;
  readonly consensusExpectedLabelCount: number;
  readonly dataRowCount: number;
  readonly lastActivityAt: Date | null;
  /** Your role in the project (`admin` for the organization's admins). */
  readonly role: ProjectRole | 'admin';
  /** The labelers' guideline (markdown); null when none was written. */
  readonly instructions: string | null;
  /** When the project was archived (read-only); null while active. */
  readonly archivedAt: Date | null;
  readonly #workflow: ProjectWorkflow;
  readonly #base: string;

  constructor(client: Client, wire: ProjectWire) {
    this.#client = client;
    this.#workflow = new ProjectWorkflow(client, wire.id);
    this.#base = `/projects/${encodeURIComponent(wire.id)}`;
    this.id = wire.id;
    this.name = wire.name;
    this.description = wire.description;
    this.createdAt = new Date(wire.created_at);
    this.updatedAt = new Date(wire.updated_at);
    this.mediaType = wire.media_type;
    this.editorTaskType = wire.editor_task_type;
    this.ontologyId = wire.ontology_id;
    this.consensusExpectedLabelCount = wire.consensus_expected_label_count;
    this.dataRowCount = wire.data_row_count;
    this.lastActivityAt = wire.last_activity_at === null ? null : new Date(wire.last_activity_at);
    this.role = wire.role;
    this.instructions = wire.instructions ?? null;
    this.archivedAt = wire.archived_at ? new Date(wire.archived_at) : null;
  }

  /**
   * Starts an export v2 of the project's data rows; the task runs on the server.
   * @throws ValidationError with Labelbox's message for a bad filter or param.
   * @throws ApiLimitError when too many exports are running (after retries).
   * @example
   * const task = await project.exportV2({
   *   params: { data_row_details: true, label_details: true, project_details: true },
   *   filters: { last_activity_at: ['2000-01-01 00:00:00', '2050-01-01 00:00:00'] },
   * });
   * await task.waitTillDone();
   * if (task.hasErrors()) console.error(await task.errors());
   * const rows = await task.result();
   */
  async exportV2(options: ExportV2Options = {}): Promise<ExportTask> {
    const wire = await this.#client.requestJson(
      'POST',
      `/projects/${encodeURIComponent(this.id)}/exports`,
      createdTaskSchema,
      {
        body: {
          params: options.params ?? {},
          filters: options.filters ?? {},
          ...(options.taskName === undefined ? {} : { task_name: options.taskName }),
          ...(options.timezone === undefined ? {} : { timezone: options.timezone }),
        },
      },
    );
    return new ExportTask(this.#client, wire);
  }

  /**
   * The streamable export (Labelbox's `project.export`): the same task as `exportV2`, meant to be
   * read with `getBufferedStream()`.
   * @example
   * const task = await project.export({ params: { label_details: true } });
   * await task.waitTillDone();
   * for await (const row of task.getBufferedStream()) handle(row);
   */
  export(options: ExportV2Options = {}): Promise<ExportTask> {
    return this.exportV2(options);
  }

  /**
   * Converts the project's labels into a training dataset on the server (an export task), waits
   * for it, and answers the result to stream: the same bytes as `prefer convert` on the project.
   * @throws ValidationError naming the option and its valid values.
   * @throws ExportTaskError when the conversion failed; TimeoutError when the wait ran out.
   * @example
   * const dpo = await project.convert({ format: 'trl', labels: 'approved' });
   * for await (const record of dpo.recordsStream()) console.log(record.chosen);
   * const hf = await project.convert({ format: 'kto', output: 'parquet', testFraction: 0.05 });
   * for await (const chunk of hf.stream()) tarFile.write(chunk); // data/*.parquet and README.md
   */
  convert(options: ConvertOptions & WaitOptions): Promise<Conversion> {
    return training.convert(this.#client, this.id, options);
  }

  /** Starts a conversion without waiting: follow it as any export task. */
  startConversion(options: ConvertOptions): Promise<ExportTask> {
    return training.startConversion(this.#client, this.id, options);
  }

  /**
   * Preference analytics of the project: the object `prefer stats --json` prints (snake_case),
   * computed on the server by a stats task (an export task of type `training-stats`) this waits for.
   * @throws ValidationError naming the option; ExportTaskError when the task failed (an anchor
   * that is no model, say: the reason is the message); TimeoutError when the wait ran out.
   * @example
   * const { models, agreement, annotators } = await project.stats({ seed: 7, anchor: 'gpt-4o' });
   * for (const m of models) console.log(m.model, m.rating, m.ci);
   */
  stats(options: StatsOptions & WaitOptions = {}): Promise<StatsReport> {
    return training.projectStats(this.#client, this.id, options);
  }

  /**
   * Starts a stats task without waiting: follow it as any export task, then read its report.
   * @example
   * const task = await project.startStats({ bootstrap: 1000 });
   * await task.waitTillDone({ onProgress: (t) => console.log(t.completionPercentage) });
   * const report = await readStatsReport(task);
   */
  startStats(options: StatsOptions = {}): Promise<ExportTask> {
    return training.startStats(this.#client, this.id, options);
  }

  /**
   * The legacy V1 export: one object per label. Waits for the export to finish.
   * @example
   * const labels = await project.exportLabels({ download: true, start: '2022-09-28', end: '2022-10-04' });
   */
  exportLabels(options: ExportLabelsOptions & { download: true }): Promise<ExportV1Label[]>;
  exportLabels(options?: ExportLabelsOptions & { download?: false }): Promise<string>;
  async exportLabels(options: ExportLabelsOptions = {}): Promise<ExportV1Label[] | string> {
    const task = await this.startLabelExport(options);
    await task.waitTillDone({ timeoutSeconds: options.timeoutSeconds });
    if (task.status === 'FAILED') throw new ExportTaskError('Task failed', { details: task.failureReason });
    if (task.status !== 'COMPLETE') throw new TimeoutError(`label export ${task.id} is still running`);
    const path = `/export-tasks/${encodeURIComponent(task.id)}/result`;
    if (!options.download) return this.#client.url(path);
    const res = await this.#client.request('GET', path);
    return (await res.json()) as ExportV1Label[];
  }

  /**
   * Starts a V1 label export without waiting: its result stream is one JSON array.
   * @example
   * const task = await project.startLabelExport({ start: '2024-01-01' });
   * await task.waitTillDone();
   */
  async startLabelExport(
    options: Omit<ExportLabelsOptions, 'download' | 'timeoutSeconds'> = {},
  ): Promise<ExportTask> {
    const body: Record<string, string> = {};
    if (options.start !== undefined) body.start = options.start;
    if (options.end !== undefined) body.end = options.end;
    if (options.lastActivityStart !== undefined) body.last_activity_start = options.lastActivityStart;
    if (options.lastActivityEnd !== undefined) body.last_activity_end = options.lastActivityEnd;
    if (options.timezone !== undefined) body.timezone = options.timezone;
    const wire = await this.#client.requestJson(
      'POST',
      `/projects/${encodeURIComponent(this.id)}/label-exports`,
      createdTaskSchema,
      { body },
    );
    return new ExportTask(this.#client, wire);
  }

  /**
   * Adds data rows to the project's queue as a batch: by ids, global keys or a whole dataset.
   * @throws ValidationError naming unknown rows (`faults`); a 409 PreferError for rows already in the project.
   * @example
   * const batch = await project.createBatch({ name: 'First batch', globalKeys: ['chat-1', 'chat-2'], priority: 1 });
   */
  async createBatch(input: CreateBatchInput): Promise<Batch> {
    const body: Record<string, unknown> = { name: input.name };
    if (input.dataRowIds !== undefined) body.data_row_ids = input.dataRowIds;
    if (input.globalKeys !== undefined) body.global_keys = input.globalKeys;
    if (input.datasetId !== undefined) body.dataset_id = input.datasetId;
    if (input.priority !== undefined) body.priority = input.priority;
    if (input.consensusExpectedLabelCount !== undefined)
      body.consensus_expected_label_count = input.consensusExpectedLabelCount;
    const wire = await this.#client.requestJson(
      'POST',
      `/projects/${encodeURIComponent(this.id)}/batches`,
      batchSchema,
      { body },
    );
    return new Batch(this.id, wire);
  }

  /** The project's export tasks, newest first (managers and admins). */
  exportTasks(options?: PageOptions): AsyncGenerator<ExportTask> {
    return paginate(
      this.#client,
      `/projects/${encodeURIComponent(this.id)}/export-tasks`,
      taskAnswerSchema,
      (w) => new ExportTask(this.#client, w),
      options,
    );
  }

  /**
   * The project's batches, oldest first, fetched a page at a time.
   * @example
   * for await (const batch of project.batches()) console.log(batch.name, batch.dataRowCount);
   */
  batches(options?: PageOptions): AsyncGenerator<Batch> {
    return paginate(
      this.#client,
      `/projects/${encodeURIComponent(this.id)}/batches`,
      batchSchema,
      (w) => new Batch(this.id, w),
      options,
    );
  }

  /**
   * Imports labels (Labelbox annotation-import lines), all or nothing: the lines of one data row
   * become one label, credited to the key's user or to `asEmail` (an existing user).
   * @throws ValidationError when any line is faulty: nothing was imported; `faults` names each line.
   * @example
   * await project.importLabels([
   *   { dataRow: { globalKey: 'chat-1' }, name: 'Choose the best response', answer: { name: 'Response A' } },
   * ]);
   * await project.importLabels({ file: 'labels.ndjson' }, { asEmail: 'rater@example.com' });
   * await project.importLabels({ file: 'model.ndjson' }, { preLabels: true }); // a starting point for labelers
   */
  async importLabels(
    source: UploadSource<Record<string, unknown>>,
    options: { asEmail?: string; preLabels?: boolean } = {},
  ): Promise<LabelImportCounts> {
    const params = new URLSearchParams();
    if (options.asEmail !== undefined) params.set('as_email', options.asEmail);
    if (options.preLabels) params.set('pre_labels', 'true');
    const query = params.size > 0 ? `?${params}` : '';
    const answer = await this.#client.requestJson(
      'POST',
      `/projects/${encodeURIComponent(this.id)}/label-imports${query}`,
      labelImportSchema,
      { upload: { body: await uploadBody(source), contentType: 'application/x-ndjson' } },
    );
    return answer.counts;
  }

  // The labeling workflow (workflow.ts).

  /**
   * Leases the next row to label (30 minutes unless `leaseSeconds`); null when none is left.
   * With `ahead: true`, leases the row after the one you hold, besides it (a prefetch): it is
   * the row a plain `nextRow()` answers once you submit or skip the current one.
   * @example
   * const row = await project.nextRow();
   * if (row) console.log(row.dataRowId, JSON.parse(row.rowData).messages.length);
   * const upcoming = await project.nextRow({ ahead: true });
   */
  nextRow(options: NextRowOptions = {}): Promise<LeasedRow | null> {
    return this.#workflow.nextRow(options);
  }

  /**
   * Submits a label of a leased row, or resubmits your label of a row in rework. Sent with an
   * idempotency key (random unless given) and retried under that key after a lost answer, so
   * it never makes two labels.
   * @throws ValidationError (422) naming the field when an answer misses the ontology.
   * @example
   * await project.submitLabel({
   *   dataRowId: row.dataRowId,
   *   classifications: [{ name: 'Choose the best response', answer: { name: 'Response A' } }],
   *   secondsToCreate: 42,
   * });
   */
  submitLabel(input: SubmitLabelInput, options?: SubmitOptions): Promise<SubmitResult> {
    return this.#workflow.submitLabel(input, options);
  }

  /**
   * Skips a leased row (a skipped label of yours: the queue does not offer the row to you again).
   * @example
   * await project.skipRow({ dataRowId: row.dataRowId, secondsToCreate: 5 });
   */
  skipRow(
    input: { dataRowId: string; secondsToCreate: number },
    options?: SubmitOptions,
  ): Promise<SubmitResult> {
    return this.#workflow.skipRow(input, options);
  }

  /**
   * The project's labels, oldest first, fetched a page at a time (a labeler sees only their own).
   * @example
   * for await (const label of project.labels({ workflowStatus: 'IN_REVIEW' })) console.log(label.id);
   */
  labels(filters?: LabelFilters): AsyncGenerator<Label> {
    return this.#workflow.labels(filters);
  }

  /**
   * @example
   * const label = await project.getLabel(labelId);
   * console.log(label.workflowStatus, label.reviews.at(-1)?.reason);
   */
  getLabel(labelId: string): Promise<Label> {
    return this.#workflow.getLabel(labelId);
  }

  /**
   * Approves (row to Done) or rejects with a reason (row to Rework) someone else's label.
   * @example
   * await project.reviewLabel(labelId, { decision: 'reject', reason: 'B is factually wrong', secondsToReview: 30 });
   */
  reviewLabel(
    labelId: string,
    review: { decision: 'approve' | 'reject'; reason?: string; secondsToReview: number },
  ): Promise<ReviewResult> {
    return this.#workflow.reviewLabel(labelId, review);
  }

  /** @example await project.approveLabel(labelId, { secondsToReview: 20 }); */
  approveLabel(labelId: string, options: { secondsToReview: number }): Promise<ReviewResult> {
    return this.#workflow.reviewLabel(labelId, { decision: 'approve', ...options });
  }

  /** @example await project.rejectLabel(labelId, { reason: 'wrong pick', secondsToReview: 20 }); */
  rejectLabel(labelId: string, options: { reason: string; secondsToReview: number }): Promise<ReviewResult> {
    return this.#workflow.reviewLabel(labelId, { decision: 'reject', ...options });
  }

  /**
   * Moves up to 2,000 rows into a workflow task (managers), all or nothing.
   * @example
   * await project.moveRows([dataRowId], { toStatus: 'DONE' });
   */
  moveRows(dataRowIds: string[], target: MoveTarget): Promise<{ moved: number; unchanged: number }> {
    return this.#workflow.moveRows(dataRowIds, target);
  }

  /** @example await project.addComment(dataRowId, 'Is message m2 cut off?'); */
  addComment(dataRowId: string, text: string): Promise<Comment> {
    return this.#workflow.addComment(dataRowId, text);
  }

  /** @example for await (const c of project.comments(dataRowId)) console.log(c.authorEmail, c.text); */
  comments(dataRowId: string, options?: { pageSize?: number }): AsyncGenerator<Comment> {
    return this.#workflow.comments(dataRowId, options);
  }

  /** @example const { counts, held } = await project.queueStats(); */
  queueStats(): Promise<QueueStats> {
    return this.#workflow.queueStats();
  }

  /**
   * Leases the next row in review (reviewers, managers, admins; never a row you labeled) with
   * its labels, comments and consensus; null when none is waiting for you. Asking again while
   * you hold one answers the same row. Decide with `approveLabel` / `rejectLabel`.
   * @example
   * const row = await project.nextReview();
   * if (row) await project.approveLabel(row.labels[0]!.id, { secondsToReview: 12 });
   */
  nextReview(options: LeaseOptions = {}): Promise<ReviewRow | null> {
    return reviewQueue.nextReview(this.#client, this.#base, options);
  }

  /**
   * Renews your lease on a row you are labeling or reviewing (30 minutes from now unless
   * `leaseSeconds`).
   * @throws LeaseLostError when the row is no longer yours (someone else holds it, or it moved on).
   * @example
   * const { leaseExpiresAt } = await project.renewLease(row.dataRowId);
   */
  renewLease(dataRowId: string, options: LeaseOptions = {}): Promise<Lease> {
    return reviewQueue.renewLease(this.#client, this.#base, dataRowId, options);
  }

  /**
   * Your labels of rows sent back to rework, oldest first, each with the row's latest rejection
   * and the row itself (`dataRow.rowData`, the conversation); resubmit one with `submitLabel` for
   * its data row.
   * @example
   * for await (const label of project.reworkLabels()) console.log(label.dataRowId, label.rejection?.reason);
   */
  reworkLabels(options: PageOptions = {}): AsyncGenerator<ReworkLabel> {
    return myWork.reworkLabels(this.#client, this.#base, options);
  }

  /**
   * Your figures in the project: labels, skips and reviews since `since` and in all, the rows in
   * the project, your median seconds per label.
   * @example
   * const midnight = new Date(); midnight.setHours(0, 0, 0, 0);
   * const { labelsSince, rowsTotal } = await project.myStats({ since: midnight });
   */
  myStats(options: MyStatsOptions = {}): Promise<MyStats> {
    return myWork.myStats(this.#client, this.#base, options);
  }

  // The manager's reads (console.ts).

  /**
   * The project's progress over the last days (managers): rows per status at the end of each
   * day, each labeler's labels per day, median active time, skip and review rejection rates.
   * @example
   * const o = await project.overview({ days: 7, timezone: 'Europe/Paris' });
   * console.log(o.counts.DONE, o.reviewRejectionRate);
   */
  overview(options: OverviewOptions = {}): Promise<ProjectOverview> {
    return consoleReads.overview(this.#client, this.#base, options);
  }

  /**
   * The project's data rows with batch, status and labelers (managers), narrowed by filters.
   * @example
   * for await (const row of project.dataRows({ status: 'IN_REVIEW', labeler: 'rater@example.com' }))
   *   console.log(row.globalKey, row.labelers);
   */
  dataRows(filters: ProjectRowFilters = {}): AsyncGenerator<ProjectRow> {
    return consoleReads.projectRows(this.#client, this.#base, filters);
  }

  /**
   * Gives a user of the organization a role in this project (admins and the project's managers).
   * @example
   * await project.addMember({ email: 'rater@example.com', role: 'labeler' });
   */
  addMember(input: AddMemberInput): Promise<ProjectMember> {
    return members.addMember(this.#client, this.id, input);
  }

  /** @example await project.updateMember(userId, 'reviewer'); */
  updateMember(userId: string, role: ProjectRole): Promise<ProjectMember> {
    return members.updateMember(this.#client, this.id, userId, role);
  }

  /** @example await project.removeMember(userId); */
  removeMember(userId: string): Promise<void> {
    return members.removeMember(this.#client, this.id, userId);
  }

  /** @example for await (const m of project.getMembers()) console.log(m.email, m.role); */
  getMembers(options?: PageOptions): AsyncGenerator<ProjectMember> {
    return members.getMembers(this.#client, this.id, options);
  }
}
