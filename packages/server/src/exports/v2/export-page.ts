/**
 * Everything a page of rows needs, fetched in bulk with `in (page ids)`: one query per kind
 * and page (no N+1), each only when its param asks for it. Results are grouped by data row.
 * Data row columns, attachments, metadata, labels, reviews and history are read only for the
 * rows whose ready text (`x_head`/`x_media`, `x_attachments`, `x_metadata`, `x_labels`,
 * `x_history`, see fragments.ts) the export cannot splice: usually none.
 */

import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type {
  AttachmentTable,
  EmbeddingVectorTable,
  LabelTable,
  MetadataValueTable,
  ReviewTable,
  WorkflowHistoryTable,
} from '../../store/schema.ts';
import type { PageRow } from './export.query.ts';
import type { ExportContext } from './export-context.ts';
import { warmCaches } from './export-context.ts';
import { type RowSource, usesLabelFragments } from './export-plan.base.ts';

// Records are the stored rows themselves, narrowed to the columns a page reads.
/** A label as exported: its displayed_order is kept for audits and never exported. */
export type LabelRec = Omit<
  LabelTable,
  'org_id' | 'project_id' | 'displayed_order' | 'external_id' | 'content_hash'
>;
export type ReviewRec = Pick<ReviewTable, 'id' | 'label_id' | 'score' | 'created_at' | 'created_by'>;
export type HistoryRec = Omit<WorkflowHistoryTable, 'project_id'>;
export type AttachmentRec = AttachmentTable;
export type MetadataRec = MetadataValueTable;
export type VectorRec = EmbeddingVectorTable;

export interface PageData {
  /** What `x_head` and `x_media` hold, for the rows without them (usually none). */
  sources: Map<string, RowSource>;
  labels: Map<string, LabelRec[]>;
  reviews: Map<string, ReviewRec[]>;
  history: Map<string, HistoryRec[]>;
  attachments: Map<string, AttachmentRec[]>;
  metadata: Map<string, MetadataRec[]>;
  vectors: Map<string, VectorRec[]>;
}

/**
 * Where the columns `x_head` and `x_media` are rendered from (`RowSource`) for a row whose stored
 * fragment is NULL: `'read'` from data_rows here (an export), `'given'` by the caller, which holds
 * them already and renders them itself (the fragment writer, fragments.ts).
 */
export type RowSources = 'read' | 'given';

/**
 * `dense`: the page holds every project row between its first and last id, so tables keyed by
 * (project_id, data_row_id) are read as one index range instead of one seek per id. Orders
 * within a row are settled here, not in SQL: the indexes do not hold them, and sorting the few
 * items of a row is cheaper than a temporary B-tree over the page.
 */
export async function loadPage(
  ctx: ExportContext,
  rows: readonly PageRow[],
  dense = false,
  sources: RowSources = 'read',
): Promise<PageData> {
  const { params } = ctx;
  const among = rowRange(rows, dense);
  const ofLabels = among(usesLabelFragments(params) ? rows.filter((r) => r.x_labels == null) : rows);
  const ofHistory = among(params.project_details ? rows.filter((r) => r.x_history == null) : []);

  const rowSources = sources === 'read' ? await readRowSources(ctx, rows) : [];
  const labels = await readLabels(ctx, ofLabels);
  const reviews = params.label_details && labels.length > 0 ? await readReviews(ctx, ofLabels) : [];
  const history = await readHistory(ctx, ofHistory);
  const attachments = params.attachments
    ? await readAttachments(ctx, unlessRendered(rows, 'x_attachments'))
    : [];
  const metadata = params.metadata_fields ? await readMetadata(ctx, unlessRendered(rows, 'x_metadata')) : [];
  // Vectors belong to the organization's embeddings: without any, there is nothing to read.
  const vectors = params.embeddings && ctx.embeddings.size > 0 ? await readVectors(ctx, rows) : [];

  return groupPage(ctx, rows, {
    sources: rowSources,
    labels,
    reviews,
    history,
    attachments,
    metadata,
    vectors,
  });
}

/** A page's records as read (or, for a bulk writer rendering what it inserts, as held in memory). */
export interface PageRecords {
  sources: readonly RowSource[];
  labels: readonly LabelRec[];
  reviews: readonly ReviewRec[];
  history: readonly HistoryRec[];
  attachments: readonly AttachmentRec[];
  metadata: readonly MetadataRec[];
  vectors: readonly VectorRec[];
}

/** Warms the context's caches for the page and groups its records by row, in export order. */
export async function groupPage(
  ctx: ExportContext,
  rows: readonly PageRow[],
  { sources, labels, reviews, history, attachments, metadata, vectors }: PageRecords,
): Promise<PageData> {
  const { params } = ctx;
  await warmCaches(ctx, {
    users: usersNamed(ctx, rows, labels, reviews, history),
    datasets: params.data_row_details ? rows.map((r) => r.dataset_id) : [],
    batches: params.project_details || params.performance_details ? rows.map((r) => r.batch_id) : [],
  });

  return {
    sources: new Map(sources.map((r) => [r.data_row_id, r])),
    labels: groupBy(labels, (l) => l.data_row_id, byTimeThenId),
    reviews: groupBy(reviews, (r) => r.label_id, byTimeThenId),
    // Newest first; ids are time-ordered, so the id settles equal times.
    history: groupBy(
      history,
      (h) => h.data_row_id,
      (a, b) => byTimeThenId(b, a),
    ),
    attachments: groupBy(attachments, (a) => a.data_row_id, byPosition),
    metadata: groupBy(metadata, (m) => m.data_row_id, byPosition),
    vectors: groupBy(
      vectors,
      (v) => v.data_row_id,
      (a, b) => compare(a.embedding_id, b.embedding_id),
    ),
  };
}

/** The rows of a page that need a table, as a `data_row_id` predicate. */
interface RowRange {
  none: boolean;
  within: RawBuilder<SqlBool>;
}

/**
 * `data_row_id` among the rows that need the table: one index range over the whole page when it
 * is dense and every row does, else the ids of those that do.
 */
function rowRange(rows: readonly PageRow[], dense: boolean) {
  const first = rows[0]?.data_row_id ?? '';
  const last = rows[rows.length - 1]?.data_row_id ?? '';
  return (need: readonly PageRow[]): RowRange => ({
    none: need.length === 0,
    within:
      dense && need.length === rows.length
        ? sql<SqlBool>`data_row_id between ${first} and ${last}`
        : sql<SqlBool>`data_row_id in (${sql.join(need.map((r) => r.data_row_id))})`,
  });
}

/** Only the users whose emails the lines will carry: row creators with data_row_details, label and review authors with label_details, history authors with project_details. */
function usersNamed(
  { params }: ExportContext,
  rows: readonly PageRow[],
  labels: readonly LabelRec[],
  reviews: readonly ReviewRec[],
  history: readonly HistoryRec[],
): Set<string> {
  const users = new Set<string>();
  if (params.data_row_details) for (const r of rows) users.add(r.created_by);
  if (params.label_details) for (const l of labels) users.add(l.created_by);
  for (const r of reviews) users.add(r.created_by);
  for (const h of history) users.add(h.created_by);
  return users;
}

/** What `x_head` and `x_media` are rendered from, for the rows whose stored ones are NULL. */
async function readRowSources({ db, scope }: ExportContext, rows: readonly PageRow[]): Promise<RowSource[]> {
  const unrendered = rows.filter((r) => r.x_head === null || r.x_media === null).map((r) => r.data_row_id);
  if (unrendered.length === 0) return [];
  return db
    .selectFrom('data_rows')
    .where('org_id', '=', scope.orgId)
    .where('id', 'in', unrendered)
    .select([
      'id as data_row_id',
      'global_key',
      'external_id',
      'row_data',
      'mime_type',
      'labelable_ids',
      'message_count',
    ])
    .execute();
}

async function readLabels({ db, scope }: ExportContext, of: RowRange): Promise<LabelRec[]> {
  if (of.none) return [];
  return db
    .selectFrom('labels')
    .where('project_id', '=', scope.projectId)
    .where('org_id', '=', scope.orgId)
    .where(of.within)
    .select([
      'id',
      'data_row_id',
      'created_by',
      'created_at',
      'updated_at',
      'content_last_updated_at',
      'label_kind',
      'version',
      'annotations',
      'seconds_to_create',
      'seconds_to_review',
      'skipped',
      'consensus_score',
    ])
    .execute();
}

/** The reviews of the same rows' labels. */
async function readReviews({ db, scope }: ExportContext, of: RowRange): Promise<ReviewRec[]> {
  return db
    .selectFrom('reviews')
    .where('project_id', '=', scope.projectId)
    .where('org_id', '=', scope.orgId)
    .where(of.within)
    .select(['id', 'label_id', 'score', 'created_at', 'created_by'])
    .execute();
}

async function readHistory({ db, scope }: ExportContext, of: RowRange): Promise<HistoryRec[]> {
  if (of.none) return [];
  return db
    .selectFrom('workflow_history')
    .where('project_id', '=', scope.projectId)
    .where(of.within)
    .select([
      'id',
      'data_row_id',
      'action',
      'created_at',
      'created_by',
      'previous_task_id',
      'previous_task_name',
      'next_task_id',
      'next_task_name',
    ])
    .execute();
}

async function readAttachments({ db }: ExportContext, ids: readonly string[]): Promise<AttachmentRec[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('attachments')
    .where('data_row_id', 'in', ids)
    .select(['id', 'data_row_id', 'type', 'value', 'name', 'position'])
    .execute();
}

async function readMetadata({ db }: ExportContext, ids: readonly string[]): Promise<MetadataRec[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('metadata_values')
    .where('data_row_id', 'in', ids)
    .select(['data_row_id', 'schema_id', 'value', 'position'])
    .execute();
}

async function readVectors({ db }: ExportContext, rows: readonly PageRow[]): Promise<VectorRec[]> {
  return db
    .selectFrom('embedding_vectors')
    .where(
      'data_row_id',
      'in',
      rows.map((r) => r.data_row_id),
    )
    .select(['data_row_id', 'embedding_id', 'vector'])
    .execute();
}

/** Ids of the rows without the fragment. */
const unlessRendered = (rows: readonly PageRow[], fragment: 'x_attachments' | 'x_metadata') =>
  rows.filter((r) => r[fragment] == null).map((r) => r.data_row_id);

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byTimeThenId = (a: { created_at: number; id: string }, b: { created_at: number; id: string }) =>
  a.created_at - b.created_at || compare(a.id, b.id);
const byPosition = (a: { position: number }, b: { position: number }) => a.position - b.position;

/** Groups by key, each group sorted when it has more than one item. */
function groupBy<T>(
  items: readonly T[],
  key: (t: T) => string,
  order: (a: T, b: T) => number,
): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  for (const list of out.values()) if (list.length > 1) list.sort(order);
  return out;
}
