/**
 * The query plan of an export: which index drives the pages and which filters are plain
 * predicates. Every filter runs in SQL over indexed columns; one driver is chosen so that a
 * filter matching 1% of a project reads about 1% of it:
 * - id lists (`data_row_ids`, `global_keys`, at most 2,000): chunks of sorted ids, primary key;
 * - `last_activity_at`: `data_rows_activity` (last_activity_at, id), keyset on both;
 * - `label_created_at`: `labels_created` (project_id, created_at, data_row_id), keyset on both,
 *   a row kept only at its earliest label in the range so it comes out once;
 * - `batch_ids`: `project_data_rows_batch`, one batch after the other, keyset on data_row_id;
 * - otherwise the primary key (project_id, data_row_id) or `project_data_rows_status`.
 * Rows come out in the driver's order, which is data_row_id except for the two time drivers.
 */
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Database, DataRowTable, ProjectDataRowTable } from '../store/schema.ts';
import type { Db } from '../store/store.ts';
import type { ExportFilters, TimeRange } from './export.request.ts';

type Q = Database & { pdr: ProjectDataRowTable; dr: DataRowTable };
type Eb = ExpressionBuilder<Q, 'pdr' | 'dr'>;

export interface Scope {
  orgId: string;
  projectId: string;
}

/** One data row of a page, with its state in the project. */
export interface PageRow {
  data_row_id: string;
  batch_id: string;
  task_id: string;
  workflow_status: string;
  priority: number;
  dataset_id: string;
  global_key: string | null;
  external_id: string | null;
  row_data: string;
  mime_type: string;
  labelable_ids: string;
  message_count: number;
  created_at: number;
  updated_at: number;
  last_activity_at: number;
  created_by: string;
}

export interface ExportPlan {
  count(): Promise<number>;
  /** Pages in data_row_id order with no gaps: every project row between a page's first and last id is in it. */
  dense: boolean;
  pages(): AsyncGenerator<PageRow[]>;
}

type Predicate = keyof ExportFilters;

const rowColumns = [
  'pdr.data_row_id',
  'pdr.batch_id',
  'pdr.task_id',
  'pdr.workflow_status',
  'pdr.priority',
  'dr.dataset_id',
  'dr.global_key',
  'dr.external_id',
  'dr.row_data',
  'dr.mime_type',
  'dr.labelable_ids',
  'dr.message_count',
  'dr.created_at',
  'dr.updated_at',
  'dr.last_activity_at',
  'dr.created_by',
] as const;

const baseQuery = (db: Db, scope: Scope) =>
  db
    .selectFrom('project_data_rows as pdr')
    .innerJoin('data_rows as dr', 'dr.id', 'pdr.data_row_id')
    .where('pdr.project_id', '=', scope.projectId)
    .where('pdr.org_id', '=', scope.orgId)
    .where('dr.org_id', '=', scope.orgId);
type Base = ReturnType<typeof baseQuery>;

export function planExport(db: Db, scope: Scope, filters: ExportFilters, pageSize: number): ExportPlan {
  const base = () => baseQuery(db, scope);
  const where = (skip: Predicate | null) => (eb: Eb) => eb.and(predicates(eb, scope, filters, skip));

  if (filters.dataRowIds || filters.globalKeys) {
    const skip: Predicate = filters.dataRowIds ? 'dataRowIds' : 'globalKeys';
    const ids = async () =>
      filters.dataRowIds
        ? [...filters.dataRowIds].sort()
        : await resolveGlobalKeys(db, scope.orgId, filters.globalKeys!);
    return {
      dense: false,
      async count() {
        let n = 0;
        for (const chunk of chunks(await ids(), 500)) {
          const r = await base()
            .where('pdr.data_row_id', 'in', chunk)
            .where(where(skip))
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow();
          n += Number(r.n);
        }
        return n;
      },
      async *pages() {
        for (const chunk of chunks(await ids(), pageSize)) {
          const rows = await base()
            .where('pdr.data_row_id', 'in', chunk)
            .where(where(skip))
            .select(rowColumns)
            .orderBy('pdr.data_row_id')
            .execute();
          if (rows.length > 0) yield rows as PageRow[];
        }
      },
    };
  }

  if (filters.lastActivityAt) {
    const [from, to] = filters.lastActivityAt;
    // data_rows first and a CROSS JOIN: SQLite then keeps `data_rows_activity` as the outer loop
    // (without statistics it would rather scan the project and sort); PostgreSQL plans freely.
    const byActivity = () => {
      let q = db
        .selectFrom('data_rows as dr')
        .crossJoin('project_data_rows as pdr')
        .whereRef('pdr.data_row_id', '=', 'dr.id')
        .where('pdr.project_id', '=', scope.projectId)
        .where('pdr.org_id', '=', scope.orgId)
        .where(unindexed('dr.org_id'), '=', scope.orgId)
        .where(where('lastActivityAt'));
      if (from !== null) q = q.where('dr.last_activity_at', '>=', from);
      if (to !== null) q = q.where('dr.last_activity_at', '<=', to);
      return q;
    };
    return {
      dense: false,
      async count() {
        const r = await byActivity()
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        return Number(r.n);
      },
      async *pages() {
        let after: [number, string] | null = null;
        for (;;) {
          let q = byActivity();
          if (after) {
            const [at, id] = after;
            // `>=` on the first column keeps the index range; the OR settles ties on the id.
            q = q
              .where('dr.last_activity_at', '>=', at)
              .where((eb) => eb.or([eb('dr.last_activity_at', '>', at), eb('dr.id', '>', id)]));
          }
          const rows = (await q
            .select(rowColumns)
            .orderBy('dr.last_activity_at')
            .orderBy('dr.id')
            .limit(pageSize)
            .execute()) as PageRow[];
          if (rows.length > 0) yield rows;
          if (rows.length < pageSize) return;
          const last = rows[rows.length - 1]!;
          after = [last.last_activity_at, last.data_row_id];
        }
      },
    };
  }

  if (filters.labelCreatedAt)
    return labelCreatedPlan(db, scope, filters.labelCreatedAt, pageSize, base, where);

  const keysetById = (batchId: string | null) =>
    async function* (): AsyncGenerator<PageRow[]> {
      let after: string | null = null;
      for (;;) {
        let q = base().where(where(batchId === null ? null : 'batchIds'));
        if (batchId !== null) q = q.where('pdr.batch_id', '=', batchId);
        // Both sides bounded: PostgreSQL infers no inequality across the join, and a merge join
        // would otherwise read data_rows from its start on every page.
        if (after !== null) q = q.where('pdr.data_row_id', '>', after).where('dr.id', '>', after);
        const rows = (await q
          .select(rowColumns)
          .orderBy('pdr.data_row_id')
          .limit(pageSize)
          .execute()) as PageRow[];
        if (rows.length > 0) yield rows;
        if (rows.length < pageSize) return;
        after = rows[rows.length - 1]!.data_row_id;
      }
    };

  return {
    count: () => countOf(base().where(where(null))),
    dense: Object.keys(filters).length === 0,
    pages: filters.batchIds
      ? async function* () {
          for (const batchId of [...filters.batchIds!].sort()) yield* keysetById(batchId)();
        }
      : keysetById(null),
  };
}

/** Every filter except the driver's as a SQL predicate; values are always bound parameters. */
function predicates(eb: Eb, scope: Scope, f: ExportFilters, skip: Predicate | null): Expression<SqlBool>[] {
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

function labelCreatedPlan(
  db: Db,
  scope: Scope,
  [from, to]: TimeRange,
  pageSize: number,
  base: () => Base,
  where: (skip: Predicate | null) => (eb: Eb) => Expression<SqlBool>,
): ExportPlan {
  // The driver reads `labels_created` alone (an index-only range on both backends, whatever
  // the planner's statistics); project membership and the other filters apply when a page's
  // rows are read, and in the count.
  const inRange = () => {
    let q = db.selectFrom('labels as l').where('l.project_id', '=', scope.projectId);
    if (from !== null) q = q.where('l.created_at', '>=', from);
    if (to !== null) q = q.where('l.created_at', '<=', to);
    return q;
  };
  return {
    dense: false,
    async count() {
      const r = await base()
        .where(where('labelCreatedAt'))
        .where('pdr.data_row_id', 'in', inRange().select('l.data_row_id'))
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async *pages() {
      let after: [number, string] | null = null;
      for (;;) {
        let q = inRange();
        if (after) {
          const [at, id] = after;
          q = q
            .where('l.created_at', '>=', at)
            .where((eb) => eb.or([eb('l.created_at', '>', at), eb('l.data_row_id', '>', id)]));
        }
        const hits = await q
          .select(['l.created_at', 'l.data_row_id'])
          .distinct()
          .orderBy('l.created_at')
          .orderBy('l.data_row_id')
          .limit(pageSize)
          .execute();
        if (hits.length === 0) return;
        // A row with several labels in the range is exported at its earliest one only.
        const ids = [...new Set(hits.map((h) => h.data_row_id))];
        let first = db
          .selectFrom('labels')
          .where('project_id', '=', scope.projectId)
          .where('data_row_id', 'in', ids)
          .select(['data_row_id', (eb) => eb.fn.min<number>('created_at').as('at')])
          .groupBy('data_row_id');
        if (from !== null) first = first.where('created_at', '>=', from);
        if (to !== null) first = first.where('created_at', '<=', to);
        const earliest = new Map((await first.execute()).map((r) => [r.data_row_id, Number(r.at)]));
        const keep: string[] = [];
        for (const h of hits)
          if (earliest.get(h.data_row_id) === Number(h.created_at)) keep.push(h.data_row_id);
        if (keep.length > 0) {
          const rows = (await base()
            .where('pdr.data_row_id', 'in', keep)
            .where(where('labelCreatedAt'))
            .select(rowColumns)
            .execute()) as PageRow[];
          const byId = new Map(rows.map((r) => [r.data_row_id, r]));
          const page = keep.map((id) => byId.get(id)).filter((r): r is PageRow => r !== undefined);
          if (page.length > 0) yield page;
        }
        if (hits.length < pageSize) return;
        const last = hits[hits.length - 1]!;
        after = [Number(last.created_at), last.data_row_id];
      }
    },
  };
}

async function countOf(q: Base): Promise<number> {
  const r = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * The column as an expression no index serves: SQLite would otherwise drive a time filter from
 * `data_rows_global_key` (org_id, ...), reading the whole organization and sorting it.
 */
const unindexed = (column: 'dr.org_id') => sql<string>`(${sql.ref(column)} || '')`;

async function resolveGlobalKeys(db: Db, orgId: string, keys: readonly string[]): Promise<string[]> {
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

export function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
