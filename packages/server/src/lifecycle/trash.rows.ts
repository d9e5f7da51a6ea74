/**
 * The trash's mechanics: a soft-deletion moves live rows into `trash_rows` (table name and the
 * row as JSON) and deletes them, children first, inside the caller's transaction; a restore
 * inserts them back, parents first. Moving rows out, rather than flagging them, is what keeps
 * every read path (exports, queues, counts, lists, GraphQL) blind to deleted data without a
 * filter in each of them; the triggers that clear the pre-rendered export fragments
 * (exports/v2/fragments.ts) fire on these deletes and inserts as on any other.
 */
import type { Kysely } from 'kysely';
import { AppError } from '../shared/errors.ts';
import { chunks } from '../shared/paging.ts';
import type { Tx } from '../store/store.ts';

/** The tables a deletion may take rows from. */
export type TrashTable =
  | 'reviews'
  | 'label_submissions'
  | 'comments'
  | 'workflow_history'
  | 'labels'
  | 'project_data_rows'
  | 'attachments'
  | 'metadata_values'
  | 'embedding_vectors'
  | 'data_rows'
  | 'batches';

/** A row goes back only when the rows it points at are live (the rest is counted as skipped). */
const PARENTS: Record<TrashTable, [column: string, table: string][]> = {
  reviews: [
    ['label_id', 'labels'],
    ['data_row_id', 'data_rows'],
  ],
  label_submissions: [
    ['label_id', 'labels'],
    ['project_id', 'projects'],
  ],
  comments: [
    ['project_id', 'projects'],
    ['data_row_id', 'data_rows'],
  ],
  workflow_history: [
    ['project_id', 'projects'],
    ['data_row_id', 'data_rows'],
  ],
  labels: [
    ['project_id', 'projects'],
    ['data_row_id', 'data_rows'],
  ],
  project_data_rows: [
    ['project_id', 'projects'],
    ['data_row_id', 'data_rows'],
    ['batch_id', 'batches'],
  ],
  attachments: [['data_row_id', 'data_rows']],
  metadata_values: [['data_row_id', 'data_rows']],
  embedding_vectors: [['data_row_id', 'data_rows']],
  data_rows: [['dataset_id', 'datasets']],
  batches: [['project_id', 'projects']],
};

const ID_CHUNK = 500;
const ROW_CHUNK = 100;

type Row = Record<string, unknown>;
// The tables are chosen from the closed list above; their columns come back as stored.
const loose = (tx: Tx) => tx as unknown as Kysely<Record<string, Row>>;

/** Appends to one trash entry: `move(table, column, ids)` takes the rows whose column is in ids. */
export class TrashWriter {
  #seq = 0;
  moved = 0;
  constructor(
    readonly tx: Tx,
    readonly trashId: string,
  ) {}

  async move(table: TrashTable, column: string, ids: readonly string[], also?: Row): Promise<Row[]> {
    const taken: Row[] = [];
    for (const part of chunks([...new Set(ids)], ID_CHUNK)) {
      let q = loose(this.tx).selectFrom(table).selectAll().where(column, 'in', part);
      for (const [k, v] of Object.entries(also ?? {})) q = q.where(k, '=', v);
      const rows = await q.execute();
      if (rows.length === 0) continue;
      for (const rs of chunks(rows, ROW_CHUNK)) {
        await this.tx
          .insertInto('trash_rows')
          .values(
            rs.map((r) => ({
              trash_id: this.trashId,
              seq: this.#seq++,
              tbl: table,
              data: JSON.stringify(r),
            })),
          )
          .execute();
      }
      let d = loose(this.tx).deleteFrom(table).where(column, 'in', part);
      for (const [k, v] of Object.entries(also ?? {})) d = d.where(k, '=', v);
      await d.execute();
      taken.push(...rows);
    }
    this.moved += taken.length;
    return taken;
  }

  /**
   * Data rows with everything hanging off them, in every project: reviews, idempotency records,
   * comments, history, labels, project memberships, attachments, metadata, embeddings.
   */
  async moveDataRows(ids: readonly string[]): Promise<void> {
    await this.moveRowsInProject(ids, undefined);
    await this.move('project_data_rows', 'data_row_id', ids);
    for (const t of ['attachments', 'metadata_values', 'embedding_vectors'] as const) {
      await this.move(t, 'data_row_id', ids);
    }
    await this.move('data_rows', 'id', ids);
  }

  /** The labels, reviews, comments and history of rows (in one project, or in all of them). */
  async moveRowsInProject(dataRowIds: readonly string[], projectId: string | undefined): Promise<void> {
    const scope = projectId === undefined ? undefined : { project_id: projectId };
    await this.move('reviews', 'data_row_id', dataRowIds, scope);
    const labels = await this.labelIds(dataRowIds, projectId);
    await this.move('label_submissions', 'label_id', labels);
    await this.move('comments', 'data_row_id', dataRowIds, scope);
    await this.move('workflow_history', 'data_row_id', dataRowIds, scope);
    await this.move('labels', 'data_row_id', dataRowIds, scope);
  }

  /** Single labels with their reviews and idempotency records. */
  async moveLabels(ids: readonly string[]): Promise<void> {
    await this.move('reviews', 'label_id', ids);
    await this.move('label_submissions', 'label_id', ids);
    await this.move('labels', 'id', ids);
  }

  async labelIds(dataRowIds: readonly string[], projectId: string | undefined): Promise<string[]> {
    const out: string[] = [];
    for (const part of chunks([...new Set(dataRowIds)], ID_CHUNK)) {
      const rows = await this.tx
        .selectFrom('labels')
        .where('data_row_id', 'in', part)
        .$if(projectId !== undefined, (q) => q.where('project_id', '=', projectId!))
        .select('id')
        .execute();
      out.push(...rows.map((r) => r.id));
    }
    return out;
  }
}

/**
 * Puts a trash entry's rows back, parents first; rows whose parents are gone (purged, or deleted
 * since) and rows already live again are skipped and counted. A data row whose global key was
 * taken by another row since is a CONFLICT naming the keys: nothing is restored then.
 */
export async function restoreTrashRows(
  tx: Tx,
  trashId: string,
): Promise<{ restored: number; skipped: number }> {
  const entries = await tx
    .selectFrom('trash_rows')
    .where('trash_id', '=', trashId)
    .select(['seq', 'tbl', 'data'])
    .orderBy('seq', 'desc')
    .execute();
  // Groups of one table, in reverse order of removal.
  const groups: { table: TrashTable; rows: Row[] }[] = [];
  for (const e of entries) {
    const last = groups[groups.length - 1];
    const row = JSON.parse(e.data) as Row;
    if (last && last.table === e.tbl) last.rows.push(row);
    else groups.push({ table: e.tbl as TrashTable, rows: [row] });
  }
  await refuseTakenGlobalKeys(
    tx,
    groups.filter((g) => g.table === 'data_rows').flatMap((g) => g.rows),
  );
  let restored = 0;
  let skipped = 0;
  for (const { table, rows } of groups) {
    let live = rows;
    for (const [column, parent] of PARENTS[table]) {
      const wanted = [
        ...new Set(live.map((r) => r[column]).filter((v): v is string => typeof v === 'string')),
      ];
      const found = new Set<string>();
      for (const part of chunks(wanted, ID_CHUNK)) {
        let q = loose(tx).selectFrom(parent).select('id').where('id', 'in', part);
        // A soft-deleted project or dataset takes no rows back until it is restored itself.
        if (parent === 'projects' || parent === 'datasets') q = q.where('deleted_at', 'is', null);
        for (const r of await q.execute()) found.add(r.id as string);
      }
      live = live.filter((r) => r[column] == null || found.has(r[column] as string));
    }
    if (table === 'project_data_rows') {
      // Rendered again on the next export; a lease from before the deletion means nothing now.
      live = live.map((r) => ({
        ...r,
        lease_user_id: null,
        lease_expires_at: null,
        x_labels: null,
        x_history: null,
        x_head: null,
        x_media: null,
        x_attachments: null,
        x_metadata: null,
      }));
    }
    for (const part of chunks(live, ROW_CHUNK)) {
      const result = await loose(tx)
        .insertInto(table)
        .values(part)
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      const inserted = Number(result.numInsertedOrUpdatedRows ?? part.length);
      restored += inserted;
      skipped += part.length - inserted;
    }
    skipped += rows.length - live.length;
  }
  await tx.deleteFrom('trash_rows').where('trash_id', '=', trashId).execute();
  return { restored, skipped };
}

async function refuseTakenGlobalKeys(tx: Tx, rows: Row[]): Promise<void> {
  const byKey = new Map<string, string>();
  for (const r of rows) {
    if (typeof r.global_key_lower === 'string')
      byKey.set(`${r.org_id}\u0000${r.global_key_lower}`, String(r.global_key));
  }
  if (byKey.size === 0) return;
  const taken: string[] = [];
  const orgId = String(rows[0]!.org_id);
  for (const part of chunks(
    rows.map((r) => r.global_key_lower).filter((k): k is string => typeof k === 'string'),
    ID_CHUNK,
  )) {
    const live = await tx
      .selectFrom('data_rows')
      .where('org_id', '=', orgId)
      .where('global_key_lower', 'in', part)
      .select('global_key')
      .execute();
    taken.push(...live.map((r) => String(r.global_key)));
  }
  if (taken.length > 0) {
    throw new AppError(
      'CONFLICT',
      `cannot restore: global key${taken.length > 1 ? 's' : ''} ${taken
        .slice(0, 10)
        .map((k) => JSON.stringify(k))
        .join(', ')} now belong${taken.length > 1 ? '' : 's'} to other data rows`,
      { global_keys: taken },
    );
  }
}
