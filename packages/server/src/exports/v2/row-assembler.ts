/**
 * One export v2 line per data row, built by splicing text: stored JSON (`annotations`,
 * `labelable_ids`, embedding vectors) goes in raw, and JSON.stringify only ever sees scalars.
 * A row's `labels` and `workflow_history` entries come ready from `project_data_rows` when
 * rendered (`x_labels`, `x_history`, see fragments.ts); a row without them is rendered here
 * from the page's tables by the same functions that render the fragments.
 * Key order is that of docs/labelbox-compat.md §2 and the seed sample's; a missing optional key is omitted.
 */
import { AppError } from '../../shared/errors.ts';
import { fastV2 } from '../request/time-format.ts';
import type { PageRow } from './export.query.ts';
import { type BatchInfo, type ExportContext, metadataValue } from './export-context.ts';
import type { HistoryRec, LabelRec, PageData, ReviewRec } from './export-page.ts';
import { type RowSource, usesLabelFragments } from './export-plan.base.ts';
import type { LineBuffer } from './line-buffer.ts';

const q = JSON.stringify;
const t = (ms: number) => `"${fastV2(ms)}"`;

/** Emails of `created_by` ids (cached as JSON text); an id without a user is a fault of this row only. */
function email(ctx: ExportContext, userId: string): string {
  const found = ctx.users.get(userId);
  if (found === undefined) throw new AppError('INTERNAL', `user ${userId} named by created_by was not found`);
  return found;
}

/** What is the same on every row of an export, serialized once. */
interface Fixed {
  projectOpen: string;
  ontology: string;
  /** Whether a row's stored `x_labels` serve this export (`usesLabelFragments`). */
  labelFragments: boolean;
}

/** The row assembler of one export: puts the line of `row` into `out` (without ending it). */
export function rowAssembler(ctx: ExportContext): (row: PageRow, page: PageData, out: LineBuffer) => void {
  const fixed: Fixed = {
    projectOpen: `,"projects":{${q(ctx.project.id)}:{"name":${q(ctx.project.name)},"labels":[`,
    ontology: `{"ontology_id":${q(ctx.project.ontologyId)}`,
    labelFragments: usesLabelFragments(ctx.params),
  };
  return (row, page, out) => assembleRow(ctx, fixed, row, page, out);
}

/** The big pieces (stored fragments) go in as they are; small ones are joined first. */
function assembleRow(ctx: ExportContext, fixed: Fixed, row: PageRow, page: PageData, out: LineBuffer): void {
  const { params } = ctx;
  const id = row.data_row_id;
  out.put(row.x_head ?? dataRowHead(source(page, id)));
  let s = '';
  if (params.data_row_details) {
    const dataset = ctx.datasets.get(row.dataset_id);
    if (dataset === undefined) throw new AppError('INTERNAL', `dataset ${row.dataset_id} was not found`);
    s =
      `,"details":{"dataset_id":${q(row.dataset_id)},"dataset_name":${dataset}` +
      `,"created_at":${t(row.created_at)},"updated_at":${t(row.updated_at)}` +
      `,"last_activity_at":${t(row.last_activity_at)},"created_by":${email(ctx, row.created_by)}}`;
  }
  out.put(`${s}},`);
  out.put(row.x_media ?? mediaAttributes(source(page, id)));
  if (params.attachments) {
    out.put(',"attachments":[');
    out.put(row.x_attachments ?? attachmentEntries(page, id));
    out.put(']');
  }
  if (params.metadata_fields) {
    out.put(',"metadata_fields":[');
    out.put(row.x_metadata ?? metadataEntries(ctx, page, id));
    out.put(']');
  }
  if (params.embeddings) out.put(`,"embeddings":[${embeddings(ctx, page, id)}]`);

  const batch = ctx.batches.get(row.batch_id);
  const consensus = consensusCount(ctx, batch);
  out.put(fixed.projectOpen);
  out.put(
    fixed.labelFragments && row.x_labels != null ? row.x_labels : labelEntries(ctx, page, id, consensus),
  );
  if (params.project_details) {
    out.put(`],"project_details":${projectDetailsOpen(ctx, fixed, row, batch, consensus)}`);
    out.put(row.x_history ?? historyEntries(ctx, page.history.get(row.data_row_id)));
    out.put(']}}}}');
  } else out.put(']}}}');
}

/** Labels a row of `batch` expects: the batch's own count, else the project's. */
export function consensusCount(ctx: ExportContext, batch: BatchInfo | undefined): number {
  return batch?.consensusCount ?? ctx.project.consensusCount;
}

/** The `labels` entries of a row (without the brackets), oldest first. */
export function labelEntries(
  ctx: ExportContext,
  page: PageData,
  dataRowId: string,
  consensus: number,
): string {
  const labels = page.labels.get(dataRowId);
  if (!labels) return '';
  let s = '';
  for (let i = 0; i < labels.length; i++) {
    if (i > 0) s += ',';
    s += label(ctx, labels[i]!, page, consensus);
  }
  return s;
}

function source(page: PageData, dataRowId: string): RowSource {
  const found = page.sources.get(dataRowId);
  if (!found) throw new AppError('INTERNAL', `data row ${dataRowId} was read without its row data`);
  return found;
}

/** The line up to its `row_data`, escaped (the costliest part of a line: kept as `x_head`). */
export function dataRowHead(
  row: Pick<RowSource, 'data_row_id' | 'global_key' | 'external_id' | 'row_data'>,
): string {
  let s = `{"data_row":{"id":${q(row.data_row_id)}`;
  if (row.global_key !== null) s += `,"global_key":${q(row.global_key)}`;
  if (row.external_id !== null) s += `,"external_id":${q(row.external_id)}`;
  if (row.row_data === null)
    throw new AppError('INTERNAL', `data row ${row.data_row_id} was read without its row_data`);
  return `${s},"row_data":${q(row.row_data)}`;
}

/** The `media_attributes` member (kept as `x_media`). */
export function mediaAttributes(
  row: Pick<RowSource, 'mime_type' | 'labelable_ids' | 'message_count'>,
): string {
  return (
    `"media_attributes":{"mime_type":${q(row.mime_type)},"labelable_ids":${row.labelable_ids}` +
    `,"message_count":${row.message_count}}`
  );
}

function label(ctx: ExportContext, l: LabelRec, page: PageData, consensus: number): string {
  let s = `{"label_kind":${q(l.label_kind)},"version":${q(l.version)},"id":${q(l.id)}`;
  if (ctx.params.label_details) {
    s +=
      `,"label_details":{"created_at":${t(l.created_at)},"updated_at":${t(l.updated_at)}` +
      `,"created_by":${email(ctx, l.created_by)},"content_last_updated_at":${t(l.content_last_updated_at)}` +
      `,"reviews":[${reviews(ctx, page.reviews.get(l.id))}]}`;
  }
  // Only labels with timing data carry it: an imported Labelbox label without it stays without.
  if (ctx.params.performance_details && l.seconds_to_create !== null) {
    s +=
      `,"performance_details":{"seconds_to_create":${q(l.seconds_to_create)}` +
      `,"seconds_to_review":${q(l.seconds_to_review ?? 0)},"skipped":${l.skipped === 1}`;
    if (consensus > 1) s += `,"consensus_score":${q(l.consensus_score)}`;
    s += '}';
  }
  return `${s},"annotations":${l.annotations}}`;
}

function reviews(ctx: ExportContext, list: ReviewRec[] | undefined): string {
  if (!list) return '';
  let s = '';
  for (const r of list) {
    if (s) s += ',';
    s += `{"id":${q(r.id)},"score":${r.score},"created_at":${t(r.created_at)},"created_by":${email(ctx, r.created_by)}}`;
  }
  return s;
}

/** `project_details` up to its `workflow_history` entries (the caller puts them and closes). */
function projectDetailsOpen(
  ctx: ExportContext,
  fixed: Fixed,
  row: PageRow,
  batch: BatchInfo | undefined,
  consensus: number,
): string {
  if (!batch) throw new AppError('INTERNAL', `batch ${row.batch_id} was not found`);
  const taskName = ctx.tasks.get(row.task_id);
  if (taskName === undefined) throw new AppError('INTERNAL', `workflow task ${row.task_id} was not found`);
  return (
    `${fixed.ontology},"task_id":${q(row.task_id)},"task_name":${q(taskName)}` +
    `,"batch_id":${q(row.batch_id)},"batch_name":${q(batch.name)},"workflow_status":${q(row.workflow_status)}` +
    `,"priority":${row.priority},"consensus_expected_label_count":${consensus},"workflow_history":[`
  );
}

/** The `workflow_history` entries of a row (without the brackets), newest first. */
export function historyEntries(ctx: ExportContext, list: HistoryRec[] | undefined): string {
  if (!list) return '';
  let s = '';
  for (const h of list) {
    if (s) s += ',';
    s += `{"action":${q(h.action)},"created_at":${t(h.created_at)},"created_by":${email(ctx, h.created_by)}`;
    // The entry that first put the row into a task has no previous_* keys.
    if (h.previous_task_name !== null) s += `,"previous_task_name":${q(h.previous_task_name)}`;
    if (h.previous_task_id !== null) s += `,"previous_task_id":${q(h.previous_task_id)}`;
    s += `,"next_task_name":${q(h.next_task_name)},"next_task_id":${q(h.next_task_id)}}`;
  }
  return s;
}

/** The `attachments` entries of a row (without the brackets), in their order (kept as `x_attachments`). */
export function attachmentEntries(page: PageData, id: string): string {
  const list = page.attachments.get(id);
  if (!list) return '';
  return list
    .map((a) => `{"id":${q(a.id)},"type":${q(a.type)},"value":${q(a.value)},"name":${q(a.name)}}`)
    .join(',');
}

/**
 * Values as JSON of their kind (`metadataValue`); an enum as its option's name (the id is the
 * stored form; the name is what people read and what a data row import takes back). Kept as
 * `x_metadata`.
 */
export function metadataEntries(ctx: ExportContext, page: PageData, id: string): string {
  const list = page.metadata.get(id);
  if (!list) return '';
  return list
    .map((m) => {
      const schema = ctx.metadataSchemas.get(m.schema_id);
      if (!schema) throw new AppError('INTERNAL', `metadata schema ${m.schema_id} was not found`);
      const value = q(metadataValue(schema, m.value));
      return `{"schema_id":${q(m.schema_id)},"schema_name":${q(schema.name)},"value":${value}}`;
    })
    .join(',');
}

function embeddings(ctx: ExportContext, page: PageData, id: string): string {
  const list = page.vectors.get(id);
  if (!list) return '';
  return list
    .map((v) => {
      const e = ctx.embeddings.get(v.embedding_id);
      if (!e) throw new AppError('INTERNAL', `embedding ${v.embedding_id} was not found`);
      return (
        `{"id":${q(v.embedding_id)},"name":${q(e.name)},"dimensions":${e.dimensions}` +
        `,"is_custom":${e.isCustom},"values":[{"value":${v.vector}}]}`
      );
    })
    .join(',');
}
