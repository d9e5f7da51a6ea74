/**
 * The labeling workflow calls of a project (the queue, labels, reviews, moves, comments). `Project`
 * exposes them as methods; they live here so project.ts stays about the project itself.
 */
import {
  type CommentWire,
  commentSchema,
  type LabelWire,
  type LeasedRowWire,
  labelSchema,
  type MessageTaskAnswer,
  moveResultSchema,
  nextRowSchema,
  queueStatsSchema,
  reviewResultSchema,
  type SubmitResultWire,
  submitResultSchema,
} from '@prefer/schemas';
import type { z } from 'zod';
import type { Client } from './client.ts';
import { NetworkError, PreferError, TimeoutError, withLeaseLost } from './errors.ts';
import { paginate } from './paging.ts';

export type WorkflowStatus = 'TO_LABEL' | 'IN_REVIEW' | 'IN_REWORK' | 'DONE';

/** A row leased to the caller: label it (or skip it) before `leaseExpiresAt`. */
export interface LeasedRow {
  dataRowId: string;
  globalKey: string | null;
  /** The conversation serialized as JSON (or an https URL), as in exports' `row_data`. */
  rowData: string;
  leaseExpiresAt: Date;
  /**
   * The row's newest model-assisted pre-label (`queue/next` only): a starting point for the
   * labeler's answers, never a label. Null when the row has none.
   */
  preLabel?: PreLabel | null;
}

export interface PreLabel {
  id: string;
  createdAt: Date;
  annotations: { classifications: unknown[] } & Record<string, unknown>;
}

export interface SubmitResult {
  labelId: string;
  dataRowId: string;
  /** TO_LABEL while consensus wants more labels, else IN_REVIEW. */
  workflowStatus: WorkflowStatus;
}

export interface ReviewResult extends SubmitResult {
  reviewId: string;
}

export interface LabelReview {
  id: string;
  decision: 'approve' | 'reject';
  reason: string | null;
  createdAt: Date;
  /** The reviewer's email. */
  createdBy: string;
}

export interface Label {
  id: string;
  dataRowId: string;
  globalKey: string | null;
  /** The labeler's email. */
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  /**
   * `{ objects, classifications, relationships }` in the export v2 form; `objects` holds message
   * tool answers (`annotation_kind` MessageRanking, MessageSingleSelection, MessageMultiSelection).
   */
  annotations: { classifications: unknown[] } & Record<string, unknown>;
  skipped: boolean;
  secondsToCreate: number | null;
  secondsToReview: number | null;
  consensusScore: number | null;
  /** The model output titles in the order the labeler saw them, left to right; null when unknown. */
  displayedOrder: string[] | null;
  workflowStatus: WorkflowStatus | null;
  reviews: LabelReview[];
}

/** A comment on a row: `commentOf` of the shared `commentSchema`, in the SDK's names. */
export type Comment = ReturnType<typeof commentOf>;

export interface QueueStats {
  counts: Record<WorkflowStatus, number>;
  leased: number;
  held: { dataRowId: string; leaseExpiresAt: Date } | null;
}

export interface SubmitLabelInput {
  dataRowId: string;
  /** Answers as in label imports, without `dataRow`: `{ name | schemaId, answer | answers, messageId? }`. */
  classifications: unknown[];
  /** Active seconds spent labeling, as the client measured them. */
  secondsToCreate: number;
  /**
   * The row's model output titles in the order they were shown, left to right (e.g.
   * `['Response B', 'Response A']`); must be a permutation of the row's `modelOutputs[].title`.
   */
  displayedOrder?: string[];
  /**
   * Message tool answers of a multimodal chat (conversation v2) row: single selection, multi
   * selection or ranking of a prompt's model replies (see docs/labelbox-compat.md, MMC).
   * @example
   * annotations: [{ name: 'Message ranking', messageEvaluationTask: { format: 'message-ranking',
   *   data: { parentMessageId: prompt, rankedMessages: [{ messageId, modelConfigName: 'Model C', order: 1 }] } } }]
   */
  annotations?: MessageTaskAnswer[];
}

export interface SubmitOptions {
  /** Sent as `Idempotency-Key`; a random one when omitted. Reuse it to retry a submit yourself. */
  idempotencyKey?: string;
  /** Retries after a lost answer (network fault, timeout, 502/503/504), same key each time (default 5). */
  maxRetries?: number;
}

export interface LabelFilters {
  dataRowId?: string;
  workflowStatus?: WorkflowStatus;
  /** A labeler's email. */
  createdBy?: string;
  skipped?: boolean;
  /** Labels per request (default 100, at most 500). */
  pageSize?: number;
}

export type MoveTarget = { toStatus: WorkflowStatus } | { toTask: string };

export interface NextRowOptions {
  /** How long the row stays yours (30 minutes when not given; at most 24 hours). */
  leaseSeconds?: number;
  /**
   * The row after the one you hold, leased besides it (at most one ahead): fetch it while
   * labeling the current row; it becomes your current row once you submit or skip that one.
   */
  ahead?: boolean;
}

/** The workflow calls of one project, used by `Project`'s methods. */
export class ProjectWorkflow {
  readonly #client: Client;
  readonly #base: string;

  constructor(client: Client, projectId: string) {
    this.#client = client;
    this.#base = `/projects/${encodeURIComponent(projectId)}`;
  }

  async nextRow(options: NextRowOptions = {}): Promise<LeasedRow | null> {
    const body = {
      ...(options.leaseSeconds === undefined ? {} : { lease_seconds: options.leaseSeconds }),
      ...(options.ahead === undefined ? {} : { ahead: options.ahead }),
    };
    const res = await this.#client.request('POST', `${this.#base}/queue/next`, { body });
    if (res.status === 204) return null;
    const wire = parse(nextRowSchema, await res.json(), res.status);
    const pre = wire.pre_label;
    return {
      ...leasedRowOf(wire),
      preLabel: pre
        ? { id: pre.id, createdAt: new Date(pre.created_at), annotations: pre.annotations }
        : null,
    };
  }

  submitLabel(input: SubmitLabelInput, options: SubmitOptions = {}): Promise<SubmitResult> {
    const body = {
      data_row_id: input.dataRowId,
      classifications: input.classifications,
      seconds_to_create: input.secondsToCreate,
      ...(input.displayedOrder === undefined ? {} : { displayed_order: input.displayedOrder }),
      ...(input.annotations === undefined ? {} : { annotations: input.annotations }),
    };
    return this.#submit('labels', body, options);
  }

  skipRow(input: { dataRowId: string; secondsToCreate: number }, options: SubmitOptions = {}) {
    const body = { data_row_id: input.dataRowId, seconds_to_create: input.secondsToCreate };
    return this.#submit('skips', body, options);
  }

  async *labels(filters: LabelFilters = {}): AsyncGenerator<Label> {
    const query = new URLSearchParams();
    if (filters.dataRowId !== undefined) query.set('data_row_id', filters.dataRowId);
    if (filters.workflowStatus !== undefined) query.set('workflow_status', filters.workflowStatus);
    if (filters.createdBy !== undefined) query.set('created_by', filters.createdBy);
    if (filters.skipped !== undefined) query.set('skipped', String(filters.skipped));
    const path = query.size > 0 ? `${this.#base}/labels?${query}` : `${this.#base}/labels`;
    yield* paginate(this.#client, path, labelSchema, labelOf, filters);
  }

  async getLabel(labelId: string): Promise<Label> {
    const path = `${this.#base}/labels/${encodeURIComponent(labelId)}`;
    return labelOf(await this.#client.requestJson('GET', path, labelSchema));
  }

  async reviewLabel(
    labelId: string,
    review: { decision: 'approve' | 'reject'; reason?: string; secondsToReview: number },
  ): Promise<ReviewResult> {
    const body: Record<string, unknown> = {
      decision: review.decision,
      seconds_to_review: review.secondsToReview,
    };
    if (review.reason !== undefined) body.reason = review.reason;
    const path = `${this.#base}/labels/${encodeURIComponent(labelId)}/review`;
    const wire = await this.#client.requestJson('POST', path, reviewResultSchema, { body }).catch((err) => {
      throw withLeaseLost(err);
    });
    return { reviewId: wire.review_id, ...submitOf(wire) };
  }

  async moveRows(dataRowIds: string[], target: MoveTarget): Promise<{ moved: number; unchanged: number }> {
    const to = 'toStatus' in target ? { to_status: target.toStatus } : { to_task: target.toTask };
    return this.#client.requestJson('POST', `${this.#base}/moves`, moveResultSchema, {
      body: { data_row_ids: dataRowIds, ...to },
    });
  }

  async addComment(dataRowId: string, text: string): Promise<Comment> {
    const path = `${this.#base}/data-rows/${encodeURIComponent(dataRowId)}/comments`;
    return commentOf(await this.#client.requestJson('POST', path, commentSchema, { body: { text } }));
  }

  async *comments(dataRowId: string, options: { pageSize?: number } = {}): AsyncGenerator<Comment> {
    const path = `${this.#base}/data-rows/${encodeURIComponent(dataRowId)}/comments`;
    yield* paginate(this.#client, path, commentSchema, commentOf, options);
  }

  async queueStats(): Promise<QueueStats> {
    const wire = await this.#client.requestJson('GET', `${this.#base}/queue/stats`, queueStatsSchema);
    return {
      counts: wire.counts,
      leased: wire.leased,
      held: wire.held && {
        dataRowId: wire.held.data_row_id,
        leaseExpiresAt: new Date(wire.held.lease_expires_at),
      },
    };
  }

  /**
   * A submit whose answer may be lost is sent again under the same key: the server answers the
   * first result instead of making a second label.
   */
  async #submit(what: 'labels' | 'skips', body: unknown, options: SubmitOptions): Promise<SubmitResult> {
    const key = options.idempotencyKey ?? globalThis.crypto.randomUUID();
    const maxRetries = options.maxRetries ?? 5;
    for (let attempt = 0; ; attempt++) {
      try {
        const wire = await this.#client.requestJson('POST', `${this.#base}/${what}`, submitResultSchema, {
          body,
          headers: { 'Idempotency-Key': key },
        });
        return submitOf(wire);
      } catch (err) {
        if (attempt >= maxRetries || !answerLost(err)) throw withLeaseLost(err);
        await new Promise((r) => setTimeout(r, Math.min(250 * 2 ** attempt, 4000)));
      }
    }
  }
}

/** Errors after which the server may or may not have stored the submit. */
function answerLost(err: unknown): boolean {
  if (err instanceof NetworkError || err instanceof TimeoutError) return true;
  const s = err instanceof PreferError ? err.status : undefined;
  return s === 502 || s === 503 || s === 504;
}

export function parse<T>(schema: z.ZodType<T>, body: unknown, status: number): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new PreferError(`unexpected answer from the server: ${parsed.error.message}`, { status });
  }
  return parsed.data;
}

export const leasedRowOf = (w: LeasedRowWire): LeasedRow => ({
  dataRowId: w.data_row.id,
  globalKey: w.data_row.global_key,
  rowData: w.data_row.row_data,
  leaseExpiresAt: new Date(w.lease_expires_at),
});

const submitOf = (w: SubmitResultWire): SubmitResult => ({
  labelId: w.label_id,
  dataRowId: w.data_row_id,
  workflowStatus: w.workflow_status,
});

export const labelOf = (w: LabelWire): Label => ({
  id: w.id,
  dataRowId: w.data_row_id,
  globalKey: w.global_key,
  createdBy: w.created_by,
  createdAt: new Date(w.created_at),
  updatedAt: new Date(w.updated_at),
  annotations: w.annotations,
  skipped: w.skipped,
  secondsToCreate: w.seconds_to_create,
  secondsToReview: w.seconds_to_review,
  consensusScore: w.consensus_score,
  displayedOrder: w.displayed_order,
  workflowStatus: w.workflow_status,
  reviews: w.reviews.map((r) => ({
    id: r.id,
    decision: r.decision,
    reason: r.reason,
    createdAt: new Date(r.created_at),
    createdBy: r.created_by,
  })),
});

export const commentOf = (w: CommentWire) => ({
  id: w.id,
  dataRowId: w.data_row_id,
  authorId: w.author_id,
  authorEmail: w.author_email,
  text: w.text,
  createdAt: new Date(w.created_at),
});
