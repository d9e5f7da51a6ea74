/**
 * Looks up the data rows named by import lines, a page of lines at a time (one query per page, not
 * per line), keeping what was found in a bounded cache: files usually name a row on several lines.
 */
import { type DataRowRef, MMC_MIME_TYPE, type MmcGraph } from '@prefer/schemas';
import { chunks } from '../shared/paging.ts';
import type { Tx } from '../store/store.ts';
import { graphOfRowData } from './mmc-task.ts';

export interface ResolvedRow {
  id: string;
  inProject: boolean;
  labelable: ReadonlySet<string>;
  /** The conversation graph of a multimodal chat (v2) row, for message tool answers. */
  graph?: MmcGraph | undefined;
}

/** Rows remembered at most; past it the cache restarts (the next page reloads what it needs). */
const MAX_CACHED = 100_000;
const CHUNK = 500;

export class RowResolver {
  private readonly byId = new Map<string, ResolvedRow | null>();
  private readonly byKey = new Map<string, ResolvedRow | null>();

  constructor(
    private readonly tx: Tx,
    private readonly orgId: string,
    private readonly projectId: string,
  ) {}

  /** Loads every row the refs name that is not cached yet. */
  async load(refs: readonly DataRowRef[]): Promise<void> {
    // Restart a full cache before computing what is missing, so nothing this page needs is lost.
    if (this.byId.size + this.byKey.size + refs.length > MAX_CACHED) {
      this.byId.clear();
      this.byKey.clear();
    }
    const ids = new Set<string>();
    const keys = new Set<string>();
    for (const ref of refs) {
      if (ref.id !== undefined && !this.byId.has(ref.id)) ids.add(ref.id);
      if (ref.globalKey !== undefined && !this.byKey.has(ref.globalKey.toLowerCase())) {
        keys.add(ref.globalKey.toLowerCase());
      }
    }
    if (ids.size === 0 && keys.size === 0) return;
    for (const id of ids) this.byId.set(id, null);
    for (const key of keys) this.byKey.set(key, null);
    await this.query('id', [...ids]);
    await this.query('global_key_lower', [...keys]);
  }

  /** The row a ref names (after `load`), or null when the organization has no such row. */
  get(ref: DataRowRef): ResolvedRow | null {
    if (ref.id !== undefined) return this.byId.get(ref.id) ?? null;
    return this.byKey.get((ref.globalKey ?? '').toLowerCase()) ?? null;
  }

  /**
   * Two single-table queries rather than a join: right after a bulk import PostgreSQL has no
   * statistics yet and plans the join as a hash over the project's whole membership, per page.
   * Ids are looked up by id alone and the organization checked here: with `org_id = ?` in the
   * query SQLite walks the (org_id, global_key_lower) index instead of the primary key. Keys need
   * the organization in the query (they are unique per organization).
   */
  /** The graphs of v2 rows: only those rows' conversations are read. */
  private async graphs(ids: string[]): Promise<Map<string, MmcGraph | undefined>> {
    const out = new Map<string, MmcGraph | undefined>();
    if (ids.length === 0) return out;
    const rows = await this.tx
      .selectFrom('data_rows')
      .where('id', 'in', ids)
      .select(['id', 'row_data'])
      .execute();
    for (const r of rows) out.set(r.id, graphOfRowData(r.row_data));
    return out;
  }

  private async query(column: 'id' | 'global_key_lower', values: string[]): Promise<void> {
    for (const chunk of chunks(values, CHUNK)) {
      const found = (
        await this.tx
          .selectFrom('data_rows')
          .where(column, 'in', chunk)
          .$if(column === 'global_key_lower', (q) => q.where('org_id', '=', this.orgId))
          .select(['id', 'org_id', 'global_key_lower', 'labelable_ids', 'mime_type'])
          .execute()
      ).filter((r) => r.org_id === this.orgId);
      if (found.length === 0) continue;
      const graphs = await this.graphs(found.filter((r) => r.mime_type === MMC_MIME_TYPE).map((r) => r.id));
      // By row alone (a row is in few projects): with `project_id = ?` too, PostgreSQL without
      // statistics walks the project's whole membership instead.
      const members = await this.tx
        .selectFrom('project_data_rows')
        .where(
          'data_row_id',
          'in',
          found.map((r) => r.id),
        )
        .select(['data_row_id', 'project_id'])
        .execute();
      const inProject = new Set(
        members.filter((m) => m.project_id === this.projectId).map((m) => m.data_row_id),
      );
      for (const r of found) {
        const resolved: ResolvedRow = {
          id: r.id,
          inProject: inProject.has(r.id),
          labelable: new Set(JSON.parse(r.labelable_ids) as string[]),
          graph: graphs.get(r.id),
        };
        if (column === 'id') this.byId.set(r.id, resolved);
        else if (r.global_key_lower !== null) this.byKey.set(r.global_key_lower, resolved);
      }
    }
  }
}
