/**
 * What every export driver shares: the row a page carries, the base query (project rows of the
 * organization joined with their data rows), and the filters as SQL predicates.
 */

import type { ExportParams } from '@prefer/schemas';
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { chunks } from '../../shared/paging.ts';
import type { Database, DataRowTable, ProjectDataRowTable } from '../../store/schema.ts';
import type { Db } from '../../store/store.ts';
import type { ExportFilters } from '../request/export.request.ts';

export type Q = Database & { pdr: ProjectDataRowTable; dr: DataRowTable };
export type Eb = ExpressionBuilder<Q, 'pdr' | 'dr'>;

export interface Scope {
  orgId: string;
  projectId: string;
}

/**
 * One data row of a page, with its state in the project. Columns of a section the params leave
 * out are not read (`rowColumns`). What `x_head` and `x_media` hold is read (`RowSource`) only
 * for a row without them.
 */
export interface PageRow {
  data_row_id: string;
  batch_id: string;
  task_id: string;
  workflow_status: string;
  priority: number;
  dataset_id: string;
  created_at: number;
  updated_at: number;
  last_activity_at: number;
  created_by: string;
  /**
   * Ready export text (fragments.ts), read only when the params use it; null when not rendered.
   * Its UTF-8 bytes in an export (binary COPY on PostgreSQL, copy-rows.ts; a BLOB cast on SQLite,
   * `fragmentsAsBytes`), else a string.
   */
  x_labels?: Fragment | null;
  x_history?: Fragment | null;
  x_attachments?: Fragment | null;
  x_metadata?: Fragment | null;
  x_head: Fragment | null;
  x_media: Fragment | null;
}

/** Ready export text as read: a string, or its UTF-8 bytes. */
export type Fragment = string | Buffer;

export interface ExportPlan {
  count(): Promise<number>;
  /** Pages in data_row_id order with no gaps: every project row between a page's first and last id is in it. */
  dense: boolean;
  pages(): AsyncGenerator<PageRow[]>;
}

export type Predicate = keyof ExportFilters;

/** The data row columns `x_head` and `x_media` are rendered from. */
export interface RowSource {
  data_row_id: string;
  global_key: string | null;
  external_id: string | null;
  /** Null when read beside a stored `x_head` (fragments.ts): not needed then. */
  row_data: string | null;
  mime_type: string;
  labelable_ids: string;
  message_count: number;
}

/**
 * No data row column beyond those of `data_rows_export` (migration 0007): the join then reads
 * that index only (in SQLite the table's later columns sit behind row_data's overflow pages).
 */
const baseColumns = [
  'pdr.data_row_id',
  'pdr.batch_id',
  'dr.last_activity_at',
  'pdr.x_head',
  'pdr.x_media',
] as const;
const detailColumns = ['dr.dataset_id', 'dr.created_at', 'dr.updated_at', 'dr.created_by'] as const;
const projectColumns = ['pdr.task_id', 'pdr.workflow_status', 'pdr.priority', 'pdr.x_history'] as const;

/** Stored `x_labels` hold every label section, so they serve an export asking for both. */
export const usesLabelFragments = (params: ExportParams) =>
  params.label_details && params.performance_details;

/** The columns of a page row: those of a section only when the params ask for it. */
export function rowColumns(params: ExportParams) {
  return [
    ...baseColumns,
    ...(params.data_row_details ? detailColumns : []),
    ...(params.project_details ? projectColumns : []),
    ...(usesLabelFragments(params) ? (['pdr.x_labels'] as const) : []),
    ...(params.attachments ? (['pdr.x_attachments'] as const) : []),
    ...(params.metadata_fields ? (['pdr.x_metadata'] as const) : []),
  ];
}
export type RowColumns = ReturnType<typeof rowColumns>;

const FRAGMENT_COLUMNS: ReadonlySet<string> = new Set([
  'pdr.x_head',
  'pdr.x_media',
  'pdr.x_labels',
  'pdr.x_history',
  'pdr.x_attachments',
  'pdr.x_metadata',
]);

/**
 * SQLite: the same columns with the fragments read as their UTF-8 bytes, as binary COPY gives
 * them on PostgreSQL. As strings, a page's text (about 1.5 MB) lived on V8's heap; whenever the
 * page outlived a young-generation collection (the writer waiting for the disk) it was copied and
 * promoted, and the old generation filled with it until a full collection: peak RSS then varied
 * from run to run (142-219 MB at 20,000 rows). Bytes sit outside the heap and go with their page,
 * and are copied into the output unencoded.
 * A row's fragments come as ONE blob (`x_bytes`, their concatenation) and each fragment column
 * as its length in bytes (NULL when not rendered); `splitFragments` cuts the blob back into the
 * columns. A Buffer per fragment cost a malloc, a free and an ArrayBuffer sweep each: six per row,
 * a fifth of the export's CPU time (`perf`).
 */
export function fragmentsAsBytes(columns: RowColumns): RowColumns {
  const fragments = columns.filter((c) => FRAGMENT_COLUMNS.has(c));
  if (fragments.length === 0) return columns;
  const all = sql.join(
    fragments.map((c) => sql`coalesce(${sql.ref(c)}, '')`),
    sql` || `,
  );
  return [
    ...columns.map((c) =>
      FRAGMENT_COLUMNS.has(c) ? sql<number | null>`octet_length(${sql.ref(c)})`.as(nameOf(c)) : c,
    ),
    sql<Buffer>`cast(${all} as blob)`.as('x_bytes'),
  ] as unknown as RowColumns;
}

/** Undoes `fragmentsAsBytes` on rows read with it: each fragment column becomes its slice of `x_bytes`. */
export function splitFragments(columns: RowColumns): (rows: PageRow[]) => PageRow[] {
  const names = columns.filter((c) => FRAGMENT_COLUMNS.has(c)).map(nameOf) as FragmentName[];
  if (names.length === 0) return (rows) => rows;
  return (rows) => {
    for (const row of rows as (PageRow & { x_bytes?: Buffer })[]) {
      const bytes = row.x_bytes!;
      let at = 0;
      for (const name of names) {
        const length = row[name] as unknown as number | null;
        if (length === null) continue;
        row[name] = bytes.subarray(at, at + length);
        at += length;
      }
    }
    return rows;
  };
}

type FragmentName = 'x_head' | 'x_media' | 'x_labels' | 'x_history' | 'x_attachments' | 'x_metadata';
/** A page column's name without its table alias (`pdr.x_head` → `x_head`). */
export const nameOf = (column: string) => column.slice(column.indexOf('.') + 1);

export const baseQuery = (db: Db, scope: Scope) =>
  db
    .selectFrom('project_data_rows as pdr')
    .innerJoin('data_rows as dr', 'dr.id', 'pdr.data_row_id')
    .where('pdr.project_id', '=', scope.projectId)
    .where('pdr.org_id', '=', scope.orgId)
    .where('dr.org_id', '=', scope.orgId);
export type Base = ReturnType<typeof baseQuery>;

/** Every filter except the driver's as a SQL predicate; values are always bound parameters. */
export function predicates(
  eb: Eb,
  scope: Scope,
  f: ExportFilters,
  skip: Predicate | null,
): Expression<SqlBool>[] {
  const out: Expression<SqlBool>[] = [];
  if (f.dataRowIds && skip !== 'dataRowIds') out.push(eb('pdr.data_row_id', 'in', f.dataRowIds));
  if (f.globalKeys && skip !== 'globalKeys') {
    out.push(
      eb(
        'dr.global_key_lower',
        'in',
        f.globalKeys.map((k) => k.toLowerCase()),
      ),
    );
  }
  if (f.batchIds && skip !== 'batchIds') out.push(eb('pdr.batch_id', 'in', f.batchIds));
  if (f.workflowStatus) out.push(eb('pdr.workflow_status', '=', f.workflowStatus));
  if (f.lastActivityAt && skip !== 'lastActivityAt') {
    const [from, to] = f.lastActivityAt;
    if (from !== null) out.push(eb('dr.last_activity_at', '>=', from));
    if (to !== null) out.push(eb('dr.last_activity_at', '<=', to));
  }
  if (f.labelCreatedAt && skip !== 'labelCreatedAt') {
    const [from, to] = f.labelCreatedAt;
    out.push(
      eb.exists(
        eb
          .selectFrom('labels as l')
          .select(sql.lit(1).as('one'))
          .whereRef('l.data_row_id', '=', 'pdr.data_row_id')
          .where('l.project_id', '=', scope.projectId)
          .$if(from !== null, (q) => q.where('l.created_at', '>=', from!))
          .$if(to !== null, (q) => q.where('l.created_at', '<=', to!)),
      ),
    );
  }
  return out;
}

/**
 * The column as an expression no index serves: SQLite would otherwise drive a time filter from
 * `data_rows_global_key` (org_id, ...), reading the whole organization and sorting it.
 */
export const unindexed = (column: 'dr.org_id') => sql<string>`(${sql.ref(column)} || '')`;

export async function resolveGlobalKeys(db: Db, orgId: string, keys: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const chunk of chunks(
    keys.map((k) => k.toLowerCase()),
    500,
  )) {
    const rows = await db
      .selectFrom('data_rows')
      .where('org_id', '=', orgId)
      .where('global_key_lower', 'in', chunk)
      .select('id')
      .execute();
    for (const r of rows) ids.push(r.id);
  }
  return [...new Set(ids)].sort();
}
