/**
 * Export fragments: the parts of a project row's export v2 line that change only when its data
 * row, labels, reviews or history do, rendered once when they are written instead of at every
 * export.
 * - `project_data_rows.x_head`: the line up to its `row_data`, the row data escaped (escaping
 *   the conversation is the costliest step of a line); `x_media`: its `media_attributes`;
 * - `x_attachments`, `x_metadata`: the `attachments` and `metadata_fields` entries (one query per
 *   page and kind saved, and the rendering);
 * - `x_labels`: the `labels` entries with label_details and performance_details (an export
 *   asking for both splices them; others render labels);
 * - `x_history`: the `workflow_history` entries, newest first.
 * The lists without their brackets; NULL when not rendered. Triggers set them back to NULL on
 * any insert, update or delete of a labels, reviews or workflow_history row (migration 0004), of
 * an attachment or metadata value (0008), and on an update of the data row columns x_head and
 * x_media hold (0005, 0006) or of a metadata schema's names (0008). So a writer calls
 * `renderFragments` for the rows it changed as the LAST step of its transaction; a write path
 * that does not leaves rows the exporter renders on the fly from the tables (slower, never
 * stale). The text comes from the exporter's own functions (row-assembler.ts) over the same page
 * reads, so the two ways cannot differ. What fragments hold besides the rows' own data is fixed
 * once written: users' emails, task names as of the move, the batch's consensus count.
 */
import type { ExportParams } from '@prefer/schemas';
import { PostgresAdapter, sql } from 'kysely';
import { AppError } from '../../shared/errors.ts';
import { chunks } from '../../shared/paging.ts';
import type { Tx } from '../../store/store.ts';
import type { PageRow } from './export.query.ts';
import { type ExportContext, loadExportContext } from './export-context.ts';
import { groupPage, type LabelRec, loadPage, type PageData, type PageRecords } from './export-page.ts';
import type { RowSource } from './export-plan.base.ts';
import {
  attachmentEntries,
  consensusCount,
  dataRowHead,
  historyEntries,
  labelEntries,
  mediaAttributes,
  metadataEntries,
} from './row-assembler.ts';

/** What the fragments render: attachments, metadata, both label sections and the project details (for history). */
export const FRAGMENT_PARAMS: ExportParams = {
  attachments: true,
  metadata_fields: true,
  data_row_details: false,
  project_details: true,
  label_details: true,
  performance_details: true,
  embeddings: false,
};

const PAGE = 250;

/**
 * For a bulk writer (an import), on PostgreSQL: the stale-fragment triggers skip their per-row
 * UPDATE for the rest of this transaction (migration 0011), which cost an UPDATE and a dead tuple
 * per inserted label, review, history entry, attachment and metadata value. The writer owes what
 * they would have done: before it commits it renders the project rows it wrote labels, reviews
 * or history for (`renderFragments` renders those anew), and it adds attachments and metadata only
 * to data rows that no project holds yet or whose project rows it created (whose stored data row
 * fragments are still NULL). SQLite runs its triggers inline at little cost: nothing changes there.
 */
export async function suspendStaleTriggers(tx: Tx): Promise<void> {
  if (!(tx.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`select set_config('prefer.bulk', 'on', true)`.execute(tx);
}

/**
 * Renders the fragments of the project's rows `dataRowIds` from the tables, inside the writer's
 * transaction. Ids not in the project are skipped. A fragment that cannot be rendered (a dangling
 * user id) is left NULL: the export then renders the row itself and reports the fault on its
 * errors stream, while the user's write goes on.
 */
export async function renderFragments(
  tx: Tx,
  projectId: string,
  dataRowIds: readonly string[],
  options: RenderOptions = {},
): Promise<void> {
  if (dataRowIds.length === 0) return;
  const project = await tx
    .selectFrom('projects')
    .where('id', '=', projectId)
    .select('org_id')
    .executeTakeFirst();
  if (!project) return;
  const postgres = tx.getExecutor().adapter instanceof PostgresAdapter;
  const optimistic = postgres && options.lock === false;
  for (const ids of chunks([...new Set(dataRowIds)].sort(), PAGE)) {
    // Lock order (PostgreSQL, READ COMMITTED): the project rows are locked here, in data_row_id
    // order, BEFORE their sources (labels, reviews, history, attachments, metadata) are read.
    // Every other write to a source clears the row's fragment through a trigger that UPDATEs this
    // same row, so it waits for this transaction: no source can commit between the reads below
    // and the UPDATE at the end, which would then store text without it. (A bulk writer, whose
    // triggers step aside, renders its rows itself and so takes the same locks.) Every fragment
    // writer goes through here; SQLite write transactions are exclusive already. (`lock: false`
    // checks the row versions at the UPDATE instead, see RenderOptions.)
    const rows = await tx
      .selectFrom('project_data_rows as pdr')
      .innerJoin('data_rows as dr', 'dr.id', 'pdr.data_row_id')
      .where('pdr.project_id', '=', projectId)
      .where('pdr.data_row_id', 'in', ids)
      .select([
        'pdr.data_row_id',
        'pdr.batch_id',
        'dr.global_key',
        'dr.external_id',
        // A row's head changes only with its data row (whose update clears it): kept as is.
        'pdr.x_head',
        sql<string | null>`case when ${sql.ref('pdr.x_head')} is null then ${sql.ref('dr.row_data')} end`.as(
          'row_data',
        ),
        'dr.mime_type',
        'dr.labelable_ids',
        'dr.message_count',
        'pdr.x_media',
        'pdr.x_attachments',
        'pdr.x_metadata',
      ])
      .$if(optimistic, (q) => q.select(sql<string>`pdr.xmin::text`.as('xmin')))
      .orderBy('pdr.data_row_id')
      .$if(postgres && !optimistic, (q) => q.forUpdate('pdr'))
      .execute();
    if (rows.length === 0) continue;
    // Attachments and metadata are read (and the schemas loaded) only for rows without their text.
    const ctx = await loadExportContext(tx, { orgId: project.org_id }, projectId, {
      ...FRAGMENT_PARAMS,
      attachments: rows.some((r) => r.x_attachments === null),
      metadata_fields: rows.some((r) => r.x_metadata === null),
    });
    const stored = new Map(rows.map((r) => [r.data_row_id, r]));
    // One UPDATE for the page, not one per row (a round trip each on PostgreSQL). A stored data
    // row fragment came back as it was: it is sent as NULL and kept (`coalesce`), so its text is
    // neither shipped back nor stored again. The project's (labels, history) are rendered anew.
    const values = (await renderRows(ctx, rows)).map(([dataRowId, fragments]) => {
      const row = stored.get(dataRowId)!;
      const fresh = DATA_ROW_FRAGMENTS.map((key) => (row[key] == null ? fragments[key] : null));
      const version = (row as { xmin?: string }).xmin ?? null;
      return sql`(${sql.join([dataRowId, ...fresh, fragments.x_labels, fragments.x_history, version])})`;
    });
    await sql`
      with v (data_row_id, x_head, x_media, x_attachments, x_metadata, x_labels, x_history, xmin) as (
        values ${sql.join(values)}
      )
      update project_data_rows as p
         set x_head = coalesce(p.x_head, v.x_head),
             x_media = coalesce(p.x_media, v.x_media),
             x_attachments = coalesce(p.x_attachments, v.x_attachments),
             x_metadata = coalesce(p.x_metadata, v.x_metadata),
             x_labels = v.x_labels,
             x_history = v.x_history
        from v
       where p.project_id = ${projectId} and p.data_row_id = v.data_row_id
       ${optimistic ? sql`and p.xmin::text = v.xmin` : sql``}`.execute(tx);
  }
}

/**
 * For a writer that only adds labels, each new and without reviews (the label import): appends
 * each new label's entry to its row's stored `x_labels` instead of rendering the row anew. A
 * stored fragment is current (any other write to its sources clears it), and `labelEntries`
 * lists a row's labels by (created_at, id): when every label the row held before sorts before
 * the new one, the new text is the old one, a comma and the new entry, the very text
 * `renderRows` would give. So neither the row's other labels and their reviews nor its history
 * are read back and rendered again, and only the entry is sent. A row that holds a NULL fragment
 * (a render owed by another writer) or a label sorting after the new one is rendered whole by
 * `renderFragments`, as before. Same lock order as `renderFragments`: the rows are locked in
 * data_row_id order before anything is read (the caller has inserted the labels already).
 */
export class LabelFragmentAppender {
  #ctx: ExportContext | undefined;

  constructor(
    private readonly tx: Tx,
    private readonly scope: { orgId: string; projectId: string },
  ) {}

  /** `labels`: the labels just inserted (triggers suspended), at most a few per row. */
  async append(labels: readonly LabelRec[]): Promise<void> {
    if (!(this.tx.getExecutor().adapter instanceof PostgresAdapter)) {
      // SQLite's triggers ran inline (suspendStaleTriggers) and cleared the rows' x_labels:
      // there is no text to append to, every row is rendered whole.
      await renderFragments(this.tx, this.scope.projectId, [...new Set(labels.map((l) => l.data_row_id))]);
      return;
    }
    const byRow = new Map<string, LabelRec[]>();
    for (const l of labels) {
      const of = byRow.get(l.data_row_id);
      if (of) of.push(l);
      else byRow.set(l.data_row_id, [l]);
    }
    for (const ids of chunks([...byRow.keys()].sort(), APPEND_PAGE)) await this.#page(ids, byRow);
  }

  async #page(ids: string[], byRow: Map<string, LabelRec[]>): Promise<void> {
    const { tx } = this;
    const { projectId } = this.scope;
    const rows = await tx
      .selectFrom('project_data_rows')
      .where('project_id', '=', projectId)
      .where('data_row_id', 'in', ids)
      .select([
        'data_row_id',
        'batch_id',
        sql<number>`case when x_labels is null or x_history is null or x_head is null or x_media is null
          or x_attachments is null or x_metadata is null then 1 else 0 end`.as('owed'),
      ])
      .orderBy('data_row_id')
      .forUpdate()
      .execute();
    if (rows.length === 0) return;
    // Every label of the rows, new ones included: which rows hold one sorting after a new one.
    // (No `created_at` bound in SQL: PostgreSQL would walk the import's own new labels by time.)
    const held = await tx
      .selectFrom('labels')
      .where('project_id', '=', projectId)
      .where('data_row_id', 'in', ids)
      .select(['data_row_id', 'id', 'created_at'])
      .execute();
    const whole = new Set(rows.filter((r) => Number(r.owed) === 1).map((r) => r.data_row_id));
    for (const h of held) {
      if (whole.has(h.data_row_id)) continue;
      const fresh = byRow.get(h.data_row_id)!;
      if (fresh.some((l) => l.id === h.id)) continue;
      if (fresh.some((l) => h.created_at > l.created_at || (h.created_at === l.created_at && h.id > l.id))) {
        whole.add(h.data_row_id);
      }
    }
    const appended = rows.filter((r) => !whole.has(r.data_row_id));
    if (appended.length > 0) {
      this.#ctx ??= await loadExportContext(tx, { orgId: this.scope.orgId }, projectId, {
        ...FRAGMENT_PARAMS,
        attachments: false,
        metadata_fields: false,
      });
      const ctx = this.#ctx;
      const page = await groupPage(ctx, asPageRows(appended), {
        sources: [],
        labels: appended.flatMap((r) => byRow.get(r.data_row_id)!),
        reviews: [],
        history: [],
        attachments: [],
        metadata: [],
        vectors: [],
      });
      const values = appended.map((r) => {
        const entries = attemptRender(
          () => labelEntries(ctx, page, r.data_row_id, consensusCount(ctx, ctx.batches.get(r.batch_id))),
          (error) => logFragmentError({ dataRowId: r.data_row_id, fragment: 'x_labels', error }),
        );
        return sql`(${sql.join([r.data_row_id, entries])})`;
      });
      // An entry that cannot be rendered leaves the fragment NULL, as a whole render would.
      await sql`
        with v (data_row_id, entries) as (values ${sql.join(values)})
        update project_data_rows as p
           set x_labels = case when v.entries is null then null
                               when p.x_labels = '' then v.entries
                               else p.x_labels || ',' || v.entries end
          from v
         where p.project_id = ${projectId} and p.data_row_id = v.data_row_id`.execute(tx);
    }
    if (whole.size > 0) await renderFragments(tx, projectId, [...whole]);
  }
}

/** Rows per page of `LabelFragmentAppender`: one lock, label and update statement each. */
const APPEND_PAGE = 500;

export interface RenderOptions {
  /**
   * PostgreSQL: `false` reads the rows without locking them (the background renderer,
   * fragment-refresh.ts, whose locks would hide rows from the queue's SKIP LOCKED) and stores
   * only the rows no one wrote since they were read (`xmin` unchanged; a write's trigger makes a
   * new row version, and the UPDATE waits for an uncommitted one). A row skipped so stays NULL.
   */
  lock?: boolean;
}

/**
 * What a project row's fragments are rendered from, besides its labels, reviews and history. A
 * data row fragment given here (stored) is kept, not rendered (nor its table read).
 */
export type FragmentSource = RowSource &
  Pick<PageRow, 'batch_id'> &
  Partial<Pick<Fragments, DataRowFragment>>;

export interface Fragments {
  x_head: string | null;
  x_media: string | null;
  x_attachments: string | null;
  x_metadata: string | null;
  x_labels: string | null;
  x_history: string | null;
}

/** The fragments that change only with the data row itself (its update clears them). */
const DATA_ROW_FRAGMENTS = ['x_head', 'x_media', 'x_attachments', 'x_metadata'] as const;
type DataRowFragment = (typeof DATA_ROW_FRAGMENTS)[number];

/** The fragments of a page of rows as `[data_row_id, fragments]` (tests compare them with the stored). */
export async function renderRows(
  ctx: ExportContext,
  rows: readonly FragmentSource[],
  log: FragmentErrorLog = logFragmentError,
): Promise<[string, Fragments][]> {
  // From the tables, whatever text the rows hold now. x_head and x_media are rendered from the
  // rows themselves ('given').
  const page = await loadPage(ctx, asPageRows(rows), false, 'given');
  return renderPage(ctx, rows, page, log);
}

/**
 * The fragments of project rows a bulk writer is about to insert, from the records it inserted
 * for them in this transaction and holds (labels, reviews, history, attachments, metadata of
 * those rows, all of them): nothing is read back, and the rows go in once, with their text,
 * instead of being inserted and then updated. Same functions, same text as `renderRows`.
 */
export async function renderNewRows(
  tx: Tx,
  scope: { orgId: string; projectId: string },
  rows: readonly FragmentSource[],
  records: Omit<PageRecords, 'sources' | 'vectors'>,
): Promise<[string, Fragments][]> {
  const ctx = await loadExportContext(tx, { orgId: scope.orgId }, scope.projectId, FRAGMENT_PARAMS);
  const page = await groupPage(ctx, asPageRows(rows), { ...records, sources: [], vectors: [] });
  return renderPage(ctx, rows, page, logFragmentError);
}

/** What the page reads need of a row: its id and batch, and which fragments it holds already. */
const asPageRows = (
  rows: readonly Pick<FragmentSource, 'data_row_id' | 'batch_id' | 'x_attachments' | 'x_metadata'>[],
) =>
  rows.map(
    (r) =>
      ({
        data_row_id: r.data_row_id,
        batch_id: r.batch_id,
        x_labels: null,
        x_history: null,
        x_attachments: r.x_attachments ?? null,
        x_metadata: r.x_metadata ?? null,
      }) as PageRow,
  );

function renderPage(
  ctx: ExportContext,
  rows: readonly FragmentSource[],
  page: PageData,
  log: FragmentErrorLog,
): [string, Fragments][] {
  const out: [string, Fragments][] = [];
  for (const row of rows) {
    const attempt = (fragment: keyof Fragments, render: () => string) =>
      attemptRender(render, (error) => log({ dataRowId: row.data_row_id, fragment, error }));
    const consensus = consensusCount(ctx, ctx.batches.get(row.batch_id));
    out.push([
      row.data_row_id,
      {
        x_head: row.x_head ?? attempt('x_head', () => dataRowHead(row)),
        x_media: row.x_media ?? attempt('x_media', () => mediaAttributes(row)),
        x_attachments:
          row.x_attachments ?? attempt('x_attachments', () => attachmentEntries(page, row.data_row_id)),
        x_metadata:
          row.x_metadata ?? attempt('x_metadata', () => metadataEntries(ctx, page, row.data_row_id)),
        x_labels: attempt('x_labels', () => labelEntries(ctx, page, row.data_row_id, consensus)),
        x_history: attempt('x_history', () => historyEntries(ctx, page.history.get(row.data_row_id))),
      },
    ]);
  }
  return out;
}

/** An error other than the expected `AppError` while rendering a fragment: a bug to hear about. */
export type FragmentErrorLog = (entry: {
  dataRowId: string;
  fragment: keyof Fragments;
  error: unknown;
}) => void;

const logFragmentError: FragmentErrorLog = ({ dataRowId, fragment, error }) => {
  console.error(`[prefer] fragment ${fragment} of data row ${dataRowId} not rendered:`, error);
};

/**
 * The fragment, or NULL when it cannot be rendered. An `AppError` is the expected case (data the
 * exporter reports as a fault, such as a dangling user id: the export renders the row and reports
 * it); anything else (a TypeError) is logged with the row, then left NULL too, so the user's
 * write still goes on but the bug does not hide behind the slow path.
 */
function attemptRender(render: () => string, unexpected: (error: unknown) => void): string | null {
  try {
    return render();
  } catch (error) {
    if (!(error instanceof AppError)) unexpected(error);
    return null;
  }
}
