/**
 * Looks up the data rows named by import lines, a page of lines at a time (one query per page, not
 * per line), keeping what was found in a bounded cache: files usually name a row on several lines.
 */
import type { DataRowRef } from '@prefer/schemas';
import type { Tx } from '../store/store.ts';

export interface ResolvedRow {
  id: string;
  inProject: boolean;
  labelable: ReadonlySet<string>;
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
   * Ids are looked up by id alone and the organization checked here: with `org_id = ?` in the
   * query SQLite walks the (org_id, global_key_lower) index over the whole organization instead
   * of the primary key. Keys need the organization in the query (they are unique per org).
   */
  private async query(column: 'id' | 'global_key_lower', values: string[]): Promise<void> {
    for (let i = 0; i < values.length; i += CHUNK) {
      const rows = await this.tx
        .selectFrom('data_rows as r')
        .leftJoin('project_data_rows as p', (j) =>
          j.onRef('p.data_row_id', '=', 'r.id').on('p.project_id', '=', this.projectId),
        )
        .where(`r.${column}`, 'in', values.slice(i, i + CHUNK))
        .$if(column === 'global_key_lower', (q) => q.where('r.org_id', '=', this.orgId))
        .select(['r.id', 'r.org_id', 'r.global_key_lower', 'r.labelable_ids', 'p.project_id'])
        .execute();
      for (const r of rows) {
        if (r.org_id !== this.orgId) continue;
        const resolved: ResolvedRow = {
          id: r.id,
          inProject: r.project_id !== null,
          labelable: new Set(JSON.parse(r.labelable_ids) as string[]),
        };
        if (column === 'id') this.byId.set(r.id, resolved);
        else if (r.global_key_lower !== null) this.byKey.set(r.global_key_lower, resolved);
      }
    }
  }
}
