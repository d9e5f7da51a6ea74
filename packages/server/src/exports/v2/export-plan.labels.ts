/**
 * The `label_created_at` driver: keyset pages over `labels_created` (project_id, created_at,
 * data_row_id), an index-only range on both backends whatever the planner's statistics. A row
 * with several labels in the range comes out once, at its earliest one. Project membership and
 * the other filters apply when a page's rows are read, and in the count.
 */
import type { Expression, SqlBool } from 'kysely';
import { keysetPages } from '../../shared/paging.ts';
import type { Db } from '../../store/store.ts';
import type { TimeRange } from '../request/export.request.ts';
import type { RowReader } from './copy-rows.ts';
import type { Base, Eb, ExportPlan, PageRow, Predicate, RowColumns, Scope } from './export-plan.base.ts';

export function labelCreatedPlan(
  db: Db,
  scope: Scope,
  [from, to]: TimeRange,
  pageSize: number,
  columns: RowColumns,
  base: () => Base,
  where: (skip: Predicate | null) => (eb: Eb) => Expression<SqlBool>,
  readRows: RowReader,
): ExportPlan {
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
      const allHits = keysetPages(
        pageSize,
        async (after: [number, string] | null) => {
          let q = inRange();
          if (after) {
            const [at, id] = after;
            q = q
              .where('l.created_at', '>=', at)
              .where((eb) => eb.or([eb('l.created_at', '>', at), eb('l.data_row_id', '>', id)]));
          }
          return q
            .select(['l.created_at', 'l.data_row_id'])
            .distinct()
            .orderBy('l.created_at')
            .orderBy('l.data_row_id')
            .limit(pageSize)
            .execute();
        },
        (last): [number, string] => [Number(last.created_at), last.data_row_id],
      );
      for await (const hits of allHits) {
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
        if (keep.length === 0) continue;
        const rows = await readRows(
          base().where('pdr.data_row_id', 'in', keep).where(where('labelCreatedAt')).select(columns),
        );
        const byId = new Map(rows.map((r) => [r.data_row_id, r]));
        const page = keep.map((id) => byId.get(id)).filter((r): r is PageRow => r !== undefined);
        if (page.length > 0) yield page;
      }
    },
  };
}
