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

import { chunks, keysetPages } from '../../shared/paging.ts';
import type { Db } from '../../store/store.ts';
import type { ExportFilters } from '../request/export.request.ts';
import type { RowReader } from './copy-rows.ts';
import {
  baseQuery,
  type Eb,
  type ExportPlan,
  type PageRow,
  type Predicate,
  predicates,
  type RowColumns,
  resolveGlobalKeys,
  type Scope,
  unindexed,
} from './export-plan.base.ts';
import { labelCreatedPlan } from './export-plan.labels.ts';

export type { ExportPlan, PageRow, Scope } from './export-plan.base.ts';

export function planExport(
  db: Db,
  scope: Scope,
  filters: ExportFilters,
  pageSize: number,
  columns: RowColumns,
  firstPageSize = pageSize,
  // How a page's query is run: as it is, or through binary COPY on PostgreSQL (copy-rows.ts).
  readRows: RowReader = async (q) => (await q.execute()) as PageRow[],
): ExportPlan {
  const base = () => baseQuery(db, scope);
  const where = (skip: Predicate | null) => (eb: Eb) => eb.and(predicates(eb, scope, filters, skip));
  const plan: PlanInput = { db, scope, filters, pageSize, columns, firstPageSize, base, where, readRows };
  if (filters.dataRowIds || filters.globalKeys) return idListPlan(plan);
  if (filters.lastActivityAt) return activityPlan(plan, filters.lastActivityAt);
  if (filters.labelCreatedAt)
    return labelCreatedPlan(db, scope, filters.labelCreatedAt, pageSize, columns, base, where, readRows);
  return projectKeyPlan(plan);
}

/** What every driver is built from. */
interface PlanInput {
  db: Db;
  scope: Scope;
  filters: ExportFilters;
  pageSize: number;
  columns: RowColumns;
  firstPageSize: number;
  base: () => ReturnType<typeof baseQuery>;
  where: (skip: Predicate | null) => (eb: Eb) => ReturnType<Eb['and']>;
  readRows: RowReader;
}

/** `data_row_ids` or `global_keys`: chunks of the sorted ids, by primary key. */
function idListPlan({ db, scope, filters, pageSize, base, where, columns, readRows }: PlanInput): ExportPlan {
  const skip: Predicate = filters.dataRowIds ? 'dataRowIds' : 'globalKeys';
  // Resolved once: the count and the pages read the same snapshot.
  let sorted: Promise<string[]> | undefined;
  const ids = () =>
    (sorted ??= filters.dataRowIds
      ? Promise.resolve([...filters.dataRowIds].sort())
      : resolveGlobalKeys(db, scope.orgId, filters.globalKeys!));
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
        const rows = await readRows(
          base()
            .where('pdr.data_row_id', 'in', chunk)
            .where(where(skip))
            .select(columns)
            .orderBy('pdr.data_row_id'),
        );
        if (rows.length > 0) yield rows;
      }
    },
  };
}

/** `last_activity_at`: `data_rows_activity` (last_activity_at, id), keyset on both. */
function activityPlan(
  { db, scope, pageSize, columns, firstPageSize, where, readRows }: PlanInput,
  [from, to]: NonNullable<ExportFilters['lastActivityAt']>,
): ExportPlan {
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
    pages: () =>
      keysetPages(
        pageSize,
        async (after: [number, string] | null, limit) => {
          let q = byActivity();
          if (after) {
            const [at, id] = after;
            // `>=` on the first column keeps the index range; the OR settles ties on the id.
            q = q
              .where('dr.last_activity_at', '>=', at)
              .where((eb) => eb.or([eb('dr.last_activity_at', '>', at), eb('dr.id', '>', id)]));
          }
          return readRows(q.select(columns).orderBy('dr.last_activity_at').orderBy('dr.id').limit(limit));
        },
        (last): [number, string] => [last.last_activity_at, last.data_row_id],
        firstPageSize,
      ),
  };
}

/** No id, activity or label-time filter: the primary key, one batch after the other with `batch_ids`. */
function projectKeyPlan({
  db,
  scope,
  filters,
  pageSize,
  columns,
  firstPageSize,
  base,
  where,
  readRows,
}: PlanInput): ExportPlan {
  const keysetById = (batchId: string | null) =>
    keysetPages(
      pageSize,
      async (after: string | null, limit) => {
        let q = base().where(where(batchId === null ? null : 'batchIds'));
        if (batchId !== null) q = q.where('pdr.batch_id', '=', batchId);
        // Both sides bounded: PostgreSQL infers no inequality across the join, and a merge join
        // would otherwise read data_rows from its start on every page.
        if (after !== null) q = q.where('pdr.data_row_id', '>', after).where('dr.id', '>', after);
        return readRows(q.select(columns).orderBy('pdr.data_row_id').limit(limit));
      },
      (last) => last.data_row_id,
      firstPageSize,
    );

  return {
    // Only project_data_rows columns are filtered here (batch, status): the count needs no join.
    async count() {
      const r = await db
        .selectFrom('project_data_rows as pdr')
        .where('pdr.project_id', '=', scope.projectId)
        .where('pdr.org_id', '=', scope.orgId)
        .$if(filters.batchIds !== undefined, (q) => q.where('pdr.batch_id', 'in', filters.batchIds!))
        .$if(filters.workflowStatus !== undefined, (q) =>
          q.where('pdr.workflow_status', '=', filters.workflowStatus!),
        )
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    dense: Object.keys(filters).length === 0,
    pages: filters.batchIds
      ? async function* () {
          for (const batchId of [...filters.batchIds!].sort()) yield* keysetById(batchId);
        }
      : () => keysetById(null),
  };
}
